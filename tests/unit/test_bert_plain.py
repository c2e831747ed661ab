"""The plain-torch BERT encoder (models.bert) gives bitwise the hidden states and token ids of
``transformers``' BertModel and fast tokenizer, on a tiny random BERT saved here; other
architectures and unreadable weights keep their old paths (``transformers``, ModelLoadError)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from models import bert
from models.loaders import load_encoder
from models.precision import apply_dtype
from models.types import ModelLoadError
from tests.unit.test_summary_tiny_models import CORPUS, save_tiny_bert

# Lengths differ, so batches are padded; the last batch has no padding at all (no mask).
BATCHES = [CORPUS[:4], CORPUS[2:], [CORPUS[0]] * 3]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_bert(tmp_path_factory.mktemp("tiny") / "bert")


def _batch(tok: bert.Tokenizer, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    ids = tok(texts, truncation=True, max_length=64)["input_ids"]
    width = max(len(r) for r in ids)
    x = torch.zeros((len(ids), width), dtype=torch.long)
    mask = torch.zeros_like(x)
    for i, row in enumerate(ids):
        x[i, : len(row)] = torch.tensor(row)
        mask[i, : len(row)] = 1
    return x, mask


@pytest.mark.parametrize("dtype", ["float32", "int8", "bfloat16"])
def test_hidden_states_are_bitwise_those_of_transformers(tiny: Path, dtype: str) -> None:
    from transformers import BertModel

    reference = apply_dtype(BertModel.from_pretrained(str(tiny)).eval(), dtype)  # type: ignore[no-untyped-call]
    plain = apply_dtype(bert.load_model(tiny), dtype)
    tok = bert.Tokenizer(tiny)
    for texts in BATCHES:
        x, mask = _batch(tok, texts)
        with torch.inference_mode():
            want = reference(input_ids=x, attention_mask=mask).last_hidden_state
            got = plain(input_ids=x, attention_mask=mask).last_hidden_state
        assert torch.equal(got, want)


def test_token_ids_are_those_of_the_fast_tokenizer(tiny: Path) -> None:
    from transformers import AutoTokenizer

    reference = AutoTokenizer.from_pretrained(str(tiny))
    tok = bert.Tokenizer(tiny)
    for limit in (4, 64):
        want = reference(CORPUS, truncation=True, max_length=limit, add_special_tokens=True)["input_ids"]
        assert tok(CORPUS, truncation=True, max_length=limit)["input_ids"] == want
    assert tok.pad_token_id == reference.pad_token_id


def test_the_loader_uses_the_plain_encoder_for_bert(tiny: Path) -> None:
    enc = load_encoder(str(tiny), dtype="int8")
    assert isinstance(enc.model, bert.BertEncoder)
    assert isinstance(enc.tokenizer, bert.Tokenizer)
    rows = enc.encode(CORPUS[:3])
    assert rows.shape == (3, 32)


def test_other_architectures_are_not_claimed(tiny: Path, tmp_path: Path) -> None:
    assert bert.supports(tiny)
    raw = json.loads((tiny / "config.json").read_text())
    for change in ({"model_type": "roberta"}, {"position_embedding_type": "relative_key"}):
        other = tmp_path / next(iter(change.values()))
        other.mkdir()
        (other / "config.json").write_text(json.dumps(raw | change))
        (other / "model.safetensors").write_bytes((tiny / "model.safetensors").read_bytes())
        (other / "tokenizer.json").write_text((tiny / "tokenizer.json").read_text())
        assert not bert.supports(other)
    assert not bert.supports(tmp_path / "absent")


def test_truncated_weights_are_a_model_load_error(tiny: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in tiny.iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    data = (tiny / "model.safetensors").read_bytes()
    (broken / "model.safetensors").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelLoadError, match="cannot load encoder"):
        load_encoder(str(broken))

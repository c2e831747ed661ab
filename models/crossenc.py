"""A cross-encoder for the summary checker, tried and not shipped: all-MiniLM-L6-v2 with its top
layers fine-tuned to read a claim and its evidence together and say whether the evidence supports
the claim (docs/models.md, "The summary checker", gives the measured result: no gain over the
shipped features by cross-validation on FRANK, so the service does not load it).

What fine-tuning changes is kept apart: the top ``trained_layers`` transformer layers (float16 in
the checkpoint, float32 in memory) and a linear head over the [CLS] vector and the mean of the last
layer. The embeddings and the lower layers are the shipped encoder's, frozen during training, so a
checker could share them with its own copy of the encoder. Input: ``[CLS] claim [SEP] evidence
[SEP]``, segment ids all 0 (as the encoder was pretrained), claim first so that truncation only
cuts evidence; the evidence is the article sentences most similar to the claim (``evidence_text``).
Trained by ``bench/train_checker_crossenc.py``, measured by ``bench/checker_crossenc_cv.py``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import torch
from torch import nn

from models.bert import BertEncoder

#: How many article sentences make a claim's evidence.
EVIDENCE_SENTENCES = 3
#: The claim keeps at most this many word pieces; the evidence fills the window up to ``MAX_TOKENS``.
MAX_CLAIM_TOKENS = 64
MAX_TOKENS = 160


def evidence_text(sentences: list[str], order: list[int]) -> str:
    """The ``EVIDENCE_SENTENCES`` first of ``order`` (indices into ``sentences``, best first),
    joined in article order."""
    chosen = sorted(order[:EVIDENCE_SENTENCES])
    return " ".join(" ".join(sentences[i].split()) for i in chosen)


class CrossEncoder(nn.Module):
    """``base``'s embeddings and first layers (shared, frozen), then ``top`` layers, then the head."""

    def __init__(self, base: BertEncoder, top: nn.ModuleList) -> None:
        super().__init__()
        hidden = base.config.hidden_size
        self.base = base
        self.lower = len(base.encoder.layer) - len(top)
        self.top = top
        self.head = nn.Linear(2 * hidden, 1)

    @classmethod
    def from_base(cls, base: BertEncoder, trained_layers: int) -> CrossEncoder:
        """A cross-encoder to train: the top ``trained_layers`` layers copied from ``base``."""
        layers = base.encoder.layer
        top = nn.ModuleList(copy.deepcopy(layers[len(layers) - trained_layers :]))
        return cls(base, top)

    def lower_states(self, input_ids: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        """Hidden states after the shared, frozen layers."""
        x: torch.Tensor = self.base.embeddings(input_ids)
        for layer in self.base.encoder.layer[: self.lower]:
            x = layer(x, mask)
        return x

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """One logit per row: > 0 means the evidence supports the claim."""
        keep = attention_mask.bool()
        mask = None if bool(keep.all()) else keep[:, None, None, :].expand(-1, 1, keep.shape[1], -1)
        with torch.no_grad():
            x = self.lower_states(input_ids, mask)
        for layer in self.top:
            x = layer(x, mask)
        m = attention_mask.unsqueeze(-1).to(x.dtype)
        mean = (x * m).sum(1) / m.sum(1).clamp(min=1.0)
        out: torch.Tensor = self.head(torch.cat([x[:, 0], mean], dim=1)).squeeze(-1)
        return out

    def trained_state(self) -> dict[str, torch.Tensor]:
        """What training changed (the top layers and the head), as float16 tensors."""
        state = {f"top.{k}": v for k, v in self.top.state_dict().items()}
        state |= {f"head.{k}": v for k, v in self.head.state_dict().items()}
        return {k: v.detach().to(torch.float16).contiguous() for k, v in state.items()}


def pair_ids(tokenizer: Any, claims: list[str], evidence: list[str]) -> list[list[int]]:
    """``[CLS] claim [SEP] evidence [SEP]`` word-piece ids of each pair, cut to the window."""
    cls_id, sep_id = tokenizer.token_id("[CLS]"), tokenizer.token_id("[SEP]")
    a = tokenizer(claims, truncation=True, max_length=MAX_CLAIM_TOKENS, add_special_tokens=False)["input_ids"]
    b = tokenizer(evidence, truncation=True, max_length=MAX_TOKENS, add_special_tokens=False)["input_ids"]
    out = []
    for ca, eb in zip(a, b, strict=True):
        room = MAX_TOKENS - len(ca) - 3
        out.append([cls_id, *ca, sep_id, *eb[: max(0, room)], sep_id])
    return out


def batch(ids: list[list[int]], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Padded ids and attention mask of rows of word-piece ids."""
    width = max(len(r) for r in ids)
    input_ids = torch.full((len(ids), width), pad, dtype=torch.long)
    mask = torch.zeros((len(ids), width), dtype=torch.long)
    for i, r in enumerate(ids):
        input_ids[i, : len(r)] = torch.tensor(r, dtype=torch.long)
        mask[i, : len(r)] = 1
    return input_ids, mask


def load_trained(base: BertEncoder, path: Path) -> CrossEncoder:
    """The cross-encoder over ``base`` with the trained tensors of ``path`` (a safetensors file whose
    metadata says how many top layers it holds); float32, eval mode."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), framework="pt") as fh:
        meta = fh.metadata() or {}
    layers = int(json.loads(meta.get("config", "{}")).get("trained_layers", 0))
    if not 0 < layers <= len(base.encoder.layer):
        raise ValueError(
            f"{path.name}: trained_layers {layers} does not fit a {len(base.encoder.layer)}-layer encoder"
        )
    model = CrossEncoder.from_base(base, layers)
    state = {k: v.to(torch.float32) for k, v in load_file(str(path)).items()}
    top = {k.removeprefix("top."): v for k, v in state.items() if k.startswith("top.")}
    head = {k.removeprefix("head."): v for k, v in state.items() if k.startswith("head.")}
    model.top.load_state_dict(top, strict=True)
    model.head.load_state_dict(head, strict=True)
    return model.eval()


def score_pairs(model: CrossEncoder, tokenizer: Any, claims: list[str], evidence: list[str]) -> list[float]:
    """The probability that each claim is supported by its evidence (batches of similar length)."""
    if not claims:
        return []
    ids = pair_ids(tokenizer, claims, evidence)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = [0.0] * len(ids)
    pad = int(tokenizer.pad_token_id or 0)
    for b in range(0, len(order), 16):
        rows = order[b : b + 16]
        input_ids, mask = batch([ids[i] for i in rows], pad)
        with torch.inference_mode():
            probs = torch.sigmoid(model(input_ids, mask)).tolist()
        for i, p in zip(rows, probs, strict=True):
            out[i] = float(p)
    return out


class SupportModel:
    """A trained cross-encoder with its tokenizer, ready to score (claim, evidence) pairs;
    thread-safe (inference only)."""

    def __init__(self, model: CrossEncoder, tokenizer: Any) -> None:
        self.model = model
        self.tokenizer = tokenizer

    def score(self, claims: list[str], evidence: list[str]) -> list[float]:
        """The probability that each claim is supported by its evidence."""
        return score_pairs(self.model, self.tokenizer, claims, evidence)

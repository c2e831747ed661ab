"""The content selector: which whole sentences a summary of a given length should hold.

A linear model over each candidate unit in the context of its article: the engine's 30 sentence
features (:mod:`.features`: position, length, similarity to the centroid and the lead, quotes,
the article's own word statistics), the unit's embedding, and the embedding multiplied by the
article's mean embedding (a learned, per-dimension similarity to what the article is about). It
is trained on ~8,400 news articles with human summaries (bench/train_selector.py) to predict
the units a greedy ROUGE oracle picks and, where enabled (``SummarizerConfig.content_selector``;
off by default, docs/models.md), ranks the units for explicit length limits (``max_sentences`` /
``max_words``); :mod:`.selection` then takes them best first with trigram blocking (a unit that
repeats a word trigram of a chosen one waits until nothing else fits).

Its weights are a small JSON file in ``models/weights`` (pinned by sha256 in the registry).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from models.types import ModelLoadError
from service.engines.summarizer.features import FEATURE_NAMES
from service.engines.summarizer.selection import SelectionParams

FloatArray = npt.NDArray[np.float32]

_TOKEN = re.compile(r"[^\W_]+")


def trigrams(text: str) -> frozenset[tuple[str, str, str]]:
    """The word trigrams of a unit (lower-cased letters and digits), for trigram blocking."""
    words = _TOKEN.findall(text.lower())
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def selector_inputs(feats: FloatArray, emb: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The two blocks the selector reads besides the features: each unit's embedding, and the
    embedding times the article's mean embedding."""
    emb = np.asarray(emb, dtype=np.float32)
    centroid = emb.mean(axis=0, keepdims=True) if len(emb) else emb
    return emb, (emb * centroid).astype(np.float32)


@dataclass(frozen=True)
class ContentSelector:
    """score = standardised features @ w_feats + embedding @ w_emb + (embedding * centroid) @ w_ctx
    + bias, one score per unit; higher is more summary-worthy within the article."""

    mean: FloatArray
    std: FloatArray
    w_feats: FloatArray
    w_emb: FloatArray
    w_ctx: FloatArray
    bias: float
    selection: SelectionParams
    #: The encoder settings its embeddings came from (layers, max_tokens, pool).
    encoder: Mapping[str, int] | None = None

    def score(self, feats: FloatArray, emb: FloatArray) -> FloatArray:
        """One score per unit (row of ``feats`` / ``emb``)."""
        if len(feats) == 0:
            return np.zeros(0, dtype=np.float32)
        e, ctx = selector_inputs(feats, emb)
        out = ((feats - self.mean) / self.std) @ self.w_feats + e @ self.w_emb + ctx @ self.w_ctx + self.bias
        return np.asarray(out, dtype=np.float32)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ContentSelector:
        """Build from the JSON layout the training script writes; ModelLoadError if it does not fit."""
        try:
            if tuple(data["features"]) != FEATURE_NAMES:
                raise ModelLoadError("content selector was trained on other features than this code computes")
            arrays = {
                k: np.asarray(data[k], dtype=np.float32) for k in ("mean", "std", "w_feats", "w_emb", "w_ctx")
            }
            bias = float(data["bias"])
            sel = SelectionParams(**data.get("selection", {}))
            encoder = {str(k): int(v) for k, v in data["encoder"].items()} if "encoder" in data else None
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelLoadError(f"content selector weights are malformed: {exc}") from exc
        width = len(FEATURE_NAMES)
        if any(arrays[k].shape != (width,) for k in ("mean", "std", "w_feats")):
            raise ModelLoadError("content selector weights have the wrong shape")
        if arrays["w_emb"].ndim != 1 or arrays["w_emb"].shape != arrays["w_ctx"].shape:
            raise ModelLoadError("content selector embedding weights have the wrong shape")
        return cls(bias=bias, selection=sel, encoder=encoder, **arrays)

    def to_dict(self) -> dict[str, Any]:
        """The JSON layout :meth:`from_dict` reads."""
        out: dict[str, Any] = {
            "features": list(FEATURE_NAMES),
            **{k: getattr(self, k).round(6).tolist() for k in ("mean", "std", "w_feats", "w_emb", "w_ctx")},
            "bias": round(self.bias, 6),
            "selection": dataclasses.asdict(self.selection),
        }
        if self.encoder is not None:
            out["encoder"] = dict(self.encoder)
        return out


def unit_trigrams(texts: Sequence[str]) -> list[frozenset[tuple[str, str, str]]]:
    """:func:`trigrams` of every unit."""
    return [trigrams(t) for t in texts]

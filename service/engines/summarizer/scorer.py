"""The learned sentence scorer: a tiny multilayer perceptron over :mod:`.features`, run in numpy.

Its weights are a small JSON file in ``models/weights`` (pinned by sha256 in the registry), written
by ``bench/train_sentence_scorer.py``. It is trained listwise: within an article, the softmax of
its scores should match the sentences that a greedy ROUGE oracle over all of the article's
reference summaries picks, so scores rank sentences within an article (selection only compares
them there).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from models.types import ModelLoadError
from service.engines.summarizer.features import FEATURE_NAMES, SENTENCE_COLUMNS
from service.engines.summarizer.selection import SelectionParams

FloatArray = npt.NDArray[np.float32]

#: Columns of the document-level features the length model reads. Only the share of sentences
#: glued without a space: with article size or sentence length as inputs, the model also sent
#: ordinary short stories to the short regime, which skips their lead; gluing is the page style
#: (BBC-style scrapes) whose references are one-line summaries.
DOC_FEATURES: tuple[int, ...] = (FEATURE_NAMES.index("doc_glued"),)
#: Articles whose predicted reference length is at most this many words get the short regime.
SHORT_SUMMARY_WORDS = 35.0


def predicted_words(features: FloatArray, w: FloatArray, b: float) -> float:
    """Predicted length in words of a good summary of the article whose sentence features these
    are (a log-linear model over document-level features)."""
    if len(features) == 0:
        return float(np.exp(b))
    return float(np.exp(features[0, list(DOC_FEATURES)] @ w + b))


@dataclass(frozen=True)
class SentenceScorer:
    """Standardise features, then dense layers with tanh between them; one output per sentence."""

    mean: FloatArray
    std: FloatArray
    layers: tuple[tuple[FloatArray, FloatArray], ...]
    selection: SelectionParams
    #: Log-linear summary-length model; articles predicted to want at most SHORT_SUMMARY_WORDS
    #: words are summarised with ``short_selection`` instead of ``selection``.
    length_w: FloatArray | None = None
    length_b: float = 0.0
    short_selection: SelectionParams | None = None
    #: The encoder settings whose embeddings the scorer was trained on (``layers``,
    #: ``max_tokens``, ``pool``), as the training script records them; None = not recorded.
    encoder: Mapping[str, int] | None = None

    def selection_for(self, features: FloatArray) -> SelectionParams:
        """The selection settings for an article, chosen by its predicted summary length."""
        if self.length_w is None or self.short_selection is None:
            return self.selection
        if predicted_words(features, self.length_w, self.length_b) <= SHORT_SUMMARY_WORDS:
            return self.short_selection
        return self.selection

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SentenceScorer:
        """Build from the JSON layout the training script writes; ModelLoadError if it does not fit."""
        try:
            if (why := SENTENCE_COLUMNS.mismatch(data["features"])) is not None:
                raise ModelLoadError(
                    f"sentence scorer was trained on other features than this code computes: {why}"
                )
            mean = np.asarray(data["mean"], dtype=np.float32)
            std = np.asarray(data["std"], dtype=np.float32)
            layers = tuple(
                (np.asarray(layer["w"], dtype=np.float32), np.asarray(layer["b"], dtype=np.float32))
                for layer in data["layers"]
            )
            sel = SelectionParams(**data.get("selection", {}))
            short = data.get("short_selection")
            length = data.get("length")
            short_sel = SelectionParams(**short) if short else None
            length_w = np.asarray(length["w"], dtype=np.float32) if length else None
            length_b = float(length["b"]) if length else 0.0
            encoder = {str(k): int(v) for k, v in data["encoder"].items()} if "encoder" in data else None
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelLoadError(f"sentence scorer weights are malformed: {exc}") from exc
        width = len(FEATURE_NAMES)
        if mean.shape != (width,) or std.shape != (width,) or not layers or layers[0][0].shape[0] != width:
            raise ModelLoadError("sentence scorer weights have the wrong shape")
        if length_w is not None and length_w.shape != (len(DOC_FEATURES),):
            raise ModelLoadError("sentence scorer length model has the wrong shape")
        return cls(
            mean=mean,
            std=std,
            layers=layers,
            selection=sel,
            length_w=length_w,
            length_b=length_b,
            short_selection=short_sel,
            encoder=encoder,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON layout :meth:`from_dict` reads."""
        out: dict[str, Any] = {
            "features": list(FEATURE_NAMES),
            "mean": self.mean.round(6).tolist(),
            "std": self.std.round(6).tolist(),
            "layers": [{"w": w.round(6).tolist(), "b": b.round(6).tolist()} for w, b in self.layers],
            "selection": dataclasses.asdict(self.selection),
        }
        if self.length_w is not None and self.short_selection is not None:
            out["length"] = {"w": self.length_w.round(6).tolist(), "b": round(self.length_b, 6)}
            out["short_selection"] = dataclasses.asdict(self.short_selection)
        if self.encoder is not None:
            out["encoder"] = dict(self.encoder)
        return out

    def score(self, features: FloatArray) -> FloatArray:
        """One score per row of ``features``."""
        h = (features - self.mean) / self.std
        for k, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if k < len(self.layers) - 1:
                h = np.tanh(h)
        return h[:, 0].astype(np.float32)

"""The small models shipped as JSON: one reader for their pinned files, and one logistic regression
over named (sparse) features.

The quote engine's span classifier and speaker ranker are this logistic regression; its confidence
table and the summariser's scorer and ranker read their own layouts, through the same loader
(:func:`models.registry.load_json_model`). Plain Python, immutable after loading, thread-safe.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self


def read_pinned_json(path: Path, sha256: str | None) -> dict[str, Any]:
    """A weights file, refused (ValueError) when its digest differs from the pinned one."""
    raw = path.read_bytes()
    if sha256 is not None and hashlib.sha256(raw).hexdigest() != sha256:
        raise ValueError(f"{path.name}: sha256 mismatch")
    doc: dict[str, Any] = json.loads(raw)
    return doc


class JsonModel:
    """A model built from one JSON document (``from_doc``), and read from a pinned file (``load``)."""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        """The model from its JSON document (KeyError when a field is missing)."""
        raise NotImplementedError

    @classmethod
    def load(cls, path: Path, sha256: str | None) -> Self:
        """Read a weights file, refusing one whose digest differs from the pinned one (ValueError)."""
        return cls.from_doc(read_pinned_json(path, sha256))


class LogReg(JsonModel):
    """P(yes | features) = sigmoid(bias + sum of weight * value), features by name.

    ``threshold``: the probability from which the answer is yes; ``thresholds``: per-case
    thresholds (keyed by the caller's case name) that replace it where given.
    """

    def __init__(
        self,
        weights: Mapping[str, float],
        bias: float,
        threshold: float,
        thresholds: Mapping[str, float] | None = None,
    ) -> None:
        self.weights = dict(weights)
        self.bias = bias
        self.threshold = threshold
        #: Per case: how sure the model must be (a value above 1 means never).
        self.thresholds = dict(thresholds or {})

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        """The model from ``{"weights": {...}, "bias": b, "threshold": t, "thresholds"?: {...}}``."""
        return cls(
            {str(k): float(v) for k, v in doc["weights"].items()},
            float(doc["bias"]),
            float(doc["threshold"]),
            {str(k): float(v) for k, v in doc.get("thresholds", {}).items()},
        )

    def prob(self, feats: Mapping[str, float]) -> float:
        """P(yes) for one feature dict (unknown features weigh nothing)."""
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def cut(self, case: str | None = None) -> float:
        """The threshold for ``case`` (the general one when the case has none)."""
        return self.thresholds.get(case, self.threshold) if case is not None else self.threshold

    def keep(self, feats: Mapping[str, float]) -> bool:
        """Whether the probability reaches the general threshold."""
        return self.prob(feats) >= self.threshold

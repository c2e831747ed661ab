"""The checker's learned heads: logistic regressions over the sentence features, with thresholds.

Two heads: one for one-sentence summaries (headline-like, XSum style: most add outside facts) and
one for summaries of several sentences (highlights, CNN/DM style); each has its own weights and
threshold, since what a supported sentence looks like differs between the two. Trained by
``bench/train_summary_checker.py`` (models/weights/summary_checker.json, pinned in
models.registry); thresholds and vetoes were chosen by cross-validation grouped by article.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from service.engines.verify.features import FEATURES


@dataclass(frozen=True)
class CheckerHead:
    """``score = sigmoid(coef . (x - mean) / scale + intercept)``; supported when score >= threshold
    and the sentence has no problem of a kind in ``veto``."""

    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float
    veto: frozenset[str]

    @classmethod
    def from_dict(
        cls, doc: dict[str, Any], veto: frozenset[str] | None = None, n_features: int = len(FEATURES)
    ) -> CheckerHead:
        """One head from its weights (``mean``, ``scale``, ``coef``, ``intercept``, ``threshold``)
        over ``n_features`` features."""
        head = cls(
            mean=[float(v) for v in doc["mean"]],
            scale=[float(v) for v in doc["scale"]],
            coef=[float(v) for v in doc["coef"]],
            intercept=float(doc["intercept"]),
            threshold=float(doc["threshold"]),
            veto=veto if veto is not None else frozenset(str(v) for v in doc.get("veto", [])),
        )
        if not len(head.mean) == len(head.scale) == len(head.coef) == n_features:
            raise ValueError("weights of the wrong length")
        return head

    def score(self, values: list[float]) -> float:
        """The probability that a sentence with these features is supported by the article."""
        z = self.intercept
        for x, m, s, c in zip(values, self.mean, self.scale, self.coef, strict=True):
            z += c * (x - m) / (s or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def summary_score(scores: list[float]) -> float:
    """A summary's score from its sentences': their geometric mean (one weak sentence pulls it
    down, as the minimum does, but the other sentences still rank summaries; grouped CV on FRANK
    preferred it to the minimum). Whether it is supported stays "every sentence is"."""
    if not scores:
        return 0.0
    return math.exp(sum(math.log(max(s, 1e-6)) for s in scores) / len(scores))


@dataclass(frozen=True)
class CheckerHeads:
    """The head for one-sentence summaries and the head for longer ones."""

    single: CheckerHead
    multi: CheckerHead

    @classmethod
    def from_dict(cls, doc: dict[str, Any], features: tuple[str, ...] = FEATURES) -> CheckerHeads:
        """Both heads from the weights file; its feature names must be ``features`` (what the
        code computes: FEATURES, then the likelihood features when that model is loaded), in order."""
        if list(doc["features"]) != list(features):
            raise ValueError(f"weights name features {doc['features']}, the code computes {list(features)}")
        heads, n = doc["heads"], len(features)
        return cls(
            CheckerHead.from_dict(heads["single"], n_features=n),
            CheckerHead.from_dict(heads["multi"], n_features=n),
        )

    def for_summary(self, sentences: int) -> CheckerHead:
        """The head for a summary of this many sentences."""
        return self.single if sentences <= 1 else self.multi

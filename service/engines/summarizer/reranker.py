"""The default summary, chosen whole: every admissible set of whole sentences from the top of the
article is a candidate summary, and a linear model over summary-level features picks one.

Scoring summaries rather than sentences lets one model weigh what a sentence scorer cannot: the
summary's length against what the article calls for, redundancy between its sentences, and how
much of the article's recurring vocabulary it covers. The model is trained listwise on the ROUGE
of every candidate against the references (``bench/train_summary_ranker.py``), and the number of
leading candidates, the sentence cap and the word cap of a candidate come with its weights.

A candidate is a subset of the first ``first`` candidate sentences, in document order, of at most
``max_sentences`` sentences and ``max_words`` words (a single sentence is always admissible), in
which a sentence that needs its antecedent (``needs_antecedent``) comes with the sentence before
it. With 6 leading sentences and 4 at most there are at most 56 candidates; each costs a few dozen
multiply-adds over the article's sentence features.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from service.engines.summarizer.features import FEATURE_NAMES, content_words
from service.errors import ModelLoadError

FloatArray = npt.NDArray[np.float32]
Subset = tuple[int, ...]

#: Summary-level features, after the sum of the chosen sentences' features (``sum:<name>``; the
#: sum of a document-level feature is that feature times the number of sentences, so length can
#: depend on the kind of article).
SUMMARY_FEATURES: tuple[str, ...] = (
    "sim_centroid",
    "redundancy",
    "coverage",
    "words_log",
    "words_log_sq",
    "words_log_glued",
    "one",
    "two",
    "three",
    "four",
    "count_glued",
    "last_log",
    "skipped",
    "has_first",
    "has_second",
    "has_third",
)
ALL_FEATURES: tuple[str, ...] = tuple(f"sum:{n}" for n in FEATURE_NAMES) + SUMMARY_FEATURES
_GLUED = FEATURE_NAMES.index("doc_glued")


def subsets(
    words: Sequence[int], dependent: Sequence[bool], *, first: int, max_sentences: int, max_words: int
) -> list[Subset]:
    """The candidate summaries (see the module docstring), shortest first."""
    n = min(first, len(words))
    out: list[Subset] = []
    for k in range(1, max_sentences + 1):
        for c in itertools.combinations(range(n), k):
            if any(dependent[i] and i > 0 and i - 1 not in c for i in c):
                continue
            if k > 1 and sum(words[i] for i in c) > max_words:
                continue
            out.append(c)
    if not out and n:
        out.append((0,))
    return out


def _coverage_weights(texts: Sequence[str]) -> tuple[list[set[str]], dict[str, float]]:
    """Each sentence's content words, and each word's share of the article's recurring-word mass
    (a word in d sentences weighs d - 1: words that occur once carry no weight)."""
    words = [content_words(t) for t in texts]
    df = Counter(w for ws in words for w in ws)
    mass = sum(v - 1 for v in df.values()) or 1
    return words, {w: (v - 1) / mass for w, v in df.items()}


def summary_features(
    cands: Sequence[Subset],
    feats: FloatArray,
    emb: FloatArray,
    words: Sequence[int],
    texts: Sequence[str],
) -> FloatArray:
    """(len(cands), len(ALL_FEATURES)): the features of every candidate summary."""
    out = np.zeros((len(cands), len(ALL_FEATURES)), dtype=np.float32)
    centroid = emb.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    sent_words, weight = _coverage_weights(texts)
    glued = float(feats[0, _GLUED]) if len(feats) else 0.0
    width = len(FEATURE_NAMES)
    for row, c in enumerate(cands):
        idx = list(c)
        e = emb[idx]
        mean = e.mean(axis=0)
        mean /= max(float(np.linalg.norm(mean)), 1e-9)
        sims = e @ e.T
        redundancy = float(np.max(sims[np.triu_indices(len(idx), 1)])) if len(idx) > 1 else 0.0
        covered: set[str] = set().union(*(sent_words[i] for i in idx))
        w = math.log(max(1, sum(words[i] for i in idx)))
        k = len(idx)
        out[row, :width] = feats[idx].sum(axis=0)
        out[row, width:] = (
            float(mean @ centroid),
            redundancy,
            sum(weight[t] for t in covered),
            w,
            w * w,
            w * glued,
            float(k == 1),
            float(k == 2),
            float(k == 3),
            float(k == 4),
            k * glued,
            math.log1p(idx[-1]),
            idx[-1] + 1 - k,
            float(0 in c),
            float(1 in c),
            float(2 in c),
        )
    return out


@dataclass(frozen=True)
class SummaryRanker:
    """A linear score over standardised summary features; the best-scoring candidate is the summary."""

    mean: FloatArray
    std: FloatArray
    weights: FloatArray
    bias: float
    first: int = 6
    max_sentences: int = 4
    max_words: int = 140

    def choose(
        self,
        feats: FloatArray,
        emb: FloatArray,
        words: Sequence[int],
        dependent: Sequence[bool],
        texts: Sequence[str],
    ) -> Subset:
        """The chosen sentences (indices in document order); () for an article without sentences."""
        cands = subsets(
            words, dependent, first=self.first, max_sentences=self.max_sentences, max_words=self.max_words
        )
        if not cands:
            return ()
        scores = self.score(summary_features(cands, feats, emb, words, texts))
        return cands[int(np.argmax(scores))]

    def score(self, x: FloatArray) -> FloatArray:
        """One score per candidate row."""
        out: FloatArray = (((x - self.mean) / self.std) @ self.weights + self.bias).astype(np.float32)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON layout :meth:`from_dict` reads."""
        return {
            "features": list(ALL_FEATURES),
            "mean": self.mean.round(6).tolist(),
            "std": self.std.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(self.bias, 6),
            "candidates": {
                "first": self.first,
                "max_sentences": self.max_sentences,
                "max_words": self.max_words,
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SummaryRanker:
        """Build from the training script's JSON; ModelLoadError if it does not fit this code."""
        try:
            if tuple(data["features"]) != ALL_FEATURES:
                raise ModelLoadError("summary ranker was trained on other features than this code computes")
            arrays = [np.asarray(data[k], dtype=np.float32) for k in ("mean", "std", "weights")]
            cands = data["candidates"]
            sizes = (int(cands["first"]), int(cands["max_sentences"]), int(cands["max_words"]))
            bias = float(data["bias"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelLoadError(f"summary ranker weights are malformed: {exc}") from exc
        if any(a.shape != (len(ALL_FEATURES),) for a in arrays) or not np.all(arrays[1] > 0):
            raise ModelLoadError("summary ranker weights have the wrong shape")
        if not (1 <= sizes[1] <= 4 <= sizes[0] <= 12 and sizes[2] >= 10):
            raise ModelLoadError(f"summary ranker candidate settings are out of range: {sizes}")
        return cls(arrays[0], arrays[1], arrays[2], bias, *sizes)

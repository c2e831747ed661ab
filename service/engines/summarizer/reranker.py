"""The default summary, chosen whole: every admissible set of whole sentences from the top of the
article is a candidate summary, and a linear model over summary-level features picks one.

Scoring summaries rather than sentences lets one model weigh what a sentence scorer cannot: the
summary's length against what the article calls for, redundancy between its sentences, and how
much of the article's recurring vocabulary it covers. The model is trained listwise on the ROUGE
of every candidate against the references (``bench/train_summary_ranker.py``), and the number of
leading candidates, the sentence cap and the word cap of a candidate come with its weights.

A candidate is a subset of the first ``first`` candidate sentences, in document order, of at most
``max_sentences`` sentences and ``max_words`` words (a single sentence is always admissible), in
which a unit that joins n sentences (a quotation of several) counts n against ``max_sentences``, and in
which a sentence that needs its antecedent (``needs_antecedent``) comes with the sentence before
it. With 6 leading sentences and 4 at most there are at most 56 candidates; each costs a few dozen
multiply-adds over the article's sentence features.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from models.types import ModelLoadError
from service.engines.summarizer.features import FEATURE_NAMES, Columns

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
SUMMARY_COLUMNS = Columns(SUMMARY_FEATURES)
ALL_COLUMNS = Columns(ALL_FEATURES)
_GLUED = FEATURE_NAMES.index("doc_glued")


@functools.lru_cache(maxsize=64)
def _grid(n: int, max_sentences: int) -> tuple[tuple[Subset, ...], npt.NDArray[np.bool_]]:
    """Every subset of range(n) of 1 to ``max_sentences`` elements, in order, shortest first, and
    its membership matrix (read-only)."""
    combos = tuple(c for k in range(1, max_sentences + 1) for c in itertools.combinations(range(n), k))
    members = np.zeros((len(combos), n), dtype=np.bool_)
    for row, c in enumerate(combos):
        members[row, list(c)] = True
    members.flags.writeable = False
    return combos, members


def _admissible(
    words: Sequence[int],
    dependent: Sequence[bool],
    *,
    first: int,
    max_sentences: int,
    max_words: int,
    sizes: Sequence[int] | None = None,
) -> tuple[list[Subset], npt.NDArray[np.bool_]]:
    """The candidate summaries and their membership matrix. ``sizes``: how many sentences each
    unit joins (a quotation of several sentences), counted against ``max_sentences``; a single
    unit over the cap stays admissible only when no candidate would be left without it."""
    n = min(first, len(words))
    if n == 0:
        return [], np.zeros((0, 0), dtype=np.bool_)
    combos, members = _grid(n, max_sentences)
    single = members.sum(axis=1) == 1
    ok = single | (members @ np.asarray(words[:n]) <= max_words)
    for i in range(1, n):
        if dependent[i]:
            ok &= members[:, i - 1] | ~members[:, i]
    if sizes is not None:
        counted = members @ np.asarray(sizes[:n]) <= max_sentences
        ok &= counted | (single & ~(ok & counted).any())
    keep = np.flatnonzero(ok)
    return [combos[i] for i in keep], members[keep]


def subsets(
    words: Sequence[int],
    dependent: Sequence[bool],
    *,
    first: int,
    max_sentences: int,
    max_words: int,
    sizes: Sequence[int] | None = None,
) -> list[Subset]:
    """The candidate summaries (see the module docstring), shortest first; every single sentence
    that needs no antecedent is one, so an article with sentences has at least ``(0,)``."""
    return _admissible(
        words, dependent, first=first, max_sentences=max_sentences, max_words=max_words, sizes=sizes
    )[0]


def _coverage(words: Sequence[set[str]], members: npt.NDArray[np.bool_]) -> FloatArray:
    """Per candidate, its share of the article's recurring-word mass: the content words of every
    candidate sentence of the article (``words``), a word in d sentences weighing d - 1 (words
    that occur once weigh nothing); ``members`` covers the leading sentences only."""
    df = Counter(w for ws in words for w in ws)
    vocab = sorted(w for w, v in df.items() if v > 1)
    if not vocab:
        return np.zeros(len(members), dtype=np.float32)
    column = {w: j for j, w in enumerate(vocab)}
    has = np.zeros((members.shape[1], len(vocab)), dtype=np.float32)
    for i, ws in enumerate(words[: members.shape[1]]):
        for w in ws & column.keys():
            has[i, column[w]] = 1.0
    weight = np.array([df[w] - 1 for w in vocab], dtype=np.float32)
    covered = (members.astype(np.float32) @ has) > 0
    out: FloatArray = (covered @ weight / weight.sum()).astype(np.float32)
    return out


def summary_features(
    cands: Sequence[Subset],
    feats: FloatArray,
    emb: FloatArray,
    words: Sequence[int],
    content: Sequence[set[str]],
) -> FloatArray:
    """(len(cands), len(ALL_FEATURES)): the features of every candidate summary; ``content``
    holds each sentence's :func:`~.features.content_words`."""
    if not cands:
        return np.zeros((0, len(ALL_FEATURES)), dtype=np.float32)
    members = np.zeros((len(cands), max(max(c) for c in cands) + 1), dtype=np.bool_)
    for row, c in enumerate(cands):
        members[row, list(c)] = True
    return _features(members, feats, emb, words, content)


def _features(
    members: npt.NDArray[np.bool_],
    feats: FloatArray,
    emb: FloatArray,
    words: Sequence[int],
    content: Sequence[set[str]],
) -> FloatArray:
    """The features of the candidates whose membership matrix this is, all at once."""
    n = members.shape[1]
    out = np.zeros((len(members), len(ALL_FEATURES)), dtype=np.float32)
    m = members.astype(np.float32)
    k = m.sum(axis=1)
    centroid = emb.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    # Through the n x n Gram matrix of the leading sentences: the candidates' mean embeddings are
    # never formed, so no product here is large enough for NumPy's BLAS to wake its threads.
    gram = emb[:n] @ emb[:n].T
    norms = np.sqrt(np.maximum(((m @ gram) * m).sum(axis=1), 0.0))
    to_centroid = (m @ (emb[:n] @ centroid)) / np.maximum(norms, 1e-9)
    a, b = np.triu_indices(n, 1)
    sims = gram[a, b]
    pairs = members[:, a] & members[:, b]
    redundancy = np.where(pairs.any(axis=1), np.where(pairs, sims, -np.inf).max(axis=1, initial=-np.inf), 0.0)
    w = np.log(np.maximum(1.0, m @ np.asarray(words[:n], dtype=np.float32)))
    glued = float(feats[0, _GLUED])
    last = (members * np.arange(n)).max(axis=1).astype(np.float32)
    width = len(FEATURE_NAMES)
    out[:, :width] = m @ feats[:n]
    summary = {
        "sim_centroid": to_centroid,
        "redundancy": redundancy,
        "coverage": _coverage(content, members),
        "words_log": w,
        "words_log_sq": w * w,
        "words_log_glued": w * glued,
        "one": k == 1,
        "two": k == 2,
        "three": k == 3,
        "four": k == 4,
        "count_glued": k * glued,
        "last_log": np.log1p(last),
        "skipped": last + 1 - k,
        "has_first": members[:, 0],
        "has_second": members[:, 1] if n > 1 else np.zeros(len(members)),
        "has_third": members[:, 2] if n > 2 else np.zeros(len(members)),
    }
    columns = SUMMARY_COLUMNS.row(summary)
    out[:, width:] = np.stack([np.asarray(col, dtype=np.float32) for col in columns], axis=1)
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
    #: The encoder settings whose embeddings it was trained on (``layers``, ``max_tokens``,
    #: ``pool``; ``trained.encoder`` in the JSON); None = not recorded.
    encoder: Mapping[str, int] | None = None

    def choose(
        self,
        feats: FloatArray,
        emb: FloatArray,
        words: Sequence[int],
        dependent: Sequence[bool],
        content: Sequence[set[str]],
        *,
        sizes: Sequence[int] | None = None,
    ) -> Subset:
        """The chosen sentences (indices in document order); () for an article without sentences.
        ``sizes``: each unit's sentence count, so the cap counts sentences, not units."""
        cands, members = _admissible(
            words,
            dependent,
            first=self.first,
            max_sentences=self.max_sentences,
            max_words=self.max_words,
            sizes=sizes,
        )
        if not cands:
            return ()
        scores = self.score(_features(members, feats, emb, words, content))
        return cands[int(np.argmax(scores))]

    def score(self, x: FloatArray) -> FloatArray:
        """One score per candidate row."""
        out: FloatArray = (((x - self.mean) / self.std) @ self.weights + self.bias).astype(np.float32)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON layout :meth:`from_dict` reads."""
        out: dict[str, Any] = {
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
        if self.encoder is not None:
            out["trained"] = {"encoder": dict(self.encoder)}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SummaryRanker:
        """Build from the training script's JSON; ModelLoadError if it does not fit this code."""
        try:
            if (why := ALL_COLUMNS.mismatch(data["features"])) is not None:
                raise ModelLoadError(
                    f"summary ranker was trained on other features than this code computes: {why}"
                )
            arrays = [np.asarray(data[k], dtype=np.float32) for k in ("mean", "std", "weights")]
            cands = data["candidates"]
            sizes = (int(cands["first"]), int(cands["max_sentences"]), int(cands["max_words"]))
            bias = float(data["bias"])
            recorded = (data.get("trained") or {}).get("encoder")
            encoder = {str(k): int(v) for k, v in recorded.items()} if recorded else None
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelLoadError(f"summary ranker weights are malformed: {exc}") from exc
        if any(a.shape != (len(ALL_FEATURES),) for a in arrays) or not np.all(arrays[1] > 0):
            raise ModelLoadError("summary ranker weights have the wrong shape")
        if not (1 <= sizes[1] <= 4 <= sizes[0] <= 12 and sizes[2] >= 10):
            raise ModelLoadError(f"summary ranker candidate settings are out of range: {sizes}")
        return cls(arrays[0], arrays[1], arrays[2], bias, *sizes, encoder=encoder)

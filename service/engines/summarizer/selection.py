"""Choosing summary sentences from scored candidates: whole sentences of the article, a length
target, a sentence cap, antecedents for sentences that need one, and (only when the caller asks)
a verbatim prefix of one sentence to fill an explicit word limit.

What the options mean (``select``):
- neither ``max_sentences`` nor ``max_words``: the default length. Sentences are added best first
  until ``params.budget_words`` is reached, never past ``budget_words + slack_words``, at most
  ``params.max_sentences`` of them (the parameters come from the article's length regime, see
  :mod:`.scorer`).
- ``max_sentences`` only: that many sentences of the article, as whole units (fewer only if the
  article has fewer, or when only units too large for the rest remain). A unit that joins n
  sentences of the splitter (a quotation of several sentences, ``sizes``) costs n against every
  sentence cap; it is taken whole or left out, never cut.
- ``max_words`` (with or without ``max_sentences``): as many whole sentences as fit, best first;
  the total never exceeds it. With ``trim``, the best sentence that does not fit may be cut to a
  verbatim prefix at a clause boundary to fill the rest; the summary marks that.
A sentence that opens with a pronoun or connective ("He also ...", "But ...") is chosen only when
the sentence before it is already chosen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from service.engines.summarizer.lexicon import DANGLING

FloatArray = npt.NDArray[np.float32]

#: Only the best-scoring candidates are considered, so selection stays linear in the article's
#: length (the loop is O(pool * sentences chosen)).
CANDIDATE_POOL = 40


@dataclass(frozen=True)
class SelectionParams:
    """The default length and the selection settings, chosen by cross-validation.

    ``position_weight`` adds a prior for early sentences: ``-position_weight * log(1 + index)``.
    Candidates more similar than ``max_redundancy`` (cosine) to a chosen sentence are skipped.
    ``min_fill``: a trimmed prefix (``trim``) is only made when at least this many words remain.
    """

    budget_words: int = 60
    slack_words: int = 15
    max_sentences: int = 3
    position_weight: float = 0.0
    max_redundancy: float = 0.9
    min_fill: int = 8


@dataclass(frozen=True)
class Pick:
    """A chosen sentence; ``words`` is None for the whole sentence, else the words kept."""

    index: int
    words: int | None = None


@dataclass(frozen=True)
class Limits:
    """The caller's length options."""

    max_sentences: int | None = None
    max_words: int | None = None
    trim: bool = False


def _bounds(limits: Limits, params: SelectionParams) -> tuple[int, float, float]:
    """(sentence cap, target words, hard word limit)."""
    if limits.max_words is not None:
        cap = limits.max_sentences or params.max_sentences
        return cap, limits.max_words, limits.max_words
    if limits.max_sentences is not None:
        return limits.max_sentences, np.inf, np.inf
    return params.max_sentences, params.budget_words, params.budget_words + params.slack_words


def select(
    scores: FloatArray,
    words: list[int],
    emb: FloatArray,
    dependent: list[bool],
    *,
    limits: Limits,
    params: SelectionParams,
    blocking: Sequence[frozenset[tuple[str, str, str]]] | None = None,
    sizes: Sequence[int] | None = None,
) -> list[Pick]:
    """The chosen sentences in document order (see the module docstring for the options).
    ``blocking``: each sentence's word trigrams; a sentence sharing one with a chosen sentence is
    skipped while another fits (trigram blocking; like redundancy, lifted for an exact count).
    ``sizes``: how many sentences each unit joins (default 1 each), counted against the cap."""
    n = len(words)
    if n == 0:
        return []
    size = list(sizes) if sizes is not None else [1] * n
    cap, target, hard = _bounds(limits, params)
    if params.position_weight:
        prior = np.log1p(np.arange(n, dtype=np.float32)).astype(np.float32)
        scores = (scores - np.float32(params.position_weight) * prior).astype(np.float32)
    order = np.argsort(-scores, kind="stable")
    pool = [int(i) for i in order[: max(CANDIDATE_POOL, cap + 1)]]
    taken: list[int] = []
    total = used = 0
    while used < cap and total < target:
        pick = -1
        # An explicit max_sentences is a count: near-duplicates are allowed before falling short.
        for max_redundancy in (params.max_redundancy, np.inf if limits.max_sentences else None):
            if max_redundancy is None or pick >= 0:
                break
            pick = _best(
                pool,
                taken,
                words=words,
                emb=emb,
                dependent=dependent,
                room=(hard - total, cap - used),
                size=size,
                max_redundancy=float(max_redundancy),
                blocking=blocking if np.isfinite(max_redundancy) else None,
            )
        if pick < 0:
            break
        taken.append(pick)
        total += words[pick]
        used += size[pick]
    chosen = [Pick(i) for i in taken]
    remaining = int(hard - total) if limits.max_words is not None else 0
    if limits.trim and used < cap and remaining >= min(params.min_fill, hard):
        fits = [i for i in pool if size[i] <= cap - used]
        chosen += _trimmed(fits, taken, dependent, remaining)
    return sorted(chosen, key=lambda p: p.index)


def _trimmed(fits: list[int], taken: list[int], dependent: list[bool], words: int) -> list[Pick]:
    """The best unit of ``fits`` (best first) after every chosen one (a shortened sentence has no
    final punctuation, so it must come last in document order), cut to ``words``; none if none fits."""
    after = max(taken, default=-1)
    rest = [i for i in fits if i > after and not (dependent[i] and i - 1 not in taken and i)]
    return [Pick(rest[0], words)] if rest else []


def _best(
    pool: list[int],
    taken: list[int],
    *,
    words: list[int],
    emb: FloatArray,
    dependent: list[bool],
    room: tuple[float, int],
    size: Sequence[int],
    max_redundancy: float,
    blocking: Sequence[frozenset[tuple[str, str, str]]] | None = None,
) -> int:
    """The best-scoring candidate in ``pool`` (sorted best first) that may be added, else -1.
    ``room``: (words, sentences) still free."""
    for i in pool:
        if i in taken or words[i] > room[0] or size[i] > room[1]:
            continue
        if dependent[i] and i > 0 and i - 1 not in taken:
            continue
        if taken and float(np.max(emb[taken] @ emb[i])) > max_redundancy:
            continue
        if blocking is not None and any(blocking[i] & blocking[j] for j in taken):
            continue
        return i
    return -1


_ABBR_TAIL = re.compile(r"\s*\b(?:[A-Z][a-z]{0,3}|[A-Za-z](?:\.[A-Za-z])+)\.$")
_CLAUSE_END = re.compile(r"[,;:–—-]\s")


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
            if len(last) == 2 and last[1].lower().strip("\"'“”‘’(") in DANGLING:
                kept = last[0].rstrip(" ,;:–—-")
                continue
            break
        kept = kept[: m.start()].rstrip(" ,;:–—-")
    return len(kept)

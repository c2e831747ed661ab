"""The checker's likelihood features: how much the article raises a small language model's
probability of each word of a summary sentence (pointwise mutual information with the article, the
conditional-likelihood family of factuality metrics, as BARTScore).

From :class:`models.causal_lm.LikelihoodScorer`'s per-token values (``cond``: log P after the article,
``uncond``: without it; ``pmi = cond - uncond``), per summary sentence: :data:`LM_FEATURES`. Words
are tokens joined until a space (a word's value is the sum of its tokens'); a token belongs to the
sentence its last character is in. A made-up name or number gets a low probability that the article
does not raise: a low PMI on that word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from service.engines.verify.lexical import STOP_WORDS, stem

#: Per sentence, in this order (appended to the checker's features when the model is configured).
LM_FEATURES = (
    "lm_pmi_mean",  # mean PMI per token
    "lm_pmi_min_content",  # min PMI over content words (not stop words, not punctuation)
    "lm_pmi_min_name",  # min PMI over names (the article's, or capitalised) and numbers
    "lm_pmi_low",  # share of content words with PMI < 0
    "lm_cond_mean",  # mean conditional log-prob per token
    "lm_cond_min_content",  # min conditional log-prob over content words
)
#: Those where a larger value is worse support (a summary takes each feature's worst sentence).
LM_WORSE = frozenset({"lm_pmi_low"})
_WORD = re.compile(r"[A-Za-z0-9]")
_STRIP = ".,;:'\"`()"


class TokenValues(Protocol):
    """One summary token's span and log-probabilities (models.causal_lm.TokenScore)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def cond(self) -> float: ...
    @property
    def uncond(self) -> float: ...


def words_of(
    summary: str, toks: Sequence[TokenValues], start: int, end: int
) -> list[tuple[str, float, float]]:
    """The words of the sentence at ``summary[start:end]``, each with its summed cond and PMI."""
    out: list[list[Any]] = []
    for t in toks:
        if not start <= t.end - 1 < end:
            continue
        piece = summary[t.start : t.end]
        if not out or piece[:1].isspace() or summary[t.start - 1 : t.start].isspace() or t.start <= start:
            out.append([piece.strip(), t.cond, t.cond - t.uncond])
        else:
            out[-1][0] += piece
            out[-1][1] += t.cond
            out[-1][2] += t.cond - t.uncond
    return [(w, c, p) for w, c, p in out if _WORD.search(w)]


def sentence_values(
    summary: str, toks: Sequence[TokenValues], start: int, end: int, names: frozenset[str] = frozenset()
) -> list[float]:
    """LM_FEATURES of the sentence at ``summary[start:end]``; ``names``: the article's names' stems."""
    scored = [
        (t.cond, t.cond - t.uncond)
        for t in toks
        if start <= t.end - 1 < end and _WORD.search(summary[t.start : t.end])
    ]
    ws = words_of(summary, toks, start, end)
    if not scored or not ws:
        return [0.0] * len(LM_FEATURES)
    bare = [w.lower().strip(_STRIP) for w, _, _ in ws]
    contentful = [w for w, b in zip(ws, bare, strict=True) if b not in STOP_WORDS] or ws
    named = [
        w
        for i, (w, b) in enumerate(zip(ws, bare, strict=True))
        if stem(b) in names or any(ch.isdigit() for ch in b) or (i > 0 and w[0][:1].isupper())
    ] or contentful
    return [
        sum(p for _, p in scored) / len(scored),
        min(p for _, _, p in contentful),
        min(p for _, _, p in named),
        sum(p < 0 for _, _, p in contentful) / len(contentful),
        sum(c for c, _ in scored) / len(scored),
        min(c for _, c, _ in contentful),
    ]

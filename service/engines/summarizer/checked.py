"""Generated summaries behind the check: which generated sentences the article supports, and whether
enough of them are left to answer with.

:func:`limit_generated` cuts the generator's text to the caller's length (sentences, words);
:func:`apply_check` keeps the sentences the checker supports, each with its evidence (offsets into
the article), and says when too little is left. "Too little" is: no sentence left, or fewer than
``min_kept`` (a share, default one half) of the generated sentences: a generator that made up most
of its summary is not trusted for the rest, and the caller gets the extractive summary instead.
Pure functions over the checker's verdict; the service layer runs the generator and the checker.
The checker judges a one-sentence summary with another head than a longer one, so when sentences
are dropped the service checks what is left once more (:func:`recheck_needed`): the answered summary
is then one the checker supports as a whole.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from service.engines.text import split_sentences
from service.schemas import EvidenceSpan, RefusedSentence, Summary, SummaryOptions, SummarySentence


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class _Problem(Protocol):
    @property
    def kind(self) -> str: ...


class SentenceVerdict(Protocol):
    """One checked sentence, as the summary checker returns it."""

    @property
    def text(self) -> str: ...
    @property
    def supported(self) -> bool: ...
    @property
    def score(self) -> float: ...
    @property
    def evidence(self) -> Sequence[_Span]: ...
    @property
    def problems(self) -> Sequence[_Problem]: ...


class VerdictLike(Protocol):
    """The checker's verdict on a whole summary: one entry per summary sentence."""

    @property
    def sentences(self) -> Sequence[SentenceVerdict]: ...


class Checker(Protocol):
    """What the check needs of the summary checker (``service.engines.verify.SummaryChecker``)."""

    def verify(self, article: str, summary: str) -> VerdictLike:
        """Each sentence of ``summary`` judged against ``article``; CPU-bound, thread-safe."""
        ...


def recheck_needed(verdict: VerdictLike) -> bool:
    """Whether some but not all sentences passed: what is left is checked again, as a summary."""
    passed = sum(s.supported for s in verdict.sentences)
    return 0 < passed < len(verdict.sentences)


#: Sentences kept of the generated text when the caller gives no ``max_sentences``.
DEFAULT_SENTENCES = 3


def limit_generated(text: str, options: SummaryOptions) -> str:
    """``text`` cut to whole sentences: at most ``max_sentences`` (default 3), and as many as fit
    ``max_words`` (the first sentence alone is cut to it when even it does not fit)."""
    text = " ".join(text.split())
    cap = options.max_sentences or DEFAULT_SENTENCES
    kept: list[str] = []
    words = 0
    for s, e in split_sentences(text):
        sent = text[s:e]
        n = len(sent.split())
        if len(kept) >= cap:
            break
        if options.max_words is not None and words + n > options.max_words:
            if not kept:
                kept.append(" ".join(sent.split()[: options.max_words]))
            break
        kept.append(sent)
        words += n
    return " ".join(kept)


@dataclass(frozen=True)
class Checked:
    """The outcome of checking one generated summary."""

    summary: Summary | None
    """The summary of the supported sentences; None when too little is left (see ``reason``)."""
    kept: int
    refused: list[RefusedSentence]
    """The generated sentences the check refused, with what failed."""
    reason: str | None = None


def apply_check(
    verdict: VerdictLike,
    *,
    generator: str,
    model: str | None,
    min_kept: float,
    earlier: Sequence[SentenceVerdict] = (),
) -> Checked:
    """The supported sentences of a checked generated summary, or why there are too few.
    ``earlier``: sentences an earlier round of the check refused (``verdict`` then covers the rest)."""
    kept = [s for s in verdict.sentences if s.supported]
    refused = [
        RefusedSentence(text=s.text, score=round(s.score, 4), problems=sorted({p.kind for p in s.problems}))
        for s in [*earlier, *verdict.sentences]
        if not s.supported
    ]
    total = len(kept) + len(refused)
    need = max(1, math.ceil(min_kept * total))
    if not kept:
        why = (
            f"none of the {total} generated sentences is supported by the article"
            if total
            else "the generated summary holds no sentence"
        )
        return Checked(None, 0, refused, why)
    if len(kept) < need:
        why = (
            f"only {len(kept)} of the {total} generated sentences are supported by the article "
            f"(at least {need} must be)"
        )
        return Checked(None, len(kept), refused, why)
    summary = Summary(
        text=" ".join(s.text for s in kept),
        sentences=[
            SummarySentence(
                text=s.text,
                score=round(s.score, 4),
                evidence=[EvidenceSpan(start=e.start, end=e.end) for e in s.evidence],
            )
            for s in kept
        ],
        method="abstractive",
        model=model,
        generator=generator,
        refused=refused,
    )
    return Checked(summary, len(kept), refused)

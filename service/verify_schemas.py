"""Wire types of summary verification (``POST /v1/verify``), on the same strict base as the
rest of the contract (``service.schemas``)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from service.engines.verify.types import ProblemKind
from service.schemas import Base, DocId, EvidenceSpan, Text, Timings

__all__ = [
    "MAX_SUMMARY_CHARS",
    "EvidenceSpan",
    "SupportProblem",
    "VerifiedSentence",
    "VerifyRequest",
    "VerifyResponse",
]

#: Longest summary /v1/verify checks, in characters (a summary, not a second article).
MAX_SUMMARY_CHARS = 20_000


class VerifyRequest(Base):
    """An article and a summary of it (written anywhere) to check against it."""

    text: Text
    summary: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=MAX_SUMMARY_CHARS,
            description="The summary to check. Offsets of `sentences` and `problems` index into it.",
        ),
    ]
    id: DocId | None = None


class SupportProblem(Base):
    """Why a summary sentence is not supported: ``summary[start:end]`` is what failed."""

    kind: Annotated[
        ProblemKind,
        msgspec.Meta(
            description=(
                "person / organisation / place / name: a name the article does not have; number / "
                "date / amount: one it does not state; quotation: not verbatim in the article; "
                "quote_speaker: the article gives the quotation to someone else; claim: the "
                "sentence's content is not found in the article."
            )
        ),
    ]
    text: str
    start: int
    end: int
    message: str


class VerifiedSentence(Base):
    """One summary sentence: ``text == summary[start:end]``; ``evidence`` spans the article."""

    text: str
    start: int
    end: int
    supported: bool
    score: Annotated[float, msgspec.Meta(ge=0, le=1, description="0-1, higher = better supported.")]
    evidence: list[EvidenceSpan]
    problems: list[SupportProblem]


class VerifyResponse(Base):
    """Whether the article supports the summary: ``supported`` only if every sentence is; ``score``
    is the weakest sentence's. Support by this article, not truth."""

    supported: bool
    score: float
    sentences: list[VerifiedSentence]
    id: str | None = None
    reason: str | None = None
    timings: Timings | None = None

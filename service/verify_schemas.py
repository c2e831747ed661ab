"""Wire types of summary verification (``POST /v1/verify``), on the same strict base as the
rest of the contract (``service.schemas``)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from service.engines.verify.types import ProblemKind
from service.schemas import MAX_BATCH_DOCUMENTS, Base, DocId, EvidenceSpan, Language, Problem, Text, Timings

__all__ = [
    "MAX_SUMMARY_CHARS",
    "EvidenceSpan",
    "SupportProblem",
    "VerifiedSentence",
    "VerifyBatchItem",
    "VerifyBatchRequest",
    "VerifyBatchResponse",
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
                "quote_speaker: the article gives the quotation to someone else; relation: the "
                "article has these names or numbers in another relation (the sentence's evidence "
                "starts with the article sentence that shows it); changed: the sentence copies an "
                "article sentence with one claim changed (another name, number or word of the article "
                "in one slot, or a negation dropped or added; the message quotes the article's words "
                "and the evidence starts with that sentence); claim: the "
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
    is the geometric mean of the sentences' scores. Support by this article, not truth."""

    supported: bool
    score: float
    sentences: list[VerifiedSentence]
    id: str | None = None
    reason: str | None = None
    language: Language | None = None
    timings: Timings | None = None


class VerifyBatchRequest(Base):
    """Several summaries to check in one call, each with its article; answered in the same order.

    Each document is a :class:`VerifyRequest`, checked on its own: one that breaks the schema or
    the limits gets its problem in its slot. Only this envelope failing fails the request.
    """

    documents: Annotated[
        list[Any],
        msgspec.Meta(
            min_length=1,
            max_length=MAX_BATCH_DOCUMENTS,
            description=(
                f"Up to {MAX_BATCH_DOCUMENTS} documents, each a `VerifyRequest` "
                "(`text`, `summary`, optional `id`), each checked on its own."
            ),
        ),
    ]


class VerifyBatchItem(Base):
    """One document's outcome inside a verify batch: a result or a problem, never both."""

    index: int
    status: int
    id: str | None = None
    result: VerifyResponse | None = None
    error: Problem | None = None


class VerifyBatchResponse(Base):
    """The answer to /v1/verify/batch, in request order."""

    results: list[VerifyBatchItem]

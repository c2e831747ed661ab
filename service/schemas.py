"""Wire types: every request and response body is a msgspec Struct on one strict base.

Limits live on the types (``Annotated[..., Meta(...)]``) so that oversized or malformed input is
rejected while decoding, before any engine sees it. Offsets are Python ``str`` (code point) offsets
into the request's ``text``.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

#: Hard ceiling on article length in characters. The byte limit on the request body (a setting)
#: usually binds first; this one keeps a single document bounded inside a batch as well.
MAX_TEXT_CHARS = 500_000
MAX_BATCH_DOCUMENTS = 32


class Base(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """Strict base: unknown fields are rejected, default-valued fields are left out of the output."""


# --------------------------------------------------------------------------------------------------
# Requests

Text = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description="The article as plain text. Offsets in the answer index into this string.",
    ),
]
DocId = Annotated[
    str,
    msgspec.Meta(min_length=1, max_length=256, description="Caller's id, echoed back unchanged."),
]
Part = Literal["summary", "quotes"]


class SummaryOptions(Base):
    """Length controls for the summary. Both limits apply when both are given."""

    max_sentences: Annotated[int, msgspec.Meta(ge=1, le=20)] = 3
    max_words: Annotated[int, msgspec.Meta(ge=5, le=1000)] | None = None
    method: Literal["auto", "extractive", "abstractive"] = "auto"


class AnalyzeRequest(Base):
    """One article to analyse."""

    text: Text
    id: DocId | None = None
    summary: SummaryOptions | None = None
    include: Annotated[list[Part], msgspec.Meta(min_length=1, max_length=2)] | None = None


class SummarizeRequest(Base):
    """One article to summarise."""

    text: Text
    id: DocId | None = None
    summary: SummaryOptions | None = None


class QuotesRequest(Base):
    """One article whose direct quotes are wanted."""

    text: Text
    id: DocId | None = None


class BatchRequest(Base):
    """Several articles in one call; answered in the same order."""

    documents: Annotated[list[AnalyzeRequest], msgspec.Meta(min_length=1, max_length=MAX_BATCH_DOCUMENTS)]


# --------------------------------------------------------------------------------------------------
# Engine results (also wire types)


class SpeakerRef(Base):
    """Who said a quote: the mention the attribution names locally, and the resolved name."""

    name: str | None = None
    mention: str | None = None
    start: int | None = None
    end: int | None = None
    #: How often attributions like this one were right on the training data (0-1); below the
    #: engine's threshold ``name`` is null and only the mention is given.
    confidence: float | None = None


class Quote(Base):
    """A direct quote: ``text == article[start:end]``, quote marks excluded."""

    text: str
    start: int
    end: int
    speaker: SpeakerRef | None = None
    cue: str | None = None


class Speaker(Base):
    """One resolved speaker of the article and how often they are quoted."""

    name: str
    quote_count: int
    aliases: list[str] = []
    role: str | None = None
    kind: Literal["person", "organisation", "anonymous", "unknown"] = "unknown"


class QuotesResult(Base):
    """What the quote engine returns for one article."""

    quotes: list[Quote]
    speakers: list[Speaker]
    #: Index in ``quotes`` from which quotes were returned without attribution, because the text
    #: has more quotes than the engine attributes per text; None when every quote was considered.
    unattributed_from: int | None = None


class SummarySentence(Base):
    """A summary sentence; ``start``/``end`` point into the article when the summary is extractive."""

    text: str
    start: int | None = None
    end: int | None = None


class Summary(Base):
    """What the summary engine returns for one article."""

    text: str
    sentences: list[SummarySentence]
    method: Literal["extractive", "abstractive"] = "extractive"
    model: str | None = None


# --------------------------------------------------------------------------------------------------
# Responses


class Timings(Base):
    """Milliseconds spent, measured inside the service."""

    total_ms: float
    summary_ms: float | None = None
    quotes_ms: float | None = None


class AnalyzeResponse(Base):
    """The answer to /v1/analyze; parts not asked for are left out."""

    id: str | None = None
    summary: Summary | None = None
    quotes: list[Quote] | None = None
    speakers: list[Speaker] | None = None
    timings: Timings | None = None


class SummarizeResponse(Base):
    """The answer to /v1/summarize."""

    summary: Summary
    id: str | None = None
    timings: Timings | None = None


class QuotesResponse(Base):
    """The answer to /v1/quotes."""

    quotes: list[Quote]
    speakers: list[Speaker]
    id: str | None = None
    timings: Timings | None = None


class Problem(Base):
    """RFC 9457 problem details."""

    title: str
    status: int
    type: str = "about:blank"
    detail: str | None = None
    instance: str | None = None


class BatchItem(Base):
    """One document's outcome inside a batch: a result or a problem, never both."""

    index: int
    status: int
    id: str | None = None
    result: AnalyzeResponse | None = None
    error: Problem | None = None


class BatchResponse(Base):
    """The answer to /v1/analyze/batch, in request order."""

    results: list[BatchItem]


class ModelInfo(Base):
    """A loaded model, for /v1/models."""

    id: str
    task: str
    source: str
    revision: str | None = None
    sha256: str | None = None
    licence: str | None = None
    loaded: bool = False


class ModelsResponse(Base):
    """The answer to /v1/models."""

    models: list[ModelInfo]


class Health(Base):
    """Liveness / readiness answer."""

    status: Literal["ok", "starting", "draining", "failed"]
    detail: str | None = None

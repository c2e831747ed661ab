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
    """Length controls for the summary; every summary sentence is a whole article sentence.

    Neither limit: the default length (the model's choice for the article: about 60 words, at most
    3 sentences, for a news story; one sentence of about 25 words for a one-line-summary page).
    ``max_sentences`` alone: exactly that many sentences (fewer only if the article has fewer).
    ``max_words``: as many whole sentences as fit (at most ``max_sentences``, default 3); the
    summary never exceeds it. ``trim``: with ``max_words``, the last sentence may be cut to a
    verbatim prefix at a clause boundary to fill the limit; ``Summary.trimmed`` then says so.
    """

    max_sentences: Annotated[int, msgspec.Meta(ge=1, le=20)] | None = None
    max_words: Annotated[int, msgspec.Meta(ge=5, le=1000)] | None = None
    method: Literal["auto", "extractive", "abstractive"] = "auto"
    trim: bool = False


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
    trimmed: bool = False
    """True when the last sentence is a verbatim prefix of its article sentence (``trim``)."""
    reason: str | None = None
    """Why the summary is empty (no prose sentences, nothing fits ``max_words``); else None."""


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

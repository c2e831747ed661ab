"""Wire types: every request and response body is a msgspec Struct on one strict base.

Limits live on the types (``Annotated[..., Meta(...)]``) so that oversized or malformed input is
rejected while decoding, before any engine sees it. Offsets are Python ``str`` (code point) offsets
into the request's ``text``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

# Defined by the model layer (which must not import the service); a wire type here all the same.
from models.types import ModelInfo as ModelInfo  # noqa: PLC0414 - explicit re-export (mypy strict)

#: Hard ceiling on article length in characters. The byte limit on the request body (a setting)
#: usually binds first; this one keeps a single document bounded inside a batch as well.
MAX_TEXT_CHARS = 500_000
MAX_BATCH_DOCUMENTS = 32
#: Hard ceiling on a page sent as ``html``, in characters (the body's byte limit usually binds
#: first); the text extracted from it is held to the text limits.
MAX_HTML_CHARS = 5_000_000


class Base(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """Strict base: unknown fields are rejected, default-valued fields are left out of the output."""


# --------------------------------------------------------------------------------------------------
# Requests

Text = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description=(
            "The article as plain text. Offsets in the answer index into this string. "
            "Send exactly one of `text` and `html`."
        ),
    ),
]
Html = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=MAX_HTML_CHARS,
        description=(
            "The article as an HTML page, instead of `text`: its main text is extracted (navigation, "
            "scripts, styles and page furniture dropped; paragraphs, block quotes and pull quotes "
            "kept; entities decoded) and returned as `text`, which the answer's offsets index into. "
            f"At most {MAX_HTML_CHARS} characters; the extracted text is held to `text`'s limits."
        ),
    ),
]
DocId = Annotated[
    str,
    msgspec.Meta(min_length=1, max_length=256, description="Caller's id, echoed back unchanged."),
]
Part = Literal["summary", "quotes"]
OnUnsupported = Annotated[
    Literal["refuse", "empty"],
    msgspec.Meta(
        description=(
            "An article in a language the engines do not serve: `refuse` answers 422 "
            "`/problems/unsupported-language`; `empty` answers 200 with empty parts, "
            "`language` and the `reason`."
        )
    ),
]


TRIM_NEEDS_MAX_WORDS = "`trim` needs `max_words`: it cuts the last sentence to fill that word budget"


class SummaryOptions(Base):
    """Length controls for the summary; every summary sentence is a whole article sentence.

    Neither limit: the default length, chosen with the sentences by the summary ranker: 1 to 4
    whole sentences from the article's first 6 candidates, at most 140 words unless one sentence is
    longer (news stories mostly get 2 or 3 sentences, about 60 words; pages whose sentences are
    glued together, BBC style, 1 or 2, about 40 words).
    ``max_sentences`` alone: that many sentences of the article (fewer only if the article has
    fewer); a quotation of several sentences is one unit, taken whole or left out, that counts
    each of its sentences.
    ``max_words``: as many whole sentences as fit (at most ``max_sentences``, default 3); the
    summary never exceeds it. ``trim``: with ``max_words``, the last sentence may be cut to a
    verbatim prefix at a clause boundary to fill the limit; ``Summary.trimmed`` then says so.
    """

    max_sentences: Annotated[int, msgspec.Meta(ge=1, le=20)] | None = None
    max_words: Annotated[int, msgspec.Meta(ge=5, le=1000)] | None = None
    method: Literal["auto", "extractive", "abstractive"] = "auto"
    trim: bool = False

    def __post_init__(self) -> None:
        # One rule for every way in (HTTP, batch slots, the CLI's --trim): trimming fills a word
        # budget, so without one there is nothing to trim to.
        if self.trim and self.max_words is None:
            raise ValueError(TRIM_NEEDS_MAX_WORDS)


class AnalyzeRequest(Base):
    """One article to analyse: its ``text``, or its page as ``html`` (exactly one of them)."""

    text: Text = ""
    html: Html = ""
    id: DocId | None = None
    summary: SummaryOptions | None = None
    include: Annotated[list[Part], msgspec.Meta(min_length=1, max_length=2)] | None = None
    on_unsupported_language: OnUnsupported = "refuse"


class SummarizeRequest(Base):
    """One article to summarise: its ``text``, or its page as ``html`` (exactly one of them)."""

    text: Text = ""
    html: Html = ""
    id: DocId | None = None
    summary: SummaryOptions | None = None
    on_unsupported_language: OnUnsupported = "refuse"


class QuotesRequest(Base):
    """One article whose direct quotes are wanted: its ``text``, or its page as ``html``."""

    text: Text = ""
    html: Html = ""
    id: DocId | None = None
    on_unsupported_language: OnUnsupported = "refuse"


class BatchRequest(Base):
    """Several articles in one call; answered in the same order.

    Each document is an :class:`AnalyzeRequest`, checked on its own (``service.batch``): one that
    breaks the schema gets its problem in its slot. Only this envelope failing fails the request.
    """

    documents: Annotated[
        list[Any],
        msgspec.Meta(
            min_length=1,
            max_length=MAX_BATCH_DOCUMENTS,
            description="Up to 32 documents, each an `AnalyzeRequest`, each checked on its own.",
        ),
    ]


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


class EvidenceSpan(Base):
    """Article text that backs a summary sentence: ``article[start:end]``."""

    start: int
    end: int


class SummarySentence(Base):
    """A summary sentence; ``start``/``end`` point into the article when the summary is extractive.
    A generated (abstractive) sentence is no span of the article: ``evidence`` says where the
    article supports it, ``score`` how well (the summary checker's 0-1)."""

    text: str
    start: int | None = None
    end: int | None = None
    score: float | None = None
    evidence: list[EvidenceSpan] | None = None


class RefusedSentence(Base):
    """A generated sentence the check refused (left out of the summary), and what failed: the
    kinds of the checker's problems (person, number, quotation, claim, ...)."""

    text: str
    score: float
    problems: list[str] = []


class Summary(Base):
    """What the summary engine returns for one article."""

    text: str
    sentences: list[SummarySentence]
    method: Literal["extractive", "abstractive"] = "extractive"
    model: str | None = None
    trimmed: bool = False
    """True when the last sentence is a verbatim prefix of its article sentence (``trim``)."""
    reason: str | None = None
    """Why the summary is empty (no prose sentences, nothing fits ``max_words``), or why an
    abstractive summary was asked for and this is the extractive one (the generator failed, or too
    few of its sentences passed the check); else None."""
    generator: str | None = None
    """Who wrote an abstractive summary: ``openai-chat`` (an OpenAI-compatible endpoint, ``model``
    names its model) or ``seq2seq`` (the local model); None for an extractive summary."""
    refused: list[RefusedSentence] | None = None
    """Abstractive: the generated sentences the check refused and left out (also given when too
    few passed and this is the extractive summary)."""


# --------------------------------------------------------------------------------------------------
# Responses


class Language(Base):
    """The article's language as detected (ISO 639-1 code, ``und`` when the text is too short)."""

    code: str
    confidence: Annotated[float, msgspec.Meta(ge=0, le=1)]
    supported: bool


class Timings(Base):
    """Milliseconds spent, measured inside the service."""

    total_ms: float
    summary_ms: float | None = None
    quotes_ms: float | None = None


UnattributedFrom = Annotated[
    int,
    msgspec.Meta(
        ge=0,
        description=(
            "Present only when the text has more quotes than the engine attributes (the first 200): "
            "the index in `quotes` from which quotes come without a speaker."
        ),
    ),
]


class AnalyzeResponse(Base):
    """The answer to /v1/analyze; parts not asked for are left out."""

    id: str | None = None
    #: Only for ``html`` input: the extracted text (offsets point into it), title and date.
    text: str | None = None
    title: str | None = None
    date: str | None = None
    summary: Summary | None = None
    quotes: list[Quote] | None = None
    speakers: list[Speaker] | None = None
    unattributed_from: UnattributedFrom | None = None
    language: Language | None = None
    #: Why the parts are empty, when they were not computed (an unsupported language).
    reason: str | None = None
    timings: Timings | None = None


class SummarizeResponse(Base):
    """The answer to /v1/summarize."""

    summary: Summary
    id: str | None = None
    #: Only for ``html`` input: the extracted text (offsets point into it), title and date.
    text: str | None = None
    title: str | None = None
    date: str | None = None
    language: Language | None = None
    #: Why the parts are empty, when they were not computed (an unsupported language).
    reason: str | None = None
    timings: Timings | None = None


class QuotesResponse(Base):
    """The answer to /v1/quotes."""

    quotes: list[Quote]
    speakers: list[Speaker]
    unattributed_from: UnattributedFrom | None = None
    id: str | None = None
    #: Only for ``html`` input: the extracted text (offsets point into it), title and date.
    text: str | None = None
    title: str | None = None
    date: str | None = None
    language: Language | None = None
    #: Why the parts are empty, when they were not computed (an unsupported language).
    reason: str | None = None
    timings: Timings | None = None


class FieldError(Base):
    """One invalid field of a request: where (RFC 6901 JSON Pointer into the body) and why."""

    pointer: str
    detail: str


class Problem(Base):
    """RFC 9457 problem details; ``errors`` (an extension member) lists each invalid field."""

    title: str
    status: int
    type: Annotated[
        str,
        msgspec.Meta(
            description="`/problems/<slug>`, a page this service serves describing the type, "
            "or `about:blank`."
        ),
    ] = "about:blank"
    detail: str | None = None
    instance: str | None = None
    errors: (
        Annotated[
            list[FieldError],
            msgspec.Meta(description="Each invalid field of the request (RFC 9457 extension member)."),
        ]
        | None
    ) = None


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


class ModelsResponse(Base):
    """The answer to /v1/models."""

    models: list[ModelInfo]


class Health(Base):
    """Liveness / readiness answer."""

    status: Literal["ok", "starting", "draining", "failed"]
    detail: str | None = None

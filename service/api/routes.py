"""The public API: thin handlers that hand typed requests to the analysis service."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import JSONBody

from service.analysis import AnalysisService
from service.errors import BadRequest, NotReady, UnsupportedMediaType, status_title
from service.schemas import (
    AnalyzeRequest,
    AnalyzeResponse,
    BatchRequest,
    BatchResponse,
    Problem,
    QuotesRequest,
    QuotesResponse,
    SummarizeRequest,
    SummarizeResponse,
    VerifyRequest,
    VerifyResponse,
)
from service.verification import VerifyService


async def require_json(request: Request[object, object, State]) -> None:
    """Refuse bodies that are not JSON (415) or empty (400) before they are decoded."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"send the body as application/json (got {media_type or 'no content type'!r})"
        )
    # The body is read once and cached by Litestar; the size limit applies while reading it.
    if not (await request.body()).strip():
        raise BadRequest('the request body is empty; send a JSON object such as {"text": "..."}')


def _problem(status: int, description: str, slug: str, detail: str, **extra: Any) -> ResponseSpec:
    value = {"title": status_title(status), "status": status, "type": f"/problems/{slug}", "detail": detail}
    example = Example(id=slug, summary=slug, value={**value, "instance": "/v1/analyze", **extra})
    return ResponseSpec(
        Problem,
        description=description,
        media_type="application/problem+json",
        generate_examples=False,
        examples=[example],
    )


#: Every error a /v1 POST can answer, documented in the OpenAPI schema as problem details.
ERRORS: dict[int, ResponseSpec] = {
    400: _problem(
        400,
        "The body is not valid JSON, not valid UTF-8, empty, or nested too deeply.",
        "bad-request",
        "the body is not valid JSON: truncated",
    ),
    401: _problem(
        401,
        "A bearer token is configured and the request lacks a valid one.",
        "unauthorized",
        "a valid `Authorization: Bearer <token>` header is required",
    ),
    413: _problem(
        413,
        "The body is larger than the configured byte limit.",
        "payload-too-large",
        "the request body is larger than this service accepts",
    ),
    415: _problem(
        415,
        "The body is not declared as application/json.",
        "unsupported-media-type",
        "send the body as application/json (got 'text/plain')",
    ),
    422: _problem(
        422,
        "Valid JSON that breaks the schema (unknown field, wrong type, limits; each field is listed "
        "in `errors`), an option the configured models cannot honour, or an article in an "
        "unsupported language (type `/problems/unsupported-language`).",
        "invalid-input",
        "`/summary/max_sentences`: Expected `int` >= 1",
        errors=[{"pointer": "/summary/max_sentences", "detail": "Expected `int` >= 1"}],
    ),
    429: _problem(
        429,
        "The inference queue is full; retry after the Retry-After header's seconds.",
        "overloaded",
        "the inference queue is full (64 documents); retry later",
    ),
    500: _problem(
        500,
        "The service failed; the body names no internals.",
        "internal",
        "the service failed to handle this request; it has been logged",
    ),
    503: _problem(
        503,
        "Models are loading, failed to load, or the service is shutting down; see Retry-After.",
        "not-ready",
        "models are not loaded yet",
    ),
    504: _problem(
        504,
        "The request passed its deadline.",
        "deadline-exceeded",
        "the request took longer than the service's deadline; retry with a shorter text or later",
    ),
}


class AnalyzeController(Controller):
    """Summaries and quotes of news articles."""

    path = "/v1"
    tags = ["analysis"]  # noqa: RUF012 - Litestar reads class attributes
    before_request = require_json  # type: ignore[assignment]

    @post(
        "/analyze",
        status_code=200,
        responses=ERRORS,
        operation_id="analyze",
        summary="Summary and direct quotes of one article",
    )
    async def analyze(
        self, data: JSONBody[AnalyzeRequest], svc: NamedDependency[AnalysisService]
    ) -> AnalyzeResponse:
        """Summary, quotes and speakers of one article; `include` limits the parts computed."""
        return await svc.analyze(data)

    @post(
        "/analyze/batch",
        status_code=200,
        responses=ERRORS,
        operation_id="analyzeBatch",
        summary="Several articles in one call",
    )
    async def analyze_batch(
        self, data: JSONBody[BatchRequest], svc: NamedDependency[AnalysisService]
    ) -> BatchResponse:
        """Results in request order; each document succeeds or fails on its own."""
        return await svc.analyze_batch(data)

    @post(
        "/summarize",
        status_code=200,
        responses=ERRORS,
        operation_id="summarize",
        summary="Summary of one article",
    )
    async def summarize(
        self, data: JSONBody[SummarizeRequest], svc: NamedDependency[AnalysisService]
    ) -> SummarizeResponse:
        """The summary half of /v1/analyze."""
        req = AnalyzeRequest(
            text=data.text,
            id=data.id,
            summary=data.summary,
            include=["summary"],
            on_unsupported_language=data.on_unsupported_language,
        )
        res = await svc.analyze(req, route="/v1/summarize")
        assert res.summary is not None
        return SummarizeResponse(
            summary=res.summary, id=res.id, language=res.language, reason=res.reason, timings=res.timings
        )

    @post(
        "/quotes",
        status_code=200,
        responses=ERRORS,
        operation_id="quotes",
        summary="Direct quotes and speakers",
    )
    async def quotes(
        self, data: JSONBody[QuotesRequest], svc: NamedDependency[AnalysisService]
    ) -> QuotesResponse:
        """The quotes half of /v1/analyze."""
        req = AnalyzeRequest(
            text=data.text,
            id=data.id,
            include=["quotes"],
            on_unsupported_language=data.on_unsupported_language,
        )
        res = await svc.analyze(req, route="/v1/quotes")
        return QuotesResponse(
            quotes=res.quotes or [],
            speakers=res.speakers or [],
            id=res.id,
            language=res.language,
            reason=res.reason,
            timings=res.timings,
        )


class VerifyController(Controller):
    """Whether an article supports a summary written anywhere."""

    path = "/v1"
    tags = ["verification"]  # noqa: RUF012 - Litestar reads class attributes
    before_request = require_json  # type: ignore[assignment]

    @post(
        "/verify",
        status_code=200,
        responses=ERRORS,
        operation_id="verify",
        summary="Check a summary against its article",
    )
    async def verify(
        self, data: JSONBody[VerifyRequest], verifier: NamedDependency[VerifyService | None]
    ) -> VerifyResponse:
        """Per summary sentence: supported or not, a 0-1 score, the article text that backs it
        (offsets into `text`) and the problems found (offsets into `summary`): names, numbers,
        dates and amounts the article does not have, quotations not verbatim in it or given to
        someone else, claims it does not contain. Support by this article, not truth."""
        if verifier is None:
            raise NotReady("this service has no summary checker")
        return await verifier.verify(data)

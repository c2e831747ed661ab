"""The public API: thin handlers that hand typed requests to the analysis service."""

from __future__ import annotations

from litestar import Controller, Request, post
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody

from service.analysis import AnalysisService
from service.errors import BadRequest, UnsupportedMediaType
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
)


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


def _problem(description: str) -> ResponseSpec:
    return ResponseSpec(
        Problem, description=description, media_type="application/problem+json", generate_examples=False
    )


#: Every error a /v1 POST can answer, documented in the OpenAPI schema as problem details.
ERRORS: dict[int, ResponseSpec] = {
    400: _problem("The body is not valid JSON, not valid UTF-8, empty, or nested too deeply."),
    401: _problem("A bearer token is configured and the request lacks a valid one."),
    413: _problem("The body is larger than the configured byte limit."),
    415: _problem("The body is not declared as application/json."),
    422: _problem("Valid JSON that breaks the schema: unknown field, wrong type, empty text, limits."),
    429: _problem("The inference queue is full; retry after the Retry-After header's seconds."),
    500: _problem("The service failed; the body names no internals."),
    503: _problem("Models are loading, failed to load, or the service is shutting down."),
    504: _problem("The request passed its deadline."),
}


def _svc(state: State) -> AnalysisService:
    svc: AnalysisService = state.analysis
    return svc


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
    async def analyze(self, data: JSONBody[AnalyzeRequest], state: State) -> AnalyzeResponse:
        """Summary, quotes and speakers of one article; `include` limits the parts computed."""
        return await _svc(state).analyze(data)

    @post(
        "/analyze/batch",
        status_code=200,
        responses=ERRORS,
        operation_id="analyzeBatch",
        summary="Several articles in one call",
    )
    async def analyze_batch(self, data: JSONBody[BatchRequest], state: State) -> BatchResponse:
        """Results in request order; each document succeeds or fails on its own."""
        return await _svc(state).analyze_batch(data)

    @post(
        "/summarize",
        status_code=200,
        responses=ERRORS,
        operation_id="summarize",
        summary="Summary of one article",
    )
    async def summarize(self, data: JSONBody[SummarizeRequest], state: State) -> SummarizeResponse:
        """The summary half of /v1/analyze."""
        req = AnalyzeRequest(text=data.text, id=data.id, summary=data.summary, include=["summary"])
        res = await _svc(state).analyze(req, route="/v1/summarize")
        assert res.summary is not None
        return SummarizeResponse(summary=res.summary, id=res.id, timings=res.timings)

    @post(
        "/quotes",
        status_code=200,
        responses=ERRORS,
        operation_id="quotes",
        summary="Direct quotes and speakers",
    )
    async def quotes(self, data: JSONBody[QuotesRequest], state: State) -> QuotesResponse:
        """The quotes half of /v1/analyze."""
        req = AnalyzeRequest(text=data.text, id=data.id, include=["quotes"])
        res = await _svc(state).analyze(req, route="/v1/quotes")
        return QuotesResponse(
            quotes=res.quotes or [], speakers=res.speakers or [], id=res.id, timings=res.timings
        )

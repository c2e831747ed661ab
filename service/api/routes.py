"""The public API: thin handlers that hand typed requests to the analysis service."""

from __future__ import annotations

from litestar import Controller, Request, post
from litestar.datastructures import State
from litestar.params import JSONBody

from service.analysis import AnalysisService
from service.errors import UnsupportedMediaType
from service.schemas import (
    AnalyzeRequest,
    AnalyzeResponse,
    BatchRequest,
    BatchResponse,
    QuotesRequest,
    QuotesResponse,
    SummarizeRequest,
    SummarizeResponse,
)


def require_json(request: Request[object, object, State]) -> None:
    """Refuse bodies that are not JSON before they are decoded (415)."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"send the body as application/json (got {media_type or 'no content type'!r})"
        )


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
        operation_id="analyze",
        summary="Summary and direct quotes of one article",
    )
    async def analyze(self, data: JSONBody[AnalyzeRequest], state: State) -> AnalyzeResponse:
        """Summary, quotes and speakers of one article; `include` limits the parts computed."""
        return await _svc(state).analyze(data)

    @post(
        "/analyze/batch", status_code=200, operation_id="analyzeBatch", summary="Several articles in one call"
    )
    async def analyze_batch(self, data: JSONBody[BatchRequest], state: State) -> BatchResponse:
        """Results in request order; each document succeeds or fails on its own."""
        return await _svc(state).analyze_batch(data)

    @post("/summarize", status_code=200, operation_id="summarize", summary="Summary of one article")
    async def summarize(self, data: JSONBody[SummarizeRequest], state: State) -> SummarizeResponse:
        """The summary half of /v1/analyze."""
        req = AnalyzeRequest(text=data.text, id=data.id, summary=data.summary, include=["summary"])
        res = await _svc(state).analyze(req, route="/v1/summarize")
        assert res.summary is not None
        return SummarizeResponse(summary=res.summary, id=res.id, timings=res.timings)

    @post("/quotes", status_code=200, operation_id="quotes", summary="Direct quotes and speakers")
    async def quotes(self, data: JSONBody[QuotesRequest], state: State) -> QuotesResponse:
        """The quotes half of /v1/analyze."""
        req = AnalyzeRequest(text=data.text, id=data.id, include=["quotes"])
        res = await _svc(state).analyze(req, route="/v1/quotes")
        return QuotesResponse(
            quotes=res.quotes or [], speakers=res.speakers or [], id=res.id, timings=res.timings
        )

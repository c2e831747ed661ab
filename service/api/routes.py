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
from service.errors import DOCUMENTED, BadRequest, NotReady, ServiceError, UnsupportedMediaType, status_title
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
from service.verification import VerifyService
from service.verify_schemas import VerifyBatchRequest, VerifyBatchResponse, VerifyRequest, VerifyResponse


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


def _problem(error: type[ServiceError]) -> ResponseSpec:
    """The documented response of one error class: its description and an example body."""
    status, slug = error.status, error.type_slug
    value = {
        "title": status_title(status),
        "status": status,
        "type": f"/problems/{slug}",
        "detail": error.example,
    }
    extra: dict[str, Any] = {}
    if error.example_pointer is not None:
        detail = error.example.split(": ", 1)[-1]
        extra["errors"] = [{"pointer": error.example_pointer, "detail": detail}]
    example = Example(id=slug, summary=slug, value={**value, "instance": "/v1/analyze", **extra})
    return ResponseSpec(
        Problem,
        description=error.about,
        media_type="application/problem+json",
        generate_examples=False,
        examples=[example],
    )


#: Every error a /v1 POST can answer, documented in the OpenAPI schema as problem details (built
#: from the one error registry, ``service.errors``).
ERRORS: dict[int, ResponseSpec] = {status: _problem(error) for status, error in DOCUMENTED.items()}


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
            html=data.html,
            id=data.id,
            summary=data.summary,
            include=["summary"],
            on_unsupported_language=data.on_unsupported_language,
        )
        res = await svc.analyze(req, route="/v1/summarize")
        assert res.summary is not None
        return SummarizeResponse(
            summary=res.summary,
            id=res.id,
            text=res.text,
            title=res.title,
            date=res.date,
            language=res.language,
            reason=res.reason,
            timings=res.timings,
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
            html=data.html,
            id=data.id,
            include=["quotes"],
            on_unsupported_language=data.on_unsupported_language,
        )
        res = await svc.analyze(req, route="/v1/quotes")
        return QuotesResponse(
            quotes=res.quotes or [],
            speakers=res.speakers or [],
            unattributed_from=res.unattributed_from,
            id=res.id,
            text=res.text,
            title=res.title,
            date=res.date,
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
        return await _checker(verifier).verify(data)

    @post(
        "/verify/batch",
        status_code=200,
        responses=ERRORS,
        operation_id="verifyBatch",
        summary="Several summaries checked in one call",
    )
    async def verify_batch(
        self, data: JSONBody[VerifyBatchRequest], verifier: NamedDependency[VerifyService | None]
    ) -> VerifyBatchResponse:
        """Results in request order; each document (`text`, `summary`, `id`) is checked on its own:
        one that breaks the schema or the limits gets its problem in its slot, with pointers into
        this body (`/documents/1/summary`)."""
        return await _checker(verifier).verify_batch(data)


def _checker(verifier: VerifyService | None) -> VerifyService:
    """The verify service, or 503 when this service was built without a checker."""
    if verifier is None:
        raise NotReady("this service has no summary checker")
    return verifier

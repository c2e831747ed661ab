"""The service layer between routes and engines: validation that needs settings, admission,
deadlines, running the two engines concurrently, and assembling responses."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import structlog

from service.config import Settings
from service.engines.executor import Executor
from service.errors import InvalidInput, NotReady, ServiceError
from service.observability import Metrics, exc_location
from service.schemas import (
    AnalyzeRequest,
    AnalyzeResponse,
    BatchItem,
    BatchRequest,
    BatchResponse,
    Part,
    Problem,
    QuotesResult,
    Summary,
    SummaryOptions,
    Timings,
)

log = structlog.get_logger("service.analysis")

DEFAULT_SUMMARY = SummaryOptions()


@dataclass
class Readiness:
    """Where the service is in its life: starting → ok → draining, or failed."""

    state: str = "starting"
    detail: str | None = None

    @property
    def ready(self) -> bool:
        """True only when models are loaded and warmed and no shutdown has begun."""
        return self.state == "ok"


class AnalysisService:
    """Everything a route needs; one instance per app."""

    def __init__(self, settings: Settings, executor: Executor, metrics: Metrics, readiness: Readiness):
        self.settings = settings
        self.executor = executor
        self.metrics = metrics
        self.readiness = readiness

    def check_text(self, text: str) -> None:
        """Reject text that no engine can use; the type's limits already ran while decoding."""
        if not text.strip():
            raise InvalidInput("`text` is empty or only whitespace")
        if len(text) > self.settings.max_text_chars:
            raise InvalidInput(
                f"`text` has {len(text)} characters; this service accepts at most "
                f"{self.settings.max_text_chars}"
            )

    def _check_serving(self) -> None:
        if self.readiness.state in ("starting", "failed"):
            raise NotReady(
                "models are not loaded yet"
                if self.readiness.state == "starting"
                else "models failed to load",
                headers={"Retry-After": "5"},
            )

    def _deadline(self) -> float:
        return time.monotonic() + self.settings.request_timeout_s

    async def analyze(self, req: AnalyzeRequest, route: str = "/v1/analyze") -> AnalyzeResponse:
        """Summary and/or quotes of one article."""
        self._check_serving()
        self.check_text(req.text)
        self.metrics.input_chars.labels(route).observe(len(req.text))
        structlog.contextvars.bind_contextvars(text_chars=len(req.text), doc_id=req.id)
        self.executor.admit()
        try:
            return await self._analyze_admitted(req, self._deadline())
        finally:
            self.executor.release()

    async def _analyze_admitted(self, req: AnalyzeRequest, deadline: float) -> AnalyzeResponse:
        parts: set[Part] = set(req.include or ("summary", "quotes"))
        started = time.perf_counter()
        timings: dict[str, float] = {}

        async def timed_summary() -> Summary:
            t = time.perf_counter()
            result = await self.executor.summarize(req.text, req.summary or DEFAULT_SUMMARY, deadline)
            timings["summary_ms"] = round((time.perf_counter() - t) * 1000, 2)
            return result

        async def timed_quotes() -> QuotesResult:
            t = time.perf_counter()
            result = await self.executor.extract_quotes(req.text, deadline)
            timings["quotes_ms"] = round((time.perf_counter() - t) * 1000, 2)
            return result

        summary: Summary | None = None
        quotes: QuotesResult | None = None
        if parts == {"summary", "quotes"}:
            summary, quotes = await asyncio.gather(timed_summary(), timed_quotes())
        elif "summary" in parts:
            summary = await timed_summary()
        else:
            quotes = await timed_quotes()
        total = round((time.perf_counter() - started) * 1000, 2)
        structlog.contextvars.bind_contextvars(
            quotes=len(quotes.quotes) if quotes else None,
            summary_sentences=len(summary.sentences) if summary else None,
        )
        return AnalyzeResponse(
            id=req.id,
            summary=summary,
            quotes=quotes.quotes if quotes else None,
            speakers=quotes.speakers if quotes else None,
            timings=Timings(total_ms=total, **timings),
        )

    async def analyze_batch(self, req: BatchRequest) -> BatchResponse:
        """Each document analysed on its own; a failing one yields a problem in its slot."""
        self._check_serving()
        n = len(req.documents)
        self.executor.admit(n)
        try:
            deadline = self._deadline()
            outcomes = await asyncio.gather(
                *(self._batch_item(i, d, deadline) for i, d in enumerate(req.documents))
            )
        finally:
            self.executor.release(n)
        return BatchResponse(results=list(outcomes))

    async def _batch_item(self, index: int, doc: AnalyzeRequest, deadline: float) -> BatchItem:
        try:
            self.check_text(doc.text)
            self.metrics.input_chars.labels("/v1/analyze/batch").observe(len(doc.text))
            result = await self._analyze_admitted(doc, deadline)
        except ServiceError as e:
            return BatchItem(
                index=index,
                id=doc.id,
                status=e.status,
                error=Problem(title=e.title, status=e.status, type=e.type_uri, detail=e.detail),
            )
        except Exception as exc:  # noqa: BLE001 - one document's failure must not fail the batch
            log.error("batch document failed", index=index, chars=len(doc.text), **exc_location(exc))
            return BatchItem(
                index=index,
                id=doc.id,
                status=500,
                error=Problem(
                    title="Internal Server Error",
                    status=500,
                    type="/problems/internal",
                    detail="this document could not be analysed",
                ),
            )
        return BatchItem(index=index, id=doc.id, status=200, result=result)

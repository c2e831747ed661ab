"""The service layer between routes and engines: readiness, the checks made before admission
(text, options, language), admission, deadlines, running the two engines concurrently, and
assembling responses."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import msgspec
import structlog

from service.abstractive import AbstractiveSummaries
from service.config import Settings
from service.documents import PageReader, check_source, decode_document, raw_id, slot_problem
from service.engines.factory import Engines
from service.errors import (
    InternalError,
    InvalidInput,
    ModelLoadError,
    NotReady,
    ServiceError,
    UnsupportedLanguage,
)
from service.executor import Executor
from service.html import Article, extract_article
from service.observability import Metrics, exc_location
from service.readiness import Readiness
from service.schemas import (
    AnalyzeRequest,
    AnalyzeResponse,
    BatchItem,
    BatchRequest,
    BatchResponse,
    Language,
    ModelInfo,
    Part,
    QuotesResult,
    Summary,
    SummaryOptions,
    Timings,
)
from service.tracing import Tracing

log = structlog.get_logger("service.analysis")

DEFAULT_SUMMARY = SummaryOptions()
WARMUP_PAGE = "<html><body><article><p>“Warm-up,” she said.</p></article></body></html>"


class AnalysisService:
    """Everything a route needs; one instance per app, handed to handlers by dependency injection."""

    def __init__(
        self, settings: Settings, engines: Engines, metrics: Metrics, tracing: Tracing | None = None
    ) -> None:
        self.settings = settings
        self.engines = engines
        self.metrics = metrics
        self.tracing = tracing or Tracing()
        self.pages = PageReader()
        self.readiness = Readiness(on_change=lambda ready: metrics.ready.set(1 if ready else 0))
        self.executor = Executor(
            engines.summary,
            engines.quotes,
            metrics,
            queue_size=settings.queue_size,
            batch_size=settings.batch_size,
            batch_wait_ms=settings.batch_wait_ms,
            summary_model=engines.summary_model,
        )
        self.executor.tracing = self.tracing
        #: Abstractive summaries: the generator, then the check, else the extractive summary.
        self.abstractive = AbstractiveSummaries(
            settings,
            self.executor,
            metrics,
            generator=engines.generator,
            checker=engines.checker,
            local=bool(settings.abstractive_dir),
        )
        #: Models loaded, for /v1/models (empty until loading has finished).
        self.models: list[ModelInfo] = []

    # -- life ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the workers, and load the models in a background thread (then turn ready)."""
        self.executor.start()
        threading.Thread(target=self.load_models, name="model-loader", daemon=True).start()

    def drain(self) -> None:
        """Turn unready at once (the server's first signal): new work gets 503."""
        if self.readiness.drain():
            log.info("draining", in_flight=self.executor.in_flight)

    def stop(self) -> None:
        """Drain, finish the admitted work (up to the shutdown timeout) and stop the workers."""
        self.readiness.drain()
        self.executor.close(self.settings.shutdown_timeout_s)
        self.pages.close()
        self.abstractive.close()

    def load_models(self) -> None:
        """Load and warm the models, then turn ready; on failure turn ``failed`` (never raises)."""
        t = time.perf_counter()
        engines = self.engines
        try:
            # The language model (mostly decompression) loads beside the summary model.
            with ThreadPoolExecutor(1, thread_name_prefix="language-loader") as pool:
                language = pool.submit(engines.language.load)
                engines.summary.load()
                engines.summary.warmup()
                engines.quotes.load()
                engines.quotes.warmup()
                if engines.checker is not None:
                    engines.checker.load()
                language.result()
            extract_article(WARMUP_PAGE)  # imports the extractor: the first page is not slower
        except Exception as exc:  # noqa: BLE001 - any load failure means: never ready, say why
            reason = str(exc) if isinstance(exc, ServiceError | ModelLoadError) else type(exc).__name__
            self.readiness.failed(reason)
            log.error("model loading failed", reason=reason, **exc_location(exc))
            return
        quote_models = engines.quotes.models()
        checker_models = engines.checker.models() if engines.checker is not None else []
        generator_models = engines.generator.models() if engines.generator is not None else []
        self.models = [*engines.summary.models(), *quote_models, *checker_models, *generator_models]
        if quote_models:
            self.executor.quote_model = quote_models[0].id
        for m in self.models:
            self.metrics.model_info.labels(m.id, m.task, m.revision or m.sha256 or "", m.licence or "").set(1)
        self.readiness.loaded()
        elapsed = round(time.perf_counter() - t, 2)
        log.info("models ready", seconds=elapsed, models=[m.id for m in self.models])

    # -- checks before admission -----------------------------------------------------------------

    def check_text(self, text: str, pointer: str = "/text") -> None:
        """Reject text that no engine can use; the type's limits already ran while decoding. For
        a page (``pointer`` ``/html``) the text is the one extracted from it."""
        what = "`text`" if pointer == "/text" else "the text extracted from `html`"
        if not text.strip():
            raise InvalidInput(f"{what} is empty or only whitespace", pointer=pointer)
        if len(text) > self.settings.max_text_chars:
            raise InvalidInput(
                f"{what} has {len(text)} characters; this service accepts at most "
                f"{self.settings.max_text_chars}",
                pointer=pointer,
            )

    def check_options(self, req: AnalyzeRequest) -> None:
        """Refuse options the configured engines cannot honour, before any work is queued."""
        method = (req.summary or DEFAULT_SUMMARY).method
        if method not in self.engines.summary_methods:
            raise InvalidInput(
                f"`summary.method` {method!r} needs a model this service does not have; "
                f"use one of {', '.join(sorted(self.engines.summary_methods))}",
                pointer="/summary/method",
            )

    def check_serving(self) -> None:
        """503 while the models load or after they failed to (draining still serves what comes)."""
        state = self.readiness.state
        if state in ("starting", "failed"):
            detail = "models are not loaded yet" if state == "starting" else "models failed to load"
            raise NotReady(detail, headers={"Retry-After": "5"})

    def _check(self, req: AnalyzeRequest) -> None:
        """Everything refused before admission: not exactly one of text and html, empty or
        oversized text, options out of reach (a page's text is checked once extracted)."""
        check_source(req)
        if req.text:
            self.check_text(req.text)
        self.check_options(req)

    async def _read_page(self, req: AnalyzeRequest, deadline: float) -> tuple[AnalyzeRequest, Article | None]:
        """A page's request as the request of its extracted text (checked as text is), and the page."""
        if not req.html:
            return req, None
        with self.tracing.span("html extraction", {"analyzer.html_chars": len(req.html)}) as span:
            page = await self.pages.read(req.html, deadline)
            if span is not None:
                span.set_attribute("analyzer.text_chars", len(page.text))
        self.check_text(page.text, pointer="/html")
        structlog.contextvars.bind_contextvars(html_chars=len(req.html), text_chars=len(page.text))
        return msgspec.structs.replace(req, text=page.text, html=""), page

    async def _language(
        self, req: AnalyzeRequest, deadline: float
    ) -> tuple[Language, AnalyzeResponse | None]:
        """The article's language, and the whole answer when there is nothing to compute (an
        unsupported language with ``on_unsupported_language: empty``); raises to refuse it."""
        found = await self.executor.detect_language(self.engines.language.detect, req.text, deadline)
        lang = Language(code=found.code, confidence=found.confidence, supported=found.supported)
        if lang.supported:
            return lang, None
        self.metrics.rejected.labels("unsupported_language").inc()
        reason = (
            f"the article reads as language {lang.code!r} (probability {lang.confidence:.2f}); "
            f"this service analyses {', '.join(sorted(self.engines.language.supported))} articles"
        )
        if req.on_unsupported_language == "refuse":
            raise UnsupportedLanguage(reason, pointer="/text")
        parts = set(req.include or ("summary", "quotes"))
        return lang, AnalyzeResponse(
            id=req.id,
            summary=Summary(text="", sentences=[]) if "summary" in parts else None,
            quotes=[] if "quotes" in parts else None,
            speakers=[] if "quotes" in parts else None,
            language=lang,
            reason=reason,
        )

    def _deadline(self) -> float:
        return time.monotonic() + self.settings.request_timeout_s

    # -- work ----------------------------------------------------------------------------------

    async def analyze(self, req: AnalyzeRequest, route: str = "/v1/analyze") -> AnalyzeResponse:
        """Summary and/or quotes of one article."""
        self.check_serving()
        self._check(req)
        structlog.contextvars.bind_contextvars(text_chars=len(req.text), doc_id=req.id)
        self.executor.admit()
        try:
            return await self._analyze_admitted(req, self._deadline(), route)
        finally:
            self.executor.release()

    async def _analyze_admitted(self, req: AnalyzeRequest, deadline: float, route: str) -> AnalyzeResponse:
        started = time.perf_counter()
        req, page = await self._read_page(req, deadline)
        self.metrics.input_chars.labels(route).observe(len(req.text))
        answer = await self._answer(req, deadline, started)
        if page is not None:
            answer.text, answer.title, answer.date = page.text, page.title, page.date
        return answer

    async def _answer(self, req: AnalyzeRequest, deadline: float, started: float) -> AnalyzeResponse:
        with self.tracing.span("language"):
            lang, answered = await self._language(req, deadline)
        if answered is not None:
            answered.timings = Timings(total_ms=round((time.perf_counter() - started) * 1000, 2))
            return answered
        parts: set[Part] = set(req.include or ("summary", "quotes"))
        timings: dict[str, float] = {}

        async def timed_summary() -> Summary:
            t = time.perf_counter()
            options = req.summary or DEFAULT_SUMMARY
            with self.tracing.span("summary"):
                if self.abstractive.wants(options):
                    result = await self.abstractive.summarize(req.text, options, deadline)
                else:
                    result = await self.executor.summarize(req.text, options, deadline)
            timings["summary_ms"] = round((time.perf_counter() - t) * 1000, 2)
            return result

        async def timed_quotes() -> QuotesResult:
            t = time.perf_counter()
            with self.tracing.span("quotes") as span:
                result = await self.executor.extract_quotes(req.text, deadline)
                if span is not None:
                    span.set_attribute("analyzer.quotes", len(result.quotes))
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
            unattributed_from=quotes.unattributed_from if quotes else None,
            language=lang,
            timings=Timings(total_ms=total, **timings),
        )

    async def analyze_batch(self, req: BatchRequest) -> BatchResponse:
        """Each document analysed on its own; a failing one yields a problem in its slot. Documents
        refused by the checks are answered at once and take no admission slot."""
        self.check_serving()
        outcomes: list[BatchItem | None] = []
        docs: list[AnalyzeRequest | None] = []
        for i, raw in enumerate(req.documents):
            doc = None
            try:
                doc = decode_document(raw)
                self._check(doc)
                outcomes.append(None)
            except ServiceError as e:
                outcomes.append(_failed_item(i, doc or raw_id(raw), e))
            docs.append(doc)
        todo = [i for i, o in enumerate(outcomes) if o is None]
        self.executor.admit(len(todo))
        try:
            deadline = self._deadline()
            done = await asyncio.gather(*(self._batch_item(i, docs[i], deadline) for i in todo))
        finally:
            self.executor.release(len(todo))
        for i, item in zip(todo, done, strict=True):
            outcomes[i] = item
        return BatchResponse(results=[o for o in outcomes if o is not None])

    async def _batch_item(self, index: int, doc: AnalyzeRequest | None, deadline: float) -> BatchItem:
        assert doc is not None
        try:
            with self.tracing.span("document", {"analyzer.batch.index": index}):
                result = await self._analyze_admitted(doc, deadline, "/v1/analyze/batch")
        except ServiceError as e:
            return _failed_item(index, doc, e)
        except Exception as exc:  # noqa: BLE001 - one document's failure must not fail the batch
            log.error("batch document failed", index=index, chars=len(doc.text), **exc_location(exc))
            bug = InternalError("this document could not be analysed; it has been logged")
            return _failed_item(index, doc, bug)
        return BatchItem(index=index, id=doc.id, status=200, result=result)


def _failed_item(index: int, doc: AnalyzeRequest | str | None, e: ServiceError) -> BatchItem:
    """A document's problem inside a batch; its field pointers point into the batch body."""
    rid = doc.id if isinstance(doc, AnalyzeRequest) else doc
    return BatchItem(index=index, id=rid, status=e.status, error=slot_problem(index, e))

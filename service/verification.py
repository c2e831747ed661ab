"""/v1/verify's service layer (one summary, or a batch of them): checks before admission,
admission, the article's language, the checker off the event loop, and the wire answer. The
checker itself (service.engines.verify) knows nothing of HTTP."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import structlog

from service.documents import decode_as, raw_id, slot_problem
from service.engines.base import SummaryCheckerEngine
from service.errors import InternalError, InvalidInput, ServiceError, UnsupportedLanguage
from service.executor import _await
from service.observability import exc_location
from service.schemas import EvidenceSpan, Language, Timings
from service.verify_schemas import (
    SupportProblem,
    VerifiedSentence,
    VerifyBatchItem,
    VerifyBatchRequest,
    VerifyBatchResponse,
    VerifyRequest,
    VerifyResponse,
)

if TYPE_CHECKING:
    from service.analysis import AnalysisService
    from service.engines.language import Detection
    from service.engines.verify.types import Verdict

log = structlog.get_logger("service.verification")


#: What the service needs of a summary checker (the engine's protocol).
Checker = SummaryCheckerEngine


def check_document(req: VerifyRequest, max_text_chars: int) -> None:
    """What the wire type cannot say: a blank article or summary, an article over the configured
    limit. Raises :class:`InvalidInput` pointing at the field (the same rules in a batch slot and
    on the command line)."""
    if not req.text.strip():
        raise InvalidInput("`text` is empty or only whitespace", pointer="/text")
    if len(req.text) > max_text_chars:
        raise InvalidInput(
            f"`text` has {len(req.text)} characters; this service accepts at most {max_text_chars}",
            pointer="/text",
        )
    if not req.summary.strip():
        raise InvalidInput("`summary` is empty or only whitespace", pointer="/summary")


def language_refusal(found: Detection, supported: frozenset[str]) -> UnsupportedLanguage | None:
    """The problem of an article in a language the checker was not built for, or None."""
    if found.supported:
        return None
    return UnsupportedLanguage(
        f"the article reads as language {found.code!r} (probability {found.confidence:.2f}); "
        f"the summary checker reads {', '.join(sorted(supported))} articles",
        pointer="/text",
    )


def to_response(verdict: Verdict, doc_id: str | None = None) -> VerifyResponse:
    """The checker's verdict as the wire type."""
    return VerifyResponse(
        id=doc_id,
        supported=verdict.supported,
        score=round(verdict.score, 4),
        reason=verdict.reason,
        sentences=[
            VerifiedSentence(
                text=c.text,
                start=c.start,
                end=c.end,
                supported=c.supported,
                score=round(c.score, 4),
                evidence=[EvidenceSpan(start=sp.start, end=sp.end) for sp in c.evidence],
                problems=[
                    SupportProblem(kind=p.kind, text=p.text, start=p.start, end=p.end, message=p.message)
                    for p in c.problems
                ],
            )
            for c in verdict.sentences
        ],
    )


class VerifyService:
    """Runs the checker for /v1/verify and /v1/verify/batch on its own thread (one: the work is
    CPU-bound and the encoder is single-threaded per call), under the analysis service's admission
    (one slot per document) and deadline."""

    def __init__(self, analysis: AnalysisService, checker: Checker) -> None:
        self.analysis = analysis
        self.checker = checker
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="verify")
        self._model: str | None = None

    def close(self) -> None:
        """Finish the admitted checks and stop the thread."""
        self._pool.shutdown(wait=True)

    def _timed(self, article: str, summary: str) -> Verdict:
        if self._model is None:
            # The metric's model label is the id /v1/models and analyzer_model_info list.
            self._model = next((m.id for m in self.checker.models()), "summary-checker")
        t = time.perf_counter()
        try:
            return self.checker.verify(article, summary)
        finally:
            self.analysis.metrics.inference_duration.labels("verify", self._model).observe(
                time.perf_counter() - t
            )

    def _check(self, req: VerifyRequest) -> None:
        check_document(req, self.analysis.settings.max_text_chars)

    def _deadline(self) -> float:
        return time.monotonic() + self.analysis.settings.request_timeout_s

    async def verify(self, req: VerifyRequest) -> VerifyResponse:
        """Check one summary against its article."""
        svc = self.analysis
        self.analysis.check_serving()
        self._check(req)
        structlog.contextvars.bind_contextvars(text_chars=len(req.text), summary_chars=len(req.summary))
        svc.executor.admit()
        try:
            answer = await self._answer(req, self._deadline(), "/v1/verify")
        finally:
            svc.executor.release()
        structlog.contextvars.bind_contextvars(
            summary_sentences=len(answer.sentences), supported=answer.supported
        )
        return answer

    async def _answer(self, req: VerifyRequest, deadline: float, route: str) -> VerifyResponse:
        """One admitted document: its language (refused unless the checker reads it), then the check."""
        svc = self.analysis
        started = time.perf_counter()
        svc.metrics.input_chars.labels(route).observe(len(req.text))
        found = await svc.executor.detect_language(svc.engines.language.detect, req.text, deadline)
        refusal = language_refusal(found, svc.engines.language.supported)
        if refusal is not None:
            svc.metrics.rejected.labels("unsupported_language").inc()
            raise refusal
        verdict = await _await(self._pool.submit(self._timed, req.text, req.summary), deadline)
        answer = to_response(verdict, req.id)
        answer.language = Language(code=found.code, confidence=found.confidence, supported=found.supported)
        answer.timings = Timings(total_ms=round((time.perf_counter() - started) * 1000, 2))
        return answer

    async def verify_batch(self, req: VerifyBatchRequest) -> VerifyBatchResponse:
        """Each document checked on its own, answered in request order; a failing one yields a
        problem in its slot. Documents refused by the checks are answered at once and take no
        admission slot; the others share one deadline and the checker's thread, in order."""
        self.analysis.check_serving()
        outcomes: list[VerifyBatchItem | None] = []
        docs: list[VerifyRequest | None] = []
        for i, raw in enumerate(req.documents):
            doc = None
            try:
                doc = decode_as(raw, VerifyRequest)
                self._check(doc)
                outcomes.append(None)
            except ServiceError as e:
                outcomes.append(_failed(i, doc.id if doc is not None else raw_id(raw), e))
            docs.append(doc)
        todo = [i for i, o in enumerate(outcomes) if o is None]
        structlog.contextvars.bind_contextvars(documents=len(docs), refused=len(docs) - len(todo))
        executor = self.analysis.executor
        executor.admit(len(todo))
        try:
            deadline = self._deadline()
            done = await asyncio.gather(*(self._batch_item(i, docs[i], deadline) for i in todo))
        finally:
            executor.release(len(todo))
        for i, item in zip(todo, done, strict=True):
            outcomes[i] = item
        return VerifyBatchResponse(results=[o for o in outcomes if o is not None])

    async def _batch_item(self, index: int, doc: VerifyRequest | None, deadline: float) -> VerifyBatchItem:
        assert doc is not None
        try:
            with self.analysis.tracing.span("document", {"analyzer.batch.index": index}):
                result = await self._answer(doc, deadline, "/v1/verify/batch")
        except ServiceError as e:
            return _failed(index, doc.id, e)
        except Exception as exc:  # noqa: BLE001 - one document's failure must not fail the batch
            log.error("batch document failed", index=index, chars=len(doc.text), **exc_location(exc))
            return _failed(
                index, doc.id, InternalError("this summary could not be checked; it has been logged")
            )
        return VerifyBatchItem(index=index, id=doc.id, status=200, result=result)


def _failed(index: int, doc_id: str | None, e: ServiceError) -> VerifyBatchItem:
    """A document's problem inside a batch; its field pointers point into the batch body."""
    return VerifyBatchItem(index=index, id=doc_id, status=e.status, error=slot_problem(index, e))

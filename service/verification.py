"""/v1/verify's service layer: checks before admission, admission, the checker off the event loop,
and the wire answer. The checker itself (service.engines.verify) knows nothing of HTTP."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import structlog

from service.engines.base import SummaryCheckerEngine
from service.errors import InvalidInput, NotReady
from service.executor import _await
from service.schemas import (
    EvidenceSpan,
    Timings,
)
from service.verify_schemas import SupportProblem, VerifiedSentence, VerifyRequest, VerifyResponse

if TYPE_CHECKING:
    from service.analysis import AnalysisService
    from service.engines.verify.types import Verdict

log = structlog.get_logger("service.verification")


#: What the service needs of a summary checker (the engine's protocol).
Checker = SummaryCheckerEngine


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
    """Runs the checker for /v1/verify on its own thread (one: the work is CPU-bound and the
    encoder is single-threaded per call), under the analysis service's admission and deadline."""

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

    async def verify(self, req: VerifyRequest) -> VerifyResponse:
        """Check one summary against its article."""
        svc = self.analysis
        if not svc.readiness.ready:
            raise NotReady("models are not loaded yet", headers={"Retry-After": "5"})
        svc.check_text(req.text)
        if not req.summary.strip():
            raise InvalidInput("`summary` is empty or only whitespace", pointer="/summary")
        svc.metrics.input_chars.labels("/v1/verify").observe(len(req.text))
        structlog.contextvars.bind_contextvars(text_chars=len(req.text), summary_chars=len(req.summary))
        started = time.perf_counter()
        svc.executor.admit()
        try:
            deadline = time.monotonic() + svc.settings.request_timeout_s
            verdict = await _await(self._pool.submit(self._timed, req.text, req.summary), deadline)
        finally:
            svc.executor.release()
        answer = to_response(verdict, req.id)
        answer.timings = Timings(total_ms=round((time.perf_counter() - started) * 1000, 2))
        structlog.contextvars.bind_contextvars(
            summary_sentences=len(answer.sentences), supported=answer.supported
        )
        return answer

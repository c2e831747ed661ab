"""Runs the engines off the event loop, behind one bounded admission counter (the service's
admission and queueing: the engines themselves know nothing of it).

- Summaries go through a micro-batcher: one worker thread takes up to ``batch_size`` queued
  documents (waiting at most ``batch_wait_ms`` for company once it holds one, and only while
  other admitted documents are in flight) and makes a single engine call for all of them. If
  that call fails, each document is retried alone, so one bad document never fails the others.
- Quotes are pure Python and short; they run on two separate threads so that they overlap with
  the model's (GIL-free) matrix work instead of queueing behind it. Language detection, which
  comes first for every article, has a thread of its own so that it never waits behind quotes.
- Admission is bounded: at most ``queue_size`` documents may be in flight; one more raises
  :class:`~service.errors.Overloaded` (429 with Retry-After). A request past its deadline gets
  :class:`~service.errors.DeadlineExceeded`, frees its slot at once, and its job is skipped if no
  worker has started it yet. An engine's own error (:mod:`service.engines.errors`) reaches the
  caller as the problem :func:`service.errors.from_engine` maps it to.
"""

from __future__ import annotations

import asyncio
import math
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

import structlog

from service.engines.base import QuoteEngine, SummaryEngine
from service.engines.errors import EngineError
from service.errors import DeadlineExceeded, NotReady, Overloaded, ServiceError, from_engine
from service.observability import Metrics, exc_location
from service.schemas import QuotesResult, Summary, SummaryOptions

log = structlog.get_logger("service.executor")

_STOP = object()
T = TypeVar("T")


@dataclass(eq=False)
class _SummaryJob:
    text: str
    options: SummaryOptions
    future: Future[Summary] = field(default_factory=Future)


class Executor:
    """Admission control, the summary micro-batcher and the quote thread."""

    def __init__(
        self,
        summary: SummaryEngine,
        quotes: QuoteEngine,
        metrics: Metrics,
        *,
        queue_size: int = 64,
        batch_size: int = 8,
        batch_wait_ms: float = 5.0,
        summary_model: str = "summary",
        quote_model: str = "rules",
    ) -> None:
        self.summary = summary
        self.quotes = quotes
        self.metrics = metrics
        self.queue_size = queue_size
        self.batch_size = batch_size
        self.batch_wait_s = batch_wait_ms / 1000
        #: Metric labels for the engines' models: the ids analyzer_model_info lists.
        self.summary_model = summary_model
        self.quote_model = quote_model
        self._admitted = 0
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[_SummaryJob | object] = queue.SimpleQueue()
        # Two threads: pure Python shares the GIL, but one unusually slow document must not hold
        # up every other request's quotes behind it.
        self._quote_pool = ThreadPoolExecutor(2, thread_name_prefix="quotes")
        # Language detection has its own thread: a few milliseconds that must never wait behind
        # another article's quotes (which would hold back this article's summary too).
        self._language_pool = ThreadPoolExecutor(1, thread_name_prefix="language")
        self._worker: threading.Thread | None = None
        self._closed = False
        # Recent per-document service time, for an honest Retry-After.
        self._ema_doc_s = 0.1

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the summary worker thread."""
        self._worker = threading.Thread(target=self._run, name="summary-batcher", daemon=True)
        self._worker.start()

    def close(self, timeout: float = 30.0) -> None:
        """Stop taking work, finish what was admitted, and join the threads."""
        self._closed = True
        self._jobs.put(_STOP)
        if self._worker is not None:
            self._worker.join(timeout)
        self._quote_pool.shutdown(wait=True)
        self._language_pool.shutdown(wait=True)

    @property
    def in_flight(self) -> int:
        """Documents admitted and not yet answered."""
        return self._admitted

    # -- admission -----------------------------------------------------------------------------

    def admit(self, n: int = 1) -> None:
        """Take ``n`` slots or raise Overloaded; callers must :meth:`release` them."""
        if self._closed:
            raise NotReady("the service is shutting down")
        with self._lock:
            if self._admitted + n > self.queue_size:
                self.metrics.rejected.labels("queue_full").inc(n)
                retry = max(1, math.ceil(self._ema_doc_s * (self._admitted + n) / max(1, self.batch_size)))
                raise Overloaded(
                    f"the inference queue is full ({self.queue_size} documents); retry later",
                    headers={"Retry-After": str(retry)},
                )
            self._admitted += n
            self.metrics.queue_depth.set(self._admitted)

    def release(self, n: int = 1) -> None:
        """Give back slots taken by :meth:`admit`."""
        with self._lock:
            self._admitted -= n
            self.metrics.queue_depth.set(self._admitted)

    # -- work ------------------------------------------------------------------------------------

    async def summarize(self, text: str, options: SummaryOptions, deadline: float) -> Summary:
        """Summary of one document, batched with concurrent ones; raises on deadline."""
        job = _SummaryJob(text, options)
        self._jobs.put(job)
        try:
            return await _await(job.future, deadline)
        except EngineError as exc:
            raise from_engine(exc) from exc

    async def extract_quotes(self, text: str, deadline: float) -> QuotesResult:
        """Quotes of one document, on the quote thread; raises on deadline."""
        fut = self._quote_pool.submit(self._timed_quotes, text)
        return await _await(fut, deadline)

    async def detect_language(self, detect: Callable[[str], T], text: str, deadline: float) -> T:
        """Language detection (a few milliseconds, bounded) on its own thread, off the loop."""
        return await _await(self._language_pool.submit(detect, text), deadline)

    def _timed_quotes(self, text: str) -> QuotesResult:
        t = time.perf_counter()
        try:
            return self.quotes.extract(text)
        finally:
            self.metrics.inference_duration.labels("quotes", self.quote_model).observe(
                time.perf_counter() - t
            )

    def _run(self) -> None:
        while True:
            first = self._jobs.get()
            if first is _STOP:
                return
            batch = [first]
            stop = False
            deadline = time.perf_counter() + self.batch_wait_s
            while len(batch) < self.batch_size:
                if self._jobs.empty() and not self._more_may_come(len(batch)):
                    break
                remaining = deadline - time.perf_counter()
                try:
                    nxt = self._jobs.get(timeout=remaining) if remaining > 0 else self._jobs.get_nowait()
                except queue.Empty:
                    break
                if nxt is _STOP:
                    stop = True
                    break
                batch.append(nxt)
            jobs = [
                j for j in batch if isinstance(j, _SummaryJob) and j.future.set_running_or_notify_cancel()
            ]
            if jobs:
                self._run_batch(jobs)
            if stop:
                return

    def _more_may_come(self, held: int) -> bool:
        """Whether waiting for company can pay: other admitted documents are in flight (answered
        ones coming back, new ones being read). A lone request never waits. Work submitted
        without admission (nothing admitted: the batcher driven directly) gets the plain wait."""
        return self._admitted == 0 or self._admitted > held

    def _run_batch(self, jobs: list[_SummaryJob]) -> None:
        self.metrics.batch_size.observe(len(jobs))
        t = time.perf_counter()
        try:
            results = self.summary.summarize_batch([(j.text, j.options) for j in jobs])
            if len(results) != len(jobs):
                raise RuntimeError("engine returned a wrong number of summaries")
        except Exception as exc:  # noqa: BLE001 - isolate the failing document, then report per document
            if len(jobs) == 1:
                _fail(jobs[0], exc)
                return
            for j in jobs:
                self._run_one(j)
            return
        elapsed = time.perf_counter() - t
        self._observe(results, elapsed)
        self._ema_doc_s = 0.8 * self._ema_doc_s + 0.2 * (elapsed / len(jobs))
        for j, r in zip(jobs, results, strict=True):
            j.future.set_result(r)

    def _observe(self, results: list[Summary], elapsed: float) -> None:
        # Labelled with the id the engine reports, the same id as analyzer_model_info's `model`.
        model = results[0].model if results and results[0].model else self.summary_model
        self.metrics.inference_duration.labels("summary", model).observe(elapsed)

    def _run_one(self, job: _SummaryJob) -> None:
        try:
            result = self.summary.summarize_batch([(job.text, job.options)])[0]
        except Exception as exc:  # noqa: BLE001 - handed to the caller, who maps it to a problem
            _fail(job, exc)
        else:
            job.future.set_result(result)


def _fail(job: _SummaryJob, exc: Exception) -> None:
    """Hand the engine's own exception to the caller: a ServiceError keeps its status (a 4xx for a
    bad option), and a bug keeps its traceback, so the log names the engine's line, not asyncio's."""
    if not isinstance(exc, ServiceError | EngineError):
        log.debug("summary failed", chars=len(job.text), **exc_location(exc))
    job.future.set_exception(exc)


async def _await(fut: Future[T], deadline: float) -> T:
    """Wait for a worker's future until ``deadline`` (a ``time.monotonic()`` instant)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        fut.cancel()
        raise DeadlineExceeded("the request deadline passed before work could start")
    try:
        # On timeout wait_for cancels the wrapper, which cancels ``fut`` if no worker has started
        # it (the worker then skips it); a started job finishes and its result is dropped.
        return await asyncio.wait_for(asyncio.wrap_future(fut), timeout=remaining)
    except TimeoutError:
        raise DeadlineExceeded(
            "the request took longer than the service's deadline; retry with a shorter text or later"
        ) from None

"""The batching executor: batching, isolation of failures, admission and deadlines."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from service.engines.fakes import FakeQuoteEngine, FakeSummaryEngine
from service.errors import DeadlineExceeded, Overloaded
from service.executor import Executor
from service.observability import Metrics
from service.schemas import SummaryOptions

OPTS = SummaryOptions()


def make(summary: Any = None, **kw: Any) -> Executor:
    ex = Executor(summary or FakeSummaryEngine(), FakeQuoteEngine(), Metrics.create(), **kw)
    ex.start()
    return ex


def far() -> float:
    return time.monotonic() + 10


async def test_concurrent_requests_share_one_model_call() -> None:
    """Documents arriving together are summarised in one engine call, each getting its own result."""
    engine = FakeSummaryEngine(delay_s=0.01)
    ex = make(engine, batch_size=8, batch_wait_ms=50)
    try:
        texts = [f"Document number {i}. Second sentence." for i in range(6)]
        results = await asyncio.gather(*(ex.summarize(t, OPTS, far()) for t in texts))
        assert [r.sentences[0].text for r in results] == [f"Document number {i}." for i in range(6)]
        assert max(engine.calls) > 1
        assert sum(engine.calls) == 6
    finally:
        ex.close()


async def test_batch_never_exceeds_batch_size() -> None:
    """No engine call receives more documents than the batch size."""
    engine = FakeSummaryEngine()
    ex = make(engine, batch_size=3, batch_wait_ms=20)
    try:
        await asyncio.gather(*(ex.summarize(f"Text {i}.", OPTS, far()) for i in range(10)))
        assert max(engine.calls) <= 3
        assert sum(engine.calls) == 10
    finally:
        ex.close()


async def test_failing_document_does_not_fail_its_batch_mates() -> None:
    """When a batch fails, documents are retried alone and only the bad one gets the engine's error."""
    ex = make(FakeSummaryEngine(fail_marker="BAD"), batch_size=8, batch_wait_ms=50)
    try:
        outcomes = await asyncio.gather(
            ex.summarize("Good one.", OPTS, far()),
            ex.summarize("BAD one.", OPTS, far()),
            ex.summarize("Good two.", OPTS, far()),
            return_exceptions=True,
        )
        assert not isinstance(outcomes[0], BaseException)
        assert isinstance(outcomes[1], ValueError)
        assert str(outcomes[1]) == "fake failure"
        assert not isinstance(outcomes[2], BaseException)
    finally:
        ex.close()


def test_admission_is_bounded_and_says_when_to_retry() -> None:
    """Past queue_size the executor raises Overloaded with a Retry-After header, and release frees slots."""
    ex = Executor(FakeSummaryEngine(), FakeQuoteEngine(), Metrics.create(), queue_size=2)
    ex.admit()
    ex.admit()
    with pytest.raises(Overloaded) as info:
        ex.admit()
    assert int(info.value.headers["Retry-After"]) >= 1
    ex.release()
    ex.admit()
    assert ex.in_flight == 2


async def test_deadline_raises_and_unstarted_job_is_skipped() -> None:
    """A request past its deadline gets DeadlineExceeded; a queued job it leaves is never run."""
    gate = threading.Event()

    class Blocking(FakeSummaryEngine):
        def summarize_batch(self, items: Any) -> Any:
            gate.wait(5)
            return super().summarize_batch(items)

    engine = Blocking()
    ex = make(engine, batch_size=1, batch_wait_ms=0)
    try:
        first = asyncio.ensure_future(ex.summarize("Occupies the worker.", OPTS, far()))
        await asyncio.sleep(0.05)
        with pytest.raises(DeadlineExceeded):
            await ex.summarize("Times out while queued.", OPTS, time.monotonic() + 0.05)
        gate.set()
        await first
        await asyncio.sleep(0.05)
        assert engine.calls == [1], "the timed-out job must have been skipped"
    finally:
        ex.close()


async def test_close_finishes_admitted_work() -> None:
    """close() lets queued jobs finish before the worker stops."""
    ex = make(FakeSummaryEngine(delay_s=0.02), batch_size=1, batch_wait_ms=0)
    futs = [asyncio.ensure_future(ex.summarize(f"T{i}.", OPTS, far())) for i in range(3)]
    await asyncio.sleep(0.01)
    await asyncio.to_thread(ex.close)
    results = await asyncio.gather(*futs)
    assert len(results) == 3


async def test_quotes_run_off_the_event_loop() -> None:
    """Quote extraction runs on a worker thread, not on the event loop's thread."""
    seen: list[str] = []

    class Recording(FakeQuoteEngine):
        def extract(self, text: str) -> Any:
            seen.append(threading.current_thread().name)
            return super().extract(text)

    ex = Executor(FakeSummaryEngine(), Recording(), Metrics.create())
    ex.start()
    try:
        await ex.extract_quotes("“Hi,” said Ann.", far())
        assert seen
        assert seen[0] != threading.current_thread().name
    finally:
        ex.close()


async def test_lone_request_does_not_wait_for_company() -> None:
    """With admission in use, a request alone in flight runs at once; the batch wait only applies
    while other admitted documents may still join."""
    engine = FakeSummaryEngine()
    # A ten-minute batch wait: a lone request that waited at all would need a tenth of it.
    ex = make(engine, batch_size=8, batch_wait_ms=600_000)
    try:
        ex.admit()
        await asyncio.wait_for(ex.summarize("Alone in flight.", OPTS, far()), ex.batch_wait_s / 10)
        ex.release()

        ex.admit(2)  # a second document is in flight: the first waits for it and they share a call
        first = asyncio.ensure_future(ex.summarize("First of two.", OPTS, far()))
        await asyncio.sleep(0.1)
        await asyncio.gather(first, ex.summarize("Second of two.", OPTS, far()))
        ex.release(2)
        assert engine.calls == [1, 2]
    finally:
        ex.close()


async def test_service_errors_from_the_engine_reach_the_caller_unchanged() -> None:
    """An engine's InvalidInput comes back as that very error (its status intact), alone or batched."""
    from service.errors import InvalidInput

    class Refusing(FakeSummaryEngine):
        def summarize_batch(self, items: Any) -> Any:
            if any("REFUSE" in text for text, _ in items):
                raise InvalidInput("not this one", pointer="/summary/method")
            return super().summarize_batch(items)

    ex = make(Refusing(), batch_size=8, batch_wait_ms=50)
    try:
        outcomes = await asyncio.gather(
            ex.summarize("Fine text.", OPTS, far()),
            ex.summarize("REFUSE this.", OPTS, far()),
            return_exceptions=True,
        )
        assert not isinstance(outcomes[0], BaseException)
        assert isinstance(outcomes[1], InvalidInput)
        assert outcomes[1].status == 422
        assert outcomes[1].pointer == "/summary/method"
    finally:
        ex.close()


async def test_summary_metrics_are_labelled_with_the_engines_model_id() -> None:
    """Inference time is recorded under the model id the engine reports in its summaries."""
    ex = make(FakeSummaryEngine())
    try:
        await ex.summarize("One sentence.", OPTS, far())
        labels = {
            s.labels.get("model")
            for m in ex.metrics.registry.collect()
            if m.name == "analyzer_inference_duration_seconds"
            for s in m.samples
        }
        assert labels == {"fake-lead"}
    finally:
        ex.close()


async def test_language_detection_does_not_wait_behind_quotes() -> None:
    """While both quote threads are busy, language detection still runs at once."""
    gate = threading.Event()

    class Stuck(FakeQuoteEngine):
        def extract(self, text: str) -> Any:
            gate.wait(5)
            return super().extract(text)

    ex = Executor(FakeSummaryEngine(), Stuck(), Metrics.create())
    ex.start()
    try:
        busy = [asyncio.ensure_future(ex.extract_quotes(f"“Q{i},” said Ann.", far())) for i in range(2)]
        await asyncio.sleep(0.05)
        # Queued behind the quotes, detection would finish only after them (the gate times out).
        assert await ex.detect_language(str.upper, "en", far()) == "EN"
        assert not any(b.done() for b in busy)
        gate.set()
        await asyncio.gather(*busy)
    finally:
        gate.set()
        ex.close()

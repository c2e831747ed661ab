"""Abstractive summaries behind the check, in the service layer.

A generator writes the summary: an OpenAI-compatible endpoint (:class:`ChatGenerator`, called on
a small thread pool of its own so that a slow endpoint never holds up the summary batcher) or the
local seq2seq model (through the batcher, as before). The generated text is cut to the caller's
length, every sentence goes through the summary checker (on its own thread), and only the
supported ones are kept, each with its evidence in the article. When the generator fails (down,
slow, an answer that is not a chat completion, empty) or too little passes the check
(:mod:`service.engines.summarizer.checked`), the answer is the extractive summary, and
``summary.reason`` says why: an abstractive request never fails because of its generator.

The generator gets the request's deadline less ``llm_reserve_s``: the time kept for the check and
for the extractive fallback.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

import msgspec
import structlog

from service.config import Settings
from service.engines.summarizer.checked import (
    Checker,
    SentenceVerdict,
    apply_check,
    limit_generated,
    recheck_needed,
)
from service.engines.summarizer.generator import ChatGenerator, GeneratorError
from service.errors import DeadlineExceeded, ServiceError
from service.executor import Executor
from service.observability import Metrics, exc_location
from service.schemas import Summary, SummaryOptions

log = structlog.get_logger("service.abstractive")

T = TypeVar("T")
#: The generator label of the local seq2seq model.
SEQ2SEQ = "seq2seq"


class AbstractiveSummaries:
    """Generate, check, keep what the article supports, else fall back to the extractive summary."""

    def __init__(
        self,
        settings: Settings,
        executor: Executor,
        metrics: Metrics,
        *,
        generator: ChatGenerator | None,
        checker: Checker | None,
        local: bool,
    ) -> None:
        self.settings = settings
        self.executor = executor
        self.metrics = metrics
        self.generator = generator
        self.checker = checker
        #: Whether the local seq2seq model writes the summaries (no endpoint configured).
        self.local = local and generator is None
        threads = settings.llm_concurrency
        self._calls = ThreadPoolExecutor(threads, thread_name_prefix="generator") if generator else None
        self._checks = ThreadPoolExecutor(1, thread_name_prefix="summary-check")

    @property
    def enabled(self) -> bool:
        """Whether abstractive summaries are served at all."""
        return self.generator is not None or self.local

    @property
    def name(self) -> str:
        """Which generator writes the summaries (the ``generator`` of the answer and metrics)."""
        return self.generator.name if self.generator is not None else SEQ2SEQ

    def wants(self, options: SummaryOptions) -> bool:
        """Whether ``options`` ask for an abstractive summary (``auto`` does when one is served)."""
        return self.enabled and options.method in ("abstractive", "auto")

    def close(self) -> None:
        """Stop the threads (after the work they hold) and close the endpoint's connections."""
        if self._calls is not None:
            self._calls.shutdown(wait=True)
        self._checks.shutdown(wait=True)
        if self.generator is not None:
            self.generator.close()

    async def summarize(self, text: str, options: SummaryOptions, deadline: float) -> Summary:
        """The checked abstractive summary of ``text``, or the extractive one with a reason."""
        try:
            draft, model = await self._generate(text, options, deadline)
        except GeneratorError as e:
            self.metrics.generator_failures.labels(self.name, e.kind).inc()
            self.metrics.abstractive_fallbacks.labels("generator_failed").inc()
            log.warning("generator failed", generator=self.name, kind=e.kind, chars=len(text))
            why = f"the abstractive generator ({self.name}) failed: {e.message}"
            return await self._fallback(text, options, deadline, why)
        draft = limit_generated(draft, options)
        try:
            if self.checker is None:
                raise RuntimeError("no summary checker is configured")
            verdict = await _wait(self._checks.submit(self.checker.verify, text, draft), deadline)
            earlier: list[SentenceVerdict] = []
            if recheck_needed(verdict):
                earlier = [s for s in verdict.sentences if not s.supported]
                rest = " ".join(s.text for s in verdict.sentences if s.supported)
                verdict = await _wait(self._checks.submit(self.checker.verify, text, rest), deadline)
        except (DeadlineExceeded, TimeoutError):
            raise DeadlineExceeded("the request took longer than the service's deadline") from None
        except Exception as exc:  # noqa: BLE001 - an unchecked summary is never answered
            log.error("summary check failed", chars=len(text), **exc_location(exc))
            self.metrics.abstractive_fallbacks.labels("unchecked").inc()
            return await self._fallback(text, options, deadline, "the generated summary could not be checked")
        checked = apply_check(
            verdict,
            generator=self.name,
            model=model,
            min_kept=self.settings.abstractive_min_kept,
            earlier=earlier,
        )
        self.metrics.abstractive_sentences.labels(self.name, "kept").inc(checked.kept)
        self.metrics.abstractive_sentences.labels(self.name, "refused").inc(len(checked.refused))
        log.info("summary checked", generator=self.name, kept=checked.kept, refused=len(checked.refused))
        if checked.summary is None:
            self.metrics.abstractive_fallbacks.labels("unsupported").inc()
            summary = await self._fallback(text, options, deadline, checked.reason or "")
            return msgspec.structs.replace(summary, refused=checked.refused)
        return checked.summary

    async def _generate(self, text: str, options: SummaryOptions, deadline: float) -> tuple[str, str | None]:
        """The generator's text and model id; raises GeneratorError (the caller falls back)."""
        until = deadline - self.settings.llm_reserve_s
        started = time.perf_counter()
        self.metrics.generator_calls.labels(self.name).inc()
        try:
            if self.generator is not None:
                return await self._remote(self.generator, text, options, until), self.generator.model
            return await self._local(text, options, until)
        finally:
            self.metrics.generator_duration.labels(self.name).observe(time.perf_counter() - started)

    async def _remote(self, gen: ChatGenerator, text: str, options: SummaryOptions, until: float) -> str:
        assert self._calls is not None
        try:
            return await _wait(self._calls.submit(gen.generate, text, options, until), until)
        except TimeoutError:
            raise GeneratorError("timeout", "no answer came within the request's deadline") from None

    async def _local(self, text: str, options: SummaryOptions, until: float) -> tuple[str, str | None]:
        local = msgspec.structs.replace(options, method="abstractive")
        try:
            summary = await self.executor.summarize(text, local, until)
        except DeadlineExceeded:
            raise GeneratorError("timeout", "the local model did not finish in time") from None
        except ServiceError:
            raise
        except Exception as exc:  # noqa: BLE001 - the local model's failure falls back too
            log.error("local generator failed", chars=len(text), **exc_location(exc))
            raise GeneratorError("error", f"the local model failed ({type(exc).__name__})") from None
        if not summary.text.strip():
            raise GeneratorError("empty", "the local model wrote no text")
        return summary.text, summary.model

    async def _fallback(self, text: str, options: SummaryOptions, deadline: float, why: str) -> Summary:
        """The extractive summary, with ``reason`` saying why it is not the abstractive one."""
        extractive = msgspec.structs.replace(options, method="extractive")
        summary = await self.executor.summarize(text, extractive, deadline)
        reason = f"{why}; this is the extractive summary"
        if summary.reason:
            reason += f" ({summary.reason})"
        return msgspec.structs.replace(summary, reason=reason)


async def _wait(fut: Future[T], until: float) -> T:
    """``fut``'s result, or TimeoutError at ``until`` (a ``time.monotonic()`` instant); a job no
    thread has started by then is cancelled."""
    remaining = until - time.monotonic()
    if remaining <= 0:
        fut.cancel()
        raise TimeoutError
    return await asyncio.wait_for(asyncio.wrap_future(fut), timeout=remaining)

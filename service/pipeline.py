"""One batch pipeline: documents in, ``/v1/analyze`` answers out, outside a server.

The archive CLI and each worker of its Ray path run articles through :class:`BatchPipeline`, which
is the service's own batch path (:meth:`AnalysisService.analyze_batch`: the same checks, language
detection, micro-batched summaries beside the quote threads, the same answer types) driven from
synchronous code on a private event loop. Options are checked by the wire types' own limits
(:func:`batch_request`), and threads are set up by the one function the service uses.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence

import msgspec

from service.analysis import AnalysisService
from service.config import Settings
from service.engines.factory import Engines, build_engines, configure_threads
from service.errors import ModelLoadError
from service.observability import Metrics
from service.schemas import TRIM_NEEDS_MAX_WORDS, AnalyzeRequest, BatchItem, BatchRequest, Part

#: Placeholder text of the request template (replaced by each document's text).
_TEMPLATE_TEXT = "-"


class OptionsError(ValueError):
    """Batch options outside the limits of the wire types; ``field`` names the option."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def batch_request(
    *,
    parts: Sequence[Part] | None = None,
    max_sentences: int | None = None,
    max_words: int | None = None,
    trim: bool = False,
    on_unsupported_language: str = "refuse",
) -> AnalyzeRequest:
    """The request every document of a batch is sent as (its text and id filled in per document),
    validated by :class:`AnalyzeRequest`'s own limits: the same ones ``POST /v1/analyze`` applies."""
    summary = {k: v for k, v in (("max_sentences", max_sentences), ("max_words", max_words)) if v is not None}
    raw: dict[str, object] = {"text": _TEMPLATE_TEXT, "on_unsupported_language": on_unsupported_language}
    if summary or trim:
        raw["summary"] = {**summary, "trim": trim}
    if parts is not None:
        raw["include"] = list(parts)
    try:
        return msgspec.convert(raw, AnalyzeRequest)
    except msgspec.ValidationError as e:
        message, _, where = str(e).partition(" - at `$")
        field = where.rstrip("`").rpartition(".")[2]
        if message == TRIM_NEEDS_MAX_WORDS:
            field = "trim"
        raise OptionsError(message, field) from None


def for_document(template: AnalyzeRequest, text: str, doc_id: str, html: bool = False) -> AnalyzeRequest:
    """``template`` with one document's text (or HTML page) and id."""
    if html:
        return msgspec.structs.replace(template, text="", html=text, id=doc_id)
    return msgspec.structs.replace(template, text=text, id=doc_id)


class BatchPipeline:
    """Engines loaded once, then any number of batches through the service's batch path.

    ``chunk`` documents at most are in flight at once (a batch is cut into such chunks); each chunk
    gets the service's per-request deadline once per document, so that a chunk is never cut short
    by a deadline sized for one article.
    """

    def __init__(self, settings: Settings, engines: Engines | None = None, *, chunk: int = 16) -> None:
        self.chunk = max(1, min(chunk, settings.queue_size))
        timeout = settings.request_timeout_s * self.chunk
        self.settings = dataclasses.replace(settings, request_timeout_s=timeout)
        self.service = AnalysisService(self.settings, engines or build_engines(settings), Metrics.create())
        self._runner: asyncio.Runner | None = None

    def start(self) -> None:
        """Set up threads, load and warm the models; raises :class:`ModelLoadError` on failure."""
        configure_threads(self.settings)
        self.service.executor.start()
        self._runner = asyncio.Runner()
        self.service.load_models()
        if not self.service.readiness.ready:
            self.close()
            raise ModelLoadError(self.service.readiness.detail or "models failed to load")

    def analyze(self, requests: Sequence[AnalyzeRequest]) -> list[BatchItem]:
        """One outcome per request, in order: a result (status 200) or a problem, never an exception
        for one bad document. ``index`` counts from 0 over ``requests``."""
        if self._runner is None:
            raise RuntimeError("BatchPipeline.start() was not called")
        items: list[BatchItem] = []
        for at in range(0, len(requests), self.chunk):
            part = list(requests[at : at + self.chunk])
            answer = self._runner.run(self.service.analyze_batch(BatchRequest(documents=part)))
            for item in answer.results:
                item.index += at
                items.append(item)
        return items

    def close(self) -> None:
        """Finish what was admitted and stop the worker threads."""
        self.service.stop()
        if self._runner is not None:
            self._runner.close()
            self._runner = None

    def __enter__(self) -> BatchPipeline:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

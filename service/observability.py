"""Logging, request ids and metrics.

Logging follows structlog's recommended production shape: JSON lines on stdout, one canonical line
per request, and the standard library's loggers (uvicorn, transformers) routed through the same
processor chain. Article text and quotes are never logged: handlers bind only sizes, counts and ids.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import structlog
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from service.tracing import Tracing, finish_request

log = structlog.get_logger("service")

REQUEST_ID_HEADER = "x-request-id"
REQUEST_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"
_VALID_REQUEST_ID = re.compile(REQUEST_ID_PATTERN)
#: The media type of what :meth:`Metrics.exposition` writes, with its one charset parameter.
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST


# --------------------------------------------------------------------------------------------------
# Logging


def configure_logging(level: str = "info", fmt: str = "auto") -> None:
    """Set up structlog and route stdlib logging through it. Call once, from the entry point."""
    if fmt == "auto":
        fmt = "console" if sys.stdout.isatty() else "json"
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    renderer: Any
    if fmt == "json":
        shared.append(structlog.processors.format_exc_info)
        renderer = structlog.processors.JSONRenderer()
    else:
        renderer = structlog.dev.ConsoleRenderer(exception_formatter=structlog.dev.plain_traceback)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Uvicorn's access log would duplicate our canonical request line; its error log stays.
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").handlers[:] = []
    logging.getLogger("uvicorn.access").propagate = False
    # Libraries that are chatty at INFO about their own HTTP calls or file loads.
    for name in ("httpx", "httpcore", "transformers", "urllib3", "filelock"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))


def exc_location(exc: BaseException) -> dict[str, str]:
    """Type and innermost frame of an exception, for logs, without its message.

    Messages can embed input (a library quoting the text it choked on), so logs get where and what,
    never the message itself.
    """
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb is not None else "?"
    return {"exc_type": type(exc).__name__, "where": where}


# --------------------------------------------------------------------------------------------------
# Metrics


@dataclass(frozen=True)
class Metrics:
    """The service's Prometheus metrics, on a registry of their own (one per app instance)."""

    registry: CollectorRegistry
    requests: Counter
    request_duration: Histogram
    input_chars: Histogram
    queue_depth: Gauge
    batch_size: Histogram
    inference_duration: Histogram
    rejected: Counter
    model_info: Gauge
    ready: Gauge
    generator_calls: Counter
    generator_failures: Counter
    generator_duration: Histogram
    abstractive_sentences: Counter
    abstractive_fallbacks: Counter

    @classmethod
    def create(cls) -> Metrics:
        """A fresh set of metrics on a fresh registry, with the process, Python and GC collectors."""
        r = CollectorRegistry(auto_describe=True)
        for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
            r.register(collector)
        latency_buckets = (0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 3, 6, 12, 30)
        return cls(
            registry=r,
            requests=Counter(
                "analyzer_requests", "HTTP requests answered.", ["route", "method", "status"], registry=r
            ),
            request_duration=Histogram(
                "analyzer_request_duration_seconds",
                "Time from request to response.",
                ["route"],
                buckets=latency_buckets,
                registry=r,
            ),
            input_chars=Histogram(
                "analyzer_input_chars",
                "Length of submitted articles in characters.",
                ["route"],
                buckets=(500, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 500000),
                registry=r,
            ),
            queue_depth=Gauge("analyzer_queue_depth", "Documents admitted and not yet answered.", registry=r),
            batch_size=Histogram(
                "analyzer_batch_size",
                "Documents per model call.",
                buckets=(1, 2, 4, 8, 16, 32),
                registry=r,
            ),
            inference_duration=Histogram(
                "analyzer_inference_duration_seconds",
                "Time per engine call.",
                ["engine", "model"],
                buckets=latency_buckets,
                registry=r,
            ),
            rejected=Counter(
                "analyzer_rejected", "Documents refused before inference.", ["reason"], registry=r
            ),
            model_info=Gauge(
                "analyzer_model_info",
                "Loaded models (value 1).",
                ["model", "task", "revision", "licence"],
                registry=r,
            ),
            ready=Gauge("analyzer_ready", "1 when the service is ready to serve.", registry=r),
            **_abstractive_metrics(r, latency_buckets),
        )

    def exposition(self) -> bytes:
        """The registry in Prometheus text format (served with :data:`METRICS_CONTENT_TYPE`)."""
        return generate_latest(self.registry)


def _abstractive_metrics(r: CollectorRegistry, buckets: tuple[float, ...]) -> dict[str, Any]:
    """Abstractive summaries: the generator's calls, latency and failures, the check's verdicts."""
    return {
        "generator_calls": Counter(
            "analyzer_generator_calls", "Calls to the abstractive generator.", ["generator"], registry=r
        ),
        "generator_failures": Counter(
            "analyzer_generator_failures",
            "Generator calls that gave no usable text (timeout, unreachable, http_status, "
            "bad_response, empty, error).",
            ["generator", "reason"],
            registry=r,
        ),
        "generator_duration": Histogram(
            "analyzer_generator_duration_seconds",
            "Time per generator call, failed ones included.",
            ["generator"],
            buckets=buckets,
            registry=r,
        ),
        "abstractive_sentences": Counter(
            "analyzer_abstractive_sentences",
            "Generated summary sentences checked against the article, by verdict (kept, refused).",
            ["generator", "verdict"],
            registry=r,
        ),
        "abstractive_fallbacks": Counter(
            "analyzer_abstractive_fallbacks",
            "Abstractive requests answered with the extractive summary, by why (generator_failed, "
            "unsupported, unchecked).",
            ["reason"],
            registry=r,
        ),
    }


# --------------------------------------------------------------------------------------------------
# Request id + canonical log line + request metrics, as one pure ASGI middleware


def _request_id(headers: Iterable[tuple[bytes, bytes]]) -> str:
    for k, v in headers:
        if k.lower() == b"x-request-id":
            value = v.decode("latin-1").strip()
            if _VALID_REQUEST_ID.match(value):
                return value
            break
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Binds a request id, echoes it as ``X-Request-ID``, records metrics and writes one log line.

    It is plain ASGI (no body buffering) so that it costs microseconds per request.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics, tracing: Tracing | None = None) -> None:
        self.app = app
        self.metrics = metrics
        self.tracing = tracing or Tracing()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]  # lifespan scopes too
            await self.app(scope, receive, send)
            return
        rid = _request_id(scope["headers"])
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=rid)
        started = time.perf_counter()
        state: dict[str, Any] = {"status": 500, "bytes_out": 0}
        rid_header = (REQUEST_ID_HEADER.encode(), rid.encode())

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                message["headers"] = [*message.get("headers", []), rid_header]
            elif message["type"] == "http.response.body":
                state["bytes_out"] += len(message.get("body", b""))
            await send(message)

        with self.tracing.request(str(scope.get("method", "")), scope["headers"]) as span:
            try:
                await self.app(scope, receive, send_wrapper)
            finally:
                self._finish(scope, state, started, span)

    def _finish(self, scope: Scope, state: dict[str, Any], started: float, span: Any) -> None:
        """The request's metrics and canonical log line (and its span's route and status)."""
        elapsed = time.perf_counter() - started
        route = scope.get("path_template") or "unmatched"
        method = scope.get("method", "")
        status = state["status"]
        finish_request(span, route, status)
        self.metrics.requests.labels(route, method, str(status)).inc()
        self.metrics.request_duration.labels(route).observe(elapsed)
        bytes_in = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"content-length"), None
        )
        # Probes and scrapes come every few seconds: at debug, or they would be most of the log.
        probe = route.startswith(("/health", "/metrics"))
        (log.debug if probe else log.info)(
            "request",
            method=method,
            route=route,
            status=status,
            duration_ms=round(elapsed * 1000, 2),
            bytes_in=int(bytes_in) if bytes_in and bytes_in.isdigit() else 0,
            bytes_out=state["bytes_out"],
        )
        structlog.contextvars.clear_contextvars()

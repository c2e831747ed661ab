"""OpenTelemetry traces, exported over OTLP/HTTP (protobuf) when the standard variables ask for it.

Off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` is set (and
neither ``OTEL_SDK_DISABLED=true`` nor ``OTEL_TRACES_EXPORTER=none``). Off, nothing of OpenTelemetry
is imported and every call here returns a shared do-nothing context manager: no cost per request
beyond one attribute check.

On, each HTTP request gets a server span (named ``METHOD /route``), continuing the caller's trace
when it sends a W3C ``traceparent`` header, with child spans for the work: ``queue wait`` (a
summary waiting for the micro-batcher), ``language``, ``summary``, ``quotes`` and ``html
extraction``. Attributes are sizes, counts and ids, never text. The request's log line carries
``trace_id``. The SDK's own variables apply as documented by OpenTelemetry: the exporter's
(``OTEL_EXPORTER_OTLP_HEADERS``, ``_TIMEOUT``, ``_COMPRESSION``, ``_CERTIFICATE``…), the batch
processor's (``OTEL_BSP_*``), the sampler's (``OTEL_TRACES_SAMPLER``, ``_ARG``) and the resource's
(``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import structlog

log = structlog.get_logger("service.tracing")

SERVICE_NAME = "newsroom-analyzer"
#: The only OTLP protocol this service exports with.
PROTOCOL = "http/protobuf"
_NULL: AbstractContextManager[Any] = nullcontext()

Attrs = Mapping[str, str | int | float | bool]


def tracing_requested(environ: Mapping[str, str]) -> bool:
    """Whether the OTEL_* variables ask for trace export."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() == "none":
        return False
    return bool(
        environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").strip()
        or environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip()
    )


class Tracing:
    """The service's tracer: do-nothing (``Tracing()``) or exporting (:meth:`from_env`)."""

    def __init__(self, provider: Any = None) -> None:
        self._provider = provider
        self._tracer = provider.get_tracer("service") if provider is not None else None
        #: True when spans are recorded and exported.
        self.enabled = provider is not None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Tracing:
        """Exporting when the OTEL_* variables ask for it, else the do-nothing tracer."""
        environ = os.environ if environ is None else environ
        if not tracing_requested(environ):
            return cls()
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        protocol = environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or environ.get(
            "OTEL_EXPORTER_OTLP_PROTOCOL", PROTOCOL
        )
        if protocol.strip() != PROTOCOL:
            log.warning("otlp protocol not supported; exporting over http/protobuf", protocol=protocol)
        name = environ.get("OTEL_SERVICE_NAME") or SERVICE_NAME
        provider = TracerProvider(resource=Resource.create({"service.name": name}))
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        log.info("tracing on", exporter="otlp", protocol=PROTOCOL)
        return cls(provider)

    def shutdown(self) -> None:
        """Export what is buffered and stop (at the service's stop)."""
        if self._provider is not None:
            self._provider.shutdown()

    # -- spans ---------------------------------------------------------------------------------

    def request(self, method: str, headers: Iterable[tuple[bytes, bytes]]) -> AbstractContextManager[Any]:
        """The server span of one HTTP request, child of the caller's ``traceparent`` if any; binds
        ``trace_id`` for the request's log line. Yields the span (None when off)."""
        if self._tracer is None:
            return _NULL
        return self._request(method, headers)

    @contextmanager
    def _request(self, method: str, headers: Iterable[tuple[bytes, bytes]]) -> Iterator[Any]:
        from opentelemetry import trace
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

        carrier = {
            k.decode("latin-1").lower(): v.decode("latin-1")
            for k, v in headers
            if k.lower() in (b"traceparent", b"tracestate")
        }
        parent = TraceContextTextMapPropagator().extract(carrier) if carrier else None
        assert self._tracer is not None
        with self._tracer.start_as_current_span(
            method, context=parent, kind=trace.SpanKind.SERVER, attributes={"http.request.method": method}
        ) as span:
            ctx = span.get_span_context()
            if ctx.is_valid:
                structlog.contextvars.bind_contextvars(trace_id=format(ctx.trace_id, "032x"))
            yield span

    def span(self, name: str, attributes: Attrs | None = None) -> AbstractContextManager[Any]:
        """A child span of the current one for a piece of work. Yields the span (None when off)."""
        if self._tracer is None:
            return _NULL
        span: AbstractContextManager[Any] = self._tracer.start_as_current_span(name, attributes=attributes)
        return span

    def record(self, name: str, start_ns: int, end_ns: int, attributes: Attrs | None = None) -> None:
        """A finished child span with its times given (``time.time_ns()`` values)."""
        if self._tracer is None or end_ns <= 0:
            return
        self._tracer.start_span(name, start_time=start_ns, attributes=attributes).end(end_time=end_ns)


def finish_request(span: Any, route: str, status: int) -> None:
    """Name the server span after its route (known once routed) and record the status."""
    if span is None:
        return
    from opentelemetry.trace import Status, StatusCode

    method = span.attributes.get("http.request.method", "") if span.attributes else ""
    span.update_name(f"{method} {route}".strip())
    span.set_attribute("http.route", route)
    span.set_attribute("http.response.status_code", status)
    if status >= 500:
        span.set_status(Status(StatusCode.ERROR))


def now_ns() -> int:
    """Wall-clock nanoseconds, the time base of span start and end times."""
    return time.time_ns()

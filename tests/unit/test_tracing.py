"""The tracing module: off by default, OTLP/HTTP protobuf export when the OTEL_* variables say so."""

from __future__ import annotations

import pytest

from service.tracing import Tracing, finish_request, now_ns, tracing_requested
from tests.otlp_receiver import otlp_receiver

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


@pytest.mark.parametrize(
    ("env", "on"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_SDK_DISABLED": "true"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_TRACES_EXPORTER": "none"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": " "}, False),
    ],
)
def test_tracing_follows_the_standard_variables(env: dict[str, str], on: bool) -> None:
    """Export is on only when an OTLP endpoint is set and the SDK is not disabled."""
    assert tracing_requested(env) is on


def test_off_is_a_shared_no_op() -> None:
    """Off, every span is one shared do-nothing context manager yielding None."""
    t = Tracing.from_env({})
    assert not t.enabled
    assert t.request("POST", []) is t.span("summary")
    with t.request("POST", []) as span, t.span("summary") as child:
        assert span is None
        assert child is None
    t.record("queue wait", 1, 2)
    t.shutdown()


def test_spans_reach_an_otlp_http_receiver_with_the_callers_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spans are exported as OTLP/HTTP protobuf; the server span continues the caller's traceparent."""
    with otlp_receiver() as (endpoint, got):
        env = {
            "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
            "OTEL_SERVICE_NAME": "analyzer-test",
        }
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        t = Tracing.from_env()
        assert t.enabled
        headers = [(b"traceparent", f"00-{TRACE_ID}-{PARENT_ID}-01".encode())]
        with t.request("POST", headers) as server:
            with t.span("summary", {"analyzer.text_chars": 42}):
                pass
            start = now_ns()
            t.record("queue wait", start, start + 1000)
            finish_request(server, "/v1/analyze", 200)
        t.shutdown()
        spans = got.wait_for(3)
    by_name = {s.name: s for s in spans}
    assert set(by_name) == {"POST /v1/analyze", "summary", "queue wait"}
    root = by_name["POST /v1/analyze"]
    assert root.trace_id.hex() == TRACE_ID
    assert root.parent_span_id.hex() == PARENT_ID
    for child in ("summary", "queue wait"):
        assert by_name[child].trace_id == root.trace_id
        assert by_name[child].parent_span_id == root.span_id
    attrs = {a.key: a.value for a in by_name["summary"].attributes}
    assert attrs["analyzer.text_chars"].int_value == 42
    assert all(r["service.name"] == "analyzer-test" for r in got.resources)
    assert set(got.content_types) == {"application/x-protobuf"}

"""Traces through the HTTP stack: a span per request, child spans for its work, the caller's W3C
traceparent honoured, OTLP/HTTP protobuf to a real receiver, the trace id in the log line."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from service.observability import configure_logging
from tests.conftest import ARTICLE, app_with, wait_ready
from tests.otlp_receiver import Received, otlp_receiver

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
PARENT_ID = "b7ad6b7169203331"
SECRET = "Quixotic tramway"
PAGE = (Path(__file__).parents[1] / "data" / "article_page.html").read_text(encoding="utf-8")


@pytest.fixture
def traced(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[tuple[Received, Any]]:
    """An app exporting to a loopback OTLP/HTTP receiver (as the standard variables configure it)."""
    with otlp_receiver() as (endpoint, got):
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
        monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "50")
        try:
            yield got, capsys
        finally:
            logging.getLogger().handlers[:] = []


def by_name(spans: list[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for s in spans:
        out.setdefault(s.name, []).append(s)
    return out


def test_request_span_with_children_continues_the_callers_trace(traced: tuple[Received, Any]) -> None:
    """POST /v1/analyze: a server span under the caller's parent, language/summary/quotes/queue wait
    below it, sizes as attributes and no text anywhere; the log line carries the trace id."""
    got, capsys = traced
    configure_logging("info", "json")  # here: capsys captures the test's call only
    text = f"{ARTICLE} The {SECRET} opens in spring."
    with TestClient(app_with()) as c:
        wait_ready(c)
        headers = {"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01", "X-Request-ID": "req-t1"}
        assert c.post("/v1/analyze", json={"text": text, "id": "doc-5"}, headers=headers).status_code == 200
    spans = by_name(got.wait_for(5))
    (root,) = spans["POST /v1/analyze"]
    assert root.trace_id.hex() == TRACE_ID
    assert root.parent_span_id.hex() == PARENT_ID
    assert root.kind == 2  # SPAN_KIND_SERVER
    attrs = {a.key: a.value for a in root.attributes}
    assert attrs["http.response.status_code"].int_value == 200
    assert attrs["http.route"].string_value == "/v1/analyze"
    (summary,) = spans["summary"]
    for name in ("language", "summary", "quotes"):
        (child,) = spans[name]
        assert child.trace_id == root.trace_id
        assert child.parent_span_id == root.span_id, name
    (wait,) = spans["queue wait"]
    assert wait.parent_span_id == summary.span_id
    assert wait.end_time_unix_nano >= wait.start_time_unix_nano
    assert SECRET.encode() not in b"".join(s.SerializeToString() for s in got.spans)
    logged = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    (line,) = [r for r in logged if r.get("event") == "request" and r.get("request_id") == "req-t1"]
    assert line["trace_id"] == TRACE_ID


def test_html_and_batch_spans(traced: tuple[Received, Any]) -> None:
    """A batch has a span per document; a page's extraction has its own span with its sizes."""
    got, _ = traced
    with TestClient(app_with()) as c:
        wait_ready(c)
        r = c.post("/v1/analyze/batch", json={"documents": [{"html": PAGE}, {"text": ARTICLE}]})
        assert r.status_code == 200
    spans = by_name(got.wait_for(12))
    (root,) = spans["POST /v1/analyze/batch"]
    docs = spans["document"]
    assert len(docs) == 2
    assert {d.parent_span_id for d in docs} == {root.span_id}
    (extraction,) = spans["html extraction"]
    assert extraction.parent_span_id in {d.span_id for d in docs}
    attrs = {a.key: a.value.int_value for a in extraction.attributes}
    assert attrs["analyzer.html_chars"] == len(PAGE)
    assert 0 < attrs["analyzer.text_chars"] < len(PAGE)


def test_no_traceparent_starts_a_new_trace(traced: tuple[Received, Any]) -> None:
    """Without a traceparent the server span is a root of a new trace."""
    got, _ = traced
    with TestClient(app_with()) as c:
        wait_ready(c)
        c.post("/v1/quotes", json={"text": ARTICLE})
    (root,) = by_name(got.wait_for(3))["POST /v1/quotes"]
    assert root.parent_span_id == b""
    assert root.trace_id.hex() != TRACE_ID


def test_off_without_the_variables(capsys: pytest.CaptureFixture[str]) -> None:
    """With no OTEL_* endpoint, the service exports nothing and logs no trace id."""
    configure_logging("info", "json")
    try:
        with TestClient(app_with()) as c:
            wait_ready(c)
            c.post("/v1/analyze", json={"text": ARTICLE}, headers={"X-Request-ID": "req-off"})
            assert not c.app.state.analysis.tracing.enabled
    finally:
        logging.getLogger().handlers[:] = []
    logged = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    (line,) = [r for r in logged if r.get("request_id") == "req-off" and r.get("event") == "request"]
    assert "trace_id" not in line

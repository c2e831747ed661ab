"""Logs: one JSON line per request with sizes and ids, never article text, quotes or tokens."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from service.engines.fakes import FakeSummaryEngine
from service.observability import configure_logging
from tests.conftest import app_with, wait_ready

SECRET_WORDS = "Zanzibarquux marmalade"
TEXT = (
    f"The {SECRET_WORDS} committee met on Monday. “Our {SECRET_WORDS} plan is final,” said Ann Lee. "
    "It was a long meeting."
)
TOKEN = "tok-abcdefghijklmnop-XYZ"


@pytest.fixture
def json_logs(capsys: pytest.CaptureFixture[str]) -> Iterator[pytest.CaptureFixture[str]]:
    # Logging is configured inside the test (see `start`): capsys only captures during the call.
    yield capsys
    logging.getLogger().handlers[:] = []


def start() -> None:
    configure_logging("info", "json")


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    out = capsys.readouterr().out
    return [json.loads(x) for x in out.splitlines() if x.startswith("{")]


def test_one_canonical_line_per_request_without_text(json_logs: pytest.CaptureFixture[str]) -> None:
    """A request logs route, status, duration, sizes and request id, and none of the article or quotes."""
    start()
    with TestClient(app_with(api_token=TOKEN)) as c:
        wait_ready(c)
        auth = {"Authorization": f"Bearer {TOKEN}", "X-Request-ID": "req-42"}
        assert c.post("/v1/analyze", json={"text": TEXT, "id": "doc-9"}, headers=auth).status_code == 200
        assert (
            c.post(
                "/v1/analyze", json={"text": TEXT}, headers={"Authorization": "Bearer wrong-token-value"}
            ).status_code
            == 401
        )
    records = lines(json_logs)
    raw = json.dumps(records)
    assert SECRET_WORDS.split(maxsplit=1)[0] not in raw
    assert "plan is final" not in raw
    assert TOKEN not in raw
    assert "wrong-token-value" not in raw
    req = [r for r in records if r.get("event") == "request" and r.get("request_id") == "req-42"]
    assert len(req) == 1
    line = req[0]
    assert line["route"] == "/v1/analyze"
    assert line["status"] == 200
    assert line["text_chars"] == len(TEXT)
    assert line["doc_id"] == "doc-9"
    assert line["duration_ms"] >= 0
    assert line["bytes_in"] > 0
    assert line["quotes"] == 1


def test_engine_errors_are_logged_without_their_message(json_logs: pytest.CaptureFixture[str]) -> None:
    """An engine exception that quotes the input is logged by type and place, not by message."""
    start()

    class Leaky(FakeSummaryEngine):
        def summarize_batch(self, items: Any) -> Any:
            raise ValueError(f"cannot parse: {items[0][0]}")

    with TestClient(app_with(summary=Leaky())) as c:
        wait_ready(c)
        assert c.post("/v1/analyze", json={"text": TEXT}).status_code == 500
    records = lines(json_logs)
    assert SECRET_WORDS.split(maxsplit=1)[0] not in json.dumps(records)
    assert any(r.get("exc_type") == "ValueError" for r in records)


def test_a_bug_in_an_engine_is_logged_at_the_engines_own_line(json_logs: pytest.CaptureFixture[str]) -> None:
    """The 500's log line points at the engine's raising line (this file), not into asyncio."""
    start()

    class Buggy(FakeSummaryEngine):
        def summarize_batch(self, items: Any) -> Any:
            return items[len(items)]  # an IndexError raised here

    with TestClient(app_with(summary=Buggy())) as c:
        wait_ready(c)
        r = c.post("/v1/analyze", json={"text": TEXT})
        assert r.status_code == 500
        assert "IndexError" not in r.text
    errors = [x for x in lines(json_logs) if x.get("exc_type") == "IndexError"]
    assert errors, "the bug is logged"
    assert all(x["where"].startswith(__file__) for x in errors), errors
    assert all("asyncio" not in x["where"] for x in errors)


def test_probes_and_scrapes_log_at_debug_only(json_logs: pytest.CaptureFixture[str]) -> None:
    """At info level, /health and /metrics requests write no log line; API requests still do."""
    start()
    with TestClient(app_with()) as c:
        wait_ready(c)
        for _ in range(3):
            c.get("/health/ready")
            c.get("/health/live")
            c.get("/metrics")
        c.post("/v1/analyze", json={"text": TEXT})
    routes = [r.get("route") for r in lines(json_logs) if r.get("event") == "request"]
    assert routes == ["/v1/analyze"]

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

"""Admission under overload (429 with Retry-After, nothing else) and deadlines (504, slot freed)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from litestar.testing import TestClient

from service.engines.fakes import FakeSummaryEngine
from tests.conftest import ARTICLE, app_with, wait_ready


def _queue_depth(metrics_text: str) -> float:
    line = next(x for x in metrics_text.splitlines() if x.startswith("analyzer_queue_depth "))
    return float(line.split()[1])


def test_64_clients_against_a_queue_of_8_get_only_200_or_429() -> None:
    """With a slowed engine, 64 concurrent requests on a queue of 8 get 200s and 429s (Retry-After)."""
    app = app_with(summary=FakeSummaryEngine(delay_s=0.05), queue_size=8, batch_size=2)
    with TestClient(app) as c:
        wait_ready(c)
        barrier = threading.Barrier(64)

        def one(i: int) -> Any:
            barrier.wait(10)  # all 64 in flight together, not one after another
            return c.post("/v1/analyze", json={"text": ARTICLE, "id": f"c{i}"})

        with ThreadPoolExecutor(64) as pool:
            rs = list(pool.map(one, range(64)))
        statuses = [r.status_code for r in rs]
        assert set(statuses) == {200, 429}, statuses
        assert statuses.count(200) >= 8
        for r in rs:
            if r.status_code == 429:
                assert int(r.headers["retry-after"]) >= 1
                assert r.headers["content-type"].startswith("application/problem+json")
                assert r.json()["type"] == "/problems/overloaded"
            else:
                assert r.json()["summary"]["text"]
        assert _queue_depth(c.get("/metrics").text) == 0


def test_request_past_its_deadline_gets_504_and_frees_its_slot() -> None:
    """ANALYZER_REQUEST_TIMEOUT_S=0.2 with a 1 s engine: a 504 problem, then queue depth back to 0."""
    with TestClient(app_with(summary=FakeSummaryEngine(delay_s=1.0), request_timeout_s=0.2)) as c:
        wait_ready(c)
        r = c.post("/v1/analyze", json={"text": ARTICLE * 50})
        assert r.status_code == 504
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["type"] == "/problems/deadline-exceeded"
        assert "deadline" in problem["detail"]
        assert _queue_depth(c.get("/metrics").text) == 0
        # The freed slot is usable: a quotes-only request (no slow summary) answers at once.
        assert c.post("/v1/quotes", json={"text": ARTICLE}).status_code == 200

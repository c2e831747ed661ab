"""The analysis service's seam: readiness as one state machine, the server's drain, and the
service handed to handlers by dependency injection."""

from __future__ import annotations

import signal
import time

import uvicorn
from litestar.testing import TestClient

from service.analysis import AnalysisService
from service.app import create_app
from service.engines.factory import Engines
from service.engines.fakes import FakeQuoteEngine, FakeSummaryEngine
from service.engines.language import LanguageDetector
from service.errors import ModelLoadError
from service.readiness import Readiness
from service.server import DrainingServer
from tests.conftest import ARTICLE, app_with, make_settings, wait_ready


def test_readiness_moves_only_forward() -> None:
    """starting → ok → draining; a failed or draining service never becomes ready again."""
    changes: list[bool] = []
    r = Readiness(on_change=changes.append)
    assert r.state == "starting"
    assert not r.ready
    assert r.loaded()
    assert r.ready
    assert r.drain()
    assert not r.loaded()
    assert r.state == "draining"
    assert not r.failed("late")
    assert changes == [True, False]


def test_failed_readiness_keeps_its_reason_and_is_not_drained() -> None:
    """A failure from starting is final: draining leaves it failed, with its detail."""
    r = Readiness()
    assert r.failed("checksum mismatch")
    assert not r.drain()
    assert (r.state, r.detail) == ("failed", "checksum mismatch")


def test_drain_turns_readiness_503_while_requests_are_still_served() -> None:
    """After drain(), /health/ready answers 503 `draining` with Retry-After and the metric turns 0;
    admitted work still runs (the orchestrator stops routing, nothing in flight is cut)."""
    with TestClient(app_with()) as c:
        wait_ready(c)
        svc: AnalysisService = c.app.state.analysis
        svc.drain()
        ready = c.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["status"] == "draining"
        assert ready.headers["retry-after"]
        assert "analyzer_ready 0.0" in c.get("/metrics").text
        assert c.post("/v1/analyze", json={"text": ARTICLE}).status_code == 200


def test_the_servers_signal_handler_drains_through_the_service() -> None:
    """The first SIGTERM calls the service's drain; the server itself stops only after drain_s."""
    with TestClient(app_with()) as c:
        wait_ready(c)
        svc: AnalysisService = c.app.state.analysis
        server = DrainingServer(uvicorn.Config(c.app), svc, drain_s=30)
        server.handle_exit(signal.SIGTERM, None)
        assert svc.readiness.state == "draining"
        assert not server.should_exit
        server.handle_exit(signal.SIGTERM, None)  # a second signal stops at once
        assert server.should_exit


def test_handlers_get_the_apps_own_service() -> None:
    """Two apps side by side answer from their own service (injected, not a process global)."""
    with TestClient(app_with()) as a, TestClient(app_with()) as b:
        wait_ready(a)
        wait_ready(b)
        a.app.state.analysis.drain()
        assert a.get("/health/ready").status_code == 503
        assert b.get("/health/ready").status_code == 200


def test_a_language_model_that_cannot_load_means_never_ready() -> None:
    """The language model loads with the others: if it fails, readiness fails and says why."""

    class Broken(LanguageDetector):
        def load(self) -> None:
            raise ModelLoadError("language model: file model.npz.xz is unreadable")

    engines = Engines(summary=FakeSummaryEngine(), quotes=FakeQuoteEngine(), language=Broken())
    with TestClient(create_app(make_settings(), engines)) as c:
        end = time.monotonic() + 10
        while c.get("/health/ready").json()["status"] == "starting" and time.monotonic() < end:
            time.sleep(0.02)
        ready = c.get("/health/ready").json()
    assert ready["status"] == "failed"
    assert "model.npz.xz" in ready["detail"]

"""Shared fixtures: apps wired to deterministic fake engines, and their test clients."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from service.app import create_app
from service.config import Settings, load_settings
from service.engines.factory import Engines
from service.engines.fakes import FakeQuoteEngine, FakeSummaryEngine

# Shared assertion helpers get pytest's detailed failure messages too.
pytest.register_assert_rewrite("tests.summary_rules")

ARTICLE = (
    "The city council approved a new tram line on Tuesday after a long debate.\n"
    "“This is the most important decision we have made in a decade,” said Mayor Jane Porter.\n"
    "Opponents said the cost, estimated at 300 million, was too high. The first trams will run in 2029."
)


def make_settings(**overrides: Any) -> Settings:
    """Settings for tests: fake engines unless told otherwise, nothing read from the environment."""
    overrides.setdefault("engines", "fake")
    return load_settings({}, **overrides)


def wait_ready(client: TestClient[Litestar], timeout: float = 10.0) -> None:
    """Block until /health/ready answers 200 (models load in a background thread)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if client.get("/health/ready").status_code == 200:
            return
        time.sleep(0.01)
    raise AssertionError("service did not become ready")


@pytest.fixture
def client() -> Iterator[TestClient[Litestar]]:
    """A ready test client over an app with fake engines."""
    with TestClient(create_app(make_settings())) as c:
        wait_ready(c)
        yield c


def app_with(summary: Any = None, quotes: Any = None, **settings: Any) -> Litestar:
    """An app over the given engines (fakes by default) and settings overrides."""
    engines = Engines(summary=summary or FakeSummaryEngine(), quotes=quotes or FakeQuoteEngine())
    return create_app(make_settings(**settings), engines)

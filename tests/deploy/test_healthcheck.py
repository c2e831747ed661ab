"""The image's HEALTHCHECK script (deploy/healthcheck.py) against a stub server on loopback."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "healthcheck.py"
TOKEN = "test-token-0123456789"


class _Handler(http.server.BaseHTTPRequestHandler):
    """200 on /health/ready unless the server is told to fail or to require the token."""

    def do_GET(self) -> None:
        server = self.server
        authorised = self.headers.get("Authorization") == f"Bearer {TOKEN}"
        ok = self.path in {"/health/ready", "/health/live"} and not server.failing  # type: ignore[attr-defined]
        if server.require_token and not authorised:  # type: ignore[attr-defined]
            ok = False
        self.send_response(200 if ok else 503)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def stub() -> Iterator[http.server.HTTPServer]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    server.failing = False  # type: ignore[attr-defined]
    server.require_token = False  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def run(server: http.server.HTTPServer, *args: str, **env: str) -> int:
    environ = {"ANALYZER_PORT": str(server.server_address[1]), **env}
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), *args], env=environ, capture_output=True, timeout=20, check=False
    )
    return proc.returncode


def test_ready_service_is_healthy_through_a_wildcard_bind(stub: http.server.HTTPServer) -> None:
    """ANALYZER_HOST=0.0.0.0 (the image default) is checked on loopback."""
    assert run(stub, ANALYZER_HOST="0.0.0.0") == 0


def test_unready_service_is_unhealthy(stub: http.server.HTTPServer) -> None:
    """A 503 from readiness (loading, draining) makes the check fail."""
    stub.failing = True  # type: ignore[attr-defined]
    assert run(stub, ANALYZER_HOST="127.0.0.1") == 1


def test_path_argument_selects_the_endpoint(stub: http.server.HTTPServer) -> None:
    """The chart's exec probes pass /health/live or /health/ready as the argument."""
    assert run(stub, "/health/live", ANALYZER_HOST="127.0.0.1") == 0
    assert run(stub, "/nope", ANALYZER_HOST="127.0.0.1") == 1


def test_token_is_sent_only_when_ops_endpoints_are_protected(stub: http.server.HTTPServer) -> None:
    """With ANALYZER_AUTH_OPS the bearer token goes along; without it, it is never sent."""
    stub.require_token = True  # type: ignore[attr-defined]
    assert run(stub, ANALYZER_HOST="127.0.0.1", ANALYZER_API_TOKEN=TOKEN) == 1
    assert run(stub, ANALYZER_HOST="127.0.0.1", ANALYZER_API_TOKEN=TOKEN, ANALYZER_AUTH_OPS="true") == 0


def test_nothing_listening_is_unhealthy() -> None:
    """A closed port fails quickly instead of hanging."""
    environ = {"ANALYZER_HOST": "127.0.0.1", "ANALYZER_PORT": "1"}
    proc = subprocess.run(
        [sys.executable, str(SCRIPT)], env=environ, capture_output=True, timeout=20, check=False
    )
    assert proc.returncode == 1

"""The service as a real subprocess (``python -m service serve``) on 127.0.0.1, with its logs captured.

Every server a check starts goes through :class:`Server`, which always ends the process (SIGTERM,
then SIGKILL of its process group) and appends the process's stdout and stderr to a log file, so
that the log-leak scan sees every line any server wrote during the run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from reliability import http

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class ServerFailed(RuntimeError):
    """The server exited or never became ready."""


class Server:
    """One service process. Use as a context manager; the process never outlives the block."""

    def __init__(self, log_path: Path, python: str = sys.executable, **env: Any) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.python = python
        # A clean ANALYZER_* environment: only what the check asks for, plus loopback and JSON logs.
        base = {k: v for k, v in os.environ.items() if not k.startswith("ANALYZER_")}
        base.update(
            {
                "ANALYZER_HOST": HOST,
                "ANALYZER_PORT": str(self.port),
                "ANALYZER_LOG_FORMAT": "json",
                "PYTHONUNBUFFERED": "1",
            }
        )
        base.update({f"ANALYZER_{k.upper()}": str(v) for k, v in env.items()})
        self.env = base
        self.proc: subprocess.Popen[bytes] | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> Server:
        """Start the process; returns at once (see :meth:`wait_ready`)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        try:
            self.proc = subprocess.Popen(  # noqa: S603 - our interpreter, fixed argv
                [self.python, "-m", "service", "serve"],
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            log.close()
        return self

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.kill()

    def kill(self) -> None:
        """End the process and anything it started; idempotent."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(10)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            pass
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def terminate(self) -> None:
        """Send SIGTERM to the server process only (the graceful path under test)."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)

    @property
    def pid(self) -> int:
        """The server's process id."""
        assert self.proc is not None
        return self.proc.pid

    def exited(self) -> bool:
        """True once the process has ended."""
        return self.proc is not None and self.proc.poll() is not None

    # -- probes --------------------------------------------------------------------------------

    def get(self, path: str, headers: dict[str, str] | None = None, timeout: float = 5.0) -> http.Result:
        """One GET on a fresh connection."""
        return http.send(HOST, self.port, "GET", path, headers=headers, timeout=timeout)

    def wait_ready(self, timeout: float = 180.0) -> float:
        """Block until /health/ready answers 200; return the seconds it took. Raises ServerFailed."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.exited():
                raise ServerFailed(f"server exited with code {self.proc.returncode if self.proc else '?'}")
            r = self.get("/health/ready", timeout=2.0)
            if r.outcome == http.OK and r.status == 200:
                return time.monotonic() - t0
            if r.outcome == http.OK and r.status == 503 and b'"failed"' in r.body:
                raise ServerFailed("readiness reports that model loading failed")
            time.sleep(0.05)
        raise ServerFailed(f"not ready within {timeout:.0f} s")

    def rss_bytes(self) -> int:
        """Resident set size of the server process, from /proc."""
        with open(f"/proc/{self.pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError("VmRSS missing")

    def metric(self, name: str, headers: dict[str, str] | None = None) -> float | None:
        """The value of an unlabelled series on /metrics, or None when absent."""
        r = self.get("/metrics", headers=headers)
        if r.outcome != http.OK or r.status != 200:
            return None
        for line in r.body.decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        return None

    def log_text(self) -> str:
        """Everything this run's server processes wrote to this log file so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

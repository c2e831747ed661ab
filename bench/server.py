"""The server under test: started in its own session, always killed on exit; its metrics."""

from __future__ import annotations

import contextlib
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServerConfig:
    """One way to run the service: extra ANALYZER_* variables and the launcher."""

    name: str
    env: dict[str, str] = field(default_factory=dict)
    launcher: str = "service"  # "service" (python -m service serve) or "granian"


def server_command(cfg: ServerConfig, port: int) -> list[str]:
    """The command line that starts the service for ``cfg``."""
    py = sys.executable
    if cfg.launcher == "granian":
        workers = cfg.env.get("ANALYZER_WORKERS", "1")
        return [
            py,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            workers,
            "--no-ws",
            "service.app:create_app",
        ]
    if cfg.launcher != "service":
        raise ValueError(f"unknown launcher {cfg.launcher!r}")
    return [py, "-m", "service", "serve"]


class Server:
    """The service in a subprocess of its own session; always killed (group-wide) on exit."""

    def __init__(self, cfg: ServerConfig, engines: str, log_path: Path, ready_timeout_s: float = 120) -> None:
        self.cfg = cfg
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "ANALYZER_ENGINES": engines,
            "ANALYZER_HOST": "127.0.0.1",
            "ANALYZER_PORT": str(self.port),
            "ANALYZER_LOG_FORMAT": "json",
            # Nothing waits on the bench's own SIGTERM: stop without the readiness drain.
            "ANALYZER_DRAIN_S": "0",
            **cfg.env,
        }
        self.log_path = log_path
        self.ready_timeout_s = ready_timeout_s
        self.proc: subprocess.Popen[bytes] | None = None
        self.startup_s = math.nan

    def __enter__(self) -> Server:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            server_command(self.cfg, self.port),
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            self._wait_ready(t0)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        """The server's (supervisor's) process id."""
        assert self.proc is not None
        return self.proc.pid

    def _wait_ready(self, t0: float) -> None:
        import httpx

        # Several workers answer /health/ready in turn; only a run of 200s means all are ready.
        needed = 1 if int(self.cfg.env.get("ANALYZER_WORKERS", "1")) <= 1 else 8
        streak = 0
        end = time.monotonic() + self.ready_timeout_s
        while time.monotonic() < end:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                # A fresh connection each time so that another worker may answer it.
                r = httpx.get(self.url + "/health/ready", timeout=2)
                streak = streak + 1 if r.status_code == 200 else 0
            except httpx.HTTPError:
                streak = 0
            if streak >= needed:
                if math.isnan(self.startup_s):
                    self.startup_s = time.perf_counter() - t0
                return
            if streak == 1 and math.isnan(self.startup_s):
                self.startup_s = time.perf_counter() - t0
            time.sleep(0.05 if streak == 0 else 0.01)
        raise TimeoutError(f"server not ready after {self.ready_timeout_s:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        """SIGTERM the server's process group, then SIGKILL whatever is left."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


def scrape_metrics(url: str) -> dict[str, float]:
    """``/metrics`` as ``{"name{labels}": value}``; empty if it cannot be read."""
    import httpx

    try:
        text = httpx.get(url + "/metrics", timeout=5).text
    except httpx.HTTPError:
        return {}
    return parse_prometheus(text)


_SAMPLE = re.compile(r"^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?)\s+(\S+)")


def parse_prometheus(text: str) -> dict[str, float]:
    """Samples of a Prometheus text exposition; comments and malformed lines are skipped."""
    out: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if m:
            with contextlib.suppress(ValueError):
                out[m.group(1)] = float(m.group(2))
    return out


def metric_sum(samples: dict[str, float], name: str, label_filter: str = "") -> float:
    """Sum of every sample named ``name`` (any labels) whose labels contain ``label_filter``."""
    total = 0.0
    for key, value in samples.items():
        base, _, labels = key.partition("{")
        if base == name and label_filter in labels:
            total += value
    return total

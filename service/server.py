"""Running the app under uvicorn with a graceful, drain-first shutdown.

On SIGTERM (or SIGINT) readiness turns 503 at once, so the orchestrator stops routing new work here;
after ``drain_s`` the server stops accepting connections, lets accepted requests finish (up to
``shutdown_timeout_s``), runs the lifespan shutdown, which finishes queued inference, and exits.
A second signal skips the drain.
"""

from __future__ import annotations

import threading
from types import FrameType

import structlog
import uvicorn

from service.analysis import AnalysisService
from service.app import create_app
from service.config import Settings
from service.observability import configure_logging

log = structlog.get_logger("service.server")


class DrainingServer(uvicorn.Server):
    """uvicorn's server with a drain period between the signal and the stop."""

    def __init__(self, config: uvicorn.Config, analysis: AnalysisService, drain_s: float) -> None:
        super().__init__(config)
        self.analysis = analysis
        self.drain_s = drain_s
        self._draining = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """First signal: turn unready and stop after the drain period. Second: stop now."""
        self.analysis.drain()
        if self._draining or self.drain_s <= 0:
            super().handle_exit(sig, frame)
            return
        self._draining = True
        log.info("stopping after the drain period", seconds=self.drain_s)
        timer = threading.Timer(self.drain_s, super().handle_exit, args=(sig, frame))
        timer.daemon = True
        timer.start()


def serve(settings: Settings) -> None:
    """Run the service until a signal stops it."""
    configure_logging(settings.log_level, settings.log_format)
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        lifespan="on",
        server_header=False,
        timeout_graceful_shutdown=int(settings.shutdown_timeout_s),
    )
    analysis: AnalysisService = app.state.analysis
    log.info(
        "starting",
        host=settings.host,
        port=settings.port,
        engines=settings.engines,
        threads=settings.threads,
        queue_size=settings.queue_size,
        batch_size=settings.batch_size,
    )
    DrainingServer(config, analysis, settings.drain_s).run()

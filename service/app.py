"""The application factory: ``create_app(settings, engines=None) -> Litestar``. No work at import."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from litestar import Litestar, Router
from litestar.connection import ASGIConnection
from litestar.di import Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import DefineMiddleware

from service.analysis import AnalysisService
from service.api import docs
from service.api.ops import HealthController, metrics, models, playground
from service.api.routes import AnalyzeController, VerifyController
from service.config import Settings, load_settings
from service.engines.factory import Engines, build_engines, configure_threads
from service.errors import Unauthorized, exception_handlers
from service.observability import Metrics, RequestContextMiddleware
from service.tracing import Tracing
from service.verification import VerifyService

log = structlog.get_logger("service.app")


def create_app(settings: Settings | None = None, engines: Engines | None = None) -> Litestar:
    """Build the ASGI app. Models load in the background after startup; /health/ready says when."""
    settings = settings or load_settings()
    metrics_ = Metrics.create()
    tracing = Tracing.from_env()
    svc = AnalysisService(settings, engines or build_engines(settings), metrics_, tracing)
    verifier = VerifyService(svc, svc.engines.checker) if svc.engines.checker is not None else None

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        configure_threads(settings)
        svc.start()
        try:
            yield
        finally:
            svc.stop()
            tracing.shutdown()
            if verifier is not None:
                verifier.close()
            log.info("stopped")

    guards = [_bearer_guard(settings.api_token)] if settings.api_token else []
    ops_guards = guards if settings.auth_ops else []
    # The playground page, the docs page's assets and the problem pages hold no data (and a
    # browser cannot send a bearer header when opening a page), so they are never guarded.
    open_handlers: list[Any] = [docs.asset, docs.problem_type, *([playground] if settings.playground else [])]
    app = Litestar(
        route_handlers=[
            Router("/", route_handlers=[AnalyzeController, VerifyController, models], guards=guards),
            Router("/", route_handlers=[HealthController, metrics], guards=ops_guards),
            *open_handlers,
        ],
        dependencies={
            "svc": Provide(lambda: svc, use_cache=True, sync_to_thread=False),
            "verifier": Provide(lambda: verifier, use_cache=True, sync_to_thread=False),
        },
        lifespan=[lifespan],
        openapi_config=docs.openapi_config(settings, ops_guards),
        middleware=[DefineMiddleware(RequestContextMiddleware, metrics=metrics_, tracing=tracing)],
        exception_handlers=exception_handlers(),
        request_max_body_size=settings.max_body_bytes,
        logging_config=None,  # stdlib logging is routed through structlog by configure_logging
        debug=False,
    )
    docs.complete(app.openapi_schema, settings)
    app.state.analysis = svc  # for the server's drain, which runs outside any request
    return app


def _bearer_guard(token: str) -> Any:
    expected = token.encode()

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        header = connection.headers.get("authorization", "")
        scheme, _sep, given = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected):
            raise Unauthorized(
                "a valid `Authorization: Bearer <token>` header is required",
                headers={"WWW-Authenticate": 'Bearer realm="analyzer"'},
            )

    return guard

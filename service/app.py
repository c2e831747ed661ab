"""The application factory: ``create_app(settings, engines=None) -> Litestar``. No work at import."""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from litestar import Litestar, Request, Response, Router
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from service import __version__
from service.analysis import AnalysisService, Readiness
from service.api.ops import HealthController, metrics, models, playground
from service.api.routes import AnalyzeController
from service.config import Settings, load_settings
from service.engines.executor import Executor
from service.engines.factory import Engines, build_engines
from service.errors import ServiceError, Unauthorized, status_title
from service.observability import Metrics, RequestContextMiddleware, exc_location
from service.schemas import Problem

log = structlog.get_logger("service.app")

PROBLEM_JSON = "application/problem+json"


# --------------------------------------------------------------------------------------------------
# Errors → RFC 9457 problem details (the single mapping)


def _problem(
    request: Request[Any, Any, Any],
    status: int,
    title: str,
    detail: str | None,
    type_uri: str = "about:blank",
    *,
    headers: dict[str, str] | None = None,
) -> Response[Problem]:
    body = Problem(title=title, status=status, type=type_uri, detail=detail, instance=request.url.path)
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _service_error(request: Request[Any, Any, Any], exc: ServiceError) -> Response[Problem]:
    return _problem(request, exc.status, exc.title, exc.detail, exc.type_uri, headers=exc.headers)


def _validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Problem]:
    # Litestar reports msgspec's type/limit errors with `extra`; a malformed document without.
    if isinstance(exc.extra, list) and exc.extra:
        msgs = []
        for item in exc.extra:
            if isinstance(item, dict):
                key = item.get("key")
                where = f"`{key}`: " if key and key != "data" else ""
                msgs.append(f"{where}{item.get('message', 'invalid value')}")
        return _problem(
            request, 422, "Unprocessable Content", "; ".join(msgs) or exc.detail, "/problems/invalid-input"
        )
    return _problem(request, 400, "Bad Request", _clean_detail(exc.detail), "/problems/bad-request")


def _clean_detail(detail: str) -> str:
    if "JSON is malformed" in detail or "truncated" in detail or "utf-8" in detail.lower():
        return f"the body is not valid JSON: {detail.split(': ', 1)[-1]}"
    return detail


def _http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    status = exc.status_code
    detail = exc.detail if status < 500 else None
    if status == 413:
        detail = "the request body is larger than this service accepts"
    elif status == 400:
        detail = _clean_detail(exc.detail)
    headers = dict((exc.headers or {}).items())
    slug = {
        400: "bad-request",
        401: "unauthorized",
        404: "not-found",
        405: "method-not-allowed",
        413: "payload-too-large",
    }.get(status, "http-error")
    return _problem(request, status, status_title(status), detail, f"/problems/{slug}", headers=headers)


def _bad_encoding(request: Request[Any, Any, Any], exc: UnicodeDecodeError) -> Response[Problem]:
    return _problem(request, 400, "Bad Request", "the body is not valid UTF-8", "/problems/bad-request")


def _too_deep(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Problem]:
    return _problem(
        request, 400, "Bad Request", "the JSON body is nested too deeply", "/problems/bad-request"
    )


def _internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    # Logged with its type and traceback, never returned: internals stay inside.
    log.error("unhandled error", **exc_location(exc))
    return _problem(
        request,
        500,
        "Internal Server Error",
        "the service failed to handle this request; it has been logged",
        "/problems/internal",
    )


# --------------------------------------------------------------------------------------------------
# Auth


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


# --------------------------------------------------------------------------------------------------
# Lifecycle


def _load_models(engines: Engines, svc: AnalysisService, state: State, metrics: Metrics) -> None:
    """Load and warm the models in a worker thread, then flip readiness."""
    t = time.perf_counter()
    try:
        engines.summary.load()
        engines.summary.warmup()
        engines.quotes.extract("“Warm-up,” she said.")
    except Exception as exc:  # noqa: BLE001 - any load failure means: never ready, say why
        svc.readiness.state = "failed"
        svc.readiness.detail = str(exc) if isinstance(exc, ServiceError) else type(exc).__name__
        log.error("model loading failed", reason=svc.readiness.detail, **exc_location(exc))
        return
    infos = [*engines.summary.models(), *engines.quotes.models()]
    state.model_infos = infos
    for m in infos:
        metrics.model_info.labels(m.id, m.task, m.revision or m.sha256 or "", m.licence or "").set(1)
    if svc.readiness.state == "starting":
        svc.readiness.state = "ok"
        metrics.ready.set(1)
    log.info("models ready", seconds=round(time.perf_counter() - t, 2), models=[m.id for m in infos])


def create_app(settings: Settings | None = None, engines: Engines | None = None) -> Litestar:
    """Build the ASGI app. Models load in the background after startup; /health/ready says when."""
    settings = settings or load_settings()
    engines = engines or build_engines(settings)
    metrics_ = Metrics.create()
    readiness = Readiness()
    executor = Executor(
        engines.summary,
        engines.quotes,
        metrics_,
        queue_size=settings.queue_size,
        batch_size=settings.batch_size,
        batch_wait_ms=settings.batch_wait_ms,
        summary_model=engines.summary_model,
    )
    svc = AnalysisService(settings, executor, metrics_, readiness)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        _apply_threads(settings)
        executor.start()
        loader = threading.Thread(
            target=_load_models, args=(engines, svc, app.state, metrics_), name="model-loader", daemon=True
        )
        loader.start()
        try:
            yield
        finally:
            if readiness.state != "failed":
                readiness.state = "draining"
            metrics_.ready.set(0)
            executor.close(settings.shutdown_timeout_s)
            log.info("stopped")

    guards = [_bearer_guard(settings.api_token)] if settings.api_token else []
    ops_guards = guards if settings.auth_ops else []
    handlers: list[Any] = [AnalyzeController, models]
    ops_handlers: list[Any] = [HealthController, metrics]
    # The playground page holds no data (it calls /v1 with the token the user types), and a
    # browser cannot send a bearer header when opening a page, so it is never behind the guard.
    open_handlers: list[Any] = [playground] if settings.playground else []

    openapi = OpenAPIConfig(
        title="Newsroom Analyzer",
        version=__version__,
        description=(
            "Summaries from a local transformer model and every direct quote with its speaker. "
            "Offsets are Python str (code point) offsets into the request's `text`. Errors are "
            "RFC 9457 problem details."
        ),
        path="/schema",
        # The schema document and docs page sit behind the same guard as health and metrics.
        openapi_router=Router("/schema", route_handlers=[], guards=ops_guards, include_in_schema=False),
        render_plugins=[ScalarRenderPlugin()],
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="Set when the service runs with ANALYZER_API_TOKEN.",
                ),
            }
        )
        if settings.api_token
        else Components(),
        security=[{"bearer": []}] if settings.api_token else None,
    )
    return Litestar(
        route_handlers=[
            Router("/", route_handlers=handlers, guards=guards),
            Router("/", route_handlers=ops_handlers, guards=ops_guards),
            *open_handlers,
        ],
        lifespan=[lifespan],
        openapi_config=openapi,
        state=State({"analysis": svc, "model_infos": [], "settings": settings}),
        middleware=[DefineMiddleware(RequestContextMiddleware, metrics=metrics_)],
        exception_handlers={
            ServiceError: _service_error,
            ValidationException: _validation_error,
            NotAuthorizedException: _http_error,
            HTTPException: _http_error,
            UnicodeDecodeError: _bad_encoding,
            RecursionError: _too_deep,
            Exception: _internal_error,
        },
        request_max_body_size=settings.max_body_bytes,
        logging_config=None,  # stdlib logging is routed through structlog by configure_logging
        debug=False,
    )


def _apply_threads(settings: Settings) -> None:
    """Torch threads follow the CPUs this process may really use (cgroup quota), not the node's."""
    if settings.engines == "fake":
        return
    import torch

    torch.set_num_threads(settings.torch_threads)
    log.info("torch threads", threads=settings.torch_threads, encoder_streams=settings.encoder_streams)

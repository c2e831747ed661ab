"""Operations endpoints: liveness, readiness, metrics, loaded models, and the playground page."""

from __future__ import annotations

from importlib import resources

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.response import File

from service.analysis import AnalysisService
from service.observability import METRICS_CONTENT_TYPE
from service.schemas import Health, ModelsResponse


def _health(description: str, *examples: Example) -> ResponseSpec:
    return ResponseSpec(Health, description=description, generate_examples=False, examples=list(examples))


_LOADING = Example(summary="Models still loading", value={"status": "starting"})
_DRAINING = Example(summary="Shutting down", value={"status": "draining"})
_FAILED = Example(
    summary="Loading failed for good",
    value={
        "status": "failed",
        "detail": "model sentence-transformers/all-MiniLM-L6-v2: file model.safetensors is missing",
    },
)
_OK = Example(summary="Ready", value={"status": "ok"})


class HealthController(Controller):
    """Probes for the orchestrator."""

    path = "/health"
    tags = ["operations"]  # noqa: RUF012 - Litestar reads class attributes

    @get(
        "/live",
        operation_id="live",
        summary="Liveness",
        responses={
            200: _health("The process can serve (models may still be loading).", _OK),
            503: _health("Model loading failed for good; restart the process.", _FAILED),
        },
    )
    async def live(self, svc: NamedDependency[AnalysisService]) -> Response[Health]:
        """200 while the process can serve at all; 503 once model loading has failed for good."""
        r = svc.readiness
        if r.state == "failed":
            return Response(Health(status="failed", detail=r.detail), status_code=503)
        return Response(Health(status="ok"), status_code=200)

    @get(
        "/ready",
        operation_id="ready",
        summary="Readiness",
        responses={
            200: _health("Models are loaded and warm: send traffic.", _OK),
            503: _health(
                "Not ready: loading, draining for shutdown, or failed. Carries Retry-After.",
                _LOADING,
                _DRAINING,
                _FAILED,
            ),
        },
    )
    async def ready(self, svc: NamedDependency[AnalysisService]) -> Response[Health]:
        """200 only once models are loaded and warmed; 503 while loading, draining or failed."""
        r = svc.readiness
        if r.ready:
            return Response(Health(status="ok"), status_code=200)
        headers = {} if r.state == "failed" else {"Retry-After": "5"}
        return Response(Health(status=r.state, detail=r.detail), status_code=503, headers=headers)


@get("/metrics", operation_id="metrics", include_in_schema=False, sync_to_thread=False)
def metrics(svc: NamedDependency[AnalysisService]) -> Response[bytes]:
    """Prometheus text exposition of this process's metrics."""
    # Set as a header, so that the framework does not append a second charset to the media type.
    return Response(svc.metrics.exposition(), headers={"content-type": METRICS_CONTENT_TYPE})


@get("/v1/models", operation_id="models", tags=["operations"], summary="Loaded models")
async def models(svc: NamedDependency[AnalysisService]) -> ModelsResponse:
    """Model ids, where their weights came from, revision or checksum, and licence."""
    return ModelsResponse(models=svc.models)


@get("/playground", include_in_schema=False, sync_to_thread=False)
def playground() -> File:
    """The playground page: paste an article, see quotes, speakers and summary."""
    path = resources.files("service") / "static" / "playground.html"
    return File(path=str(path), content_disposition_type="inline", media_type="text/html")

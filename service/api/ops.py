"""Operations endpoints: liveness, readiness, metrics, loaded models, and the playground page."""

from __future__ import annotations

from importlib import resources

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.response import File
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from service.analysis import AnalysisService
from service.schemas import Health, ModelInfo, ModelsResponse


class HealthController(Controller):
    """Probes for the orchestrator."""

    path = "/health"
    tags = ["operations"]  # noqa: RUF012 - Litestar reads class attributes

    @get("/live", operation_id="live", summary="Liveness")
    async def live(self, state: State) -> Response[Health]:
        """200 while the process can serve at all; 503 once model loading has failed for good."""
        svc: AnalysisService = state.analysis
        if svc.readiness.state == "failed":
            return Response(Health(status="failed", detail=svc.readiness.detail), status_code=503)
        return Response(Health(status="ok"), status_code=200)

    @get("/ready", operation_id="ready", summary="Readiness")
    async def ready(self, state: State) -> Response[Health]:
        """200 only once models are loaded and warmed; 503 while loading and while draining."""
        svc: AnalysisService = state.analysis
        r = svc.readiness
        status = "ok" if r.ready else r.state
        return Response(
            Health(status=status, detail=r.detail),  # type: ignore[arg-type]
            status_code=200 if r.ready else 503,
        )


@get("/metrics", operation_id="metrics", include_in_schema=False, sync_to_thread=False)
def metrics(state: State) -> Response[bytes]:
    """Prometheus text exposition of this process's metrics."""
    svc: AnalysisService = state.analysis
    return Response(generate_latest(svc.metrics.registry), media_type=CONTENT_TYPE_LATEST)


@get("/v1/models", operation_id="models", tags=["operations"], summary="Loaded models")
async def models(state: State) -> ModelsResponse:
    """Model ids, where their weights came from, revision or checksum, and licence."""
    infos: list[ModelInfo] = state.model_infos
    return ModelsResponse(models=infos)


@get("/playground", include_in_schema=False, sync_to_thread=False)
def playground() -> File:
    """The playground page: paste an article, see quotes, speakers and summary."""
    path = resources.files("service") / "static" / "playground.html"
    return File(path=str(path), content_disposition_type="inline", media_type="text/html")

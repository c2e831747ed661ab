"""The one place that turns settings into engines."""

from __future__ import annotations

from dataclasses import dataclass, field

import structlog

from service.config import Settings
from service.engines.base import QuoteEngine, SummaryEngine
from service.engines.language import LanguageDetector

log = structlog.get_logger("service.engines")

#: Summary methods every summary engine serves; ``abstractive`` needs a configured model.
EXTRACTIVE_METHODS = frozenset({"auto", "extractive"})


@dataclass(frozen=True)
class Engines:
    """The engines an app instance serves with, and what they can do (checked before admission)."""

    summary: SummaryEngine
    quotes: QuoteEngine
    summary_model: str = "summary"
    summary_methods: frozenset[str] = EXTRACTIVE_METHODS
    language: LanguageDetector = field(default_factory=LanguageDetector)


def build_engines(settings: Settings) -> Engines:
    """Real engines (default) or the deterministic fakes (``ANALYZER_ENGINES=fake``).

    Construction is cheap: weights are loaded later by ``SummaryEngine.load`` in a worker thread,
    so that the process answers liveness while it loads.
    """
    if settings.engines == "fake":
        from service.engines.fakes import FakeQuoteEngine, FakeSummaryEngine

        return Engines(summary=FakeSummaryEngine(), quotes=FakeQuoteEngine(), summary_model="fake-lead")

    # Imported here so that importing the app does not import torch.
    from service.engines.quotes import RuleQuoteEngine
    from service.engines.summarizer import SummarizerConfig, create_summary_engine

    config = SummarizerConfig(
        encoder_dir=settings.encoder_dir,
        abstractive_dir=settings.abstractive_dir,
        encoder_dtype=settings.encoder_dtype,
        encoder_streams=settings.encoder_streams,
        encoder_layers=settings.encoder_layers,
        candidate_pool=settings.summary_pool,
        content_selector=settings.summary_selector,
        max_new_tokens=settings.gen_max_new_tokens,
        num_beams=settings.gen_num_beams,
    )
    methods = EXTRACTIVE_METHODS | ({"abstractive"} if settings.abstractive_dir else set())
    return Engines(
        summary=create_summary_engine(config),
        quotes=RuleQuoteEngine(),
        summary_model="sentence-encoder",
        summary_methods=methods,
    )


def configure_threads(settings: Settings) -> None:
    """Torch threads follow the CPUs this process may really use (cgroup quota), not the node's:
    the one thread set-up of the service, the archive CLI and each of its Ray workers."""
    if settings.engines == "fake":
        return
    import torch

    torch.set_num_threads(settings.torch_threads)
    log.info("torch threads", threads=settings.torch_threads, encoder_streams=settings.encoder_streams)

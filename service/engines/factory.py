"""The one place that turns settings into engines."""

from __future__ import annotations

from dataclasses import dataclass, field

import structlog

from service.config import Settings
from service.engines.base import QuoteEngine, SummaryCheckerEngine, SummaryEngine
from service.engines.language import LanguageDetector
from service.engines.summarizer.generator import ChatEndpoint, ChatGenerator

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
    #: The summary checker behind /v1/verify and every generated summary sentence (None: /v1/verify
    #: answers 503, and a generated summary cannot be checked, so it is never answered).
    checker: SummaryCheckerEngine | None = None
    #: The OpenAI-compatible endpoint that writes abstractive summaries (None: none configured).
    generator: ChatGenerator | None = None


def build_engines(settings: Settings) -> Engines:
    """Real engines (default) or the deterministic fakes (``ANALYZER_ENGINES=fake``).

    Construction is cheap: weights are loaded later by ``SummaryEngine.load`` in a worker thread,
    so that the process answers liveness while it loads.
    """
    if settings.engines == "fake":
        from service.engines.fakes import FakeQuoteEngine, FakeSummaryEngine
        from service.engines.verify.fake import FakeSummaryChecker

        return Engines(
            summary=FakeSummaryEngine(),
            quotes=FakeQuoteEngine(),
            summary_model="fake-lead",
            checker=FakeSummaryChecker(),
            generator=build_generator(settings),
            summary_methods=_methods(settings),
        )

    # Imported here so that importing the app does not import torch.
    from service.engines.quotes import RuleQuoteEngine
    from service.engines.summarizer import SummarizerConfig, create_summary_engine
    from service.engines.verify import SummaryChecker

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
    quotes = RuleQuoteEngine()
    return Engines(
        summary=create_summary_engine(config),
        quotes=quotes,
        # Its own full-depth float32 encoder (as trained), not the summariser's cut one.
        checker=SummaryChecker(
            quotes=quotes, encoder_dir=settings.encoder_dir, lm_dir=settings.verify_lm_dir
        ),
        summary_model="sentence-encoder",
        summary_methods=_methods(settings),
        generator=build_generator(settings),
    )


def _methods(settings: Settings) -> frozenset[str]:
    return EXTRACTIVE_METHODS | ({"abstractive"} if settings.abstractive else set())


def build_generator(settings: Settings) -> ChatGenerator | None:
    """The OpenAI-compatible generator when ``llm_url`` is set (its key read now, from the
    setting or the file), else None."""
    if not settings.llm_url or not settings.llm_model:
        return None
    endpoint = ChatEndpoint(
        url=settings.llm_url,
        model=settings.llm_model,
        api_key=settings.llm_key(),
        timeout_s=settings.llm_timeout_s,
        max_tokens=settings.llm_max_tokens,
        prompt=settings.llm_prompt,
    )
    return ChatGenerator(endpoint)


def configure_threads(settings: Settings) -> None:
    """Torch threads follow the CPUs this process may really use (cgroup quota), not the node's:
    the one thread set-up of the service, the archive CLI and each of its Ray workers."""
    if settings.engines == "fake":
        return
    import torch

    torch.set_num_threads(settings.torch_threads)
    log.info("torch threads", threads=settings.torch_threads, encoder_streams=settings.encoder_streams)

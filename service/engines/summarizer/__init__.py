"""The summary engine: extractive by default, abstractive when a seq2seq model is configured.

``create_summary_engine(config)`` is the one entry point; the returned object satisfies
:class:`service.engines.base.SummaryEngine`.
"""

from __future__ import annotations

from service.engines.errors import UnsupportedOption
from service.engines.summarizer.abstractive import AbstractiveSummarizer
from service.engines.summarizer.config import SummarizerConfig
from service.engines.summarizer.extractive import ExtractiveSummarizer
from service.schemas import ModelInfo, Summary, SummaryOptions

__all__ = [
    "AbstractiveSummarizer",
    "ExtractiveSummarizer",
    "SummarizerConfig",
    "SummaryEngineImpl",
    "create_summary_engine",
]


class SummaryEngineImpl:
    """Routes each item to the extractive or the abstractive summariser by its ``method``.

    ``auto`` means abstractive when an abstractive model is configured, else extractive.
    ``abstractive`` without a configured model is an :class:`UnsupportedOption` for that batch (the
    service refuses such requests before they are queued; a direct caller gets the error).
    """

    def __init__(
        self,
        extractive: ExtractiveSummarizer,
        abstractive: AbstractiveSummarizer | None = None,
    ) -> None:
        self.extractive = extractive
        self.abstractive = abstractive

    def load(self) -> None:
        """Load and verify every configured model (ModelLoadError on failure)."""
        self.extractive.load()
        if self.abstractive is not None:
            self.abstractive.load()

    def warmup(self) -> None:
        """One small inference through each configured path."""
        self.extractive.warmup()
        if self.abstractive is not None:
            self.abstractive.warmup()

    def models(self) -> list[ModelInfo]:
        """Every model this engine uses."""
        out = self.extractive.models()
        if self.abstractive is not None:
            out += self.abstractive.models()
        return out

    def summarize_batch(self, items: list[tuple[str, SummaryOptions]]) -> list[Summary]:
        """One summary per item, same order; extractive and abstractive items are batched apart."""
        routes = [self._route(opts) for _, opts in items]
        results: list[Summary | None] = [None] * len(items)
        for route in ("extractive", "abstractive"):
            idx = [i for i, r in enumerate(routes) if r == route]
            if not idx:
                continue
            engine = self.extractive if route == "extractive" else self.abstractive
            assert engine is not None
            for i, summary in zip(idx, engine.summarize_batch([items[i] for i in idx]), strict=True):
                results[i] = summary
        return [r for r in results if r is not None]

    def _route(self, options: SummaryOptions) -> str:
        if options.method == "extractive":
            return "extractive"
        if options.method == "abstractive":
            if self.abstractive is None:
                raise UnsupportedOption(
                    "abstractive summaries need an abstractive model, and none is configured",
                    field="/summary/method",
                )
            return "abstractive"
        return "abstractive" if self.abstractive is not None else "extractive"


def create_summary_engine(config: SummarizerConfig) -> SummaryEngineImpl:
    """The summary engine for ``config``; call ``load()`` then ``warmup()`` before use."""
    abstractive = AbstractiveSummarizer(config) if config.abstractive_dir else None
    return SummaryEngineImpl(ExtractiveSummarizer(config), abstractive)

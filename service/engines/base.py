"""The small, backend-neutral interfaces every engine implements.

The HTTP layer and the batching executor only know these protocols; the real engines and the fakes
used by fast tests both satisfy them.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from service.schemas import ModelInfo, QuotesResult, Summary, SummaryOptions


@runtime_checkable
class QuoteEngine(Protocol):
    """Finds every direct quote of an article and who said it. Pure CPU, thread-safe."""

    def load(self) -> None:
        """Load and verify any models; raise ``models.types.ModelLoadError`` on failure."""
        ...

    def warmup(self) -> None:
        """Run the engine once on a short text so that the first request pays no one-off costs."""
        ...

    def extract(self, text: str) -> QuotesResult:
        """Quotes in document order with exact offsets into ``text``, plus the speakers list."""
        ...

    def models(self) -> list[ModelInfo]:
        """Models (if any) this engine relies on."""
        ...


@runtime_checkable
class SummaryEngine(Protocol):
    """Summarises articles. ``summarize_batch`` lets the executor batch concurrent requests."""

    def load(self) -> None:
        """Load and verify weights; raise ``models.types.ModelLoadError`` on failure."""
        ...

    def warmup(self) -> None:
        """Run one small inference so that the first request pays no one-off costs."""
        ...

    def summarize_batch(self, items: list[tuple[str, SummaryOptions]]) -> list[Summary]:
        """One summary per (text, options), same order. May raise per batch; the executor then
        retries items one by one so that one bad document does not fail the others."""
        ...

    def models(self) -> list[ModelInfo]:
        """The models this engine loaded (id, source, revision/sha256, licence)."""
        ...

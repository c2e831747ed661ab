"""Helpers shared by the quote engine's unit tests."""

from __future__ import annotations

from service.schemas import QuotesResult


def speaker_of(result: QuotesResult, words: str) -> str | None:
    """The speaker's name of the one quote containing ``words`` (the test fails if not exactly one)."""
    hits = [q for q in result.quotes if words in q.text]
    assert len(hits) == 1, words
    return hits[0].speaker.name if hits[0].speaker else None


def mention_of(result: QuotesResult, words: str) -> str | None:
    """The speaker mention of the one quote containing ``words`` (the test fails if not exactly one)."""
    hits = [q for q in result.quotes if words in q.text]
    assert len(hits) == 1, words
    return hits[0].speaker.mention if hits[0].speaker else None

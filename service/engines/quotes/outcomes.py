"""Typed outcomes of quote attribution: which rule (or model) settled a quote (:class:`How`), the
evidence it found (:class:`Attr`), a quote found in the text (:class:`Found`), and the quotes with
their attributions as one pipeline step hands them to the next (:class:`Draft`)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from service.engines.quotes.context import Mention
from service.engines.quotes.marks import RawSpan


class How(StrEnum):
    """The rule (or model) that attributed a quote; compares equal to its string value."""

    LABEL = "label"
    AFTER = "after"
    BEFORE = "before"
    COLON = "colon"
    PREVIOUS = "previous"
    NEXT = "next"
    CONTINUED = "continued"
    RESUMED = "resumed"
    FINAL = "final"
    SUBJECT = "subject"
    RANKED = "ranked"


@dataclass(frozen=True, slots=True)
class Attr:
    """Evidence for one quote's speaker."""

    mention: Mention
    cue: str | None
    how: How


@dataclass(frozen=True, slots=True)
class Found:
    """A quote found in the article: its marks, paragraph and offsets (no verdict yet)."""

    span: RawSpan
    para: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Draft:
    """The quotes of an article and the attribution of each so far (None: nobody yet), as one
    step of the pipeline hands them to the next; steps return a new draft, never edit one."""

    quotes: tuple[Found, ...]
    attrs: tuple[Attr | None, ...]

    def head(self, n: int) -> Draft:
        """The first ``n`` quotes and their attributions."""
        return Draft(self.quotes[:n], self.attrs[:n])

    def with_attrs(self, attrs: Sequence[Attr | None]) -> Draft:
        """The same quotes with new attributions for the first ``len(attrs)`` of them."""
        return Draft(self.quotes, (*attrs, *self.attrs[len(attrs) :]))


def inside(starts: list[int], spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` lies in one of the sorted, disjoint ``spans`` (``starts`` their starts)."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]

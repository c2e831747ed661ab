"""Typed outcomes of quote attribution: which rule (or model) settled a quote (:class:`How`), the
evidence it found (:class:`Attr`), and a quote being attributed (:class:`Pending`)."""

from __future__ import annotations

import bisect
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


@dataclass(slots=True)
class Attr:
    """Evidence for one quote's speaker."""

    mention: Mention
    cue: str | None
    how: How


@dataclass(slots=True)
class Pending:
    """A quote being attributed: its marks, paragraph, offsets and the evidence so far."""

    span: RawSpan
    para: int
    start: int
    end: int
    attr: Attr | None = None


def inside(starts: list[int], spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` lies in one of the sorted, disjoint ``spans`` (``starts`` their starts)."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]

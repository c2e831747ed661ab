"""Quoted terms: short quoted words or phrases that an article lists or names rather than
reports as speech ("bans “iconic”, “game-changer” and “literally”").

Such a span is not a quote when nothing marks it as someone's words: it sits in a list of three or
more short quoted items (joined by commas, semicolons, "and", "or", a slash) and no cue verb
attributes it. The engine drops these spans; a term attributed by a cue ("called the plan
“shambolic”, “reckless” and “cruel”") stays a (partial) quote of its speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

#: Words a quoted term has at most.
TERM_WORDS = 4
#: Items a list of terms has at least; two short quotes joined by "and" are as often one speaker's
#: words ("called it “profane” and “sexist”").
LIST_ITEMS = 3
_JOINER = re.compile(r"\s*(?:,|;|/|,?\s*(?:and|or|nor))?\s*", re.IGNORECASE)


class _Span(Protocol):
    @property
    def open_at(self) -> int: ...
    @property
    def close_at(self) -> int: ...
    @property
    def closed(self) -> bool: ...


def _short(text: str, sp: _Span) -> bool:
    return sp.closed and len(text[sp.open_at + 1 : sp.close_at].split()) <= TERM_WORDS


def term_list(text: str, spans: Sequence[_Span], items: int = LIST_ITEMS) -> set[int]:
    """Indexes of ``spans`` (in document order) that are items of a list of at least ``items``
    short quoted terms."""
    out: set[int] = set()
    chain = [0]
    for i in range(1, len(spans) + 1):
        joined = False
        if i < len(spans):
            a, b = spans[i - 1], spans[i]
            gap = text[a.close_at + 1 : b.open_at]
            joined = _short(text, a) and _short(text, b) and "\n" not in gap and bool(_JOINER.fullmatch(gap))
        if joined:
            chain.append(i)
            continue
        if len(chain) >= items:
            out.update(chain)
        chain = [i]
    return out

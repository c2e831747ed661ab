"""Quoted spans that name something rather than report speech, read from the words just before
the opening mark (no list of the quoted phrases themselves):

- a title of a work: a title-cased span after a work noun, directly, after a comma, or after a
  naming verb ("the film “Night Shift”", "her memoir, “Salt Roads”", "a documentary called
  “The Last Shift”");
- a "so-called" label ("the so-called “super league”"), the author's distance from a term;
- a word cited as a word ("the term “low-key”") that no cue verb attributes.

PolNeAR's annotators count some such spans as quotes (its titles after "titled", the terms a
named speaker is said to use), so the last class is dropped only when no cue attributes it.
"""

from __future__ import annotations

import re

from service.engines.quotes.lexicon import CITING_NOUNS, TITLE_SMALL, WORK_NOUNS
from service.engines.quotes.outcomes import Attr, How

#: Words a title or a label has at most.
TITLE_WORDS = 8
LABEL_WORDS = 4
_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_NAMING = frozenset({"called", "entitled", "titled", "named"})
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "his", "her", "its", "their", "our", "my"})


def _title_case(inner: str) -> bool:
    ws = _WORD.findall(inner)
    return bool(ws) and ws[0][:1].isupper() and all(w[:1].isupper() or w in TITLE_SMALL for w in ws)


def _before(left: str) -> tuple[list[str], bool]:
    """The last words before the opening mark (lower case) and whether a comma ends them."""
    stripped = left.rstrip(" “\"‘'")
    return [w.lower() for w in _WORD.findall(stripped[-60:])], stripped.endswith(",")


def named_not_spoken(left: str, inner: str, attr: Attr | None) -> bool:
    """Whether a quoted span (``inner``, with the paragraph's text before its opening mark
    ``left``) names a work, a label or a word instead of quoting anyone."""
    words, comma = _before(left)
    if not words:
        return False
    n = len(inner.split())
    last = words[-1]
    if n <= TITLE_WORDS and _title_case(inner):
        if last in WORK_NOUNS:
            return True
        if last in _NAMING and not comma and len(words) >= 2 and words[-2] in WORK_NOUNS:
            return True
    if comma or n > LABEL_WORDS:
        return False
    if last == "so-called" or words[-2:] == ["so", "called"]:
        return True
    cued = attr is not None and attr.cue is not None and attr.how in (How.AFTER, How.BEFORE)
    return last in CITING_NOUNS and len(words) >= 2 and words[-2] in _DETERMINERS and not cued

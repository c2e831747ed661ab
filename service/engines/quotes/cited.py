"""Quoted spans that name something rather than report speech, read from the words just before
the opening mark (no list of the quoted phrases themselves):

- a title of a work: a title-cased span after a work noun, directly, after a comma, after a
  naming verb or "of" ("the film “Night Shift”", "her memoir, “Salt Roads”", "a documentary
  called “The Last Shift”", "Sunday’s episode of “Morning Table”"), before one ("her “Straight
  Talk” podcast"), or after an acronym's possessive (a broadcaster's programme: "RTV’s “Evening
  Desk”");
- a "so-called" label ("the so-called “super league”"), the author's distance from a term;
- a word cited as a word ("the term “low-key”") that no cue verb attributes;
- a nickname inside a name ("Marcus “Tank” Odell").

PolNeAR's annotators count some such spans as quotes (its titles after "titled", the terms a
named speaker is said to use), so the last class is dropped only when no cue attributes it.
"""

from __future__ import annotations

import re

from service.engines.quotes.evidence import is_given_name
from service.engines.quotes.lexicon import CITING_NOUNS, TITLE_SMALL, WORK_NOUNS
from service.engines.quotes.outcomes import Attr, How

#: Words a title or a label has at most.
TITLE_WORDS = 8
LABEL_WORDS = 4
_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_TITLE_WORD = re.compile(r"[A-Za-z0-9][\w’'-]*")
_NAMING = frozenset({"called", "entitled", "titled", "named"})
_ACRONYM_POSSESSIVE = re.compile(r"[A-Z]{2,}[’']s")
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "his", "her", "its", "their", "our", "my"})


def _title_case(inner: str) -> bool:
    """Capitalised words (a number may open one: "13th", "9th Street") but for small ones."""
    ws = _TITLE_WORD.findall(inner)
    return (
        bool(ws)
        and not ws[0][:1].islower()
        and all(not w[:1].islower() or w in TITLE_SMALL for w in ws)
        and any(c.isalpha() for c in inner)
    )


def nickname(left: str, inner: str, right: str) -> bool:
    """ "Marcus “Tank” Odell": one capitalised word quoted between a given name and a further
    capitalised word, with nothing but a space on either side (``left`` and ``right`` stop at the
    marks)."""
    before = _WORD.findall(left[-30:])
    return (
        len(inner.split()) == 1
        and inner[:1].isupper()
        and inner[-1:].isalpha()
        and left[-1:] == " "
        and bool(before)
        and is_given_name(before[-1])
        and left[:-1].endswith(before[-1])
        and re.match(r" [A-Z][a-z]", right) is not None
    )


def _before(left: str) -> tuple[list[str], bool]:
    """The last words before the opening mark (lower case) and whether a comma ends them."""
    stripped = left.rstrip(" “\"‘'")
    return [w.lower() for w in _WORD.findall(stripped[-60:])], stripped.endswith(",")


def _work_title(words: list[str], comma: bool, left: str, right: str) -> bool:
    """A title-cased span placed as the title of a work by the words around it."""
    last = words[-1] if words else ""
    if last in WORK_NOUNS or any(w.lower() in WORK_NOUNS for w in _WORD.findall(right[:30])[:2]):
        return True
    if not comma and len(words) >= 2 and (last in _NAMING or last == "of") and words[-2] in WORK_NOUNS:
        return True
    possessor = _WORD.findall(left.rstrip(" “\"‘'")[-40:])[-1:]
    return bool(possessor) and _ACRONYM_POSSESSIVE.fullmatch(possessor[0]) is not None


def named_not_spoken(left: str, inner: str, right: str, attr: Attr | None) -> bool:
    """Whether a quoted span (``inner``, with the paragraph's text before its opening mark
    ``left`` and after its closing mark ``right``) names a work, a label or a word instead of
    quoting anyone."""
    if nickname(left, inner, right):
        return True
    words, comma = _before(left)
    n = len(inner.split())
    if n <= TITLE_WORDS and _title_case(inner) and _work_title(words, comma, left, right):
        return True
    if not words or comma or n > LABEL_WORDS:
        return False
    last = words[-1]
    if last == "so-called" or words[-2:] == ["so", "called"]:
        return True
    cued = attr is not None and attr.cue is not None and attr.how in (How.AFTER, How.BEFORE)
    return last in CITING_NOUNS and len(words) >= 2 and words[-2] in _DETERMINERS and not cued

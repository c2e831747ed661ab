"""Reading the words around a quote: tokens, sentence bounds and the speaker mention type (the noun
phrases themselves are read in ``phrases.py``).

Everything here works on a *masked* copy of the article in which the words inside quotation marks
are replaced by ``x`` (same length, same offsets), so that sentence punctuation and capitalised words
inside quotes never pass for the narrative around them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from service.engines.quotes.lexicon import ABBREVIATIONS

_TOKEN = re.compile(r"[^\W_][\w’'.\-@&]*|[,;:()\[\]—–“”\"‘’!?\n]|--")
_SENT_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")


class Tok(NamedTuple):
    """A word or punctuation token with its offsets in the article (a named tuple: windows around
    every quote are tokenised afresh, and tuples are several times cheaper to build than frozen
    dataclasses)."""

    start: int
    end: int
    text: str
    #: The lower-cased word without a trailing dot, computed once: matchers read it many times.
    low: str


class MentionKind(StrEnum):
    """What a speaker mention is; compares equal to its string value (the feature names and the
    confidence table's keys spell it so)."""

    NAME = "name"
    PRONOUN = "pronoun"
    ORG = "org"
    DESC = "desc"  # a described, unnamed person or group ("a senior official", "critics")
    POSSESSIVE = "possessive"  # His/Her opening a sentence
    LABEL = "label"  # a transcript line's speaker label ("PENCE:")


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker mention as written, of a :class:`MentionKind`. ``core``: offsets of the bare name
    (without titles or role words) for name mentions."""

    start: int
    end: int
    kind: MentionKind
    role: str | None = None
    core_start: int = -1
    core_end: int = -1


def tokens(masked: str, lo: int, hi: int) -> list[Tok]:
    """Tokens of ``masked[lo:hi]`` with absolute offsets; a possessive ’s stays on its word."""
    out: list[Tok] = []
    add = out.append
    for m in _TOKEN.finditer(masked, lo, hi):
        t = m.group()
        s, e = m.span()
        # A sentence-final dot is punctuation, except on abbreviations and initials.
        if len(t) > 1 and t[-1] == "." and not _is_abbrev(t):
            w = t[:-1]
            add(Tok(s, e - 1, w, w.lower().rstrip(".")))
            add(Tok(e - 1, e, ".", ""))
            continue
        add(Tok(s, e, t, t.lower().rstrip(".")))
    return out


def _is_abbrev(word: str) -> bool:
    w = word.rstrip(".").lower()
    return w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or ("." in w and len(w) <= 6)


def sentence_starts(masked: str, lo: int, hi: int) -> list[int]:
    """Offsets in ``[lo, hi)`` where a new sentence begins (not after Mr./U.S./initials)."""
    out = []
    for m in _SENT_END.finditer(masked, lo, hi):
        dot = m.start()
        j = dot
        while j > lo and not masked[j - 1].isspace():
            j -= 1
        word = masked[j : dot + 1]
        if masked[dot] == "." and _is_abbrev(word.strip("\"“”‘’'()")):
            continue
        out.append(m.end())
    return out


#: A dateline or a heading in capitals before a dash: "JACKSON, Miss. - ", "NEW YORK (AP) — ".
DATELINE = re.compile(r"[A-Z][A-Z.'’ ]{0,80}[A-Z.](?:,[^\n—–]{1,40}?)?\s+(?:\([A-Z]+\)\s+)?(?:—|–|--|-)\s")

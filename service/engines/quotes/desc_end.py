"""Where a description after a speech verb ends: at its head noun, with a closing "of" phrase
("said the former head of the bank.")."""

from __future__ import annotations

from service.engines.quotes.context import Tok
from service.engines.quotes.lexicon import NP_STOP

#: Function words that may close a run of role words ("head of the") but never end a description.
LINKS = frozenset({"of", "the", "for", "a", "an", "and", "to", "at", "in", "on"})


def of_tail(toks: list[Tok], m: int) -> int:
    """Where a description ending before ``toks[m]`` ends when an "of" phrase that closes the
    clause follows ("the former head of the bank."): at that phrase's noun; else at ``m``."""
    e = _closing_of_phrase(toks, m)
    return e if e is not None and toks[e - 1].low not in LINKS else m


def _closing_of_phrase(toks: list[Tok], m: int) -> int | None:
    """The end of an "of" phrase at ``toks[m]`` of one to three lower-case words that closes the
    clause (punctuation or the end of the text follows), or None."""
    n = len(toks)
    if m >= n or toks[m].low != "of":
        return None
    e = m + 1
    while e < n and e - m <= 3 and _lower_word(toks[e]):
        e += 1
    return e if e > m + 1 and (e == n or not toks[e].text[:1].isalnum()) else None


#: Role words that modify the noun after them rather than head a description ("the former ...").
_PREMODIFIERS = frozenset(
    {"former", "deputy", "senior", "assistant", "vice", "acting", "chief", "foreign", "state"}
)


def _lower_word(t: Tok) -> bool:
    """A lower-case word that may continue a noun phrase."""
    return t.text.isalpha() and t.text.islower() and t.low not in NP_STOP


def desc_end(toks: list[Tok], j: int) -> int:
    """Where a description whose role words end before ``toks[j]`` ends: there, unless the role
    word was a modifier of the noun after it ("the former lender of last resort": its head noun
    and an "of" phrase that closes the clause come with it)."""
    n = len(toks)
    if toks[j - 1].low not in _PREMODIFIERS:
        return j
    m = j
    while m < n and m - j < 3 and _lower_word(toks[m]):
        m += 1
    if m == j:
        return j
    e = _closing_of_phrase(toks, m)
    return m if e is None else e

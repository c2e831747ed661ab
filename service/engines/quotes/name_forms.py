"""Forms of personal names the tables do not cover, read from the article itself: particles
("van der Berg", "al-Masri"), generational suffixes ("Jr."), and ranks the title list lacks that
the article puts before a surname alone ("Det Insp Sian O'Rourke" … "Insp O'Rourke")."""

from __future__ import annotations

import re

from service.engines.quotes.context import Tok
from service.engines.quotes.evidence import is_given_name
from service.engines.quotes.lexicon import NAME_PARTICLES

#: A particle joined to a surname by a hyphen ("al-Masri", "bin-Salem"; not "co-Anchor").
_HYPHEN_PARTICLE = re.compile(rf"(?:{'|'.join(sorted(NAME_PARTICLES))})-[A-Z][\w’']+")
#: A generational suffix after a surname ("Jr", "Sr.", "III").
_SUFFIX = re.compile(r"(?:Jr|Sr|II|III|IV)\.?")


def hyphen_particle(word: str) -> bool:
    """Whether a word is a particle joined to a surname by a hyphen ("al-Masri")."""
    return _HYPHEN_PARTICLE.fullmatch(word) is not None


def particle_before_name(toks: list[Tok], j: int) -> bool:
    """Whether ``toks[j]``, inside a name run, continues it as a lower-case particle: before a
    capitalised word or one more particle ("van der Berg"), or joined to the surname by a hyphen
    ("Ahmed al-Masri")."""
    if hyphen_particle(toks[j].text):
        return True
    k = j
    while k < len(toks) and k - j < 2 and toks[k].low in NAME_PARTICLES:
        k += 1
    return k > j and k < len(toks) and toks[k].text[:1].isupper()


def surname_of(core: list[str]) -> str:
    """The surname before a generational suffix ("J.R. Whitlock Jr" -> "Whitlock"), else the
    last word; a suffixed name is also found by it alone ("Whitlock"), but never merged with
    another full name ("Duncan Hunter" and "Duncan Hunter Sr." are two people)."""
    if len(core) > 1 and _SUFFIX.fullmatch(core[-1]):
        return core[-2]
    return core[-1]


def index_keys(core: list[str]) -> list[str]:
    """The keys a name is indexed under by its last word: that word, and for a suffixed name its
    surname marked as such ("whitlock *"), which only a bare surname looks up."""
    keys = [core[-1].lower()]
    if surname_of(core) != core[-1]:
        keys.append(f"{surname_of(core).lower()} *")
    return keys


def is_suffix(word: str) -> bool:
    """Whether a name word is a generational suffix ("Jr", "Sr.", "III")."""
    return _SUFFIX.fullmatch(word) is not None


def titled_elsewhere(words: list[str], masked: str, titles_seen: set[str]) -> bool:
    """Whether the first of three or more capitalised words, no given name itself, also stands
    right before the surname alone elsewhere ("Det Insp Sian O'Rourke" … "Insp O'Rourke said"):
    a rank or honorific the tables do not know, by the article's own use."""
    first, last = words[0], words[-1]
    found = (
        len(words) >= 3
        and first.isalpha()
        and not is_given_name(first)
        and re.search(rf"\b{re.escape(first)}\.?\s+{re.escape(last)}\b", masked) is not None
    )
    if found:
        titles_seen.add(first.lower())  # the later "Insp O'Rourke" reads the same
    return found

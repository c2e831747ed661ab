"""General evidence about words, from resources shipped in registry packages rather than lists
written here: how common a word is in English (``wordfreq``, Zipf scale), and whether it is a known
given name and of which gender (the US census first-name tables shipped by ``names``), merged with
the project's own short given-name lists for names the census lacks.

Both resources load once per process on first use (the engine warms them at construction, in the
model-loading thread) and are read-only afterwards, so look-ups are thread-safe.
"""

from __future__ import annotations

import functools
from importlib import resources

from wordfreq import zipf_frequency

from service.engines.quotes.lexicon import FEMALE_NAMES, MALE_NAMES, SHARED_NAMES

#: A word at least this common (Zipf: log10 of frequency per billion words) is an ordinary English
#: word: "manager" 4.97, "fire" 5.30, "inspector" 4.25, while given names and surnames a title
#: could hide behind are mostly rarer ("dara" 2.99, "reince" 2.40).
COMMON_ZIPF = 4.0
#: Before a further capitalised word of the same run ("Paramedic Joss Tremlow"), a word this common
#: that is not a given name is a title or role rather than part of the name.
LEADING_ZIPF = 3.0
#: Census share by which one gender must outweigh the other to count as that name's gender.
_GENDER_RATIO = 4.0
#: The census tables list rare entries that are common words ("in", "my", "major", "moon"): an
#: entry counts as a given name when it is this frequent among census names (in percent) ...
_CENSUS_MIN = 0.01
#: ... or when the word itself is rarer than this in English text ("dara", "rosalind").
_CENSUS_RARE_WORD = 4.5


def _census_table(file: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in resources.files("names").joinpath(file).read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


@functools.cache
def _given() -> dict[str, str | None]:
    """Given name -> gender ("m", "f", or None when both are common)."""
    male, female = _census_table("dist.male.first"), _census_table("dist.female.first")
    out: dict[str, str | None] = {}
    for name in male.keys() | female.keys():
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        if max(m, f) < _CENSUS_MIN and zipf(name) >= _CENSUS_RARE_WORD:
            continue
        out[name] = "m" if m > _GENDER_RATIO * f else "f" if f > _GENDER_RATIO * m else None
    for name in MALE_NAMES:
        out[name] = None if name in FEMALE_NAMES else "m"
    for name in FEMALE_NAMES - MALE_NAMES:
        out[name] = "f"
    for name in SHARED_NAMES:
        out[name] = None
    return out


#: A name whose rarer gender has at least this share of its commoner one in the census is borne
#: by both ("Andrea" 1:39, "Ashley" 1:22; "Mary" 1:292, "Dorothy" only female).
_BORNE_BY_BOTH = 1 / 50


@functools.cache
def _both() -> frozenset[str]:
    male, female = _census_table("dist.male.first"), _census_table("dist.female.first")
    return frozenset(
        n
        for n in male.keys() & female.keys()
        if min(male[n], female[n]) >= _BORNE_BY_BOTH * max(male[n], female[n])
    )


def borne_by_both(word: str) -> bool:
    """Whether the census lists a given name for both genders in a real share (its gender is
    then only a likelihood that the article's own pronouns may overrule)."""
    return _fold(word) in _both()


def _fold(word: str) -> str:
    return word.lower().strip(".’'").removesuffix("’s").removesuffix("'s")


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a known given name (any case)."""
    return _fold(word) in _given()


def name_gender(word: str) -> str | None:
    """The gender a given name implies ("m"/"f"), None when unknown or shared."""
    return _given().get(_fold(word))


@functools.lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common ``word`` is in English text, case-folded (0 when unknown)."""
    return float(zipf_frequency(_fold(word), "en"))


@functools.cache
def _surnames() -> dict[str, float]:
    return _census_table("dist.all.last")


def family_first(words: list[str]) -> bool:
    """ "Nguyen Thi Lan": a name whose other words are all given names and whose first word is a
    census surname commoner than any of them as a surname puts the family name first, so no word
    of it is a title or role ("Challenger Kelli Ward": "Ward" is the commoner surname)."""
    if len(words) < 3 or not all(map(is_given_name, words[1:])):
        return False
    share = _surnames()
    first = share.get(_fold(words[0]), -1.0)
    return first > 0 and all(first > share.get(_fold(w), 0.0) for w in words[1:])


def warm() -> None:
    """Load the resources now (a first look-up would otherwise cost ~1 s)."""
    _given()
    _both()
    _surnames()
    zipf("the")

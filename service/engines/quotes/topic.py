"""A bare description standing for the person the article is about ("Leon Asante scored twice.
“I am so happy,” the striker said"): one person's words (the quotation speaks as "I"), and the
article uses "the NOUN" only as a clause's subject or a speaker, never after a preposition or as an
object ("in the letter", "read the paper"), never in the plural and never as a thing ("its", "It
said"); the description links the person named just before, as an age used as a noun does
(``variation.py``). Without the first person, "the report said" / "the letter said" after a
named person would take that person's name."""

from __future__ import annotations

import re
from typing import Protocol

from service.engines.quotes.context import Mention
from service.engines.quotes.entities import Entity, Occurrence
from service.engines.quotes.lexicon import ANON_HEADS, GROUP_WORDS, ORG_WORDS, SPEECH_VERBS
from service.engines.quotes.naming import treated_as_thing
from service.engines.quotes.variation import age_noun


class CastLookup(Protocol):
    """What the look-ups here read of the article's cast (``lookup.CastLookup``)."""

    text: str
    masked: str
    entities: list[Entity]

    def varied_person(self, pos: int) -> int | None: ...

    def occurrences_between(self, lo: int, hi: int) -> list[Occurrence]: ...


#: What may stand right before a subject or speaker "the NOUN": nothing (a sentence start), a
#: punctuation mark, a closing quotation mark or "and"/"but" joining clauses.
_SUBJECT_BEFORE = re.compile(r"(?:^|[.,;:!?”\"’'—–(\n]|\band|\bbut)\s*$")


#: A first-person singular word inside a quotation.
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|myself|I['’](?:m|ve|ll|d))\b")


def speaks_as_i(text: str, start: int, end: int) -> bool:
    """Whether the quotation right before the mention ``[start, end)`` ("“…,” the striker said")
    or right after its cue ("the striker said: “…”") speaks in the first person singular."""
    before = re.search(r"[”\"]\s*[,.]?\s*$", text[max(0, start - 4) : start])
    if before is not None:
        close = start - 4 + before.start() if start >= 4 else before.start()
        opening = max(text.rfind("“", 0, close), text.rfind('"', 0, close))
        return opening >= 0 and _FIRST_PERSON.search(text, opening, close) is not None
    after = re.match(r"\s+\w+[,:]?\s*[“\"]", text[end : end + 30])
    if after is None:
        return False
    opening = end + after.end()
    close = min(i for i in (text.find("”", opening), text.find('"', opening), len(text)) if i >= 0)
    return _FIRST_PERSON.search(text, opening, close) is not None


def person_noun(masked: str, words: list[str]) -> bool:
    """Whether the description "the NOUN" (``words``, lower case) is used by the article only as a
    subject or a speaker and never as a thing: every "the NOUN" follows a clause boundary or a
    speech verb ("…,” said the striker"), and none is followed by "its" or "It said"."""
    if len(words) != 2 or words[0] != "the" or not re.fullmatch(r"[a-z]{3,}", words[1]):
        return False
    head = words[1]
    if head.endswith("s") or head in ORG_WORDS or head in ANON_HEADS or head in GROUP_WORDS:
        return False
    for m in re.finditer(rf"\bthe {head}\b", masked, re.I):
        before = masked[max(0, m.start() - 40) : m.start()]
        prev = re.findall(r"[a-z]+", before.lower())
        if not _SUBJECT_BEFORE.search(before) and not (prev and prev[-1] in SPEECH_VERBS):
            return False
        if treated_as_thing(masked, m.end()):
            return False
    return True


#: How far before the description its person may be named (about the sentence before).
TOPIC_REACH = 400


def sole_topic(masked: str, entities: list[Entity], window: list[Occurrence], idx: int) -> bool:
    """Whether the person ``idx`` is named in ``window`` (occurrences before the description,
    nearest first, within ``TOPIC_REACH``) with no other person named after it, and not as the
    one who asked (the description answers): the description stands for the one person the text
    is about just then ("Obama defended …, the president told …" is not about a Clinton named
    before Obama; "“…?” Borger asked. “…,” the senator said" is not Borger)."""
    for o in window:
        if o.entity == idx:
            return re.match(r"\s+asked\b", masked[o.end : o.end + 12]) is None
        if entities[o.entity].kind == "person":
            return False
    return False


def described_person(cast: CastLookup, m: Mention, toks: list[str]) -> int | None:
    """The person a definite description without a name stands for: an age used as a noun ("the
    19-year-old") or a person's noun speaking as "I" ("the striker"); None when neither links."""
    aged = toks[0] == "the" and age_noun(toks[1:])
    noun = not aged and person_noun(cast.masked, toks) and speaks_as_i(cast.text, m.start, m.end)
    idx = cast.varied_person(m.start) if aged or noun else None
    if noun and idx is not None:
        window = cast.occurrences_between(m.start - TOPIC_REACH, m.start)[::-1]
        return idx if sole_topic(cast.masked, cast.entities, window, idx) else None
    return idx


def capital_person_noun(cast: CastLookup, m: Mention, word: str) -> bool:
    """ "Callum Bain … “I gave it everything,” the Scot said": a capitalised single word the article
    writes only after "the", used as a person's noun (``person_noun``) and speaking as "I" - a
    nationality or the like, not an organisation's name ("the Pentagon", "Pentagon officials")."""
    if not word.isalpha() or not word[:1].isupper():
        return False
    bare = len(re.findall(rf"\b{word}\b", cast.masked))
    after_the = len(re.findall(rf"\b[Tt]he {word}\b", cast.masked))
    return (
        bare == after_the
        and person_noun(cast.masked, ["the", word.lower()])
        and speaks_as_i(cast.text, m.start, m.end)
    )

"""Descriptions that vary a name already given ("Leon Asante scored twice. “…,” the 19-year-old
said"; "… the striker said"): when no role or age in the article matches, an age or an agent noun
after "the" stands for the person the sentences before are about."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from service.engines.quotes.lexicon import ROLE_WORDS

if TYPE_CHECKING:
    from service.engines.quotes.lookup import CastLookup

#: "the 19-year-old", "the 28-year-old's": an age used as a noun.
_AGE = re.compile(r"\d{1,3}-year-old")
#: An agent noun by its ending ("striker", "midfielder", "novelist", "veteran" is not one).
_AGENT = re.compile(r"[a-z]{3,}(?:er|or|ist|ian)")
#: How far back (characters) the person the description varies may be named.
REACH_CHARS = 1500


def person_noun(words: list[str]) -> str | None:
    """ "age" or "agent" when a short definite description ``words`` (after "the", lower case)
    reads as a person by its form alone; None otherwise (titles and roles such as "the mayor"
    stay for the role look-up; "of" phrases name someone else)."""
    if not words or len(words) > 3 or "of" in words:
        return None
    head = words[-1]
    if _AGE.fullmatch(head):
        return "age"
    if head not in ROLE_WORDS and _AGENT.fullmatch(head) and all(w.isalpha() or "-" in w for w in words):
        return "agent"
    return None


def varied_person(cast: CastLookup, pos: int, form: str) -> int | None:
    """The person a description of ``form`` ("age" or "agent") before ``pos`` varies: the nearest
    subject person named before it, passing over persons whose stated age (for an age) or role
    (for an agent noun) shows they are someone else."""
    for o in cast.occurrences_between(pos - REACH_CHARS, pos)[::-1]:
        ent = cast.entities[o.entity]
        if not o.subject or ent.kind != "person" or ent.plural:
            continue
        if form == "age" and any(d.isdigit() for d in ent.descriptions):
            continue
        if form == "agent" and (ent.role or ent.shown_role):
            continue
        return o.entity
    return None

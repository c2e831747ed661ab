"""A person's gender from what the article says: a gendered title or the bare name's given name
(census tables, ``evidence.py``), else the he/she that follows the person's subject mention in the
same sentence (which also overrules the census for a name borne by both genders)."""

from __future__ import annotations

from service.engines.quotes.context import Tok
from service.engines.quotes.entities import Entity, Occurrence
from service.engines.quotes.evidence import borne_by_both, name_gender
from service.engines.quotes.lexicon import PRONOUN_GENDER, TITLES

#: Subject pronouns ("he"/"she", not "his"/"her"), with every pronoun after the name one way, that
#: overrule a given name's census gender ("Andrea Bellini said he …; Bellini said he …"); one may
#: be another person's ("Mary Cole said he was wrong"), and a possessive more often is.
OVERRULE_VOTES = 2


def title_gender(titles: list[str], core: list[str]) -> str | None:
    """The gender a gendered title before or in the name gives ("Mrs", "Sir"), if any."""
    for w in [*titles, *core]:
        g = TITLES.get(w.lower().rstrip("."))
        if g:
            return g
    return None


def gender_of_words(titles: list[str], core: list[str]) -> str | None:
    """A name's gender: a gendered title ("Mrs", "Sir"), else the bare name's given name. A lone
    word may be a surname that is also a given name ("Clinton", "Warren"), so it says nothing;
    places and employers before the name ("Wisconsin Gov. Scott Walker") are not read as names."""
    g = title_gender(titles, core)
    if g:
        return g
    bare = [w for w in core if w.lower().rstrip(".") not in TITLES]
    return name_gender(bare[0]) if len(bare) >= 2 else None


def infer_gender(entities: list[Entity], occurrences: list[Occurrence], toks: list[Tok]) -> None:
    """Unknown genders from the pronoun that follows a subject mention in the same sentence
    ("Hua Chunying, who ... , said she"); the census gender of a given name borne by both genders
    ("Andrea") gives way when at least OVERRULE_VOTES such pronouns, and none the other way, say
    otherwise (a title's never does)."""
    votes: dict[int, list[str]] = {}
    subjects: dict[int, list[str]] = {}  # the votes of "he"/"she" alone (not "his"/"her")
    occ_starts = sorted(occurrences, key=lambda o: o.start)
    named_at = {o.start: o.entity for o in occ_starts}
    pos_to_tok = {t.start: k for k, t in enumerate(toks)}
    for o in occ_starts:
        ent = entities[o.entity]
        if ent.titled or not o.subject or (" " not in ent.name and not ent.evident):
            # A lone capitalised word nothing shows to be a person ("Compaq", "HP") gets none.
            continue
        k = pos_to_tok.get(o.start)
        if k is None:
            continue
        for t in toks[k + 1 : k + 25]:
            if t.start > o.end and named_at.get(t.start, o.entity) != o.entity:
                break  # another name comes first: the pronoun may be theirs
            if t.text in ".;" or (t.text[:1].isupper() and t.start > o.end and t.low not in PRONOUN_GENDER):
                if t.text in ".;":
                    break
                continue
            g = PRONOUN_GENDER.get(t.low)
            if g:
                votes.setdefault(o.entity, []).append(g)
                if t.low in ("he", "she"):
                    subjects.setdefault(o.entity, []).append(g)
                break
    for idx, vs in votes.items():
        m, f = vs.count("m"), vs.count("f")
        sm, sf = subjects.get(idx, []).count("m"), subjects.get(idx, []).count("f")
        ent = entities[idx]
        if ent.gender is None and m != f:
            ent.gender = "m" if m > f else "f"
        elif (
            ent.gender is not None
            and ent.kind == "person"
            and " " in ent.name
            and name_gender(ent.name.split()[0]) == ent.gender
            and min(m, f) == 0
            and max(sm, sf) >= OVERRULE_VOTES
            and borne_by_both(ent.name.split()[0])
        ):
            ent.gender = "m" if sm else "f"

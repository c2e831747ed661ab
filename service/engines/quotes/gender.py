"""A person's gender from what the article says: a gendered title or the bare name's given name
(census tables, ``evidence.py``), else the he/she that follows the person's subject mention in the
same sentence."""

from __future__ import annotations

from service.engines.quotes.context import Tok
from service.engines.quotes.evidence import name_gender
from service.engines.quotes.lexicon import PRONOUN_GENDER, TITLES
from service.engines.quotes.lookup import Entity, Occurrence


def gender_of_words(titles: list[str], core: list[str]) -> str | None:
    """A name's gender: a gendered title ("Mrs", "Sir"), else the bare name's given name. A lone
    word may be a surname that is also a given name ("Clinton", "Warren"), so it says nothing;
    places and employers before the name ("Wisconsin Gov. Scott Walker") are not read as names."""
    for w in [*titles, *core]:
        g = TITLES.get(w.lower().rstrip("."))
        if g:
            return g
    bare = [w for w in core if w.lower().rstrip(".") not in TITLES]
    return name_gender(bare[0]) if len(bare) >= 2 else None


def infer_gender(entities: list[Entity], occurrences: list[Occurrence], toks: list[Tok]) -> None:
    """Unknown genders from the pronoun that follows a subject mention in the same sentence
    ("Hua Chunying, who ... , said she")."""
    votes: dict[int, list[str]] = {}
    occ_starts = sorted(occurrences, key=lambda o: o.start)
    named_at = {o.start: o.entity for o in occ_starts}
    pos_to_tok = {t.start: k for k, t in enumerate(toks)}
    for o in occ_starts:
        ent = entities[o.entity]
        if ent.gender or not o.subject or (" " not in ent.name and not ent.evident):
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
                break
    for idx, vs in votes.items():
        m, f = vs.count("m"), vs.count("f")
        if m != f:
            entities[idx].gender = "m" if m > f else "f"

"""How the article writes and uses a name: the name verbatim (initials keep their dots) and
organisations typed by how the article goes on about them ("its", "It said")."""

from __future__ import annotations

import re

from service.engines.quotes.context import Tok
from service.engines.quotes.lexicon import SPEECH_VERBS
from service.engines.quotes.lookup import Entity, Occurrence


def clean_word(word: str) -> str:
    """A name word without a possessive ’s and surrounding dots or commas."""
    return re.sub(r"['’]s$", "", word).strip(".,")


def verbatim(toks: list[Tok], core: list[str]) -> str:
    """A name as the article writes it: initials keep their dots ("Ruth E. Lindqvist"); a
    possessive ’s and other punctuation do not (``core`` when the tokens do not line up)."""
    words = [clean_word(t.text) for t in toks]
    if words != core:
        return " ".join(core)
    return " ".join(
        w + "." if len(w) == 1 and w.isupper() and t.text.endswith(".") else w
        for w, t in zip(words, toks, strict=True)
    )


def type_by_usage(entities: list[Entity], occurrences: list[Occurrence], masked: str) -> None:
    """A name the article treats as a thing is an organisation: "Halvorsen Foods will close
    its bakery" (the clause after it goes on with "its"), unless something shows a person (a
    title, a given name, speech, a gender)."""
    for o in occurrences:
        ent = entities[o.entity]
        if ent.kind != "person" or ent.evident or ent.gender is not None or not o.subject:
            continue
        after = masked[o.end : o.end + 300]
        clause = re.split(r"[.;:!?\n“”\"]|,\s", after, maxsplit=1)[0]
        if re.search(r"\bits\b", clause) and not re.search(r"\b(?:he|she|his|her|him)\b", clause, re.I):
            ent.kind = "org"
            continue
        # "Acme Widgets cut 300 jobs. It said: …": the next sentence's speaker is "it".
        nxt = re.search(r"[.!?]\s+It\s+(\w+)", after)
        if nxt is not None and nxt.start() == len(after.split(".", 1)[0]) and nxt.group(1) in SPEECH_VERBS:
            ent.kind = "org"

"""The antecedent of a he/she by sentences: the nearest sentence that offers a person who agrees,
and in it the one the sentence is about.

Going back sentence by sentence from the pronoun, the first sentence with an agreeing person
decides. Within it the main subject wins over persons named later in the sentence (an embedded
subject, "Earnest said Obama wasn't …"; an apposition, "… the GOP's nominee, Donald Trump") and
over one in an opening subordinate clause ("When Trump suggested …, Rubio fired back"): the
leftmost subject whose gender is known to agree, else the leftmost subject of unknown gender that
the article shows to be a person, else (a sentence with no agreeing subject) the leftmost person of
that gender in any position ("remarks Clinton made …"). An earlier he/she of the same gender is a
subject too and stands for its own antecedent (a chain: "Cruz is calling … He declared that …
Trump would …, which he declared"). Never a person of the other gender.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from service.engines.quotes.context import sentence_starts

#: How far back (characters) the search for an antecedent reaches.
REACH = 3000
#: How many he/she links a chain may follow before it stops (bounds the work per pronoun).
MAX_CHAIN = 12

_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|HE|SHE)\b")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person a sentence offers: where, who, whether as a subject, whether the gender is known
    to agree (rather than unknown), and the occurrence start when it is a name (-1: a pronoun)."""

    start: int
    entity: int
    subject: bool
    known: bool
    occurrence: int = -1


#: A sentence's end before a quotation that a he/she cue closes: "… Paul Dean. “We are done,” he said."
_QUOTE_OPENS = re.compile(
    r"[.!?…][\"”’')\]]*\s+(?=(?:“[^”\n]{1,2000}”|\"[^\"\n]{1,2000}\")\s+(?:he|she)\b)", re.I
)


class Sentences:
    """Sentence starts (paragraph starts included) and he/she positions of one masked article,
    computed once."""

    def __init__(self, masked: str) -> None:
        starts = set(sentence_starts(masked, 0, len(masked)))
        starts.update(m.end() for m in re.finditer(r"\n\s*", masked))
        # A quotation opening after a sentence's end and closed by a he/she cue opens a sentence
        # (its masked words are not capitalised).
        starts.update(m.end() for m in _QUOTE_OPENS.finditer(masked))
        self.starts = sorted({0, *starts})
        self.pronouns = [
            (m.start(), "m" if m.group().lower() == "he" else "f") for m in _PRONOUN.finditer(masked)
        ]
        self.pronoun_starts = [p for p, _ in self.pronouns]

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence holding ``pos``."""
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def pronouns_between(self, lo: int, hi: int, gender: str) -> list[int]:
        """Positions of he (``"m"``) or she (``"f"``) in ``[lo, hi)``."""
        a = bisect.bisect_left(self.pronoun_starts, lo)
        b = bisect.bisect_left(self.pronoun_starts, hi)
        return [p for p, g in self.pronouns[a:b] if g == gender]


def choose(cands: list[Candidate], *, described: bool = False, main_from: int = -1) -> Candidate | None:
    """The person a sentence is about, among those that agree (see the module docstring). In a
    sentence whose subject is a description (``described``: "The radio talker has …") only a
    subject counts: the description, not a person it mentions, is what a later pronoun continues.
    A subject of the main clause (from ``main_from``: "When Trump suggested …, Rubio fired back")
    comes before one of an opening subordinate clause."""
    subjects = [c for c in cands if c.subject]
    main = [c for c in subjects if c.start >= main_from]
    if main_from >= 0 and main and len(main) < len(subjects):
        subjects = main + [c for c in subjects if c.start < main_from]
        for pool in ([c for c in main if c.known], main):
            if pool:
                return min(pool, key=lambda c: c.start)
    others = [] if described else [c for c in cands if c.known]
    for pool in ([c for c in subjects if c.known], subjects, others):
        if pool:
            return min(pool, key=lambda c: c.start)
    return None

"""Ages that vary a name already given ("Leon Asante scored twice. “…,” the 19-year-old said"):
when no stated age in the article matches, "the N-year-old" stands for the person the sentences
before are about. Agent nouns ("the striker") were tried and left out: by form alone they also
take things ("the letter", "the paper") and other people ("the moderator"). Also whether a
speech verb follows a mention ("it said"), for the "it" of a company the cast did not type."""

from __future__ import annotations

import re

from service.engines.quotes.lexicon import SPEECH_VERBS

#: "the 19-year-old": an age used as a noun.
_AGE = re.compile(r"\d{1,3}-year-old")
#: Lines shorter than this many words are credits or captions, not sentences about someone.
CREDIT_WORDS = 7
#: How far back (characters) the person the description varies may be named.
REACH_CHARS = 1500


def age_noun(words: list[str]) -> bool:
    """Whether a definite description's words after "the" (lower case) are an age used as a
    noun, with at most one modifier ("the 19-year-old", "the injured 24-year-old")."""
    return 1 <= len(words) <= 2 and _AGE.fullmatch(words[-1]) is not None


def governs_verb(masked: str, start: int, end: int) -> bool:
    """Whether a name is followed by a lower-case word in a line of some length ("Kofi Mensah won
    the final"), not in a short credit line ("Neilson Barnard via Getty Images.")."""
    line_start = masked.rfind("\n", 0, start) + 1
    line_end = masked.find("\n", end)
    line = masked[line_start : line_end if line_end >= 0 else len(masked)]
    return len(line.split()) >= CREDIT_WORDS and re.match(r"\s+[a-z]", masked[end : end + 3]) is not None


def speaks_after(masked: str, end: int) -> bool:
    """Whether a speech verb (an adverb allowed before it) follows a mention ending at ``end``
    ("it said", "it later said"), so that the mention is the speaker, not an object."""
    m = re.match(r"\s+(?:[a-z]+ly\s+)?([a-z]+)", masked[end : end + 40])
    return m is not None and m.group(1) in SPEECH_VERBS

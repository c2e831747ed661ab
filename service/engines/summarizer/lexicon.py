"""The summariser's word lists, in one place: the openers that tie a sentence to the one before
(which decide whether a sentence needs its antecedent, and two of the scorer's features), and the
words a trimmed summary must not end on. Plain tuples and frozensets, built once at import.

The scorer's two opener features were trained on their own, narrower lists
(``FEATURE_PRONOUN_OPENERS``, ``FEATURE_CONJUNCTION_OPENERS``); unifying them with the antecedent
lists would change the features the bundled weights read, so they stay as trained and a test pins
how they relate to the antecedent lists.
"""

from __future__ import annotations

import re


def _words(words: str) -> tuple[str, ...]:
    """A word tuple from a whitespace-separated list, in order."""
    return tuple(words.split())


#: Personal pronouns and possessives that point back to someone named earlier.
BACK_PRONOUNS = _words("he she it they them him his her hers its their theirs")
#: Demonstratives that point back when a verb follows them ("This means ...").
DEMONSTRATIVES = _words("this that these those such")
DEMONSTRATIVE_VERBS = _words(
    "is was are were has had would will could means meant comes came includes included follows followed"
)
#: Discourse connectives that continue the sentence before (closed class, not topic words).
CONNECTIVES = (
    *_words(
        """but and so or nor yet also however meanwhile still then instead moreover furthermore besides
        nevertheless nonetheless thus therefore hence otherwise likewise similarly additionally"""
    ),
    "in addition",
    "as a result",
    "by contrast",
    "in contrast",
    "on the other hand",
    "even so",
    "despite this",
    "after that",
    "at the same time",
    "for example",
    "for instance",
)
#: The scorer's "opens with a pronoun" and "opens with a conjunction" features, as trained.
FEATURE_PRONOUN_OPENERS = _words("he she it they we i his her its their this these those that")
FEATURE_CONJUNCTION_OPENERS = _words("but and so or yet however also then meanwhile still")

#: Words a trimmed summary sentence must not end on (articles, prepositions, auxiliaries, ...).
DANGLING = frozenset(
    """a after an and are as at be been before being but by can could for from had has have her his if
    in into is its may might must my nor of on or our said says should than that the their these
    this those to was were when where which while who whom whose will with would your""".split()  # noqa: SIM905
)


def opener_pattern(words: tuple[str, ...]) -> str:
    """A regex alternation of ``words``, in order (letters and spaces only: nothing to escape)."""
    if not all(re.fullmatch(r"[a-z]+(?: [a-z]+)*", w) for w in words):
        raise ValueError("opener words are lower-case letters and single spaces")
    return "|".join(words)

"""What the summary checker returns: plain frozen dataclasses, independent of the HTTP layer.

Offsets of a sentence and of a problem index into the *summary*; offsets of evidence index into the
*article*. The service maps these onto its wire types (``service.verify_schemas.VerifyResponse``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: What a problem names: an unsupported entity of a kind, an unsupported number/date/amount, a
#: quotation not verbatim in the article or given to another speaker, or a claim the article does
#: not contain (no entity or quotation to blame, the sentence's meaning is not found); a relation
#: the article has otherwise (names swapped around a verb, a number moved to another noun, an action
#: given to another name: ``relations.py``); a near-copy of an article sentence with one claim
#: changed (another name, number or word of the article in one slot, a negation dropped or added:
#: ``edits.py``).
ProblemKind = Literal[
    "person",
    "organisation",
    "place",
    "name",
    "number",
    "date",
    "amount",
    "quotation",
    "quote_speaker",
    "negation",
    "relation",
    "changed",
    "claim",
]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character span ``[start, end)``."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a summary sentence is not supported; ``text == summary[start:end]``."""

    kind: ProblemKind
    text: str
    start: int
    end: int
    message: str


@dataclass(frozen=True, slots=True)
class SentenceCheck:
    """One summary sentence: ``text == summary[start:end]``; ``evidence`` spans the article."""

    text: str
    start: int
    end: int
    supported: bool
    #: 0-1, higher = better supported by the article (a calibrated probability on FRANK).
    score: float
    evidence: list[Span] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The whole summary: supported only when every sentence is; score is the geometric mean of
    the sentences' (``head.summary_score``)."""

    supported: bool
    score: float
    sentences: list[SentenceCheck]
    #: Why nothing could be checked (an empty summary), else None.
    reason: str | None = None

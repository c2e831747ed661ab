"""From a quote's attributed mention to the speaker the response names: the canonical name, the
kind (person or organisation), the confidence of the attribution, and the article's speaker list.

Confidence is the calibrated probability that the name is exactly the right one, from the model
in ``confidence.py`` (weights ``quote_confidence.json``, written by
``bench/train_quote_confidence.py``) over features of the final attribution; below the model's
threshold (chosen by article-grouped cross-validation on train) the name is withheld: the mention
stays, ``name`` is null. A pronoun nobody is found for, or an unnamed description, is never listed
as a speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from models.registry import QUOTE_CONFIDENCE, WEIGHTS_DIR
from service.engines.quotes.confidence import (
    ConfidenceModel,
    Evidence,
    attribution_features,
    occurrence_counts,
    quote_counts,
)
from service.engines.quotes.context import Mention, MentionKind
from service.engines.quotes.lexicon import PRONOUN_GENDER
from service.engines.quotes.outcomes import How
from service.engines.quotes.people import Cast
from service.engines.quotes.usage import bare_role
from service.schemas import Quote, QuotesResult, Speaker, SpeakerRef

CONFIDENCE_PATH = WEIGHTS_DIR / "quote_confidence.json"
#: Pinned digest of the bundled confidence model.
CONFIDENCE_SHA256 = QUOTE_CONFIDENCE.files["quote_confidence.json"]
CONFIDENCE_ID = "quote-confidence-logreg"


class Resolution(StrEnum):
    """How a speaker mention led to a name."""

    ENTITY = "entity"  # a person or organisation the article names
    BARE = "bare"  # the mention's own words, no entity behind them
    AGREE = "agree"  # a pronoun whose antecedent agrees in gender
    UNSURE = "unsure"  # a pronoun whose antecedent's gender is unknown
    NONE = "none"  # no name


@dataclass(frozen=True, slots=True)
class Named:
    """A mention resolved: the name (or None), the speaker kind, the entity and the resolution."""

    name: str | None
    kind: str
    entity: int | None
    resolution: Resolution


def resolve(text: str, m: Mention, cast: Cast) -> Named:
    """The canonical name a speaker mention stands for, by the article's cast."""
    mention_text = text[m.start : m.end]
    if m.kind == MentionKind.LABEL:
        idx = cast.person_named(mention_text.split()[-1])
        if idx is None:
            return Named(mention_text.title(), "person", None, Resolution.BARE)
        return Named(cast.entities[idx].name, "person", idx, Resolution.ENTITY)
    idx, kind = cast.resolve(m, text)
    if idx is not None:
        ent = cast.entities[idx]
        if m.kind in (MentionKind.PRONOUN, MentionKind.POSSESSIVE):
            g = PRONOUN_GENDER.get(mention_text.lower().split()[0])
            res = Resolution.AGREE if g is not None and ent.gender == g else Resolution.UNSURE
        else:
            res = Resolution.ENTITY
        # A company description ("the club said") makes the name it links an organisation.
        # So does "it said" ("Halvard said it would … “…,” it said").
        org = ent.kind == "org" or (
            kind == "organisation" and m.kind in (MentionKind.DESC, MentionKind.PRONOUN)
        )
        return Named(ent.name, "organisation" if org else "person", idx, res)
    if m.kind == MentionKind.ORG or (kind == "organisation" and m.kind == MentionKind.NAME):
        return Named(re.sub(r"^(?:the|The)\s+", "", mention_text), "organisation", None, Resolution.BARE)
    if m.kind == MentionKind.NAME:
        core = text[m.core_start : m.core_end] if m.core_start >= 0 else mention_text
        # "Keane, whose side are fourth, said …" before "manager Stuart Keane": a lone surname the
        # cast did not take is the one person the article gives it to, wherever it names them.
        idx = cast.person_named(core) if " " not in core else None
        if idx is not None:
            return Named(cast.entities[idx].name, "person", idx, Resolution.BARE)
        return Named(core, "person", None, Resolution.BARE)
    if kind == "unknown":
        kind = "anonymous" if m.kind == MentionKind.DESC else "unknown"
    return Named(None, kind, None, Resolution.NONE)


def outcome_key(how: str, mention_kind: str, resolution: Resolution) -> str:
    """A short key of one attribution's outcome (rule, mention kind, resolution), for reports."""
    return f"{how}|{mention_kind}|{resolution.value}"


def load_confidence(path: Path = CONFIDENCE_PATH, sha256: str | None = CONFIDENCE_SHA256) -> ConfidenceModel:
    """Read the confidence model, refusing a file whose digest differs from the pinned one
    (ValueError)."""
    return ConfidenceModel.load(path, sha256)


@dataclass(slots=True)
class Attributed:
    """One returned quote and what the engine concluded about its speaker."""

    start: int
    end: int
    mention: Mention | None = None
    cue: str | None = None
    how: How | None = None
    #: The rules' mention before the ranker ran, and the ranker's best probability (when asked).
    rules_mention: Mention | None = None
    ranker_p: float | None = None


@dataclass(slots=True)
class _Tally:
    name: str
    kind: str
    role: str | None
    count: int = 0
    aliases: list[str] = field(default_factory=list)


def build_result(
    text: str,
    quotes: Sequence[Attributed],
    cast: Cast,
    confidence: ConfidenceModel | None,
    unattributed_from: int | None = None,
) -> QuotesResult:
    """The response for one article: each quote with its speaker reference (name withheld below
    the confidence threshold) and the named speakers with their quote counts."""
    out: list[Quote] = []
    tally: dict[str, _Tally] = {}
    counts: dict[int, int] | None = None
    resolved = [
        resolve(text, q.mention, cast) if q.mention is not None and q.how is not None else None
        for q in quotes
    ]
    quoted = quote_counts(n.entity for n in resolved if n is not None)
    for q, named in zip(quotes, resolved, strict=True):
        body = text[q.start : q.end]
        if q.mention is None or named is None:
            out.append(Quote(text=body, start=q.start, end=q.end))
            continue
        m = q.mention
        mention_text = text[m.start : m.end]
        score = None
        if confidence is not None:
            if counts is None:
                counts = occurrence_counts(cast)
            score = confidence.score(attribution_features(text, evidence(q, named), cast, counts, quoted))
        name = named.name
        if score is not None and confidence is not None and score < confidence.threshold:
            name = None
        ref = SpeakerRef(
            name=name,
            mention=mention_text,
            start=m.start,
            end=m.end,
            confidence=round(score, 3) if score is not None else None,
        )
        out.append(Quote(text=body, start=q.start, end=q.end, speaker=ref, cue=q.cue))
        _count(tally, text, m, named=named, name=name, cast=cast)
    speakers = [
        Speaker(name=t.name, quote_count=t.count, aliases=t.aliases, role=t.role, kind=t.kind)  # type: ignore[arg-type]
        for t in tally.values()
    ]
    speakers.sort(key=lambda s: -s.quote_count)
    return QuotesResult(quotes=out, speakers=speakers, unattributed_from=unattributed_from)


def evidence(q: Attributed, named: Named) -> Evidence:
    """The confidence model's view of one attributed quote (``q.mention`` and ``q.how`` set)."""
    assert q.mention is not None
    assert q.how is not None
    return Evidence(
        q.start,
        q.end,
        q.mention,
        str(q.how),
        named.resolution.value,
        named.entity,
        named.name or "",
        q.rules_mention,
        q.ranker_p,
    )


def _count(
    tally: dict[str, _Tally], text: str, m: Mention, *, named: Named, name: str | None, cast: Cast
) -> None:
    """Add one quote to its speaker's entry: a named speaker, or an unnamed description ("a
    spokesperson") by its words; never a bare pronoun."""
    mention_text = text[m.start : m.end]
    if name is None and (m.kind in (MentionKind.PRONOUN, MentionKind.POSSESSIVE) or named.name is not None):
        return
    key = name if name is not None else mention_text.lower()
    entry = tally.get(key)
    if entry is None:
        ent = cast.entities[named.entity] if named.entity is not None else None
        role = (ent.role or ent.shown_role) if ent is not None else None
        entry = tally[key] = _Tally(name or mention_text, named.kind, role or bare_role(m.role))
    entry.count += 1
    if (
        m.kind not in (MentionKind.PRONOUN, MentionKind.POSSESSIVE)
        and mention_text.lower() not in ("who", "which", "that")
        and mention_text not in entry.aliases
        and mention_text != name
    ):
        entry.aliases.append(mention_text)
    if entry.role is None and m.role:
        entry.role = bare_role(m.role)

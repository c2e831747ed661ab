"""How likely a quote's final attribution names the right person exactly: a small logistic model
over features of the attribution as the engine concluded it, calibrated on held-out folds.

The seam is narrow: :func:`attribution_features` reads one final attribution (the rule or ranker
that settled it, the mention, how the mention resolved to a name, the article's cast around it) and
:class:`ConfidenceModel` turns the features into a probability that the name given is exactly the
right canonical name. ``bench/train_quote_confidence.py`` fits the weights on hand-named PolNeAR
train quotes plus quotes whose PolNeAR mention is itself a full name, calibrates them by
article-grouped cross-validation (Platt scaling of out-of-fold scores) and chooses the confidence
below which the name is withheld.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Self

from models.logreg import LogReg
from service.engines.quotes.context import Mention, MentionKind
from service.engines.quotes.lexicon import PRONOUN_GENDER
from service.engines.quotes.people import Cast

#: Characters before a quote in which other persons count as competing antecedents.
_NEAR = 600


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the engine concluded about one quote's speaker, as the confidence model reads it."""

    start: int
    end: int
    mention: Mention
    how: str
    resolution: str
    entity: int | None
    name: str
    #: The rules' own mention before the ranker ran (None: the rules found nobody).
    rules_mention: Mention | None = None
    #: The ranker's probability for the mention it preferred (None: the ranker was not asked).
    ranker_p: float | None = None


def _gap(e: Evidence) -> int:
    m = e.mention
    if m.end <= e.start:
        return e.start - m.end
    if m.start >= e.end:
        return m.start - e.end
    return 0


def _gender_agreement(text: str, e: Evidence, cast: Cast) -> str:
    """'agree', 'clash' or 'unknown' between a he/she mention and the person it resolved to;
    'na' for other mentions."""
    if e.mention.kind not in (MentionKind.PRONOUN, MentionKind.POSSESSIVE) or e.entity is None:
        return "na"
    g = PRONOUN_GENDER.get(text[e.mention.start : e.mention.end].lower().split()[0])
    eg = cast.entities[e.entity].gender
    if g is None or eg is None:
        return "unknown"
    return "agree" if g == eg else "clash"


def _competitors(e: Evidence, cast: Cast) -> tuple[int, int]:
    """Other persons named in the stretch before the quote: all of them, and those of the same
    gender as the speaker (the ones a pronoun could have meant instead)."""
    lo = min(e.start, e.mention.start) - _NEAR
    others = {
        o.entity
        for o in cast.occurrences_between(lo, e.end)
        if o.entity != e.entity and cast.entities[o.entity].kind == "person"
    }
    gender = cast.entities[e.entity].gender if e.entity is not None else None
    same = sum(1 for i in others if gender is not None and cast.entities[i].gender == gender)
    return len(others), same


def occurrence_counts(cast: Cast) -> dict[int, int]:
    """How many times the article names each entity (computed once per article)."""
    out: dict[int, int] = {}
    for o in cast.occurrences:
        out[o.entity] = out.get(o.entity, 0) + 1
    return out


def quote_counts(entities: Iterable[int | None]) -> dict[int, int]:
    """How many of the article's attributed quotes each entity is given (the entity each quote's
    speaker resolved to, None for none)."""
    out: dict[int, int] = {}
    for ent in entities:
        if ent is not None:
            out[ent] = out.get(ent, 0) + 1
    return out


def _speaker_share(f: dict[str, float], entity: int | None, quoted: Mapping[int, int]) -> None:
    """How much of the article's speech the named entity is given: the main voice of a story is
    more often named right than someone given one quote among many."""
    k = quoted.get(entity, 0) if entity is not None else 0
    f["ent_quoted_log"] = math.log1p(k) / 2.0
    f["ent_quoted_share"] = k / max(1, sum(quoted.values()))
    f["ent_top_speaker"] = float(k > 0 and k == max(quoted.values(), default=0))


def attribution_features(
    text: str,
    e: Evidence,
    cast: Cast,
    counts: dict[int, int] | None = None,
    quoted: Mapping[int, int] | None = None,
) -> dict[str, float]:
    """Features of one final attribution (all in [0, ~3]); ``counts`` from
    :func:`occurrence_counts`, computed here when not given; ``quoted`` from :func:`quote_counts`
    over all the article's attributions (none: the quote's own only)."""
    f: dict[str, float] = {
        "how_" + e.how: 1.0,
        "kind_" + e.mention.kind: 1.0,
        "res_" + e.resolution: 1.0,
        "gender_" + _gender_agreement(text, e, cast): 1.0,
    }
    words = e.name.split()
    ent = cast.entities[e.entity] if e.entity is not None else None
    person = (ent is not None and ent.kind == "person") or (
        ent is None and e.mention.kind not in (MentionKind.ORG, MentionKind.DESC)
    )
    # Name shape and gender speak of persons; an organisation's one-word name is no partial name.
    if person:
        f["person_words_1"] = float(len(words) == 1)
        f["person_words_3"] = float(len(words) >= 3)
        f["person_initial"] = float(any(len(w.rstrip(".")) == 1 for w in words))
        f["person_gender_known"] = float(ent is not None and ent.gender is not None)
    else:
        f["org_words_1"] = float(len(words) == 1)
    f["gap_log"] = math.log1p(_gap(e)) / 5.0
    f["gap_0"] = float(_gap(e) == 0)
    if ent is not None and e.entity is not None:
        n_occ = (counts if counts is not None else occurrence_counts(cast)).get(e.entity, 0)
        f["ent_occ_log"] = math.log1p(n_occ) / 2.0
        f["ent_org"] = float(ent.kind == "org")
        f["ent_evident"] = float(ent.evident)
        f["ent_role"] = float(bool(ent.role))
    else:
        f["ent_none"] = 1.0
    allp, same = _competitors(e, cast)
    f["others_log"] = math.log1p(allp) / 2.0
    f["same_gender_log"] = math.log1p(same) / 2.0
    if e.ranker_p is not None:
        f["ranker_p"] = e.ranker_p
    rm = e.rules_mention
    if rm is None:
        f["rules_none"] = 1.0
    elif (rm.start, rm.end) == (e.mention.start, e.mention.end):
        f["rules_agree"] = 1.0
    else:
        f["rules_differ"] = 1.0
    f["mention_role"] = float(bool(e.mention.role))
    _speaker_share(f, e.entity, quoted if quoted is not None else quote_counts([e.entity]))
    return f


class ConfidenceModel(LogReg):
    """Logistic model, Platt-calibrated: features -> probability that the name is exactly right;
    below ``threshold`` the name is withheld."""

    def __init__(
        self,
        weights: Mapping[str, float],
        bias: float,
        scale: float,
        shift: float,
        threshold: float,
    ) -> None:
        super().__init__(weights, bias, threshold)
        self.scale = scale
        self.shift = shift

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Self:
        """The model from its JSON document (KeyError when a field is missing)."""
        return cls(
            {str(k): float(v) for k, v in doc["weights"].items()},
            float(doc["bias"]),
            float(doc["platt"]["scale"]),
            float(doc["platt"]["shift"]),
            float(doc["threshold"]),
        )

    def margin(self, feats: Mapping[str, float]) -> float:
        """The uncalibrated score (log-odds before Platt scaling)."""
        return self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())

    def score(self, feats: Mapping[str, float]) -> float:
        """The calibrated probability that the attribution names the right person exactly."""
        z = self.scale * self.margin(feats) + self.shift
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def prob(self, feats: Mapping[str, float]) -> float:
        """The calibrated probability (``score``), as the other small models name it."""
        return self.score(feats)

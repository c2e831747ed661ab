"""The confidence model for exact speaker names: features of a final attribution and the
calibrated score (texts written for these tests)."""

from __future__ import annotations

import pytest

from service.engines.quotes import RuleQuoteEngine
from service.engines.quotes.confidence import ConfidenceModel


@pytest.fixture(scope="module")
def engine() -> RuleQuoteEngine:
    return RuleQuoteEngine()


def _conf(engine: RuleQuoteEngine, text: str, fragment: str) -> float:
    for q in engine.extract(text).quotes:
        if fragment in q.text:
            assert q.speaker is not None
            assert q.speaker.confidence is not None
            return q.speaker.confidence
    raise AssertionError(f"no quote with {fragment!r}")


def test_named_cue_is_more_confident_than_ambiguous_pronoun(engine: RuleQuoteEngine) -> None:
    """A full name right after the quote scores above a he with two men named just before."""
    clear = "“The bridge will reopen in May,” said Harold Quist, the county engineer."
    vague = (
        "Harold Quist met Dennis Marlow and Peter Obi at the depot on Tuesday. "
        "Dennis Marlow left early. “The bridge will reopen in May,” he said."
    )
    assert _conf(engine, clear, "bridge") > _conf(engine, vague, "bridge")


def test_withheld_below_threshold() -> None:
    """Below the model's threshold the score is lower than at it; the scale is a probability."""
    m = ConfidenceModel({"how_after": 2.0, "kind_pronoun": -3.0}, 1.0, 1.0, 0.0, 0.5)
    hi = m.score({"how_after": 1.0})
    lo = m.score({"kind_pronoun": 1.0})
    assert 0.0 < lo < m.threshold <= hi < 1.0


def test_confidence_model_reads_its_document() -> None:
    """A malformed document (no Platt scaling) is refused with KeyError."""
    with pytest.raises(KeyError):
        ConfidenceModel.from_doc({"weights": {}, "bias": 0.0, "threshold": 0.5})

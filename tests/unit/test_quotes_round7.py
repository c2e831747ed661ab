"""Error classes from texts written for the project (seventh round): a closing "of the NOUN" ends
a description at its noun, plural common nouns at a sentence start are no names, sentences break
at a quotation's edge for the pronoun search, and a description before a name fills the role."""

from __future__ import annotations

import pytest

from service.engines.quotes import RuleQuoteEngine
from service.schemas import QuotesResult
from tests.quote_helpers import mention_of, speaker_of


@pytest.fixture(scope="module")
def engine() -> RuleQuoteEngine:
    return RuleQuoteEngine()


def role_of(result: QuotesResult, name: str) -> str | None:
    """The role of the speaker called ``name`` in the result's speaker list."""
    hits = [s for s in result.speakers if s.name == name]
    assert len(hits) == 1, name
    return hits[0].role


def test_of_the_noun_ends_at_its_noun(engine: RuleQuoteEngine) -> None:
    """ "said the former head of the bank." keeps the whole description up to "bank"."""
    text = (
        "Interest rates will stay high into next year. "
        "“Nobody should expect relief before the summer,” said the former head of the bank."
    )
    assert mention_of(engine.extract(text), "relief before") == "the former head of the bank"


def test_of_the_noun_after_a_verb_phrase(engine: RuleQuoteEngine) -> None:
    """ "said the new chair of the committee." keeps "the new chair of the committee"."""
    text = (
        "The inquiry will report in March. "
        "“We will follow the evidence wherever it leads,” said the new chair of the committee."
    )
    assert mention_of(engine.extract(text), "follow the evidence") == "the new chair of the committee"


def test_plural_noun_at_sentence_start_is_no_speaker(engine: RuleQuoteEngine) -> None:
    """ "Analysts blamed …" does not make "Analysts" the speaker of a later "the brewer said"."""
    text = (
        "Fenwick Ales cut its profit forecast on Thursday. Analysts blamed the wet summer and "
        "rising malt prices. “We sold less beer than we hoped,” the brewer said."
    )
    assert speaker_of(engine.extract(text), "less beer") == "Fenwick Ales"


def test_plural_noun_said_is_no_name(engine: RuleQuoteEngine) -> None:
    """ "Economists said …" leaves "Economists" out of the cast; the agency quote is the agency's."""
    text = (
        "Dunmore Freight Agency raised its charges by 8% this month. Economists said the rise "
        "would feed into shop prices. “Our fuel bill has doubled,” the agency said."
    )
    assert speaker_of(engine.extract(text), "fuel bill") == "Dunmore Freight Agency"


def test_quote_ending_sentence_before_cue_after_name(engine: RuleQuoteEngine) -> None:
    """ "… Paul Dean. “We are done.” he said." gives the quote to Paul Dean."""
    text = (
        "The union rejected the offer after a vote led by its branch secretary, Paul Dean. "
        "“We are done talking.” he said."
    )
    assert speaker_of(engine.extract(text), "done talking") == "Paul Dean"


def test_quote_after_sentence_ending_in_name(engine: RuleQuoteEngine) -> None:
    """A he-quote after a sentence ending in a man's name goes to that man, not an earlier woman."""
    text = (
        "Maria Soto chaired the meeting. The motion was put forward by Kevin Hale. "
        "“It is time to move on,” he said."
    )
    assert speaker_of(engine.extract(text), "time to move on") == "Kevin Hale"


def test_description_before_name_fills_role(engine: RuleQuoteEngine) -> None:
    """ "The coach, Teresa Lindgren, said …" gives Teresa Lindgren the role "coach"."""
    text = "The coach, Teresa Lindgren, said: “We were second to every ball.”"
    result = engine.extract(text)
    assert speaker_of(result, "second to every ball") == "Teresa Lindgren"
    assert role_of(result, "Teresa Lindgren") == "coach"


def test_description_before_name_fills_role_with_modifier(engine: RuleQuoteEngine) -> None:
    """ "The club's head groundsman, Ray Pike, …" gives Ray Pike the role "head groundsman"."""
    text = "The club's head groundsman, Ray Pike, inspected the pitch at noon. “It is playable,” Pike said."
    result = engine.extract(text)
    assert speaker_of(result, "playable") == "Ray Pike"
    assert role_of(result, "Ray Pike") == "head groundsman"


def test_comma_quote_after_sentence_ending_in_name(engine: RuleQuoteEngine) -> None:
    """ "… heard from Paul Dean. “We are done,” he said." is Paul Dean's, not the earlier subject's."""
    text = "Jim Cole opened the meeting. Next, members heard from Paul Dean. “We are done,” he said."
    assert speaker_of(engine.extract(text), "We are done") == "Paul Dean"


def test_she_quote_after_sentence_ending_in_name(engine: RuleQuoteEngine) -> None:
    """A she-quote after "Last to speak was Nora Peel." is Nora Peel's, not the chair's."""
    text = (
        "Sara Bloom chaired the hearing. Last to speak was Nora Peel. “I want the truth.” she told the panel."
    )
    assert speaker_of(engine.extract(text), "want the truth") == "Nora Peel"

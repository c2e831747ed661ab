"""Error classes seen on news from other outlets (fifth round), texts written for the project:
single marks as an article's own quotation style, page furniture out of the cast, days out of the
cast, organisations typed by "It said"/"Its" when their name is one rare word, a cue before a colon
that introduces the next quote, dotted initials kept."""

from __future__ import annotations

import pytest

from service.engines.quotes import RuleQuoteEngine
from tests.quote_helpers import speaker_of


@pytest.fixture(scope="module")
def engine() -> RuleQuoteEngine:
    return RuleQuoteEngine()


def test_single_quotes_after_colon_in_an_article_quoting_only_with_single_marks(engine: RuleQuoteEngine) -> None:
    """A one-sentence ‘…’ after "disagreed:" is a quote when the article quotes only with ‘…’."""
    text = "The headteacher, Carol Winters, disagreed: ‘The figures do not show the whole picture.’"
    assert speaker_of(engine.extract(text), "whole picture") == "Carol Winters"


def test_single_quotes_after_was_blunt(engine: RuleQuoteEngine) -> None:
    """ "Dan Pryce was blunt: ‘…’" keeps the quote and gives it to him."""
    text = "Labour’s Dan Pryce was blunt: ‘This budget fails working families.’"
    assert speaker_of(engine.extract(text), "fails working families") == "Dan Pryce"


def test_single_scare_quote_in_a_double_quoting_article_still_dropped(engine: RuleQuoteEngine) -> None:
    """Where the article quotes with “…”, a short ‘…’ label stays out."""
    text = (
        "Residents call the bypass the ‘road to nowhere’ these days. Councillor Iris Dane said: "
        "“We will finish it next year.”"
    )
    r = engine.extract(text)
    assert not any("road to nowhere" in q.text for q in r.quotes)
    assert speaker_of(r, "finish it next year") == "Iris Dane"

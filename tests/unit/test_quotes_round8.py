"""Error classes from texts written for the project in other outlets' styles (eighth round): roles
in apposition after a name, an age standing for the person just named, a surname before the full
name, "it said" of a company the cast did not type, company descriptions with a hyphenated
modifier, and “…” nested inside ‘…’."""

from __future__ import annotations

import pytest

from service.engines.quotes import RuleQuoteEngine
from service.schemas import QuotesResult
from tests.quote_helpers import speaker_of


@pytest.fixture(scope="module")
def engine() -> RuleQuoteEngine:
    return RuleQuoteEngine()


def speaker_entry(result: QuotesResult, name: str) -> tuple[str | None, str]:
    """The role and kind of the speaker called ``name`` in the result's speaker list."""
    hits = [s for s in result.speakers if s.name == name]
    assert len(hits) == 1, name
    return hits[0].role, hits[0].kind


def test_apposition_after_name_gives_the_role(engine: RuleQuoteEngine) -> None:
    """ "Nell Garvey, the headteacher, opened …" gives Nell Garvey the role "headteacher"."""
    text = "Nell Garvey, the headteacher, opened the new wing. “The children designed it,” she said."
    r = engine.extract(text)
    assert speaker_of(r, "children designed") == "Nell Garvey"
    assert speaker_entry(r, "Nell Garvey")[0] == "headteacher"


def test_apposition_role_keeps_its_of_phrase(engine: RuleQuoteEngine) -> None:
    """ "a spokesman for the trust" after the name is the role without its article."""
    text = (
        "Amit Rao, a spokesman for the trust, said the ward would reopen. “Patients will be moved "
        "back on Monday,” he said."
    )
    assert speaker_entry(engine.extract(text), "Amit Rao")[0] == "spokesman for the trust"


def test_words_after_name_not_closed_by_comma_are_no_role(engine: RuleQuoteEngine) -> None:
    """ "Despite Ivo Marsh, the vote passed easily." gives no role "vote passed easily"."""
    text = "Despite Ivo Marsh, the vote passed easily. “We will try again,” Marsh said."
    assert speaker_entry(engine.extract(text), "Ivo Marsh")[0] is None


def test_relative_clause_is_no_role(engine: RuleQuoteEngine) -> None:
    """ "Dunne, whose shop shut in May, said" gives no role "whose shop shut in May"."""
    text = "Rhona Dunne, whose shop shut in May, said: “The rent was the last straw.”"
    assert speaker_entry(engine.extract(text), "Rhona Dunne")[0] is None


def test_age_stands_for_the_person_just_named(engine: RuleQuoteEngine) -> None:
    """ "Kofi Mensah won the final. “…,” the 22-year-old said." is Kofi Mensah's quote."""
    text = "Kofi Mensah won the 400m final in Rome. “My legs were gone at 300,” the 22-year-old said."
    assert speaker_of(engine.extract(text), "legs were gone") == "Kofi Mensah"


def test_age_passes_over_a_person_of_another_age(engine: RuleQuoteEngine) -> None:
    """An age skips a person whose stated age differs and takes the subject before them."""
    text = (
        "Kofi Mensah won the 400m final. His coach, Dean Pratt, 58, watched from the stand. "
        "“I could not feel my legs,” the 22-year-old said."
    )
    assert speaker_of(engine.extract(text), "feel my legs") == "Kofi Mensah"


def test_age_with_nobody_named_stays_unnamed(engine: RuleQuoteEngine) -> None:
    """With no person named before it, "the 30-year-old said" keeps no name."""
    text = "A man was rescued from the river on Sunday. “The water was freezing,” the 30-year-old said."
    assert speaker_of(engine.extract(text), "water was freezing") is None


def test_surname_before_the_full_name(engine: RuleQuoteEngine) -> None:
    """ "Pryor, who …, said: “…”" before "coach Nadia Pryor" is Nadia Pryor's quote."""
    text = (
        "Pryor, who took over in June, said: “We are not far off.” The Wexford coach Nadia Pryor "
        "has won four of her six games."
    )
    assert speaker_of(engine.extract(text), "not far off") == "Nadia Pryor"


def test_surname_of_two_bearers_stays_bare(engine: RuleQuoteEngine) -> None:
    """A lone surname two people of the article bear is not given either full name."""
    text = (
        "Moss, who chairs the group, said: “The figures do not add up.” Alan Moss and Jean Moss "
        "both sit on the board."
    )
    assert speaker_of(engine.extract(text), "do not add up") not in ("Alan Moss", "Jean Moss")


def test_it_said_of_an_untyped_company(engine: RuleQuoteEngine) -> None:
    """ "Korvel said it would … “…,” it said" gives the quote to Korvel, an organisation."""
    text = "Korvel said it would shut the Leeds depot. “The site is too small for us,” it said."
    r = engine.extract(text)
    assert speaker_of(r, "too small") == "Korvel"
    assert speaker_entry(r, "Korvel")[1] == "organisation"


def test_it_as_an_object_is_no_company(engine: RuleQuoteEngine) -> None:
    """ "Brandt said nothing about it" does not make the next unattributed quote Brandt's."""
    text = (
        "The draft was leaked on Friday. Brandt said nothing about it on Monday. “All depots "
        "will close within the year.”"
    )
    assert speaker_of(engine.extract(text), "All depots") is None


def test_company_description_with_hyphenated_modifier(engine: RuleQuoteEngine) -> None:
    """ "the Leeds-based company said" links the rare name before it."""
    text = "Tavrix lost $12 million in the year. “We grew too fast,” the Leeds-based company said."
    assert speaker_of(engine.extract(text), "grew too fast") == "Tavrix"


def test_double_quotes_nested_in_single(engine: RuleQuoteEngine) -> None:
    """ "‘She shouted “run”, so we ran,’ said X" is one quote, X's, with the inner words inside."""
    r = engine.extract("‘She shouted “run”, so we ran,’ said Owen Pask, 40.")
    assert [q.text for q in r.quotes] == ["She shouted “run”, so we ran"]
    assert speaker_of(r, "so we ran") == "Owen Pask"


def test_single_quotes_nested_in_double_still_one_quote(engine: RuleQuoteEngine) -> None:
    """ "“She shouted ‘run’, so we ran,” said X" stays one quote, X's."""
    r = engine.extract("“She shouted ‘run’, so we ran,” said Owen Pask, 40.")
    assert [q.text for q in r.quotes] == ["She shouted ‘run’, so we ran"]


def test_colon_cue_beats_a_new_sentence_after(engine: RuleQuoteEngine) -> None:
    """ "X said: “….” His coach agreed." keeps the quote X's, not the coach's."""
    text = (
        "Speaking after the race, cyclist Mia Torres said: “I went too early.” Her coach agreed. "
        "“She will learn,” said Pat Olsen."
    )
    r = engine.extract(text)
    assert speaker_of(r, "went too early") == "Mia Torres"
    assert speaker_of(r, "She will learn") == "Pat Olsen"


def test_bare_cue_after_a_closed_quote_still_attributes(engine: RuleQuoteEngine) -> None:
    """With no cue before it, "“….” Torres said." still gives the quote to Torres."""
    text = "Mia Torres crossed the line fourth. “I went too early.” Torres said."
    assert speaker_of(engine.extract(text), "went too early") == "Mia Torres"


def test_particles_chain_in_a_name(engine: RuleQuoteEngine) -> None:
    """ "Lotte van den Broek" … "van den Broek said" is one person, named in full."""
    text = (
        "Lotte van den Broek, the Dutch goalkeeper, saved two penalties. “I guessed right twice,” "
        "van den Broek said."
    )
    assert speaker_of(engine.extract(text), "guessed right") == "Lotte van den Broek"


def test_hyphenated_particle_keeps_the_surname(engine: RuleQuoteEngine) -> None:
    """ "Samir al-Haddad" keeps "al-Haddad", and "Mr al-Haddad said" finds him."""
    text = "Samir al-Haddad owns the garage on Mill Lane. “Trade is down by half,” Mr al-Haddad said."
    assert speaker_of(engine.extract(text), "down by half") == "Samir al-Haddad"


def test_generational_suffix_is_not_the_surname(engine: RuleQuoteEngine) -> None:
    """ "Dwight Colby Jr." then "Colby said" is one person, with "Jr." kept."""
    text = "Dwight Colby Jr. bought the mill in 2004. “It was a ruin,” Colby said."
    assert speaker_of(engine.extract(text), "a ruin") == "Dwight Colby Jr."


def test_rank_known_by_its_use_before_the_surname(engine: RuleQuoteEngine) -> None:
    """ "Ch Supt Morwenna Tregear" and "Ch Supt Tregear" make "Supt" a rank, not a name."""
    text = (
        "Ch Supt Morwenna Tregear said extra patrols would start on Friday. “We hear the "
        "residents,” Ch Supt Tregear said."
    )
    assert speaker_of(engine.extract(text), "hear the residents") == "Morwenna Tregear"


def test_name_of_org_between_commas(engine: RuleQuoteEngine) -> None:
    """ "The study's leader, Dr Ines Barros of Porto University, said" is Ines Barros's quote."""
    text = "The study's leader, Dr Ines Barros of Porto University, said: “The effect was large.”"
    assert speaker_of(engine.extract(text), "effect was large") == "Ines Barros"

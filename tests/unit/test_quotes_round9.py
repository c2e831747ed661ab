"""Error classes from texts written for the project in other outlets' styles (ninth round): an
organisation described before the article names it, and a family name written first."""

from __future__ import annotations

import pytest

from service.engines.quotes import RuleQuoteEngine
from tests.quote_helpers import speaker_of


@pytest.fixture(scope="module")
def engine() -> RuleQuoteEngine:
    return RuleQuoteEngine()


def test_description_links_the_organisation_named_after_it(engine: RuleQuoteEngine) -> None:
    """ "“…,” the ministry said. The Ministry of Transport later …" names the Ministry of Transport."""
    text = (
        "“The bridge will stay closed until spring,” the ministry said on Friday. The Ministry of "
        "Transport later published a map of diversions."
    )
    assert speaker_of(engine.extract(text), "stay closed") == "Ministry of Transport"


def test_description_named_after_by_two_organisations_stays_unnamed(engine: RuleQuoteEngine) -> None:
    """Two ministries named after "the ministry said" leave the name null (no single candidate)."""
    text = (
        "“The bridge will stay closed until spring,” the ministry said. The Ministry of Transport "
        "and the Ministry of Finance met on Monday."
    )
    assert speaker_of(engine.extract(text), "stay closed") is None


def test_description_head_must_be_in_the_later_name(engine: RuleQuoteEngine) -> None:
    """ "the agency said" is not linked to a later "Ministry of Transport" (the head noun differs)."""
    text = "“Fares will rise in May,” the agency said. The Ministry of Transport declined to comment."
    assert speaker_of(engine.extract(text), "Fares will rise") is None


def test_family_name_first_is_kept_with_a_pronoun(engine: RuleQuoteEngine) -> None:
    """ "Pham Thi Hoa … she said" keeps the family name first: "Pham Thi Hoa", not "Thi Hoa"."""
    text = (
        "Pham Thi Hoa runs the night market stall her mother started. “We sell until the last "
        "customer leaves,” she said."
    )
    assert speaker_of(engine.extract(text), "last customer") == "Pham Thi Hoa"


def test_family_name_first_is_kept_with_a_short_form(engine: RuleQuoteEngine) -> None:
    """A later short form ("Mei Ling said") does not decide which words of "Chen Mei Ling" to drop."""
    text = "Chen Mei Ling runs the night market stall. “We sell until midnight,” Mei Ling said."
    assert speaker_of(engine.extract(text), "until midnight") == "Chen Mei Ling"


def test_role_word_before_given_names_is_still_a_role(engine: RuleQuoteEngine) -> None:
    """ "Spokeswoman Haley Morris" (no census surname first) still drops the role from the name."""
    text = "Spokeswoman Haley Morris confirmed the recall. “No one was hurt,” Morris said."
    assert speaker_of(engine.extract(text), "No one was hurt") == "Haley Morris"


def test_relation_after_a_possessive_name_gives_the_apposition(engine: RuleQuoteEngine) -> None:
    """ "said Mr Adeyemi's sister, Folake" names Folake, not Mr Adeyemi."""
    text = (
        "Tunde Adeyemi was taken to hospital on Sunday. “He is a fighter,” said Mr Adeyemi's sister, Folake."
    )
    assert speaker_of(engine.extract(text), "a fighter") == "Folake"


def test_relation_apposition_without_a_title(engine: RuleQuoteEngine) -> None:
    """ "said Adeyemi’s brother, Kunle, who …" names Kunle (one-word name after a possessive)."""
    text = (
        "Tunde Adeyemi was taken to hospital. “He never gives up,” said Adeyemi’s brother, Kunle, "
        "who flew in from Lagos."
    )
    assert speaker_of(engine.extract(text), "never gives up") == "Kunle"


def test_person_noun_speaking_as_i_links_the_person_just_named(engine: RuleQuoteEngine) -> None:
    """ "Rosa Quint won the sprint. “I …,” the cyclist said" names Rosa Quint."""
    text = "Rosa Quint won the sprint in Leeds. “I did not expect to win today,” the cyclist said."
    assert speaker_of(engine.extract(text), "expect to win") == "Rosa Quint"


def test_thing_noun_without_first_person_stays_unnamed(engine: RuleQuoteEngine) -> None:
    """ "“Costs will rise,” the report said" after a named person is not that person."""
    text = "Senator Joe Lind released a report on Monday. “Costs will rise sharply,” the report said."
    assert speaker_of(engine.extract(text), "Costs will rise") is None


def test_noun_used_after_a_preposition_is_a_thing(engine: RuleQuoteEngine) -> None:
    """A noun the article also writes after a preposition ("in the letter") is not a person's."""
    text = (
        "Mayor Ann Kell wrote to the council. In the letter she set out her plan. “I cannot wait "
        "any longer,” the letter said."
    )
    assert speaker_of(engine.extract(text), "cannot wait") is None


def test_person_noun_not_linked_across_another_person(engine: RuleQuoteEngine) -> None:
    """Another person named between the subject and "the striker" leaves the name null."""
    text = "Leon Asante scored twice, once from a pass by Tom Reyes. “I am so proud,” the striker said."
    assert speaker_of(engine.extract(text), "so proud") is None


def test_person_noun_answering_is_not_the_asker(engine: RuleQuoteEngine) -> None:
    """ "“…?” Ana Ruiz asked. “I …,” the governor said" does not give the answer to the asker."""
    text = "“Will you run again?” Ana Ruiz asked. “I will decide in May,” the governor said."
    assert speaker_of(engine.extract(text), "decide in May") != "Ana Ruiz"


def test_capitalised_person_noun_after_the_links_the_person(engine: RuleQuoteEngine) -> None:
    """ "Jack Rowe, from Gateshead, … “I …,” the Geordie said" names Jack Rowe, not "Geordie"."""
    text = "Jack Rowe, from Gateshead, came third. “I loved every minute of it,” the Geordie said."
    assert speaker_of(engine.extract(text), "loved every minute") == "Jack Rowe"


def test_capitalised_word_also_written_bare_is_not_a_person_noun(engine: RuleQuoteEngine) -> None:
    """A capitalised word the article also writes without "the" ("Clarion staff") stays a name."""
    text = "Jack Rowe met Clarion staff on Friday. “I loved every minute of it,” the Clarion said."
    assert speaker_of(engine.extract(text), "loved every minute") == "Clarion"

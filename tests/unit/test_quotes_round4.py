"""Error classes seen on news from other outlets (fourth round), one text of our own each: titles
of works, "so-called" labels and words cited as words are not quotes, while a partial quote with
its cue stays."""

from __future__ import annotations

import pytest

from service.engines.quotes import RuleQuoteEngine
from tests.quote_helpers import speaker_of


@pytest.fixture(scope="module")
def engine() -> RuleQuoteEngine:
    return RuleQuoteEngine()


def _texts(engine: RuleQuoteEngine, text: str) -> list[str]:
    return [q.text for q in engine.extract(text).quotes]


def test_title_after_a_work_noun_is_not_a_quote(engine: RuleQuoteEngine) -> None:
    """A title-cased span right after "the film" is the film's title; the director's words stay."""
    text = (
        "Critics praised the film “Night Shift” at its premiere on Friday. The director Omar "
        "Haddad said: “We shot it in eleven nights.”"
    )
    got = _texts(engine, text)
    assert not any("Night Shift" in t for t in got)
    assert speaker_of(engine.extract(text), "eleven nights") == "Omar Haddad"


def test_title_after_a_work_noun_and_called_is_not_a_quote(engine: RuleQuoteEngine) -> None:
    """ "a documentary called “The Last Shift”": a naming verb after a work noun gives a title."""
    text = (
        "The broadcaster released a documentary called “The Last Shift” about the mine’s closure. "
        "It drew two million viewers."
    )
    assert not any("Last Shift" in t for t in _texts(engine, text))


def test_so_called_label_is_not_a_quote(engine: RuleQuoteEngine) -> None:
    """A span after "so-called" is the author's label, not the words of the next speaker."""
    text = (
        "Fans of the so-called “super league” protested outside the stadium. Club chairman Idris "
        "Vale said: “We heard them.”"
    )
    r = engine.extract(text)
    assert not any("super league" in q.text for q in r.quotes)
    assert speaker_of(r, "We heard them") == "Idris Vale"


def test_word_cited_after_term_without_cue_is_not_a_quote(engine: RuleQuoteEngine) -> None:
    """ "the term “low-key”" with no cue is a word cited as a word; a cued partial quote stays."""
    text = (
        "Pupils now use the term “low-key” in almost every essay, a trend examiners have noticed "
        "since 2022. Senator Dana Whitcombe called the new syllabus “a disaster for reading” on Monday."
    )
    r = engine.extract(text)
    assert not any("low-key" in q.text for q in r.quotes)
    assert speaker_of(r, "a disaster for reading") == "Dana Whitcombe"


def test_title_after_episode_of_is_not_a_quote(engine: RuleQuoteEngine) -> None:
    """ "Sunday’s episode of “Morning Table”" names a programme; the minister's words stay hers."""
    text = (
        "Speaking on Sunday’s episode of “Morning Table”, Finance Minister Grace Okafor said: "
        "“The deficit will be halved by 2028.”"
    )
    r = engine.extract(text)
    assert not any("Morning Table" in q.text for q in r.quotes)
    assert speaker_of(r, "halved by 2028") == "Grace Okafor"


def test_title_before_a_work_noun_is_not_a_quote(engine: RuleQuoteEngine) -> None:
    """A title-cased span followed by "podcast" (or "radio show") is the programme's name."""
    text = (
        "Grace Okafor said in an interview for her “Straight Talk” podcast that the deficit would "
        "be “halved within three years”."
    )
    r = engine.extract(text)
    assert not any("Straight Talk" in q.text for q in r.quotes)
    assert speaker_of(r, "halved within three years") == "Grace Okafor"


def test_title_after_a_broadcasters_possessive_is_not_a_quote(engine: RuleQuoteEngine) -> None:
    """ "said on RTV’s “Week Ahead.”": a title-cased span owned by an acronym is a programme."""
    text = "“Nobody voted for higher bills,” Grace Okafor said on RTV’s “Week Ahead.”"
    r = engine.extract(text)
    assert [q.text for q in r.quotes] == ["Nobody voted for higher bills"]
    assert speaker_of(r, "Nobody voted") == "Grace Okafor"


def test_passive_cue_gives_the_quote_to_its_agent(engine: RuleQuoteEngine) -> None:
    """ "Weber was warned by Ann Duval that …“…”": the person after "by" speaks, not the subject."""
    text = "Karl Weber was warned by Ann Duval that the plan was “reckless and unworkable”."
    assert speaker_of(engine.extract(text), "reckless and unworkable") == "Ann Duval"


def test_outlet_told_by_a_source_is_not_the_speaker(engine: RuleQuoteEngine) -> None:
    """ "…,” the Gazette was told by a source": the outlet is told, so the name stays null."""
    text = (
        "The Harbour Gazette reported on Friday that the club had been sold. “It was sold in "
        "secret,” the Gazette was told by a source close to the board."
    )
    assert speaker_of(engine.extract(text), "sold in secret") is None


def test_article_pronouns_outvote_the_census_gender(engine: RuleQuoteEngine) -> None:
    """A given name the census reads as female ("Andrea") is male where the article says "he"
    after the name twice; "he said" then goes to him (one pronoun is not enough)."""
    text = (
        "Coach Andrea Bellini said he was exhausted after the cup run. Bellini said he would "
        "rest the whole team on Wednesday. Physio Clara Noor agreed that rest was overdue.\n\n"
        "“We will be ready by Sunday,” he said."
    )
    assert speaker_of(engine.extract(text), "ready by Sunday") == "Andrea Bellini"
    # One "he" after a woman's name can be another man's: her census gender stands.
    other = (
        "Mary Cole said he was wrong to close the library. Councillor Tom Hale did not reply.\n\n"
        "“We will fight this,” she said."
    )
    assert speaker_of(engine.extract(other), "fight this") == "Mary Cole"


def test_declined_to_comment_is_no_speaker(engine: RuleQuoteEngine) -> None:
    """A person who "declined to comment" is not the speaker of the quote that follows."""
    text = "Ruth Keller declined to comment on the figures.\n\n“The bank lost money in every quarter.”"
    assert speaker_of(engine.extract(text), "lost money") is None


def test_said_nothing_is_not_a_cue(engine: RuleQuoteEngine) -> None:
    """ "Keller said nothing about it" reports silence: the next quote is not hers."""
    text = (
        "The leaked memo was blunt. Keller said nothing about it on Tuesday. “Every branch "
        "outside the capital will shut by March.”"
    )
    assert speaker_of(engine.extract(text), "Every branch") is None


def test_longer_org_description_names_the_matching_organisation(engine: RuleQuoteEngine) -> None:
    """ "the housing authority said" is the named organisation with those words, not the
    nearest authority nor nobody."""
    text = (
        "The Harbour Port Authority said the berth would reopen in May. The Regional Housing "
        "Authority, which owns the flats nearby, disagreed. “No tenant was warned about the "
        "noise,” the housing authority said."
    )
    assert speaker_of(engine.extract(text), "No tenant was warned") == "Regional Housing Authority"


def test_two_word_surname_tail_is_the_full_name(engine: RuleQuoteEngine) -> None:
    """ "Vance Holloway said" after "Debra Vance Holloway" is the same person, named in full."""
    text = (
        "Debra Vance Holloway chairs the water board. Critics say the board ignored the floods. "
        "“We acted within hours,” Vance Holloway said."
    )
    assert speaker_of(engine.extract(text), "acted within hours") == "Debra Vance Holloway"


def test_nickname_inside_a_name_is_not_a_quote(engine: RuleQuoteEngine) -> None:
    """A quoted word between a given name and a surname (Marcus “Tank” Odell) is a nickname."""
    text = (
        "Former boxer Marcus “Tank” Odell opened the new gym on Saturday. “Every kid here gets "
        "gloves for free,” Odell said."
    )
    r = engine.extract(text)
    assert [q.text for q in r.quotes] == ["Every kid here gets gloves for free"]
    assert speaker_of(r, "gloves for free") == "Marcus Odell"


def test_title_with_digits_after_a_work_noun_is_not_a_quote(engine: RuleQuoteEngine) -> None:
    """ "the documentary “13th.”": a title may start with a number."""
    text = (
        "She makes the case in her new documentary “9th Street.” The film follows four families "
        "through one winter."
    )
    assert not any("9th Street" in q.text for q in engine.extract(text).quotes)


def test_role_word_the_census_lists_as_a_name_is_not_part_of_it(engine: RuleQuoteEngine) -> None:
    """ "Marine David Osei": a common word listed as a woman's name before a man's given name is
    his role, not his first name."""
    text = "The parade was led by Marine David Osei. “I march for the ones who came home,” Osei said."
    assert speaker_of(engine.extract(text), "ones who came home") == "David Osei"

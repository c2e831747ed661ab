"""Error classes seen on news from other outlets (third round), one text of our own each: the
lead quote, single quotes after a colon, a quotation continued over paragraphs, names kept as
written, honorifics out of names, "the company" linked to the organisation."""

from __future__ import annotations

import pytest

from service.engines.quotes import RuleQuoteEngine
from service.schemas import QuotesResult
from tests.quote_helpers import speaker_of


@pytest.fixture(scope="module")
def engine() -> RuleQuoteEngine:
    return RuleQuoteEngine()


def test_lead_quote_is_not_a_headline(engine: RuleQuoteEngine) -> None:
    """A short first line reporting speech ("“…,” said X on Monday.") is the lead, not a title."""
    text = (
        "“We were never told the library would close,” said parent governor Ines Marlowe on Monday.\n\n"
        "Dozens of families gathered at the gates of the old building in the rain. Several held up "
        "cardboard signs reading “Books not bricks”.\n\n"
        "Marlowe said the group would write to the council. “We will keep coming back.”"
    )
    r = engine.extract(text)
    assert speaker_of(r, "never told the library") == "Ines Marlowe"


def test_single_quotes_after_colon_with_opening_conjunction(engine: RuleQuoteEngine) -> None:
    """ "But pilot Anders Vik objected: ‘…’" goes to the named subject after the conjunction."""
    text = (
        "The airport says the new runway lights are safe. But pilot Anders Vik objected: "
        "‘The approach is darker than it was last winter. Somebody will get hurt.’"
    )
    assert speaker_of(engine.extract(text), "approach is darker") == "Anders Vik"


def test_quotation_continued_over_paragraphs(engine: RuleQuoteEngine) -> None:
    """A paragraph left open and reopened in the next one is one speech: both go to its speaker."""
    text = (
        "The trust will shut two wards this winter, a move nurses described as reckless.\n\n"
        "“We have already lost a third of our staff since the spring.\n\n"
        "“Closing the wards now puts every patient on this site at risk,” said ward sister "
        "Beatrix Olowe."
    )
    r = engine.extract(text)
    assert speaker_of(r, "lost a third") == "Beatrix Olowe"
    assert speaker_of(r, "Closing the wards") == "Beatrix Olowe"


def test_initials_keep_their_dots(engine: RuleQuoteEngine) -> None:
    """A middle initial is returned as written ("Tomas J. Brandt"), not stripped of its dot."""
    text = "The board’s treasurer, Tomas J. Brandt, was blunt. “The accounts do not balance,” Brandt said."
    assert speaker_of(engine.extract(text), "accounts do not balance") == "Tomas J. Brandt"


def test_unknown_honorific_before_full_name_is_not_part_of_it(engine: RuleQuoteEngine) -> None:
    """An abbreviated rank before a given name and surname ("Supt Carla Dyson") is a title."""
    text = "Supt Carla Dyson said patrols would double. “Nobody should feel unsafe walking home,” Dyson said."
    assert speaker_of(engine.extract(text), "Nobody should feel unsafe") == "Carla Dyson"


def test_the_company_is_the_organisation_named_before(engine: RuleQuoteEngine) -> None:
    """ "the company said" names the organisation the article named earlier, typed as one by "its"."""
    text = (
        "Brackwater Mills will move its packing line to Poland next year. “Every worker will be "
        "offered a role elsewhere in the group,” the company said in a statement."
    )
    r = engine.extract(text)
    assert speaker_of(r, "Every worker will be") == "Brackwater Mills"
    assert [s.kind for s in r.speakers if s.name == "Brackwater Mills"] == ["organisation"]


def test_its_does_not_make_a_person_an_organisation(engine: RuleQuoteEngine) -> None:
    """A titled person whose clause mentions "its" stays a person (the title is evidence)."""
    text = "Dr Selma Quarry praised the clinic and its staff. “They saved my practice,” Quarry said."
    r = engine.extract(text)
    assert speaker_of(r, "saved my practice") == "Selma Quarry"
    assert [s.kind for s in r.speakers if s.name == "Selma Quarry"] == ["person"]


def test_pair_of_words_an_unnamed_group_uses_is_not_a_quote(engine: RuleQuoteEngine) -> None:
    """Two one-word items that "many teachers" say are words cited as words, not quotes."""
    text = (
        "Many teachers say “skibidi” and “rizz” are the words pupils use most. "
        "“It changes every term,” said head teacher Moira Blane."
    )
    r = engine.extract(text)
    assert not [q for q in r.quotes if q.text.strip("“”") in ("skibidi", "rizz")]
    assert speaker_of(r, "changes every term") == "Moira Blane"


def test_named_speakers_pair_of_words_stays_a_quote(engine: RuleQuoteEngine) -> None:
    """A named person calling a plan “reckless” and “cruel” is still quoted (partial quotes)."""
    text = "Opposition leader Rhys Talbot called the plan “reckless” and “cruel” on Tuesday."
    r = engine.extract(text)
    assert speaker_of(r, "reckless") == "Rhys Talbot"


def test_possessive_description_pair_stays_quotes(engine: RuleQuoteEngine) -> None:
    """ "his past remarks that rivals are “liars” and “frauds”" keeps both as his quotes."""
    text = "Senator Owen Pryce defended his past remarks that rivals are “liars” and “frauds” on Friday."
    r = engine.extract(text)
    assert [q.text.strip("“”") for q in r.quotes] == ["liars", "frauds"]


def test_description_mention_stops_before_its_verb(engine: RuleQuoteEngine) -> None:
    """ "the harbour master replied" is one speaker "the harbour master", never "… replied"."""
    text = (
        "Fishermen asked who would pay for the repairs. “The port will,” the harbour master replied. "
        "“Nobody else has the money.”"
    )
    r = engine.extract(text)
    mentions = {q.speaker.mention for q in r.quotes if q.speaker is not None}
    assert mentions == {"the harbour master"}
    assert len(r.speakers) == 1


def _role(result: QuotesResult, name: str) -> str | None:
    roles = [s.role for s in result.speakers if s.name == name]
    assert len(roles) == 1, name
    return roles[0]


def test_age_is_not_a_role(engine: RuleQuoteEngine) -> None:
    """ "Lena Hart, 23, who…" gives no role "23"; an appositive description still is one."""
    r = engine.extract("“The queue went round the block,” said Lena Hart, 23, who waited four hours.")
    assert speaker_of(r, "queue went round") == "Lena Hart"
    assert _role(r, "Lena Hart") is None
    r = engine.extract("“The queue went round the block,” said Lena Hart, a nurse.")
    assert _role(r, "Lena Hart") == "nurse"


def test_honorific_is_not_a_role(engine: RuleQuoteEngine) -> None:
    """ "Dame Petra Lowe" has no role "Dame"; her name is without it."""
    r = engine.extract("Dame Petra Lowe opened the gallery. “Art belongs to everyone,” said Dame Petra.")
    assert speaker_of(r, "Art belongs") == "Petra Lowe"
    assert _role(r, "Petra Lowe") is None


def test_title_learned_from_full_name_applies_to_surname(engine: RuleQuoteEngine) -> None:
    """After "Insp Dario Fenn", "Insp Fenn" is the same person, not a person named "Insp Fenn"."""
    text = "Insp Dario Fenn led the search. “We found him safe and well,” Insp Fenn said."
    assert speaker_of(engine.extract(text), "found him safe") == "Dario Fenn"


def test_it_said_types_the_name_before_as_organisation(engine: RuleQuoteEngine) -> None:
    """ "Brindle Dairies shut two farms. It said: “…”" names Brindle Dairies, an organisation."""
    text = "Brindle Dairies shut two farms on Monday. It said: “Milk prices left us no choice.”"
    r = engine.extract(text)
    assert speaker_of(r, "Milk prices") == "Brindle Dairies"
    assert [s.kind for s in r.speakers] == ["organisation"]


def test_person_after_employer_and_role_is_the_speaker(engine: RuleQuoteEngine) -> None:
    """ "said Eastgate Nurses Branch 4 convenor Priya Lalli" names the person, not the employer."""
    text = "“We will ballot again,” said Eastgate Nurses Branch 4 convenor Priya Lalli."
    assert speaker_of(engine.extract(text), "ballot again") == "Priya Lalli"


def test_capitalised_office_before_full_name_is_not_part_of_it(engine: RuleQuoteEngine) -> None:
    """ "Kettering Borough Public Advocate Gwen Parry" is Gwen Parry: the name starts at the given name."""
    text = (
        "Kettering Borough Public Advocate Gwen Parry toured the dock. "
        "“The dredging starts in May,” said Kettering Borough Public Advocate Gwen Parry."
    )
    assert speaker_of(engine.extract(text), "dredging starts") == "Gwen Parry"


def test_plural_group_is_not_a_pronoun_antecedent(engine: RuleQuoteEngine) -> None:
    """ "She" is never a plural group named before it ("Council Republicans")."""
    text = (
        "Council Republicans organised the call. They were joined by Wren Abara, who leads the "
        "tenants' union. She said the landlord had “ignored every letter we sent”."
    )
    assert speaker_of(engine.extract(text), "ignored every letter") != "Council Republicans"


def test_holiday_is_not_a_person(engine: RuleQuoteEngine) -> None:
    """ "Valentine's Day" puts no person "Valentine" in the cast; a possessive person still counts."""
    from service.engines.quotes.steps import prepare

    text = "Rosa Albright closed the shop on Valentine's Day. “I needed a rest,” she said."
    cast = prepare(text, False)[0].cast
    assert [e.name for e in cast.entities] == ["Rosa Albright"]
    text = "Rosa Albright spoke first. Albright's Bakery Group later said it would close."
    assert "Rosa Albright" in [e.name for e in prepare(text, False)[0].cast.entities]


def test_title_before_given_name_beats_an_organisation_word(engine: RuleQuoteEngine) -> None:
    """ "Harbour Mayor Don Herald … Herald said": a person, though "Herald" ends newspaper names."""
    text = "Harbour Mayor Don Herald opened the pier. “It was a good day,” Herald said."
    assert speaker_of(engine.extract(text), "good day") == "Don Herald"


def test_rank_between_employer_and_name(engine: RuleQuoteEngine) -> None:
    """ "said Coast Guard 2nd Lt. Rachel Pike" names the officer, not the service."""
    text = "“The crossing was rough all night,” said Coast Guard 2nd Lt. Rachel Pike."
    assert speaker_of(engine.extract(text), "crossing was rough") == "Rachel Pike"


def test_plural_noun_before_participle_cue_is_not_the_verb(engine: RuleQuoteEngine) -> None:
    """ "Nadia Osei was unmoved by Harris' remarks, telling reporters, “…”" is Nadia Osei's quote."""
    text = (
        "Nadia Osei chairs the water board. Osei was unmoved by Harris’ remarks on Tuesday, telling "
        "reporters, “Nothing he said changes the bills.”"
    )
    assert speaker_of(engine.extract(text), "Nothing he said") == "Nadia Osei"

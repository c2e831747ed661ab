"""Speaker names, kinds, pronouns, confidence and quoted terms, on texts written for these tests."""

from __future__ import annotations

import pytest

from service.engines.quotes import RuleQuoteEngine
from service.engines.quotes.evidence import COMMON_ZIPF, is_given_name, name_gender, zipf
from tests.quote_helpers import speaker_of as _speaker_of


@pytest.fixture(scope="module")
def engine() -> RuleQuoteEngine:
    return RuleQuoteEngine()


def test_evidence_tables() -> None:
    """Given names carry their census gender, and role words read as common English words."""
    assert is_given_name("Delia")
    assert name_gender("Mary") == "f"
    assert name_gender("John") == "m"
    assert not is_given_name("Commissioner")
    assert zipf("manager") >= COMMON_ZIPF > zipf("Tremlow")


def test_unlisted_titles_are_not_part_of_the_name(engine: RuleQuoteEngine) -> None:
    """Capitalised role words before a name drop out by how common they are, listed or not."""
    text = (
        "Lighthouse Keeper Orrin Vale climbed the tower at dawn. “The lamp has not failed once,” Vale said. "
        "Harbour Master Ines Garrow disagreed. “It failed twice last winter,” she said."
    )
    r = engine.extract(text)
    assert _speaker_of(r, "lamp has not failed") == "Orrin Vale"
    assert _speaker_of(r, "failed twice") == "Ines Garrow"


def test_everything_before_the_last_title_goes(engine: RuleQuoteEngine) -> None:
    """ "New Hollin Mayor Ada Crane": the place and the title before the name are not the name."""
    text = "“The bridge reopens on Monday,” said New Hollin Mayor Ada Crane, standing on the bank."
    assert _speaker_of(engine.extract(text), "bridge reopens") == "Ada Crane"


def test_place_or_employer_before_a_role(engine: RuleQuoteEngine) -> None:
    """ "Dunmore potter Ailsa Brack" names Ailsa Brack, before or after the cue."""
    text = (
        "“Clay remembers every mistake,” said Dunmore potter Ailsa Brack, who has fired kilns for years. "
        "“We sell out every spring,” Corvid Mills foreman Tam Ruddock said."
    )
    r = engine.extract(text)
    assert _speaker_of(r, "Clay remembers") == "Ailsa Brack"
    assert _speaker_of(r, "sell out") == "Tam Ruddock"


def test_organisation_keeps_its_full_name(engine: RuleQuoteEngine) -> None:
    """ "The Office of Rural Transport said" speaks as that organisation, listed as one."""
    text = (
        "Bus routes to Penwith were cut in May. "
        "The Office of Rural Transport said: “The routes will return in autumn.”"
    )
    r = engine.extract(text)
    assert _speaker_of(r, "routes will return") == "Office of Rural Transport"
    assert [s.kind for s in r.speakers if s.name == "Office of Rural Transport"] == ["organisation"]


def test_appositive_after_a_possessive(engine: RuleQuoteEngine) -> None:
    """ "says Vale's sister, Nessa Quill" is Nessa Quill's quote, not Vale's."""
    text = (
        "The climber Hal Vale has been missing since June. "
        "“He always came home,” says Vale’s sister, Nessa Quill."
    )
    assert _speaker_of(engine.extract(text), "always came home") == "Nessa Quill"


def test_description_linked_by_the_article(engine: RuleQuoteEngine) -> None:
    """ "the former pilot" is the person the article called a pilot; unlinked, the name is null."""
    linked = (
        "Oren Malik, a retired ferry pilot, still walks the quay each morning. "
        "“The crossings were rougher then,” the former pilot said."
    )
    assert _speaker_of(engine.extract(linked), "crossings were rougher") == "Oren Malik"
    unlinked = linked.replace("Oren Malik, a retired ferry pilot,", "Oren Malik")
    assert _speaker_of(engine.extract(unlinked), "crossings were rougher") is None


def test_pronoun_never_goes_to_the_other_gender(engine: RuleQuoteEngine) -> None:
    """A "she" with only a man named before it stays unnamed, and is not listed as a speaker."""
    text = "Peter Lund opened the meeting at six. “We are ready for the inspectors,” she said."
    r = engine.extract(text)
    assert _speaker_of(r, "ready for the inspectors") != "Peter Lund"
    assert all(s.name.lower() != "she" for s in r.speakers)


def test_pronoun_agrees_with_the_named_woman(engine: RuleQuoteEngine) -> None:
    """A "she said" after a woman and a man goes to the woman, whoever was named last."""
    text = (
        "Maria Okafor toured the depot with the transport chief, Tomas Reyes. Mr Reyes promised new buses. "
        "“The drivers deserve better,” she said."
    )
    assert _speaker_of(engine.extract(text), "drivers deserve better") == "Maria Okafor"


def test_the_person_asked_answers(engine: RuleQuoteEngine) -> None:
    """After "X asked Y about ...", the answer's "he said" is Y's."""
    text = "Tom Hardy asked Peter Lund about the fire. “It started in the kitchen,” he said."
    assert _speaker_of(engine.extract(text), "started in the kitchen") == "Peter Lund"


def test_object_of_a_verb_is_not_the_pronouns_antecedent(engine: RuleQuoteEngine) -> None:
    """ "Sanders tried to hold Snyder accountable ... he said": the subject, not the object."""
    text = (
        "Ken Arlo tried to hold Mark Fenn accountable in Saturday's debate. “There are no excuses,” he said."
    )
    assert _speaker_of(engine.extract(text), "no excuses") == "Ken Arlo"


def test_list_of_quoted_terms_is_not_quoted(engine: RuleQuoteEngine) -> None:
    """Three or more short quoted words in a list are terms; a cued short quote stays a quote."""
    text = (
        "The council's new signage bans “alight”, “egress”, “proceed” and “forthwith”. "
        "Its leader, Mona Vick, called the old signs “baffling” on Tuesday."
    )
    r = engine.extract(text)
    assert not [q for q in r.quotes if q.text in ("alight", "egress", "proceed", "forthwith")]
    assert _speaker_of(r, "baffling") == "Mona Vick"


def test_speaker_resumes_after_narration(engine: RuleQuoteEngine) -> None:
    """A bare quote paragraph after a narration paragraph without speech is the earlier speaker's."""
    text = (
        "“The river rose a metre overnight,” said Ada Brill, who farms by the weir.\n"
        "The agency's engineer, Rolf Dane, inspected the bank on Monday.\n"
        "“We filled sandbags until two in the morning.”"
    )
    assert _speaker_of(engine.extract(text), "sandbags") == "Ada Brill"


def test_single_marks_in_a_double_mark_article(engine: RuleQuoteEngine) -> None:
    """A cued ‘…’ quote counts in an article that quotes with “…”; names beyond Latin-1 stay whole."""
    text = (
        "Tomasz Wrona runs the last bakery on Kettle Lane. “We open at five,” he said. "
        "‘Nobody else wants these hours any more,’ said Łukasz Brzęk, his apprentice."
    )
    assert _speaker_of(engine.extract(text), "Nobody else wants") == "Łukasz Brzęk"


def test_confidence_on_every_attribution(engine: RuleQuoteEngine) -> None:
    """Every attributed quote carries a confidence in [0, 1]; a withheld name keeps its mention."""
    text = (
        "Ada Brill farms by the weir. “The river rose a metre overnight,” Brill said. “It is still rising.”"
    )
    r = engine.extract(text)
    refs = [q.speaker for q in r.quotes if q.speaker is not None]
    assert refs
    assert all(ref.confidence is not None and 0.0 <= ref.confidence <= 1.0 for ref in refs)


def test_limit_is_reported(engine: RuleQuoteEngine) -> None:
    """Beyond the per-text limit the response says from which quote on nothing was attributed."""
    text = " ".join(f"“Line {i} is here,” Ada Brill said." for i in range(210))
    r = engine.extract(text)
    assert r.unattributed_from is not None
    assert r.unattributed_from <= 200
    assert all(q.speaker is None for q in r.quotes[r.unattributed_from :])
    assert engine.extract("“A short one,” Ada Brill said.").unattributed_from is None


def test_quote_models_are_pinned_in_the_registry() -> None:
    """The span classifier, ranker and confidence table verify against the registry's digests."""
    from models.registry import QUOTE_CONFIDENCE, QUOTE_RANKER, QUOTE_SPANS, REGISTRY, resolve

    for spec in (QUOTE_SPANS, QUOTE_RANKER, QUOTE_CONFIDENCE):
        assert REGISTRY[spec.id] is spec
        assert resolve(spec).is_dir()

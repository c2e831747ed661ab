"""The summary checker with the real encoder and the shipped head (texts written for this test)."""

from __future__ import annotations

import pytest

from models.registry import CHECKER
from service.engines.quotes import RuleQuoteEngine
from service.engines.summarizer import SummarizerConfig, SummaryEngineImpl, create_summary_engine
from service.engines.verify import SummaryChecker
from service.schemas import SummaryOptions

pytestmark = pytest.mark.model

ARTICLES = [
    (
        "The harbour authority of Westmere approved a plan on Monday to dredge the old canal, "
        "ending a dispute that had lasted six years.\n"
        "The work will cost 14 million pounds and is due to finish in 2029, officials said.\n"
        "“We have waited long enough for boats to return to the town centre,” said Councillor "
        "Ruth Adebayo, who chairs the authority.\n"
        "Fishermen had complained that silt blocked the canal at low tide. Shopkeepers on the "
        "quay said they hoped visitors would follow the boats.\n"
        "The plan still needs the approval of the regional environment agency, which will "
        "publish its decision in the spring."
    ),
    (
        "A public library in Carrow Vale will open on Sundays from next month after volunteers "
        "offered to staff it.\n"
        "The council had cut Sunday opening in 2019 to save money. About 40 volunteers signed up "
        "within a week, according to the head librarian, Tom Okafor.\n"
        "“People told us they wanted a quiet place to read and study at the weekend,” Mr Okafor "
        "said. The library will open from 10am to 4pm.\n"
        "Local schools welcomed the decision. Several parents said their children had nowhere "
        "to do homework on Sundays."
    ),
]


@pytest.fixture(scope="module")
def checker() -> SummaryChecker:
    c = SummaryChecker(quotes=RuleQuoteEngine())
    c.load()
    return c


@pytest.fixture(scope="module")
def summariser() -> SummaryEngineImpl:
    eng = create_summary_engine(SummarizerConfig())
    eng.load()
    return eng


def test_the_head_is_pinned(checker: SummaryChecker) -> None:
    """The checker's weights load only with the digest pinned in the registry."""
    info = checker.models()[0]
    assert info.id == CHECKER.id
    assert info.sha256 == CHECKER.files[CHECKER.primary or ""]


@pytest.mark.parametrize("options", [SummaryOptions(), SummaryOptions(max_sentences=3)])
def test_the_services_extractive_summaries_verify(
    checker: SummaryChecker, summariser: SummaryEngineImpl, options: SummaryOptions
) -> None:
    """Every extractive summary this service writes is supported, sentence by sentence."""
    summaries = summariser.summarize_batch([(a, options) for a in ARTICLES])
    for article, summary in zip(ARTICLES, summaries, strict=True):
        verdict = checker.verify(article, summary.text)
        assert verdict.sentences, summary.text
        assert verdict.supported, [(s.text, s.score, s.problems) for s in verdict.sentences]
        for s in verdict.sentences:
            assert summary.text[s.start : s.end] == s.text
            assert s.evidence
            assert article[s.evidence[0].start : s.evidence[0].end]


def test_a_made_up_sentence_is_refused_and_named(checker: SummaryChecker) -> None:
    """A sentence the article does not contain fails, with a problem naming what is made up."""
    summary = (
        "The harbour authority of Westmere approved a plan to dredge the old canal. "
        "The mayor, Daniel Brightwater, resigned after the vote and moved to Lisbon."
    )
    verdict = checker.verify(ARTICLES[0], summary)
    assert not verdict.supported
    good, bad = verdict.sentences
    assert good.supported
    assert not bad.supported
    assert bad.score < good.score
    named = {p.text for p in bad.problems}
    assert any("Brightwater" in t for t in named) or any(p.kind == "claim" for p in bad.problems)


def test_a_changed_amount_is_refused_as_an_amount(checker: SummaryChecker) -> None:
    """A sentence copied from the article with its amount changed fails, naming the amount."""
    summary = "The work will cost 40 million pounds and is due to finish in 2029, officials said."
    verdict = checker.verify(ARTICLES[0], summary)
    assert not verdict.supported
    kinds = {(p.kind, p.text) for p in verdict.sentences[0].problems}
    assert any(k in {"number", "amount"} and "40" in t for k, t in kinds)


def test_an_altered_quotation_is_refused_as_a_quotation(checker: SummaryChecker) -> None:
    """A quotation whose words differ from the article's fails with a quotation problem."""
    summary = (
        "“We have waited far too long for tourists to return to the town centre,” said "
        "Councillor Ruth Adebayo."
    )
    verdict = checker.verify(ARTICLES[0], summary)
    assert not verdict.supported
    problems = verdict.sentences[0].problems
    assert [p.kind for p in problems if p.kind == "quotation"] == ["quotation"]
    quote = next(p for p in problems if p.kind == "quotation")
    assert summary[quote.start : quote.end] == quote.text
    assert "tourists" in quote.text


def test_a_quotation_given_to_someone_else_is_refused(checker: SummaryChecker) -> None:
    """A verbatim quotation attributed to a person the article does not give it to fails."""
    summary = (
        "“People told us they wanted a quiet place to read and study at the weekend,” said Mary Lindqvist."
    )
    verdict = checker.verify(ARTICLES[1], summary)
    assert not verdict.supported
    kinds = {p.kind for p in verdict.sentences[0].problems}
    assert kinds & {"quote_speaker", "person"}


def test_a_negated_claim_is_refused_as_a_negation(checker: SummaryChecker) -> None:
    """A one-sentence summary that negates what the article says fails, naming the negation."""
    summary = "The harbour authority of Westmere did not approve a plan to dredge the old canal."
    verdict = checker.verify(ARTICLES[0], summary)
    assert not verdict.supported
    negations = [p for p in verdict.sentences[0].problems if p.kind == "negation"]
    assert [p.text for p in negations] == ["not"]
    assert summary[negations[0].start : negations[0].end] == "not"


def test_a_swapped_relation_is_refused_and_a_backed_one_kept(checker: SummaryChecker) -> None:
    """Names swapped around the article's verb fail with a relation problem; the right order passes
    the relation check, and the problem's offsets slice the summary and article."""
    article = (
        "The city council of Brookfield hired Ana Petrova as its new auditor on Monday. Petrova "
        "replaced Marcus Reid, who retired after 20 years. Reid praised Petrova in a short speech."
    )
    swapped = "Petrova praised Reid in a short speech."
    verdict = checker.verify(article, swapped)
    assert not verdict.supported
    sent = verdict.sentences[0]
    relation = [p for p in sent.problems if p.kind == "relation"]
    assert [p.text for p in relation] == ["Petrova praised Reid"]
    assert swapped[relation[0].start : relation[0].end] == relation[0].text
    first = sent.evidence[0]
    assert article[first.start : first.end].startswith("Reid praised Petrova")
    kept = checker.verify(article, "Marcus Reid was replaced by Ana Petrova.")
    assert all(p.kind != "relation" for s in kept.sentences for p in s.problems)

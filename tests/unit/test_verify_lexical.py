"""The summary checker's word-level checks, quotation checks, fake and wire mapping (no model)."""

from __future__ import annotations

from service.engines.verify.fake import FakeSummaryChecker
from service.engines.verify.features import (
    FEATURES,
    WORSE_WHEN_HIGH,
    aggregate,
    find_verbatim,
    longest_copy,
    unsupported_names,
    unsupported_numbers,
)
from service.engines.verify.lexical import ArticleIndex, names_in, negations, normal_number, numbers_in
from service.engines.verify.quotations import ArticleQuotes, quotations, quote_problems
from service.verification import to_response

ARTICLE = (
    "The city council of Lowfield approved a new tram line on Tuesday after a long debate. "
    "“This is the most important decision we have made in a decade,” said Mayor Jane Porter. "
    "Opponents said the cost, estimated at $300 million, was too high. "
    "The first trams will run in 2029, and 12 stations are planned."
)


def test_numbers_are_normalised_and_kinds_guessed() -> None:
    """Digits with separators, number words and currency map to one form; kinds follow cues."""
    assert normal_number("1,200") == "1200"
    assert normal_number("twelve") == "12"
    assert normal_number("$300 million") == "300"
    kinds = {m.text: m.kind for m in numbers_in("It cost $40 million in 2031 and 7 people came.")}
    assert kinds["$40 million"] == "amount"
    assert kinds["2031"] == "date"
    assert kinds["7"] == "number"


def test_unsupported_numbers_are_those_the_article_lacks() -> None:
    """A number the article states passes; a changed one is reported with its text."""
    index = ArticleIndex(ARTICLE)
    assert unsupported_numbers(index, "Twelve stations are planned and trams run in 2029.") == []
    bad = unsupported_numbers(index, "The line will cost $450 million.")
    assert [m.text for m in bad] == ["$450 million"]
    assert bad[0].kind == "amount"


def test_unsupported_names_are_those_the_article_lacks() -> None:
    """A name from the article passes (case aside); an invented one is reported as a person."""
    index = ArticleIndex(ARTICLE)
    assert unsupported_names(index, "Mayor Jane Porter welcomed the vote in Lowfield.") == []
    bad = unsupported_names(index, "The plan was praised by Robert Klein.")
    assert [(m.text, m.kind) for m in bad] == [("Robert Klein", "person")]


def test_names_skip_a_common_first_word() -> None:
    """A capitalised sentence opener that is a common word is not a name."""
    assert [m.text for m in names_in("The council met. They voted.")] == []


def test_negations_are_counted_with_contractions() -> None:
    """'not', 'never' and "n't" each count as a negation."""
    assert negations("It did not pass and never will; they didn't try.") == 3
    assert negations("It passed.") == 0


def test_verbatim_and_copy_length() -> None:
    """A sentence of the article is found verbatim (whitespace runs equal); copies are measured."""
    sentence = "Opponents said the cost,  estimated at $300 million, was too high."
    span = find_verbatim(ARTICLE, sentence)
    assert span is not None
    assert ARTICLE[span[0] : span[1]] == " ".join(sentence.split())
    index = ArticleIndex(ARTICLE)
    assert longest_copy(index, ["the", "first", "trams", "will", "fly"]) == 4


def test_aggregate_takes_each_features_worst_value() -> None:
    """A summary's features are the worst over its sentences (min for support, max for novelty)."""
    good = [0.0 if name in WORSE_WHEN_HIGH else 0.9 for name in FEATURES]
    bad = [1.0 if name in WORSE_WHEN_HIGH else 0.4 for name in FEATURES]
    agg = dict(zip(FEATURES, aggregate([good, bad]), strict=True))
    assert agg["sim_max"] == 0.4  # lower is worse
    assert agg["novel_content"] == 1.0  # higher is worse
    assert agg["cover1"] == 0.4
    assert agg["fuse_pairs"] == 1.0
    assert agg == dict(zip(FEATURES, aggregate([bad, good]), strict=True))


def test_quotations_need_three_words() -> None:
    """Quoted titles and scare quotes (one or two words) are not checked as quotations."""
    s = 'He called it "historic" and said "we will build it fast".'
    spans = quotations(s)
    assert [s[a:b] for a, b in spans] == ["we will build it fast"]


def test_altered_quotation_is_a_problem_naming_it() -> None:
    """A quotation that is not word for word in the article is reported with its offsets."""
    index = ArticleIndex(ARTICLE)
    sentence = "Mayor Jane Porter said: “This is the worst decision we have made in a decade.”"
    problems = quote_problems(sentence, 10, index, ArticleQuotes([]), None)
    assert [p.kind for p in problems] == ["quotation"]
    assert sentence[problems[0].start - 10 : problems[0].end - 10] == problems[0].text
    assert "worst decision" in problems[0].text
    same = "Porter said: “This is the most important decision we have made in a decade.”"
    assert quote_problems(same, 0, index, ArticleQuotes([]), None) == []


def test_fake_checker_and_wire_mapping() -> None:
    """The fake supports sentences whose words the article has; the wire keeps offsets and problems."""
    summary = "The council approved a tram line. Dragons attacked the stations."
    verdict = FakeSummaryChecker().verify(ARTICLE, summary)
    assert [c.supported for c in verdict.sentences] == [True, False]
    assert not verdict.supported
    answer = to_response(verdict, "d1")
    assert answer.id == "d1"
    for s in answer.sentences:
        assert summary[s.start : s.end] == s.text
    assert answer.sentences[1].problems[0].kind == "claim"
    assert FakeSummaryChecker().verify(ARTICLE, "   ").reason is not None


def test_negation_flip_names_the_word_or_the_sentence() -> None:
    """An added negation is named by its word; a dropped one by the whole sentence; none if equal."""
    from service.engines.verify.lexical import negation_flip

    added = negation_flip("They did not approve it.", 1, 0)
    assert added is not None
    assert (added.kind, added.text) == ("negation", "not")
    dropped = negation_flip("They approved it.", 0, 1)
    assert dropped is not None
    assert dropped.text == "They approved it."
    assert negation_flip("They never came.", 1, 1) is None


def test_a_short_whole_sentence_of_the_article_is_supported() -> None:
    """A whole article sentence of three words is supported outright, as extractive summaries need."""
    from service.engines.verify import SummaryChecker
    from service.engines.verify.features import FEATURES
    from service.engines.verify.head import CheckerHead, CheckerHeads
    from tests.fake_encoder import EvenEncoder

    n = len(FEATURES)
    never = CheckerHead([0.0] * n, [1.0] * n, [0.0] * n, -10.0, 0.5, frozenset())
    checker = SummaryChecker(encoder=EvenEncoder(), heads=CheckerHeads(never, never))  # type: ignore[arg-type]
    article = "The vote was close. Police were called. Nobody was hurt in the end."
    verdict = checker.verify(article, "Police were called.")
    assert verdict.supported
    assert verdict.score == 1.0
    assert checker.verify(article, "Police were").supported is False

"""Relation errors the checker proves from the article (texts written for these tests)."""

from __future__ import annotations

import pytest

from service.engines.verify.relations import ArticleTokens, relation_issues

ARTICLE = (
    "Harbour Council appointed Lena Varga as its chief executive on Monday. Varga replaced Peter "
    "Holm, who was dismissed by the council in March after an audit. Lind said the council had "
    "spent £3 million on consultants and 14 staff had left. Varga, 52, previously ran the Eastport "
    "Water Board for 9 years. Holm criticised Lind in a letter to 30 councillors."
)


@pytest.fixture(scope="module")
def art() -> ArticleTokens:
    return ArticleTokens(ARTICLE)


@pytest.mark.parametrize(
    ("summary", "named", "evidence"),
    [
        (
            "Lind criticised Holm in a letter to 30 councillors.",
            "Lind criticised Holm",
            "Holm criticised Lind",
        ),
        (
            "Peter Holm replaced Lena Varga as chief executive.",
            "Peter Holm replaced Lena Varga",
            "Varga replaced",
        ),
        (
            "Harbour Council was appointed by Lena Varga.",
            "Harbour Council was appointed by Lena Varga",
            "Harbour Council appointed",
        ),
        ("lind criticised holm in a letter .", "lind criticised holm", "Holm criticised Lind"),
    ],
)
def test_a_swap_is_named_with_the_article_sentence(
    art: ArticleTokens, summary: str, named: str, evidence: str
) -> None:
    """Names swapped around a verb (active, by-passive, lower-cased) are one problem with evidence."""
    issues = relation_issues(art, summary)
    assert len(issues) == 1
    issue = issues[0]
    assert summary[issue.start : issue.end] == named
    assert ARTICLE[issue.evidence[0] : issue.evidence[1]].startswith(evidence)


@pytest.mark.parametrize(
    "summary",
    [
        "Lena Varga was appointed by Harbour Council as chief executive.",
        "Peter Holm was replaced by Lena Varga after an audit.",
        "In a letter to 30 councillors, Holm criticised Lind.",
        "Varga, 52, ran the Eastport Water Board for 9 years.",
        "The council spent £3 million on consultants, Lind said, and 14 staff left.",
        "Harbour Council named Lena Varga its chief executive.",
        "Holm was dismissed by the council in March.",
    ],
)
def test_backed_paraphrases_do_not_fire(art: ArticleTokens, summary: str) -> None:
    """Sentences the article backs (passives, clauses, amounts, another verb) raise no relation problem."""
    assert relation_issues(art, summary) == []


def test_a_number_moved_to_another_noun_is_named(art: ArticleTokens) -> None:
    """ "14 million" and "3 staff" (the article has £3 million and 14 staff) are both named."""
    summary = "Lind said the council had spent £14 million on consultants and 3 staff had left."
    issues = relation_issues(art, summary)
    assert [summary[i.start : i.end] for i in issues] == ["14 million", "3 staff"]
    for i in issues:
        assert "14 staff" in ARTICLE[i.evidence[0] : i.evidence[1]]


def test_a_number_the_article_writes_alone_abstains(art: ArticleTokens) -> None:
    """The article writes "52" with no noun after it, so "52 years" is not proven wrong here."""
    assert relation_issues(art, "Varga ran the Eastport Water Board for 52 years.") == []


def test_an_action_given_to_another_name_is_named(art: ArticleTokens) -> None:
    """ "Sara Lind replaced Peter Holm": the article has only Varga replacing him."""
    issues = relation_issues(art, "Sara Lind replaced Peter Holm.")
    assert len(issues) == 1
    assert ARTICLE[issues[0].evidence[0] :].startswith("Varga replaced Peter")


def test_a_sentence_with_the_relation_both_ways_abstains() -> None:
    """When one article sentence has it one way and another the other way, nothing is proven."""
    article = "Ito praised Mensah on Friday. Later Mensah praised Ito in return."
    assert relation_issues(ArticleTokens(article), "Mensah praised Ito.") == []
    assert relation_issues(ArticleTokens(article), "Ito praised Mensah.") == []


def test_a_pronoun_subject_abstains() -> None:
    """An article that gives the action to a pronoun proves nothing about who did it."""
    article = "Okafor met Brandt in May. She thanked residents who had helped."
    assert relation_issues(ArticleTokens(article), "Brandt thanked residents.") == []

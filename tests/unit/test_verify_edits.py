"""Claim edits: near-copies of an article sentence with one claim changed (texts written here)."""

from __future__ import annotations

import pytest

from service.engines.verify.edits import ArticleAlignment, claim_edits
from tests.claim_edit_cases import ARTICLE, BACKED, EDITED


@pytest.fixture(scope="module")
def art() -> ArticleAlignment:
    return ArticleAlignment(ARTICLE)


@pytest.mark.parametrize(("sentence", "kind", "named"), EDITED)
def test_an_edited_claim_is_found_and_named(
    art: ArticleAlignment, sentence: str, kind: str, named: str
) -> None:
    """A near-copy with one name, number, word or negation changed gives an edit naming its words."""
    edits = claim_edits(art, sentence)
    assert [(e.kind, sentence[e.start : e.end]) for e in edits][:1] == [(kind, named)]
    e = edits[0]
    assert ARTICLE[e.evidence[0] : e.evidence[1]] in ARTICLE.splitlines()
    assert e.evidence[0] <= e.article[0] <= e.article[1] <= e.evidence[1]
    assert ARTICLE[e.article[0] : e.article[1]] in e.message


@pytest.mark.parametrize("sentence", BACKED)
def test_a_backed_near_copy_is_not_an_edit(art: ArticleAlignment, sentence: str) -> None:
    """A shortened name, a dropped or moved clause, an inflection, a number in words: no edit."""
    assert claim_edits(art, sentence) == []


def test_a_sentence_that_copies_no_article_sentence_is_left_alone(art: ArticleAlignment) -> None:
    """With no article sentence matching most of its words, a sentence is not aligned at all."""
    assert claim_edits(art, "Councillor Tom Baird said the weather was cold in Dunmore.") == []


def test_the_article_sentence_itself_has_no_edit(art: ArticleAlignment) -> None:
    """Every article sentence aligns to itself with nothing changed."""
    assert all(claim_edits(art, line) == [] for line in ARTICLE.splitlines())

"""The whole checker on near-copies with one claim changed, and on backed near-copies (texts written here)."""

from __future__ import annotations

import pytest

from service.engines.quotes import RuleQuoteEngine
from service.engines.verify import SummaryChecker
from tests.claim_edit_cases import ARTICLE, BACKED, CHANGED, EDITED

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def checker() -> SummaryChecker:
    c = SummaryChecker(quotes=RuleQuoteEngine())
    c.load()
    return c


@pytest.mark.parametrize("sentence", CHANGED)
def test_a_near_copy_with_one_claim_changed_is_refused(checker: SummaryChecker, sentence: str) -> None:
    """A one-sentence summary copying an article sentence with one claim changed is unsupported."""
    verdict = checker.verify(ARTICLE, sentence)
    assert not verdict.supported
    assert verdict.sentences[0].problems


@pytest.mark.parametrize(("sentence", "kind", "named"), EDITED)
def test_the_changed_problem_names_the_words_and_the_article_sentence(
    checker: SummaryChecker, sentence: str, kind: str, named: str
) -> None:
    """The `changed` problem names the summary's words, and the evidence starts with the copied sentence."""
    sent = checker.verify(ARTICLE, sentence).sentences[0]
    changed = [p for p in sent.problems if p.kind == "changed"]
    assert named in [p.text for p in changed]
    assert all(sentence[p.start : p.end] == p.text for p in changed)
    first = ARTICLE[sent.evidence[0].start : sent.evidence[0].end]
    assert first in ARTICLE.splitlines()
    assert changed[0].message.startswith("the article")


@pytest.mark.parametrize("sentence", BACKED)
def test_a_backed_near_copy_stays_supported(checker: SummaryChecker, sentence: str) -> None:
    """A copied sentence with a clause dropped, a name shortened, a number in words... is supported."""
    verdict = checker.verify(ARTICLE, sentence)
    assert verdict.supported, [(p.kind, p.text) for p in verdict.sentences[0].problems]

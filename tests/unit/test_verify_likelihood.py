"""The checker's likelihood features, from made-up token log-probabilities (no model)."""

from __future__ import annotations

import re

import pytest

from models.causal_lm import TokenScore
from service.engines.verify import SummaryChecker
from service.engines.verify.features import FEATURES
from service.engines.verify.head import CheckerHead, CheckerHeads
from service.engines.verify.likelihood import LM_FEATURES, sentence_values, words_of
from tests.fake_encoder import EvenEncoder

ARTICLE = (
    "Mayor Ines Calloway opened the new bridge over the Tarn on Friday. "
    "The bridge cost 12 million euros and took three years to build."
)


def tokens(summary: str, values: dict[str, tuple[float, float]]) -> list[TokenScore]:
    """One token per word (with its leading space), and one for its last letter when the word is
    longer than three letters; ``values``: word -> (cond, uncond) of the whole word."""
    out = []
    for m in re.finditer(r"\S+", summary):
        cond, uncond = values.get(m.group().strip(".,"), (-1.0, -2.0))
        start = max(0, m.start() - 1)
        if len(m.group()) > 3:
            out.append(TokenScore(start, m.end() - 1, cond / 2, uncond / 2))
            out.append(TokenScore(m.end() - 1, m.end(), cond / 2, uncond / 2))
        else:
            out.append(TokenScore(start, m.end(), cond, uncond))
    return out


def test_words_join_their_tokens_and_sum_their_values() -> None:
    """A word split into two tokens is one word whose cond and PMI are the sums of its tokens'."""
    summary = "Calloway opened it."
    ws = words_of(summary, tokens(summary, {"Calloway": (-2.0, -9.0)}), 0, len(summary))
    assert [w for w, _, _ in ws] == ["Calloway", "opened", "it."]
    assert ws[0][1] == pytest.approx(-2.0)
    assert ws[0][2] == pytest.approx(7.0)


def test_a_made_up_number_has_the_lowest_name_pmi() -> None:
    """The minimum PMI over names and numbers is the made-up number's, and it counts as low."""
    summary = "The bridge cost 40 million euros."
    toks = tokens(summary, {"40": (-6.0, -3.0), "bridge": (-0.5, -4.0)})
    v = dict(zip(LM_FEATURES, sentence_values(summary, toks, 0, len(summary)), strict=True))
    assert v["lm_pmi_min_name"] == pytest.approx(-3.0)
    assert v["lm_pmi_min_content"] == pytest.approx(-3.0)
    assert 0 < v["lm_pmi_low"] <= 0.5
    backed = tokens(summary, {"40": (-0.5, -3.0)})
    w = dict(zip(LM_FEATURES, sentence_values(summary, backed, 0, len(summary)), strict=True))
    assert w["lm_pmi_min_name"] > 0
    assert w["lm_pmi_low"] == 0


def test_lower_cased_names_are_found_through_the_article() -> None:
    """In a lower-cased summary a name is known by the article's names, not by its capital."""
    summary = "the bridge was opened by calloway and tarn."
    toks = tokens(summary, {"calloway": (-1.0, -1.5), "opened": (-9.0, -1.0)})
    without = sentence_values(summary, toks, 0, len(summary))
    with_names = sentence_values(summary, toks, 0, len(summary), frozenset({"calloway"}))
    # Without the article's names no word is a name: the minimum falls back to the content words.
    assert without[2] == pytest.approx(-8.0)
    assert with_names[2] == pytest.approx(0.5)


def test_each_sentence_takes_the_tokens_that_end_in_it() -> None:
    """The second sentence's values come from its own tokens only (a token whose last character is
    in it belongs to it, even when it starts with the space before it)."""
    summary = "The mayor came. Nobody else did."
    toks = tokens(summary, {"mayor": (-9.0, -1.0)})
    second = summary.index("Nobody")
    ws = words_of(summary, toks, second, len(summary))
    assert [w for w, _, _ in ws] == ["Nobody", "else", "did."]
    assert sentence_values(summary, toks, second, len(summary))[1] > 0
    assert sentence_values(summary, [], 0, len(summary)) == [0.0] * len(LM_FEATURES)


class ArticleWordsLM:
    """A stand-in scorer: a word of the article gets a positive PMI, any other a negative one.
    Counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def score(self, article: str, summaries: list[str]) -> list[list[TokenScore]]:
        self.calls += 1
        known = set(re.findall(r"\w+", article.lower()))
        return [
            tokens(
                s,
                {
                    w.strip(".,"): (-1.0, -3.0) if w.strip(".,").lower() in known else (-6.0, -2.0)
                    for w in s.split()
                },
            )
            for s in summaries
        ]


def lm_checker(lm: ArticleWordsLM) -> SummaryChecker:
    """A checker whose head looks only at the lowest PMI of a name or number."""
    names = (*FEATURES, *LM_FEATURES)
    coef = [0.0] * len(names)
    coef[names.index("lm_pmi_min_name")] = 1.0
    head = CheckerHead([0.0] * len(names), [1.0] * len(names), coef, 0.0, 0.5, frozenset())
    return SummaryChecker(encoder=EvenEncoder(), heads=CheckerHeads(head, head), lm=lm)  # type: ignore[arg-type]


def test_a_made_up_name_is_refused_and_a_backed_one_kept() -> None:
    """With the likelihood features a sentence naming someone the article does not is refused, the
    same sentence with the article's name kept; the scorer runs once per verification."""
    lm = ArticleWordsLM()
    checker = lm_checker(lm)
    assert checker.features == (*FEATURES, *LM_FEATURES)
    kept = checker.verify(ARTICLE, "Mayor Calloway opened a bridge across the river.")
    refused = checker.verify(ARTICLE, "Mayor Brandt opened a bridge across the river.")
    assert kept.supported
    assert kept.sentences[0].score > 0.5
    assert not refused.supported
    assert refused.sentences[0].score < 0.5
    assert lm.calls == 2


def test_heads_for_the_likelihood_features_must_name_them() -> None:
    """Weights trained without the likelihood features are refused by a checker that computes them."""
    n = len(FEATURES)
    head = {"mean": [0.0] * n, "scale": [1.0] * n, "coef": [0.0] * n, "intercept": 0.0, "threshold": 0.5}
    doc = {"features": list(FEATURES), "heads": {"single": head, "multi": head}}
    assert CheckerHeads.from_dict(doc).single.threshold == 0.5
    with pytest.raises(ValueError, match="the code computes"):
        CheckerHeads.from_dict(doc, (*FEATURES, *LM_FEATURES))

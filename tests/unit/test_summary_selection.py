"""Candidate sentences (degenerate input) and whole-sentence selection, without any model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.engines.summarizer.candidates import (
    MAX_WORDS,
    NO_PROSE,
    NO_TEXT,
    _lower_cased,
    candidate_sentences,
    needs_antecedent,
)
from service.engines.summarizer.selection import Limits, SelectionParams, select

STORY = (
    "The harbour authority approved a plan to dredge the old channel on Monday. "
    "It will cost about four million pounds over two years. "
    "Fishing crews welcomed the decision after a decade of silting. "
    "But environmental groups said the work would disturb seal colonies. "
    "The first dredgers are expected in the autumn."
)


def _emb(n: int) -> np.ndarray:
    """Orthogonal unit rows, so no pair of sentences counts as redundant."""
    return np.eye(n, 8, dtype=np.float32)


@pytest.mark.parametrize(
    "text",
    [
        "x" * 250_000,
        "\n".join(str(i * 37 % 1000) for i in range(5000)),
        "12, 15, 18, 22, 31, 40. 7 9 11. 3.5 4.5 5.5",
        "https://example.org/" + "a1b2c3" * 40,
    ],
    ids=["one-huge-word", "numbers-per-line", "numbers-with-stops", "one-long-url"],
)
def test_text_without_sentences_has_no_candidates(text: str) -> None:
    """Text with no prose sentence yields no candidates and says why."""
    sents, reason = candidate_sentences(text)
    assert sents == []
    assert reason == NO_PROSE


def test_empty_text_has_its_own_reason() -> None:
    """Blank input is reported as empty, not as text without prose."""
    assert candidate_sentences("  \n ") == ([], NO_TEXT)


def test_lower_cased_text_is_split_on_stops() -> None:
    """Lower-cased prose is split at every stop followed by a space, so no candidate is the whole text."""
    text = " ".join([STORY.lower()] * 3)
    sents, reason = candidate_sentences(text)
    assert reason is None
    assert len(sents) == 15
    assert all(text[s.start : s.end] == s.text for s in sents)
    assert sents[0].text == "the harbour authority approved a plan to dredge the old channel on monday."


def test_all_caps_wire_copy_is_split_into_bounded_sentences() -> None:
    """An all-capitals wire dump gives sentence-sized candidates, each verbatim."""
    text = ("LONDON (WIRE) - " + STORY.upper() + " ") * 4
    sents, _ = candidate_sentences(text)
    assert len(sents) >= 10
    assert all(len(s.text.split()) <= MAX_WORDS for s in sents)
    assert all(text[s.start : s.end] == s.text for s in sents)


def test_over_long_run_is_split_or_dropped() -> None:
    """A 300-word run without capitals after its stops is cut at the stops; no piece is over-long."""
    run = " ".join(["the tide rose again and the boats waited offshore."] * 30)
    sents, _ = candidate_sentences("Harbour news. " + run)
    assert sents
    assert all(len(s.text.split()) <= MAX_WORDS for s in sents)


@pytest.mark.parametrize(
    ("sentence", "dependent"),
    [
        ("He also said the plan was sound.", True),
        ("But the work would disturb seals.", True),
        ("“However, we are ready,” she said.", True),
        ("In addition, two ferries will be withdrawn.", True),
        ("This is the third plan in a decade.", True),
        ("This year the channel silted up twice.", False),
        ("Hebrides ferries were cancelled.", False),
        ("The authority said it would pay.", False),
    ],
)
def test_needs_antecedent(sentence: str, dependent: bool) -> None:
    """Pronoun and connective openers need the sentence before; other openers do not."""
    assert needs_antecedent(sentence) is dependent


def _story_inputs() -> tuple[list[int], list[bool]]:
    sents, _ = candidate_sentences(STORY)
    return [len(s.text.split()) for s in sents], [needs_antecedent(s.text) for s in sents]


def test_dependent_sentence_only_with_its_antecedent() -> None:
    """The best-scoring "But ..." sentence is left out unless the sentence before it is chosen."""
    words, dependent = _story_inputs()
    scores = np.array([0.1, 0.2, 0.3, 0.9, 0.0], dtype=np.float32)
    params = SelectionParams()
    picks = select(scores, words, _emb(5), dependent, limits=Limits(max_sentences=1), params=params)
    assert [p.index for p in picks] == [2]
    picks = select(scores, words, _emb(5), dependent, limits=Limits(max_sentences=2), params=params)
    assert [p.index for p in picks] == [2, 3]


def test_max_sentences_alone_means_that_many() -> None:
    """max_sentences without max_words returns exactly that many whole sentences."""
    words, dependent = _story_inputs()
    scores = np.array([0.5, 0.4, 0.3, 0.2, 0.1], dtype=np.float32)
    params = SelectionParams(budget_words=10, slack_words=0)
    for k in (1, 4, 5):
        picks = select(scores, words, _emb(5), dependent, limits=Limits(max_sentences=k), params=params)
        assert len(picks) == k
        assert all(p.words is None for p in picks)


def test_max_words_takes_whole_sentences_that_fit() -> None:
    """max_words is a hard limit met with whole sentences; nothing fits gives nothing."""
    words, dependent = _story_inputs()
    scores = np.array([0.5, 0.4, 0.3, 0.2, 0.1], dtype=np.float32)
    params = SelectionParams()
    picks = select(scores, words, _emb(5), dependent, limits=Limits(max_words=25), params=params)
    assert sum(words[p.index] for p in picks) <= 25
    assert all(p.words is None for p in picks)
    assert select(scores, words, _emb(5), dependent, limits=Limits(max_words=5), params=params) == []


def test_trim_fills_the_limit_with_one_marked_prefix() -> None:
    """With trim, the sentence that does not fit is cut to the remaining words and comes last."""
    words, dependent = _story_inputs()
    scores = np.array([0.5, 0.4, 0.3, 0.2, 0.1], dtype=np.float32)
    params = SelectionParams(min_fill=5)
    picks = select(scores, words, _emb(5), dependent, limits=Limits(max_words=20, trim=True), params=params)
    cut = [p for p in picks if p.words is not None]
    assert len(cut) == 1
    assert picks[-1] == cut[0]
    assert sum(p.words or words[p.index] for p in picks) <= 20


def test_default_length_stays_within_budget_and_slack() -> None:
    """The default length stops at the target and never passes target + slack."""
    words, dependent = _story_inputs()
    scores = np.array([0.5, 0.4, 0.3, 0.2, 0.1], dtype=np.float32)
    params = SelectionParams(budget_words=20, slack_words=5, max_sentences=5)
    picks = select(scores, words, _emb(5), dependent, limits=Limits(), params=params)
    total = sum(words[p.index] for p in picks)
    assert 1 <= len(picks) < 5
    assert total <= 25


def _lower_cased_by_hand(text: str) -> bool:
    head = text[:20_000]
    letters = sum(1 for ch in head if ch.isalpha())
    upper = sum(1 for ch in head if ch.isupper())
    return letters >= 20 and upper * 200 < letters


@given(
    st.text(alphabet=st.sampled_from("aAzZ09 .,ßİǅΣσЖж\u00e9\u00c9\u2160\u2170½²_\ud800"), max_size=400)
    | st.text(max_size=400)
)
def test_lower_case_detection_counts_letters_like_str_methods(text: str) -> None:
    """The numpy count of letters and capitals agrees with isalpha/isupper on any text."""
    assert _lower_cased(text) == _lower_cased_by_hand(text)
    assert _lower_cased(text.lower() * 3) == _lower_cased_by_hand(text.lower() * 3)

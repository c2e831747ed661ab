"""Selection units that keep quotations whole: a quotation of several sentences is one candidate."""

from __future__ import annotations

import numpy as np
import pytest

from service.engines.summarizer.candidates import candidate_sentences, candidate_units
from service.engines.summarizer.selection import Limits, SelectionParams, select
from service.engines.summarizer.units import join_quotations, quotation_interiors
from service.engines.text import split_sentences

CURLY = (
    "Residents packed the village hall in Marlow Green on Tuesday evening.\n\n"
    "“We were promised a new bridge three years ago. Nothing has happened. We are tired of waiting,” "
    "said parish councillor Idris Penhale.\n\n"
    "The county says the money was moved to road repairs."
)
BRITISH = (
    "Bakers in Selsworth say the new flour tax will close small shops.\n\n"
    "‘We bake before dawn every day. Our margins are thin. This tax could finish us,’ said baker "
    "Morwenna Tate. She has run the shop since 1998.\n\n"
    "The council's budget meeting is next week."
)
STRAIGHT = (
    'The mayor spoke after the vote. "The numbers are clear. We will build the school," she said. '
    "Work starts in June."
)
LOWER = (
    "the ferry service will end in may, officials said. "
    '" we have no money left . the boats are old , " said the operator . '
    "passengers will need to drive around the bay."
)


def _texts(text: str) -> list[str]:
    return [s.text for s in candidate_sentences(text)[0]]


@pytest.mark.parametrize("text", [CURLY, BRITISH, STRAIGHT, LOWER])
def test_no_candidate_starts_or_ends_inside_a_quotation(text: str) -> None:
    """Every candidate's bounds lie outside every quotation interior and it is verbatim."""
    quotes = quotation_interiors(text)
    assert quotes
    sents, _ = candidate_sentences(text)
    assert sents
    for s in sents:
        assert text[s.start : s.end] == s.text
        for a, b in quotes:
            assert not a < s.start < b, (s.text, text[a:b])
            assert not a < s.end < b, (s.text, text[a:b])


def test_multi_sentence_quotation_is_one_unit() -> None:
    """The three-sentence quotation and its attribution form one candidate; the others stay apart."""
    texts = _texts(CURLY)
    assert len(texts) == 3
    assert texts[1].startswith("“We were promised")
    assert texts[1].endswith("Idris Penhale.")


def test_sentence_after_closed_quotation_stays_separate() -> None:
    """A sentence after the quotation closes is its own unit, so units are split where quotes close."""
    texts = _texts(BRITISH)
    assert texts[1].endswith("Morwenna Tate.")
    assert texts[2] == "She has run the shop since 1998."


def test_apostrophes_do_not_open_quotations() -> None:
    """An apostrophe inside a word ("council's") pairs with nothing."""
    text = "The council's plan failed. The mayor's office said nothing. Rivals' claims were dismissed."
    assert quotation_interiors(text) == []
    assert len(_texts(text)) == 3


def test_join_needs_a_gap_of_whitespace_only() -> None:
    """Spans separated by other text (cut-out page noise) are never joined, even inside a quotation."""
    text = '"One. Two. Three."'
    assert join_quotations(text, [(0, 5), (6, 10), (11, 18)]) == [(0, 18)]
    assert join_quotations(text, [(0, 4), (6, 10)]) == [(0, 4), (6, 10)]


def test_unclosed_quotation_is_split_as_before() -> None:
    """A quotation left open at the paragraph's end (continued below) pairs with nothing."""
    text = "“The plan is dead. We start again.\n\n“And this time we listen,” the chair said."
    assert len(_texts(text)) == 3


def _sentences(text: str) -> int:
    """Sentences of the engine's splitter in ``text``."""
    return len(split_sentences(text))


def test_quotation_unit_counts_its_sentences() -> None:
    """A unit joining a three-sentence quotation reports 3 sentences; plain units report 1."""
    sents, sizes, _ = candidate_units(CURLY)
    assert sizes == [1, 3, 1]
    assert [_sentences(s.text) for s in sents] == sizes
    assert candidate_units(BRITISH)[1][1] == 3


def test_selection_charges_a_unit_its_sentence_count() -> None:
    """With sizes, the best unit of 3 sentences does not fit a cap of 1 or 2; it fits 3 alone."""
    scores = np.array([0.1, 0.9, 0.5], dtype=np.float32)
    args = ([10, 30, 10], np.eye(3, 8, dtype=np.float32), [False] * 3)
    params = SelectionParams()

    def pick(cap: int) -> list[int]:
        limits = Limits(max_sentences=cap)
        return [p.index for p in select(scores, *args, limits=limits, params=params, sizes=[1, 3, 1])]

    assert pick(1) == [2]
    assert pick(2) == [0, 2]
    assert pick(3) == [1]
    assert pick(5) == [0, 1, 2]
    unsized = select(scores, *args, limits=Limits(max_sentences=1), params=params)
    assert [p.index for p in unsized] == [1]


def test_trim_never_cuts_a_unit_that_is_over_the_sentence_cap() -> None:
    """trim fills max_words only with a unit whose sentence count still fits the cap."""
    scores = np.array([0.9, 0.5], dtype=np.float32)
    picks = select(
        scores,
        [10, 40],
        np.eye(2, 8, dtype=np.float32),
        [False, False],
        limits=Limits(max_sentences=2, max_words=30, trim=True),
        params=SelectionParams(),
        sizes=[1, 3],
    )
    assert [(p.index, p.words) for p in picks] == [(0, None)]

"""The summary ranker: which candidate summaries exist, what their features say, how the weights
load, and that the choice follows the weights."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from models.registry import RANKER, load_json_weights
from service.engines.summarizer.features import FEATURE_NAMES, content_words
from service.engines.summarizer.reranker import (
    ALL_FEATURES,
    SUMMARY_FEATURES,
    SummaryRanker,
    subsets,
    summary_features,
)
from service.errors import ModelLoadError

TEXTS = [
    "The harbour authority approved a plan to dredge the old channel on Monday.",
    "It will cost about four million pounds over two years.",
    "Fishing crews welcomed the dredging plan after a decade of silting in the channel.",
    "But environmental groups said the dredging would disturb the seals.",
    "The channel was last dredged in 1987.",
    "Seals have bred on the sandbanks of the channel since the 1990s.",
    "A public meeting on the plan is set for next month.",
]
WORDS = [len(t.split()) for t in TEXTS]
CONTENT = [content_words(t) for t in TEXTS]
DEPENDENT = [False, True, False, True, False, False, False]


def column(name: str) -> int:
    return ALL_FEATURES.index(name)


def shipped() -> SummaryRanker:
    return SummaryRanker.from_dict(load_json_weights(RANKER))


def test_subsets_respect_order_caps_and_antecedents() -> None:
    cands = subsets(WORDS, DEPENDENT, first=6, max_sentences=3, max_words=40)
    assert cands
    assert len(set(cands)) == len(cands)
    for c in cands:
        assert list(c) == sorted(c)
        assert max(c) < 6
        assert 1 <= len(c) <= 3
        assert len(c) == 1 or sum(WORDS[i] for i in c) <= 40
        for i in c:
            if DEPENDENT[i]:
                assert i - 1 in c
    # Everything the rules admit is there: compare with a brute-force count.
    expected = [
        c
        for k in (1, 2, 3)
        for c in itertools.combinations(range(6), k)
        if all(not DEPENDENT[i] or i - 1 in c for i in c) and (k == 1 or sum(WORDS[i] for i in c) <= 40)
    ]
    assert sorted(cands) == sorted(expected)


def test_a_long_single_sentence_is_still_a_candidate() -> None:
    assert subsets([200, 300], [False, False], first=6, max_sentences=4, max_words=140) == [(0,), (1,)]
    assert subsets([], [], first=6, max_sentences=4, max_words=140) == []


def test_summary_features_describe_the_candidate() -> None:
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(len(TEXTS), 8)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    feats = rng.normal(size=(len(TEXTS), len(FEATURE_NAMES))).astype(np.float32)
    cands = [(0,), (0, 2), (0, 2, 4), (2, 4, 5, 6)]
    x = summary_features(cands, feats, emb, WORDS, CONTENT)
    assert x.shape == (4, len(ALL_FEATURES))
    np.testing.assert_allclose(x[1, : len(FEATURE_NAMES)], feats[0] + feats[2], rtol=1e-5)
    assert [x[r, column(n)] for r, n in enumerate(("one", "two", "three", "four"))] == [1.0] * 4
    assert x[0, column("redundancy")] == 0.0
    assert x[1, column("redundancy")] == pytest.approx(float(emb[0] @ emb[2]), abs=1e-6)
    assert x[2, column("words_log")] == pytest.approx(np.log(WORDS[0] + WORDS[2] + WORDS[4]))
    assert x[3, column("has_first")] == 0.0
    assert x[2, column("has_first")] == 1.0
    assert x[3, column("skipped")] == 3.0  # sentences 0, 1 and 3 are passed over
    # Coverage of the recurring words ("channel", "dredging", ...) grows with the summary.
    cov = x[:, column("coverage")]
    assert 0.0 < cov[0] < cov[1] <= cov[2] <= 1.0


def ranker_favouring(name: str, value: float = 5.0) -> SummaryRanker:
    width = len(ALL_FEATURES)
    w = np.zeros(width, dtype=np.float32)
    w[column(name)] = value
    return SummaryRanker(np.zeros(width, np.float32), np.ones(width, np.float32), w, 0.0, 6, 4, 140)


@pytest.mark.parametrize(("name", "size"), [("one", 1), ("two", 2), ("three", 3), ("four", 4)])
def test_the_choice_follows_the_weights(name: str, size: int) -> None:
    emb = np.eye(len(TEXTS), dtype=np.float32)
    feats = np.zeros((len(TEXTS), len(FEATURE_NAMES)), dtype=np.float32)
    chosen = ranker_favouring(name).choose(feats, emb, WORDS, DEPENDENT, CONTENT)
    assert len(chosen) == size
    shorter = ranker_favouring("words_log", -5.0).choose(feats, emb, WORDS, DEPENDENT, CONTENT)
    assert shorter == (WORDS.index(min(WORDS[:6])),)


def test_shipped_weights_round_trip_and_pick_a_lead_for_a_plain_story() -> None:
    ranker = shipped()
    again = SummaryRanker.from_dict(ranker.to_dict())
    np.testing.assert_array_equal(again.weights, ranker.weights)
    assert (again.first, again.max_sentences, again.max_words) == (ranker.first, ranker.max_sentences, 140)
    assert len(SUMMARY_FEATURES) + len(FEATURE_NAMES) == len(ranker.weights)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(features=d["features"][:-1]),
        lambda d: d.update(weights=d["weights"][:-1]),
        lambda d: d.update(std=[0.0] * len(d["std"])),
        lambda d: d.pop("bias"),
        lambda d: d.update(candidates={"first": 30, "max_sentences": 4, "max_words": 140}),
        lambda d: d.update(candidates={"first": 6, "max_sentences": 9, "max_words": 140}),
    ],
    ids=["features", "shape", "zero-std", "no-bias", "first", "max-sentences"],
)
def test_malformed_weights_are_refused(change: object) -> None:
    data = shipped().to_dict()
    change(data)  # type: ignore[operator]
    with pytest.raises(ModelLoadError):
        SummaryRanker.from_dict(data)


def test_a_ranker_with_fewer_leading_sentences_never_looks_further() -> None:
    emb = np.eye(len(TEXTS), dtype=np.float32)
    feats = np.zeros((len(TEXTS), len(FEATURE_NAMES)), dtype=np.float32)
    late = replace(ranker_favouring("last_log", 5.0), first=4)
    assert max(late.choose(feats, emb, WORDS, DEPENDENT, CONTENT)) == 3


def test_subsets_count_the_sentences_a_quotation_unit_joins() -> None:
    """A unit joining n sentences costs n against the candidates' sentence cap."""
    sizes = [1, 1, 3, 1, 1, 1, 1]
    words = [8] * 7
    free = [False] * 7
    cands = subsets(words, free, first=6, max_sentences=4, max_words=140, sizes=sizes)
    assert (2,) in cands
    assert (0, 2) in cands
    assert (0, 1, 2) not in cands
    assert all(sum(sizes[i] for i in c) <= 4 for c in cands)
    assert (0, 1, 3, 4) in cands
    # Without sizes, every unit counts one, as before.
    assert (0, 1, 2) in subsets(words, free, first=6, max_sentences=4, max_words=140)


def test_a_unit_over_the_cap_is_left_out_unless_nothing_else_remains() -> None:
    """A single unit of more sentences than the cap is a candidate only when no other is."""
    assert subsets([10, 10], [False, False], first=6, max_sentences=4, max_words=140, sizes=[5, 1]) == [(1,)]
    assert subsets([10], [False], first=6, max_sentences=4, max_words=140, sizes=[5]) == [(0,)]


def test_the_ranker_counts_sentences_when_given_sizes() -> None:
    """choose() with sizes never returns more article sentences than its cap."""
    rng = np.random.default_rng(1)
    emb = rng.normal(size=(len(TEXTS), 8)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    feats = rng.normal(size=(len(TEXTS), len(FEATURE_NAMES))).astype(np.float32)
    sizes = [2, 1, 3, 1, 2, 1, 1]
    longest = ranker_favouring("words_log", 5.0)
    chosen = longest.choose(feats, emb, WORDS, [False] * 7, CONTENT, sizes=sizes)
    assert chosen
    assert sum(sizes[i] for i in chosen) <= longest.max_sentences
    assert len(longest.choose(feats, emb, WORDS, [False] * 7, CONTENT)) > len(chosen)

"""The checker's fusion and name-fact binding features, and the summary score (no model)."""

from __future__ import annotations

import math

import pytest

from service.engines.verify.binding import BINDING_FEATURES, ArticleWords, binding_values
from service.engines.verify.features import FEATURES, aggregate
from service.engines.verify.head import summary_score

ARTICLE = (
    "Maria Okafor, the mayor of Lindenfield, praised the city's firefighters on Tuesday after a blaze "
    "destroyed a warehouse near the river. Fire chief Tomas Brandt said 40 firefighters fought the flames. "
    "Police arrested a 23-year-old man on suspicion of arson. Okafor thanked residents who left their homes."
)


def values(sentence: str) -> dict[str, float]:
    """The binding features of ``sentence`` against ARTICLE, by name."""
    return dict(zip(BINDING_FEATURES, binding_values(ArticleWords(ARTICLE), sentence), strict=True))


def test_a_sentence_of_the_article_is_covered_by_one_sentence_and_bound() -> None:
    """A copied sentence: all its content words in one article sentence, no fused pair, names bound."""
    v = values("Fire chief Tomas Brandt said 40 firefighters fought the flames.")
    assert v == {"cover1": 1.0, "cover_gain": 0.0, "fuse_pairs": 0.0, "bind_mean": 1.0}


def test_a_name_moved_to_another_persons_action_is_unbound() -> None:
    """Okafor with Brandt's words: the words around her name are in no sentence that has her."""
    right = values("Okafor thanked residents who left their homes.")
    wrong = values("Brandt thanked residents who left their homes.")
    assert right["bind_mean"] == 1.0
    assert wrong["bind_mean"] < right["bind_mean"]


def test_a_sentence_stitched_from_two_is_covered_less_by_one() -> None:
    """Words from two article sentences: the best one covers part, the pair adds the rest, and the
    pair of words that joins them meets in no article sentence."""
    v = values("Police arrested the mayor of Lindenfield on suspicion of arson.")
    assert v["cover1"] < 1.0
    assert v["cover_gain"] > 0.0
    assert v["fuse_pairs"] > 0.0


def test_a_fused_sentence_scores_lower_coverage_than_a_copied_one() -> None:
    """A sentence joining two article sentences' words is covered less by any one of them, and
    more of its word pairs meet in no article sentence, than the sentence it was copied from."""
    copied = values("Fire chief Tomas Brandt said 40 firefighters fought the flames.")
    fused = values("Fire chief Tomas Brandt said the mayor of Lindenfield fought the flames.")
    assert fused["cover1"] < copied["cover1"]
    assert fused["cover_gain"] > copied["cover_gain"]
    assert fused["fuse_pairs"] > copied["fuse_pairs"]


def test_a_number_moved_to_another_noun_is_unbound() -> None:
    """The firefighters' 40 given to the arrested man: no sentence with 40 has his words."""
    right = values("Police arrested a 23-year-old man on suspicion of arson.")
    moved = values("Police arrested a 40-year-old man on suspicion of arson.")
    assert right["bind_mean"] == 1.0
    assert moved["bind_mean"] < right["bind_mean"]
    assert moved["fuse_pairs"] > right["fuse_pairs"]


def test_a_sentence_without_content_words_or_names_is_neutral() -> None:
    """Nothing to cover, pair or bind: full coverage, no fused pair, nothing unbound."""
    neutral = {"cover1": 1.0, "cover_gain": 0.0, "fuse_pairs": 0.0, "bind_mean": 1.0}
    assert values("He said it was so.") == neutral
    assert values("") == neutral
    empty = dict(zip(BINDING_FEATURES, binding_values(ArticleWords(""), "Brandt fought."), strict=True))
    assert empty["cover1"] == 1.0


def test_a_summary_keeps_each_binding_features_worst_sentence() -> None:
    """Aggregated over a summary's sentences, coverage and binding take the lowest value and the
    fused pairs and the pair's gain the highest (the features close the checker's list)."""
    assert FEATURES[-len(BINDING_FEATURES) :] == BINDING_FEATURES
    copied = values("Fire chief Tomas Brandt said 40 firefighters fought the flames.")
    fused = values("Police arrested 40 firefighters on suspicion of arson.")
    rows = [[0.5] * (len(FEATURES) - len(BINDING_FEATURES)) + list(v.values()) for v in (copied, fused)]
    agg = dict(zip(FEATURES, aggregate(rows), strict=True))
    assert agg["cover1"] == fused["cover1"]
    assert agg["bind_mean"] == fused["bind_mean"]
    assert agg["fuse_pairs"] == fused["fuse_pairs"]
    assert agg["cover_gain"] == fused["cover_gain"]


def test_lower_cased_summaries_still_find_the_articles_names() -> None:
    """A lower-cased summary is read with the article's names (capitalised there), as written."""
    assert values("brandt thanked residents who left their homes .") == values(
        "Brandt thanked residents who left their homes."
    )


def test_the_summary_score_is_the_geometric_mean_of_its_sentences() -> None:
    """One weak sentence pulls the score down; equal sentences keep their score; none scores 0."""
    assert summary_score([0.81, 0.81]) == pytest.approx(0.81)
    assert summary_score([0.9, 0.1]) == pytest.approx(math.sqrt(0.09))
    assert summary_score([0.9, 0.1]) < summary_score([0.9, 0.5])
    assert summary_score([]) == 0.0

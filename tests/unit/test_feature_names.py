"""The summariser's features by name: rows are laid out by column name, and a weights file whose
feature names or order differ from the code's is refused at load."""

from __future__ import annotations

import numpy as np
import pytest

from models.registry import RANKER, SCORER, load_json_weights
from models.types import ModelLoadError
from service.engines.summarizer.features import (
    FEATURE_NAMES,
    LEXICAL_FEATURES,
    ROW_FEATURES,
    SENTENCE_COLUMNS,
    Columns,
    sentence_features,
)
from service.engines.summarizer.reranker import ALL_COLUMNS, ALL_FEATURES, SummaryRanker
from service.engines.summarizer.scorer import SentenceScorer
from service.engines.text import story_sentences


def test_a_row_is_laid_out_in_column_order() -> None:
    """Values given by name come back in the columns' order, whatever the order given."""
    cols = Columns(("a", "b", "c"))
    assert cols.row({"c": 3.0, "a": 1.0, "b": 2.0}) == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    "values", [{"a": 1.0, "b": 2.0}, {"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0}, {"a": 1.0, "b": 2.0, "x": 3.0}]
)
def test_a_short_or_foreign_row_is_an_error(values: dict[str, float]) -> None:
    """A row missing a column, or naming one the matrix lacks, raises instead of leaving a zero."""
    with pytest.raises(ValueError, match="does not fit"):
        Columns(("a", "b", "c")).row(values)


def test_repeated_column_names_are_refused() -> None:
    """A column list that names one feature twice is an error."""
    with pytest.raises(ValueError, match="repeat"):
        Columns(("a", "a"))


def test_the_shipped_weights_name_the_codes_features_in_order() -> None:
    """Both bundled summariser weights list exactly the features the code computes, in order."""
    assert SENTENCE_COLUMNS.mismatch(load_json_weights(SCORER)["features"]) is None
    assert ALL_COLUMNS.mismatch(load_json_weights(RANKER)["features"]) is None
    assert FEATURE_NAMES == ROW_FEATURES + LEXICAL_FEATURES
    assert ALL_FEATURES[: len(FEATURE_NAMES)] == tuple(f"sum:{n}" for n in FEATURE_NAMES)


def test_mismatch_names_the_difference() -> None:
    """The check tells reordered names from missing or unknown ones."""
    cols = Columns(("a", "b"))
    assert cols.mismatch(["b", "a"]) == "the same features in another order"
    why = cols.mismatch(["a", "z"])
    assert why is not None
    assert "['b']" in why
    assert "['z']" in why


@pytest.mark.parametrize(
    ("spec", "build"), [(SCORER, SentenceScorer.from_dict), (RANKER, SummaryRanker.from_dict)]
)
def test_weights_with_features_in_another_order_do_not_load(spec: object, build: object) -> None:
    """A weights file listing the right features in another order is a ModelLoadError."""
    doc = load_json_weights(spec)  # type: ignore[arg-type]
    doc["features"] = [doc["features"][1], doc["features"][0], *doc["features"][2:]]
    with pytest.raises(ModelLoadError, match="another order"):
        build(doc)  # type: ignore[operator]


def test_sentence_features_land_in_their_named_columns() -> None:
    """Position features land under their names: bias everywhere, "first" only on sentence one."""
    text = "The council met on Monday. It approved the budget. Residents were not pleased at all."
    sents = story_sentences(text)
    emb = np.eye(len(sents), 4, dtype=np.float32)
    feats = sentence_features(sents, emb, text)
    col = {name: j for j, name in enumerate(FEATURE_NAMES)}
    assert feats[:, col["bias"]].tolist() == [1.0] * len(sents)
    assert feats[:, col["first"]].tolist() == [1.0] + [0.0] * (len(sents) - 1)
    assert feats[:, col["second"]].tolist()[:2] == [0.0, 1.0]

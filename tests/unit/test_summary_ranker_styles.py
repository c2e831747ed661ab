"""The style-balanced training of the summary ranker (bench/train_summary_ranker_styles.py)."""

from __future__ import annotations

import numpy as np

from bench.summary_data import Doc
from bench.summary_styles import balance, sentence_count, style_folds
from bench.train_summary_ranker import Prepared, fit


def _doc(style: str, group: str) -> Doc:
    empty = np.zeros((0, 0), dtype=np.float32)
    return Doc(group, style, group, "", "", [], [], [], empty, empty, [], [])


def _article(prefers_long: bool) -> Prepared:
    """Two candidates, short and long (one feature: log words), the label preferring one."""
    x = np.array([[1.0], [3.0]], dtype=np.float32)
    y = np.array([10.0, 30.0] if prefers_long else [30.0, 10.0], dtype=np.float32)
    return Prepared([(0,), (0, 1)], x, {"mix": y, "single": y, "all": y})


def test_each_style_weighs_the_same_whatever_its_size() -> None:
    """balance() gives every style the same total weight, and none to a style not trained on."""
    docs = [_doc("a", f"a{i}") for i in range(6)] + [_doc("b", f"b{i}") for i in range(2)]
    w = balance(docs)
    assert np.isclose(w[:6].sum(), w[6:].sum())
    w = balance(docs, {"b"})
    assert w[:6].sum() == 0.0
    assert np.isclose(w[6:].sum(), 1.0)


def test_weights_decide_which_style_the_length_follows() -> None:
    """A style-weighted fit prefers the length the heavier style's labels prefer."""
    items = [_article(True)] * 3 + [_article(False)]
    even = fit(items, 6, 5.0, "mix", weight=np.array([1 / 3] * 3 + [1.0]))
    plain = fit(items, 6, 5.0, "mix")
    short = fit(items, 6, 5.0, "mix", weight=np.array([0.1] * 3 + [1.0]))
    x = items[0].x
    assert np.argmax(plain.score(x)) == 1
    assert np.argmax(short.score(x)) == 0
    assert abs(float(np.diff(even.score(x))[0])) < abs(float(np.diff(plain.score(x))[0]))


def test_folds_keep_an_article_in_one_fold_and_deal_out_each_style() -> None:
    """The same article in two styles lands in one fold; each style is spread over the folds."""
    docs = [_doc("a", f"g{i}") for i in range(10)] + [_doc("b", f"g{i}") for i in range(3)]
    folds = style_folds(docs, 5, 13)
    for i in range(3):
        assert folds[i] == folds[10 + i]
    assert sorted(folds[:10]) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_reference_sentences_are_counted_by_lines_or_stops() -> None:
    """Highlights count one sentence a line; running text counts its full stops."""
    assert sentence_count("First point here.\nSecond point\nThird") == 3
    assert sentence_count("One sentence. And another! A third? Yes.") == 4
    assert sentence_count("no stop at all") == 1

"""The content selector: its score follows its weights, the weights load and refuse bad shapes,
and selection with trigram blocking still honours an exact sentence count."""

from __future__ import annotations

import numpy as np
import pytest

from models.registry import SELECTOR, load_json_weights
from models.types import ModelLoadError
from service.engines.summarizer.features import FEATURE_NAMES
from service.engines.summarizer.selection import Limits, SelectionParams, select
from service.engines.summarizer.selector import ContentSelector, trigrams, unit_trigrams

WIDTH = len(FEATURE_NAMES)
DIM = 8


def _selector(w_emb: np.ndarray | None = None, w_feats: np.ndarray | None = None) -> ContentSelector:
    return ContentSelector(
        mean=np.zeros(WIDTH, dtype=np.float32),
        std=np.ones(WIDTH, dtype=np.float32),
        w_feats=np.zeros(WIDTH, dtype=np.float32) if w_feats is None else w_feats,
        w_emb=np.zeros(DIM, dtype=np.float32) if w_emb is None else w_emb,
        w_ctx=np.zeros(DIM, dtype=np.float32),
        bias=0.0,
        selection=SelectionParams(position_weight=0.0),
    )


def test_score_follows_the_embedding_weights() -> None:
    """A unit whose embedding points along w_emb scores highest."""
    emb = np.eye(4, DIM, dtype=np.float32)
    w = np.zeros(DIM, dtype=np.float32)
    w[2] = 1.0
    scores = _selector(w_emb=w).score(np.zeros((4, WIDTH), dtype=np.float32), emb)
    assert int(np.argmax(scores)) == 2
    assert scores.shape == (4,)


def test_score_follows_the_feature_weights() -> None:
    """With a weight on the first feature only, scores order as that feature does."""
    w = np.zeros(WIDTH, dtype=np.float32)
    w[1] = -1.0
    feats = np.zeros((3, WIDTH), dtype=np.float32)
    feats[:, 1] = [3.0, 1.0, 2.0]
    scores = _selector(w_feats=w).score(feats, np.eye(3, DIM, dtype=np.float32))
    assert list(np.argsort(-scores)) == [1, 2, 0]


def test_round_trip_and_bad_shapes() -> None:
    """to_dict/from_dict keeps the weights; a wrong width or feature list is a ModelLoadError."""
    sel = _selector(w_emb=np.arange(DIM, dtype=np.float32))
    back = ContentSelector.from_dict(sel.to_dict())
    np.testing.assert_allclose(back.w_emb, sel.w_emb)
    data = sel.to_dict()
    data["w_ctx"] = [0.0] * (DIM + 1)
    with pytest.raises(ModelLoadError):
        ContentSelector.from_dict(data)
    data = sel.to_dict()
    data["features"] = ["bias"]
    with pytest.raises(ModelLoadError):
        ContentSelector.from_dict(data)


def test_shipped_selector_loads_and_matches_the_encoder() -> None:
    """The pinned weights verify, load, and record the encoder settings the engine uses."""
    sel = ContentSelector.from_dict(load_json_weights(SELECTOR))
    assert sel.encoder == {"layers": 3, "max_tokens": 128, "pool": 16}
    assert sel.w_emb.shape == (384,)


def test_trigram_blocking_skips_repeats_but_keeps_exact_counts() -> None:
    """A unit repeating a trigram of a chosen one is passed over while another fits; an exact
    max_sentences still gets that many units."""
    texts = [
        "The new bridge over the river opens in May.",
        "The new bridge over the river cost ten million pounds.",
        "Traffic on the ring road is expected to fall.",
    ]
    emb = np.eye(3, DIM, dtype=np.float32)
    scores = np.array([3.0, 2.0, 1.0], dtype=np.float32)
    params = SelectionParams(position_weight=0.0)
    block = unit_trigrams(texts)
    assert trigrams(texts[0]) & trigrams(texts[1])
    two = select(
        scores, [9, 10, 9], emb, [False] * 3, limits=Limits(max_sentences=2), params=params, blocking=block
    )
    assert [p.index for p in two] == [0, 2]
    three = select(
        scores, [9, 10, 9], emb, [False] * 3, limits=Limits(max_sentences=3), params=params, blocking=block
    )
    assert [p.index for p in three] == [0, 1, 2]

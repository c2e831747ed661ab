"""The context selector: scores depend on the other units of the article, and the safetensors file
round-trips and refuses features it was not trained on."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from models.types import ModelLoadError
from service.engines.summarizer.context_selector import (
    ContextNet,
    ContextSelector,
    ContextShape,
    load_context_selector,
)
from service.engines.summarizer.features import FEATURE_NAMES
from service.engines.summarizer.selection import SelectionParams

SHAPE = ContextShape(emb_dim=8, d_model=16, heads=2, layers=1, ff=32, positions=4, dropout=0.0)


def _selector(seed: int = 0) -> ContextSelector:
    torch.manual_seed(seed)
    return ContextSelector(ContextNet(SHAPE), SelectionParams(max_redundancy=0.8), {"layers": 3, "pool": 16})


def _inputs(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(n, len(FEATURE_NAMES))).astype(np.float32),
        rng.normal(size=(n, 8)).astype(np.float32),
    )


def test_a_units_score_depends_on_the_other_units() -> None:
    """Changing one unit changes the others' scores (attention across the article); no units, no scores."""
    sel = _selector()
    feats, emb = _inputs(5)
    before = sel.score(feats, emb)
    emb2 = emb.copy()
    emb2[4] += 3.0
    after = sel.score(feats, emb2)
    assert before.shape == (5,)
    assert not np.allclose(before[:4], after[:4])
    assert sel.score(feats[:0], emb[:0]).shape == (0,)


def test_more_units_than_positions_are_scored() -> None:
    """Units past the last learned position share it; every unit gets a finite score."""
    feats, emb = _inputs(7)
    scores = _selector().score(feats, emb)
    assert scores.shape == (7,)
    assert np.isfinite(scores).all()


def test_round_trip_through_safetensors(tmp_path: Path) -> None:
    """A saved selector loads with the same shape, selection settings, encoder and scores."""
    sel = _selector(3)
    path = tmp_path / "ctx.safetensors"
    sel.save(path)
    back = load_context_selector(path)
    feats, emb = _inputs(6)
    assert back.net.shape == SHAPE
    assert back.selection == sel.selection
    assert back.encoder == {"layers": 3, "pool": 16}
    np.testing.assert_allclose(back.score(feats, emb), sel.score(feats, emb), rtol=1e-5, atol=1e-5)


def test_other_features_or_missing_tensors_are_refused(tmp_path: Path) -> None:
    """Weights for other features, or without their tensors, raise ModelLoadError."""
    sel = _selector()
    path = tmp_path / "ctx.safetensors"
    sel.save(path)
    with safe_open(str(path), framework="pt") as fh:
        state = {k: fh.get_tensor(k) for k in fh.keys()}  # noqa: SIM118
    meta = {**sel.metadata(), "features": json.dumps(["bias"])}
    save_file(state, str(tmp_path / "features.safetensors"), metadata=meta)
    with pytest.raises(ModelLoadError):
        load_context_selector(tmp_path / "features.safetensors")
    state.pop("head.weight")
    save_file(state, str(tmp_path / "partial.safetensors"), metadata=sel.metadata())
    with pytest.raises(ModelLoadError):
        load_context_selector(tmp_path / "partial.safetensors")

"""The fine-tuning bench's split encoder (bench/finetune_selector*.py): cached lower-layer states plus
the copied top layer give the engine's own sentence vectors before any training, and the listwise
loss moves the scores toward the oracle's units."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from bench.finetune_selector import TopSelector, frozen_states, listwise, top_layer
from models.loaders import load_encoder

pytestmark = pytest.mark.model

SENTENCES = [
    "The council voted on Tuesday to close the old bridge to lorries.",
    "Residents had complained about cracks for years.",
    "A spokesman said repairs would start in the spring and cost about two million pounds.",
]


def test_untrained_top_layer_reproduces_the_engine_vectors() -> None:
    """Two cached layers plus the copied third, mean-pooled, equal the engine's float32 vectors."""
    enc = load_encoder(dtype="float32", max_tokens=128, layers=3)
    states = [torch.from_numpy(s).float() for s in frozen_states(enc.model, enc.tokenizer, SENTENCES, 64)]
    net = TopSelector(top_layer(), np.zeros(30), np.ones(30)).eval()
    with torch.inference_mode():
        ours = net.pooled(states).numpy()
    want = enc.encode(SENTENCES)
    # float16 states in the cache: equal to about three decimals, not bitwise.
    assert np.abs(ours - want).max() < 5e-3
    assert ours.shape == want.shape


def test_listwise_steps_raise_the_oracle_units() -> None:
    """A few optimiser steps on one article raise the oracle unit's share of the softmax."""
    torch.manual_seed(0)
    enc = load_encoder(dtype="float32", max_tokens=128, layers=3)
    states = [torch.from_numpy(s).float() for s in frozen_states(enc.model, enc.tokenizer, SENTENCES, 64)]
    net = TopSelector(top_layer(), np.zeros(30), np.ones(30))
    feats = [torch.zeros(len(SENTENCES), 30)]
    oracle = [np.asarray([0.0, 0.0, 1.0])]
    opt = torch.optim.AdamW(net.parameters(), lr=1e-2)
    before = torch.softmax(net([states], feats)[0], 0)[2].item()
    for _ in range(10):
        loss = listwise(net([states], feats), oracle)
        opt.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        opt.step()
    after = torch.softmax(net([states], feats)[0], 0)[2].item()
    assert before == pytest.approx(1 / 3)
    assert after > 0.5

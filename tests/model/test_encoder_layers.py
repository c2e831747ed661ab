"""The layer cut on the real all-MiniLM-L6-v2: the cut encoder has N layers, gives 384-d unit rows
equal to the full model's layer-N hidden state (mean-pooled), and int8 still applies after the cut."""

from __future__ import annotations

import numpy as np
import pytest

from models.loaders import load_encoder
from models.registry import MINILM, resolve

pytestmark = pytest.mark.model

SENTENCES = [
    "The city council approved a new cycling network on Tuesday.",
    "Work on the first section, along the river quays, is due to begin in the spring.",
    "Opponents warned that the loss of parking would hurt shops in the old town.",
]


def test_cut_encoder_is_the_full_models_layer_three() -> None:
    import torch

    full = load_encoder(dtype="float32", max_tokens=128)
    cut = load_encoder(dtype="float32", max_tokens=128, layers=3)
    assert len(full.model.encoder.layer) == 6
    assert len(cut.model.encoder.layer) == 3
    emb = cut.encode(SENTENCES)
    assert emb.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    # The reference is transformers' own BertModel on the same weights (the service builds the
    # encoder in plain torch, models.bert): its third layer's hidden state.
    from transformers import AutoModel, AutoTokenizer

    path = str(resolve(MINILM))
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    reference_model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    for i, s in enumerate(SENTENCES):
        ids = tokenizer([s], return_tensors="pt")
        with torch.inference_mode():
            hidden = reference_model(**ids, output_hidden_states=True).hidden_states[3]
        ref = torch.nn.functional.normalize(hidden.mean(1), dim=1).numpy()[0]
        assert float(emb[i] @ ref) > 0.9999


def test_int8_cut_is_quantised_and_close_to_float32() -> None:
    import torch

    fp32 = load_encoder(dtype="float32", max_tokens=128, layers=3)
    int8 = load_encoder(dtype="int8", max_tokens=128, layers=3)
    assert len(int8.model.encoder.layer) == 3
    kinds = {type(m) for m in int8.model.encoder.modules() if "Linear" in type(m).__name__}
    assert torch.nn.Linear not in kinds
    cos = np.sum(fp32.encode(SENTENCES) * int8.encode(SENTENCES), axis=1)
    # int8 of the full 6 layers is at 0.93-0.95 on these sentences; the cut is no further off.
    assert cos.min() > 0.93

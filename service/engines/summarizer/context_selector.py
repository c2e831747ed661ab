"""The context selector: a small inter-sentence transformer over an article's candidate units.

BertSumExt's shape on the engine's own inputs: each unit enters as its sentence embedding (the
shipped encoder, already computed for the summary) projected to ``d_model``, plus its 30
standardised engine features (:mod:`.features`) projected likewise, plus a learned embedding of
its index; a few transformer layers let every unit see the others; a linear head gives one score
per unit (higher = more summary-worthy within the article). Trained on greedy ROUGE oracle labels
of the training articles (bench/train_context_selector.py), scored there exactly as the engine
would use it: ranking the units for explicit length limits, :mod:`.selection` taking them best
first with trigram blocking.

Not wired into the engine and no weights shipped: by cross-validation it beats the sentence scorer
and the linear content selector on every training style, but on the CNN/DM-style sets never
trained on it loses R1 recall against LEAD-k (docs/models.md, "The context selector"). The
weights it writes are one safetensors file (tensors plus the architecture's sizes, the feature
names, the selection settings and the encoder settings as metadata), ready to be pinned in
``models/registry.py`` and loaded through :func:`models.registry.resolve`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch

from models.types import ModelLoadError
from service.engines.summarizer.features import FEATURE_NAMES
from service.engines.summarizer.selection import SelectionParams

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class ContextShape:
    """The architecture's sizes (stored with the weights)."""

    emb_dim: int = 384
    d_model: int = 128
    heads: int = 4
    layers: int = 2
    ff: int = 256
    positions: int = 16
    dropout: float = 0.1


class ContextNet(torch.nn.Module):
    """Units of one or more articles ``[B, N, *]`` -> one logit per unit ``[B, N]``."""

    def __init__(self, shape: ContextShape) -> None:
        super().__init__()
        self.shape = shape
        width = len(FEATURE_NAMES)
        self.register_buffer("mean", torch.zeros(width))
        self.register_buffer("std", torch.ones(width))
        self.emb_proj = torch.nn.Linear(shape.emb_dim, shape.d_model)
        self.feat_proj = torch.nn.Linear(width, shape.d_model)
        self.pos = torch.nn.Embedding(shape.positions, shape.d_model)
        layer = torch.nn.TransformerEncoderLayer(
            shape.d_model, shape.heads, shape.ff, shape.dropout, batch_first=True, norm_first=True
        )
        self.encoder = torch.nn.TransformerEncoder(layer, shape.layers, enable_nested_tensor=False)
        self.norm = torch.nn.LayerNorm(shape.d_model)
        self.head = torch.nn.Linear(shape.d_model, 1)

    def forward(self, emb: torch.Tensor, feats: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """``mask`` is True for real units; padded units get -1e9."""
        n = emb.shape[1]
        index = torch.arange(n, device=emb.device).clamp(max=self.shape.positions - 1)
        mean, std = self.get_buffer("mean"), self.get_buffer("std")
        x = self.emb_proj(emb) + self.feat_proj((feats - mean) / std) + self.pos(index)
        h = self.encoder(x, src_key_padding_mask=~mask)
        out: torch.Tensor = self.head(self.norm(h)).squeeze(-1).masked_fill(~mask, -1e9)
        return out


class ContextSelector:
    """Scores the units of one article with a :class:`ContextNet` (inference only, CPU)."""

    def __init__(
        self,
        net: ContextNet,
        selection: SelectionParams | None = None,
        encoder: Mapping[str, int] | None = None,
    ) -> None:
        self.net = net.eval()
        self.selection = selection or SelectionParams()
        #: The encoder settings its embeddings came from (layers, max_tokens, pool).
        self.encoder = dict(encoder) if encoder is not None else None

    def score(self, feats: FloatArray, emb: FloatArray) -> FloatArray:
        """One score per unit (row of ``feats`` / ``emb``)."""
        if len(feats) == 0:
            return np.zeros(0, dtype=np.float32)
        with torch.inference_mode():
            e = torch.from_numpy(np.ascontiguousarray(emb, dtype=np.float32))[None]
            f = torch.from_numpy(np.ascontiguousarray(feats, dtype=np.float32))[None]
            out = self.net(e, f, torch.ones(1, len(feats), dtype=torch.bool))[0]
        return np.asarray(out.numpy(), dtype=np.float32)

    def metadata(self) -> dict[str, str]:
        """What :func:`load_context_selector` needs besides the tensors."""
        meta = {
            "features": json.dumps(list(FEATURE_NAMES)),
            "shape": json.dumps(asdict(self.net.shape)),
            "selection": json.dumps(asdict(self.selection)),
        }
        if self.encoder is not None:
            meta["encoder"] = json.dumps(self.encoder)
        return meta

    def save(self, path: Path) -> None:
        """Write the safetensors file (tensors rounded to float32, metadata as JSON strings)."""
        from safetensors.torch import save_file

        state = {k: v.detach().float().contiguous() for k, v in self.net.state_dict().items()}
        save_file(state, str(path), metadata=self.metadata())


def load_context_selector(path: Path) -> ContextSelector:
    """Build from a safetensors file written by :meth:`ContextSelector.save`; ModelLoadError if it
    does not fit this code."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    try:
        with safe_open(str(path), framework="pt") as fh:
            meta = fh.metadata() or {}
        if tuple(json.loads(meta["features"])) != FEATURE_NAMES:
            raise ModelLoadError("context selector was trained on other features than this code computes")
        shape = ContextShape(**json.loads(meta["shape"]))
        selection = SelectionParams(**json.loads(meta.get("selection", "{}")))
        encoder = (
            {str(k): int(v) for k, v in json.loads(meta["encoder"]).items()} if "encoder" in meta else None
        )
        net = ContextNet(shape)
        net.load_state_dict(load_file(str(path)))
    except (KeyError, TypeError, ValueError, RuntimeError, OSError) as exc:
        raise ModelLoadError(f"context selector weights are malformed: {exc}") from exc
    return ContextSelector(net, selection, encoder)

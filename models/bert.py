"""A plain-torch BERT encoder and a ``tokenizers`` tokenizer for the sentence encoder.

Importing a model class from ``transformers`` imports most of that library (its model utilities
pull in ``torch.distributed.tensor``, SciPy and SymPy): about 1,300 modules and several seconds
of start-up on a small CPU, for a six-layer encoder. This module builds the same encoder from
``torch.nn`` alone and reads the weights with ``safetensors``, so that the service's default path
never imports ``transformers``. The operators, their order and the attention mask are those of
``transformers``' ``BertModel`` (SDPA attention), so the hidden states are bitwise the same in
float32, bfloat16 and int8 (``tests/unit/test_bert_plain.py`` compares the two).

Only what the sentence encoder needs: absolute positions, GELU, no pooler, no cross-attention.
:func:`supports` says whether a model directory qualifies; the loader falls back to
``transformers`` for every other model.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn


@dataclass(frozen=True)
class BertConfig:
    """The fields of a BERT ``config.json`` the encoder uses."""

    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    max_position_embeddings: int
    type_vocab_size: int
    layer_norm_eps: float

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> BertConfig:
        """The config from the parsed ``config.json``."""
        return cls(**{name: raw[name] for name in cls.__dataclass_fields__})


def supports(path: Path) -> bool:
    """Whether ``path`` holds a BERT encoder this module can run: model type ``bert`` with absolute
    positions and GELU, safetensors weights and a ``tokenizer.json``."""
    try:
        raw = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(raw, dict)
        and raw.get("model_type") == "bert"
        and raw.get("position_embedding_type", "absolute") == "absolute"
        and raw.get("hidden_act") == "gelu"
        and all(name in raw for name in BertConfig.__dataclass_fields__)
        and (path / "model.safetensors").is_file()
        and (path / "tokenizer.json").is_file()
    )


class _Embeddings(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        width = input_ids.shape[1]
        positions = torch.arange(width, dtype=torch.long).unsqueeze(0)
        types = torch.zeros_like(input_ids)
        # The order of the sums is BertEmbeddings' (float addition is not associative).
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(types)
        x = x + self.position_embeddings(positions)
        out: torch.Tensor = self.LayerNorm(x)
        return out


class _SelfAttention(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_size = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        shape = (*x.shape[:-1], -1, self.head_size)
        q = self.query(x).view(shape).transpose(1, 2)
        k = self.key(x).view(shape).transpose(1, 2)
        v = self.value(x).view(shape).transpose(1, 2)
        out = nn.functional.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=0.0, scale=self.head_size**-0.5, is_causal=False
        )
        return out.transpose(1, 2).contiguous().reshape(*x.shape[:-1], -1)


class _DenseNorm(nn.Module):
    """``dense`` then LayerNorm of the sum with the residual (BertSelfOutput, BertOutput)."""

    def __init__(self, n_in: int, c: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(n_in, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.LayerNorm(self.dense(x) + residual)
        return out


class _Attention(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.self = _SelfAttention(c)
        self.output = _DenseNorm(c.hidden_size, c)


class _Intermediate(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)


class _Layer(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.attention = _Attention(c)
        self.intermediate = _Intermediate(c)
        self.output = _DenseNorm(c.intermediate_size, c)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        a = self.attention.output(self.attention.self(x, mask), x)
        h = nn.functional.gelu(self.intermediate.dense(a))
        out: torch.Tensor = self.output(h, a)
        return out


class _Encoder(nn.Module):
    def __init__(self, c: BertConfig) -> None:
        super().__init__()
        self.layer = nn.ModuleList(_Layer(c) for _ in range(c.num_hidden_layers))


@dataclass
class EncoderOutput:
    """What the sentence encoder reads from a forward pass (``BaseModelOutput``'s field)."""

    last_hidden_state: torch.Tensor


class BertEncoder(nn.Module):
    """BERT's embeddings and layers; module names match ``BertModel`` (so do the weights' keys)."""

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.config = config
        self.embeddings = _Embeddings(config)
        self.encoder = _Encoder(config)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> EncoderOutput:
        """Hidden states of ``input_ids`` (batch x width); ``attention_mask`` is 1 on tokens."""
        x = self.embeddings(input_ids)
        # BertModel's SDPA mask: none when nothing is padded, else a boolean (batch, 1, q, k) mask.
        keep = attention_mask.bool()
        mask = None if bool(keep.all()) else keep[:, None, None, :].expand(-1, 1, keep.shape[1], -1)
        for layer in self.encoder.layer:
            x = layer(x, mask)
        return EncoderOutput(last_hidden_state=x)


def load_model(path: Path) -> BertEncoder:
    """The encoder of ``path`` (see :func:`supports`), in eval mode, float32 weights."""
    from safetensors.torch import load_file

    raw = json.loads((path / "config.json").read_text(encoding="utf-8"))
    model = BertEncoder(BertConfig.from_dict(raw))
    weights = load_file(str(path / "model.safetensors"))
    unused = ("pooler.", "embeddings.position_ids")
    state = {k: v for k, v in weights.items() if not k.startswith(unused)}
    model.load_state_dict(state, strict=True)
    return model.eval()


class Tokenizer:
    """``tokenizer.json`` through ``tokenizers``, called like the Hugging Face fast tokenizer the
    encoder used before: ``tok(texts, truncation=True, max_length=n)["input_ids"]``."""

    def __init__(self, path: Path) -> None:
        from tokenizers import Tokenizer as _Tokenizer

        self._tok = _Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tok.no_padding()
        self._tok.no_truncation()
        pad = self._tok.token_to_id("[PAD]")
        self.pad_token_id = int(pad) if pad is not None else 0
        # Truncation is a setting of the shared Rust tokenizer: set and used under one lock.
        self._lock = threading.Lock()

    def __call__(
        self,
        texts: list[str],
        *,
        truncation: bool = True,
        max_length: int | None = None,
        add_special_tokens: bool = True,
    ) -> dict[str, list[list[int]]]:
        with self._lock:
            if truncation and max_length is not None:
                self._tok.enable_truncation(max_length)
            else:
                self._tok.no_truncation()
            # Ids only: the offsets that encode_batch also computes are never read.
            encoded = self._tok.encode_batch_fast(texts, add_special_tokens=add_special_tokens)
        return {"input_ids": [e.ids for e in encoded]}

    def token_id(self, token: str) -> int:
        """The id of a special token such as "[CLS]" (ValueError when the vocabulary lacks it)."""
        found = self._tok.token_to_id(token)
        if found is None:
            raise ValueError(f"the tokenizer has no {token}")
        return int(found)

    def convert_ids_to_tokens(self, ids: list[int]) -> list[str]:
        """The word pieces of ``ids`` ("news", "##room"), as the Hugging Face tokenizer names them."""
        return [self._tok.id_to_token(i) or "" for i in ids]

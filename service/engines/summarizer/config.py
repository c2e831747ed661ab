"""Settings of the summary engine, given by whoever builds it (the app reads them from Settings)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SummarizerConfig:
    """How the summary engine is built. All paths are local; nothing is fetched from a hub."""

    encoder_dir: str | None = None
    """Sentence-encoder directory; None = the registered all-MiniLM-L6-v2 (checksums pinned)."""
    abstractive_dir: str | None = None
    """Hugging Face seq2seq model directory; None = no abstractive summaries ("auto" is extractive)."""
    max_input_tokens: int = 1024
    """Abstractive: longest chunk fed to the model (also capped by the model's own window)."""
    max_new_tokens: int = 96
    """Abstractive: longest generated summary per chunk, in tokens."""
    min_new_tokens: int = 0
    """Abstractive: shortest generated summary per chunk, in tokens."""
    num_beams: int = 2
    """Abstractive: beam width (1 = greedy)."""
    no_repeat_ngram_size: int = 3
    """Abstractive: n-grams of this size never repeat in the output (0 = off)."""
    max_chunks: int = 8
    """Abstractive: at most this many chunks of a long article are summarised (the lead ones)."""
    encode_batch_size: int = 16
    """Extractive: sentences per encoder forward pass (sorted by length to cut padding)."""
    encoder_dtype: str = "auto"
    """Extractive: encoder in ``float32``, ``bfloat16``, ``int8`` or ``auto`` (models.precision)."""
    encoder_max_tokens: int = 128
    """Extractive: each sentence is cut to this many tokens before encoding."""
    encoder_streams: int = 1
    """Extractive: encoder batches run concurrently, one torch thread each (1 = in the caller)."""
    encoder_layers: int = 3
    """Extractive: the encoder keeps only its first N transformer layers (the scorer was trained on
    the embeddings of exactly this cut; bench/train_sentence_scorer.py --layers)."""
    candidate_pool: int = 16
    """Extractive: only the first N candidate sentences are encoded and may be chosen (0 = all;
    the scorer was trained on this pool; bench/train_sentence_scorer.py --pool)."""

    content_selector: bool = False
    """Extractive, explicit limits: rank units by the content selector (models/weights/
    content_selector.json, trigram blocking) instead of the sentence scorer."""

    def __post_init__(self) -> None:
        for name in (
            "max_input_tokens",
            "max_new_tokens",
            "num_beams",
            "max_chunks",
            "encode_batch_size",
            "encoder_max_tokens",
            "encoder_streams",
            "encoder_layers",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"SummarizerConfig.{name} must be at least 1")
        if self.candidate_pool < 0:
            raise ValueError("SummarizerConfig.candidate_pool must be >= 0")
        if self.min_new_tokens < 0 or self.no_repeat_ngram_size < 0:
            raise ValueError("SummarizerConfig.min_new_tokens and no_repeat_ngram_size must be >= 0")

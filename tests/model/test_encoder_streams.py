"""The sentence encoder run as several single-threaded streams gives the one-stream embeddings."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from models.loaders import SentenceEncoder, load_encoder
from service.engines.summarizer import SummarizerConfig, create_summary_engine
from service.engines.summarizer.extractive import ExtractiveSummarizer
from service.schemas import SummaryOptions

pytestmark = pytest.mark.model

_WORDS = [
    "council",
    "budget",
    "river",
    "bridge",
    "school",
    "vote",
    "mayor",
    "storm",
    "court",
    "rail",
    "harbour",
    "museum",
]


def _sentences(n: int) -> list[str]:
    """``n`` sentences of varied length (so that batches differ in width)."""
    return [
        f"The {_WORDS[i % 12]} plan drew "
        + " ".join(_WORDS[(i + k) % 12] for k in range(3 + (i * 7) % 40))
        + "."
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def encoders() -> Iterator[tuple[SentenceEncoder, SentenceEncoder]]:
    import torch

    threads = torch.get_num_threads()
    one = load_encoder(dtype="auto", max_tokens=128)
    two = SentenceEncoder(one.tokenizer, one.model, one.info, one.max_tokens, streams=2)
    yield one, two
    two.close()
    torch.set_num_threads(threads)  # the stream threads set torch's (process-wide) count to 1


@pytest.mark.parametrize("n", [1, 2, 3, 17, 40, 100])
def test_streams_give_the_same_embeddings(encoders: tuple[SentenceEncoder, SentenceEncoder], n: int) -> None:
    """Same rows in the same order, equal to float32 rounding, whatever the batch split."""
    one, two = encoders
    sents = _sentences(n)
    a, b = one.encode(sents, batch_size=16), two.encode(sents, batch_size=16)
    assert a.shape == b.shape == (n, one.dim)
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    assert float(np.min(np.sum(a * b, axis=1))) > 0.9999


def test_streams_give_the_same_summaries(encoders: tuple[SentenceEncoder, SentenceEncoder]) -> None:
    """The summary engine picks the same sentences with one stream or two."""
    one, two = encoders
    text = " ".join(_sentences(30))
    eng_one = create_summary_engine(SummarizerConfig())
    eng_two = create_summary_engine(SummarizerConfig())
    assert isinstance(eng_one.extractive, ExtractiveSummarizer)
    eng_one.extractive._encoder = one
    eng_two.extractive._encoder = two
    eng_one.load()
    eng_two.load()
    items = [(text, SummaryOptions()), (text[: len(text) // 2], SummaryOptions(max_sentences=2))]
    assert eng_one.summarize_batch(items) == eng_two.summarize_batch(items)

"""Property tests of the extractive summariser on article-like texts: no exception, verbatim
sentences at exact offsets, the requested bounds, and linear work.

The fast tests run the real pipeline (splitting, features, the shipped scorer, selection,
trimming) over a lexical encoder, hashed bags of words, so that hundreds of examples take
seconds; one model-marked test runs a few examples through the real MiniLM encoder.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from models.registry import RANKER, SCORER, load_json_weights
from service.engines.summarizer import SummarizerConfig, SummaryEngineImpl, create_summary_engine
from service.engines.summarizer.extractive import ExtractiveSummarizer
from service.engines.summarizer.features import word_count
from service.engines.summarizer.reranker import SummaryRanker
from service.engines.summarizer.scorer import SentenceScorer
from service.schemas import ModelInfo, Summary, SummaryOptions
from tests.fuzz_text import articles, doubling_ratio, fuzz_settings

_TOKEN = re.compile(r"\w+")


class LexicalEncoder:
    """Unit-length hashed bag-of-words rows: deterministic, no weights, microseconds a sentence."""

    dim = 64
    info = ModelInfo(id="lexical-hash", task="sentence-embedding", source="test")

    def encode(self, sentences: list[str], batch_size: int = 64) -> np.ndarray:
        """One unit-length float32 row per sentence (zero rows get one fixed coordinate)."""
        out = np.zeros((len(sentences), self.dim), dtype=np.float32)
        for i, s in enumerate(sentences):
            for tok in _TOKEN.findall(s.lower()):
                out[i, zlib.crc32(tok.encode()) % self.dim] += 1.0
            if not out[i].any():
                out[i, 0] = 1.0
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out


SUMMARISER = ExtractiveSummarizer(
    SummarizerConfig(),
    encoder=LexicalEncoder(),  # type: ignore[arg-type]
    scorer=SentenceScorer.from_dict(load_json_weights(SCORER)),
    ranker=SummaryRanker.from_dict(load_json_weights(RANKER)),
)
_OPTIONS = st.builds(
    # `trim` comes only with `max_words` (SummaryOptions refuses it alone).
    lambda max_sentences, max_words, trim: SummaryOptions(
        max_sentences=max_sentences,
        max_words=max_words,
        method="extractive",
        trim=trim and max_words is not None,
    ),
    max_sentences=st.none() | st.integers(1, 20),
    max_words=st.none() | st.integers(5, 1000),
    trim=st.booleans(),
)
#: Sentences in a summary when the caller sets no count: the summary ranker's largest candidate.
_DEFAULT_MAX_SENTENCES = SummaryRanker.from_dict(load_json_weights(RANKER)).max_sentences


def assert_summary(text: str, options: SummaryOptions, summary: Summary) -> None:
    """Verbatim, ordered, non-overlapping sentences, within max_sentences (and max_words)."""
    assert len(summary.sentences) <= (options.max_sentences or _DEFAULT_MAX_SENTENCES)
    assert summary.trimmed is False or options.trim
    last_end = 0
    for s in summary.sentences:
        assert s.start is not None
        assert s.end is not None
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert s.start >= last_end
        last_end = s.end
    assert summary.text == " ".join(s.text for s in summary.sentences)
    if options.max_words is not None:
        assert sum(word_count(s.text) for s in summary.sentences) <= options.max_words


@given(articles(), _OPTIONS)
@example("", SummaryOptions())
@example("“" * 5000, SummaryOptions())
@example("It rained. " * 3000, SummaryOptions(max_sentences=20, max_words=5))
@example("x" * 50_000, SummaryOptions(max_words=5))
@example(
    "The council met on Monday, and it voted, after a long debate, to close the pool. " * 3,
    SummaryOptions(max_words=8, trim=True),
)
@fuzz_settings(0.5)
def test_summary_is_verbatim_and_bounded(text: str, options: SummaryOptions) -> None:
    """Any article-like text and options: no exception, every summary sentence at its offsets."""
    summary = SUMMARISER.summarize_batch([(text, options)])[0]
    assert_summary(text, options, summary)


@given(st.lists(articles(max_lines=4), min_size=1, max_size=4))
@fuzz_settings(0.25)
def test_a_batch_equals_its_items_alone(texts: list[str]) -> None:
    """Batching never mixes articles up: each item's summary is the one it gets alone."""
    batch = SUMMARISER.summarize_batch([(t, SummaryOptions()) for t in texts])
    alone = [SUMMARISER.summarize_batch([(t, SummaryOptions())])[0] for t in texts]
    assert [s.sentences for s in batch] == [s.sentences for s in alone]


_GROWTH: list[Callable[[int], str]] = [
    lambda n: "It rained. " * (200 * n),
    lambda n: "“" * (5000 * n),
    lambda n: "x" * (20_000 * n),
]


@pytest.mark.parametrize("make", _GROWTH, ids=["many-sentences", "marks", "one-huge-word"])
def test_summary_work_grows_linearly(make: Callable[[int], str]) -> None:
    """Twice the text costs about twice the CPU time (best of five), never four times."""
    ratio = doubling_ratio(make, lambda t: SUMMARISER.summarize_batch([(t, SummaryOptions())]), 20)
    assert ratio < 3.0, ratio


@pytest.fixture(scope="module")
def real_engine() -> SummaryEngineImpl:
    eng = create_summary_engine(SummarizerConfig())
    eng.load()
    return eng


@pytest.mark.model
@given(articles(max_lines=6), _OPTIONS)
@fuzz_settings(0.2)
def test_real_encoder_summary_is_verbatim_and_bounded(
    real_engine: SummaryEngineImpl, text: str, options: SummaryOptions
) -> None:
    """The production encoder on fuzzed articles: the same verbatim and bound properties."""
    summary = real_engine.summarize_batch([(text, options)])[0]
    assert_summary(text, options, summary)

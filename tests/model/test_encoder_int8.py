"""The int8 encoder (the AVX2 hosts' ``auto``) picks the sentences float32 picks, within a tolerance:
measured on the summaries, not only on the embeddings."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from bench.articles import generate_articles
from models.loaders import SentenceEncoder, load_encoder
from models.precision import apply_dtype
from service.engines.summarizer import SummarizerConfig
from service.engines.summarizer.extractive import ExtractiveSummarizer
from service.schemas import SummaryOptions
from tests.summary_rules import load_cases

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def pair() -> tuple[ExtractiveSummarizer, ExtractiveSummarizer]:
    fp32 = load_encoder(dtype="float32", max_tokens=128)
    model = apply_dtype(copy.deepcopy(fp32.model), "int8")
    int8 = SentenceEncoder(fp32.tokenizer, model, fp32.info, fp32.max_tokens, dtype="int8")
    engines = []
    for enc in (fp32, int8):
        eng = ExtractiveSummarizer(SummarizerConfig(encoder_dtype=enc.dtype), encoder=enc)
        eng.load()
        engines.append(eng)
    return engines[0], engines[1]


def _texts() -> list[str]:
    return [c["text"] for c in load_cases()] + generate_articles(16, seed=11)


def test_int8_is_really_quantised(pair: tuple[ExtractiveSummarizer, ExtractiveSummarizer]) -> None:
    """The int8 engine's Linear layers are dynamic-quantised ones; float32's are not."""
    import torch

    def linears(eng: ExtractiveSummarizer) -> set[type]:
        enc = eng._encoder
        assert enc is not None
        return {type(m) for m in enc.model.modules() if "Linear" in type(m).__name__}

    fp32, int8 = pair
    assert linears(fp32) == {torch.nn.Linear}
    assert torch.nn.Linear not in linears(int8)


def test_int8_embeddings_keep_the_interface(pair: tuple[ExtractiveSummarizer, ExtractiveSummarizer]) -> None:
    """Same shape, float32, unit length; close to float32's rows (cosine)."""
    fp32, int8 = (e._encoder for e in pair)
    assert fp32 is not None
    assert int8 is not None
    sents = [s for t in _texts()[:6] for s in t.split(". ") if len(s.split()) > 3]
    a, b = fp32.encode(sents), int8.encode(sents)
    assert b.shape == a.shape
    assert b.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    cos = (a * b).sum(1)
    assert float(np.median(cos)) > 0.9
    assert float(cos.min()) > 0.8


def test_int8_rows_depend_on_the_document_alone(
    pair: tuple[ExtractiveSummarizer, ExtractiveSummarizer],
) -> None:
    """int8 scales activations per batch, so batches never mix documents: a document's rows are
    the same encoded alone, beside others, or with two streams."""
    import torch

    int8 = pair[1]._encoder
    assert int8 is not None
    threads = torch.get_num_threads()
    docs = [[s for s in t.split(". ") if s.strip()] for t in _texts()[:5]]
    alone = [int8.encode(d, batch_size=16) for d in docs]
    together = int8.encode_documents(docs, batch_size=16)
    two = SentenceEncoder(int8.tokenizer, int8.model, int8.info, int8.max_tokens, streams=2, dtype="int8")
    try:
        streamed = two.encode_documents(docs[::-1], batch_size=16)
    finally:
        two.close()
        torch.set_num_threads(threads)  # the stream threads set torch's (process-wide) count to 1
    np.testing.assert_allclose(together, np.concatenate(alone), atol=1e-5)
    np.testing.assert_allclose(streamed, np.concatenate(alone[::-1]), atol=1e-5)


def test_int8_selects_the_float32_sentences(pair: tuple[ExtractiveSummarizer, ExtractiveSummarizer]) -> None:
    """On texts written for the tests, int8 summaries equal float32's for most articles, and
    where they differ they still share most sentences."""
    texts = _texts()
    fp32, int8 = (e.summarize_batch([(t, SummaryOptions()) for t in texts]) for e in pair)
    same = 0
    overlap = []
    for a, b in zip(fp32, int8, strict=True):
        sa = {(s.start, s.end) for s in a.sentences}
        sb = {(s.start, s.end) for s in b.sentences}
        same += sa == sb
        overlap.append(len(sa & sb) / max(1, len(sa | sb)))
    assert same >= 0.8 * len(texts), (same, len(texts))
    assert float(np.mean(overlap)) >= 0.9

"""The abstractive path with tiny models built from configs (random weights, tokenizers trained
here on our own sentences), saved with save_pretrained and loaded through the production loaders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

from service.engines.summarizer import SummarizerConfig, SummaryEngineImpl, create_summary_engine
from service.errors import ModelLoadError
from service.schemas import SummaryOptions

CORPUS = [
    "The city council approved a new cycling network on Tuesday.",
    "The plan was passed by 31 votes to 12 after a long debate.",
    "Supporters said the lanes would cut traffic deaths.",
    "Work on the first section is due to begin in the spring.",
    "Hospital waiting lists have fallen for the first time in five years.",
    "A rare white stork has been spotted nesting in the marshes.",
]


def word_tokenizer(specials: list[str]) -> PreTrainedTokenizerFast:
    """A word-level tokenizer trained on CORPUS, wrapped as a transformers fast tokenizer."""
    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(CORPUS, trainers.WordLevelTrainer(special_tokens=specials))
    return PreTrainedTokenizerFast(tokenizer_object=tok)  # type: ignore[no-untyped-call]


def save_tiny_bert(path: Path) -> Path:
    """A 2-layer BERT encoder with a word-level tokenizer, saved to ``path``."""
    from transformers import BertConfig, BertModel

    tok = word_tokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]"])
    tok.pad_token, tok.unk_token, tok.cls_token, tok.sep_token = "[PAD]", "[UNK]", "[CLS]", "[SEP]"
    cfg = BertConfig(
        vocab_size=len(tok),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    BertModel(cfg).save_pretrained(path)
    tok.save_pretrained(path)
    return path


def save_tiny_bart(path: Path) -> Path:
    """A 1-layer BART seq2seq model with a word-level tokenizer, saved to ``path``."""
    from transformers import BartConfig, BartForConditionalGeneration

    tok = word_tokenizer(["<pad>", "<s>", "</s>", "[UNK]"])
    tok.pad_token, tok.bos_token, tok.eos_token, tok.unk_token = "<pad>", "<s>", "</s>", "[UNK]"
    cfg = BartConfig(
        vocab_size=len(tok),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=64,
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id,
        forced_eos_token_id=tok.eos_token_id,
    )
    BartForConditionalGeneration(cfg).save_pretrained(path)
    tok.save_pretrained(path)
    return path


# --------------------------------------------------------------------------------------------------
# The abstractive path, end to end with a tiny BART loaded through the production loader.

LONG_STORY = " ".join(CORPUS * 4)


def _abstractive_engine(tmp_path: Path, **config: Any) -> SummaryEngineImpl:
    enc = save_tiny_bert(tmp_path / "enc")
    bart = save_tiny_bart(tmp_path / "bart")
    cfg = SummarizerConfig(encoder_dir=str(enc), abstractive_dir=str(bart), **config)
    engine = create_summary_engine(cfg)
    engine.load()
    return engine


def test_abstractive_end_to_end(tmp_path: Path) -> None:
    """method='auto' uses the configured seq2seq model; limits apply; both models are reported."""
    engine = _abstractive_engine(tmp_path, max_new_tokens=12, num_beams=2)
    engine.warmup()
    got = engine.summarize_batch(
        [(LONG_STORY, SummaryOptions()), (LONG_STORY, SummaryOptions(method="extractive", max_words=20))]
    )
    assert got[0].method == "abstractive"
    assert got[0].model == "local:bart"
    assert len(got[0].sentences) <= 3
    assert all(s.start is None for s in got[0].sentences)
    assert got[1].method == "extractive"
    assert len(got[1].text.split()) <= 20
    assert {m.task for m in engine.models()} == {
        "sentence-embedding",
        "sentence-scoring",
        "summary-ranking",
        "summarization",
    }


def test_long_input_is_chunked_on_sentence_boundaries(tmp_path: Path) -> None:
    """Input longer than the window is cut into whole-sentence chunks that each fit it."""
    engine = _abstractive_engine(tmp_path, max_input_tokens=40, max_new_tokens=4, num_beams=1)
    abstractive = engine.abstractive
    assert abstractive is not None
    chunks = abstractive.chunks(LONG_STORY)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.endswith(".")
        assert chunk in LONG_STORY
    summary = engine.summarize_batch([(LONG_STORY, SummaryOptions(max_words=6))])[0]
    assert len(summary.text.split()) <= 6


def test_missing_abstractive_dir_fails_load(tmp_path: Path) -> None:
    """A configured but absent seq2seq directory is a ModelLoadError at load time."""
    enc = save_tiny_bert(tmp_path / "enc")
    engine = create_summary_engine(
        SummarizerConfig(encoder_dir=str(enc), abstractive_dir=str(tmp_path / "nope"))
    )
    with pytest.raises(ModelLoadError, match="does not exist"):
        engine.load()

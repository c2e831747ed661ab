"""Tiny models built from configs (random weights, tokenizers trained here on our own sentences),
saved with save_pretrained so that tests load them through the production loaders."""

from __future__ import annotations

from pathlib import Path

from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

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

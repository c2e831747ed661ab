"""The cross-encoder tried for the summary checker: its input, its checkpoint, and the synthetic
errors it is trained on (texts written for these tests; a tiny random encoder, no real weights)."""

from __future__ import annotations

import random
from pathlib import Path

import torch

from bench import checker_pairs as cp
from bench.train_checker_crossenc import save
from models.bert import BertConfig, BertEncoder
from models.crossenc import MAX_TOKENS, CrossEncoder, batch, evidence_text, load_trained, pair_ids

ARTICLE = [
    "The council of Eastbrook voted on Tuesday to close the old swimming pool.",
    "Mayor Alice Hartley said the repairs would cost 3 million pounds.",
    "Residents had asked the council to keep the pool open.",
]


class WordTokenizer:
    """One id per word (ids from 10 up), [CLS] 1, [SEP] 2, pad 0: enough to check the layout."""

    pad_token_id = 0

    def token_id(self, token: str) -> int:
        return {"[CLS]": 1, "[SEP]": 2}[token]

    def __call__(
        self, texts: list[str], *, truncation: bool, max_length: int, add_special_tokens: bool
    ) -> dict[str, list[list[int]]]:
        return {"input_ids": [[10 + len(w) for w in t.split()][:max_length] for t in texts]}


def tiny_encoder() -> BertEncoder:
    torch.manual_seed(0)
    cfg = BertConfig(
        vocab_size=64,
        hidden_size=16,
        num_hidden_layers=4,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=256,
        type_vocab_size=2,
        layer_norm_eps=1e-12,
    )
    return BertEncoder(cfg).eval()


def test_evidence_is_the_best_sentences_in_article_order() -> None:
    """The evidence is the three most similar sentences, joined in the order the article has them."""
    sentences = ["a.", "b.", "c.", "d."]
    assert evidence_text(sentences, [3, 0, 2, 1]) == "a. c. d."


def test_pairs_keep_the_claim_and_cut_the_evidence() -> None:
    """A pair is [CLS] claim [SEP] evidence [SEP], never longer than the window; only evidence is cut."""
    tok = WordTokenizer()
    claim = "the pool will close"
    ids = pair_ids(tok, [claim], ["word " * 400])[0]
    assert len(ids) == MAX_TOKENS
    assert ids[0] == 1
    assert ids[-1] == 2
    assert ids[1 : 1 + len(claim.split())] == [13, 14, 14, 15]
    assert ids[1 + len(claim.split())] == 2


def test_a_checkpoint_reloads_to_the_same_scores(tmp_path: Path) -> None:
    """The trained tensors, saved in float16, reload over the same base to the same logits."""
    base = tiny_encoder()
    model = CrossEncoder.from_base(base, 2).eval()
    assert model.lower == 2
    x, m = batch([[1, 20, 21, 2, 30, 2], [1, 22, 2, 31, 32, 33, 2]], 0)
    with torch.no_grad():
        model.head.weight.normal_()
        before = model(x, m)
    path = tmp_path / "ck.safetensors"
    save(model, path, 2, {"step": 1})
    again = load_trained(base, path)
    with torch.no_grad():
        after = again(x, m)
    assert torch.allclose(before, after, atol=0.05)
    assert set(model.trained_state()) == {f"top.{k}" for k in model.top.state_dict()} | {
        "head.weight",
        "head.bias",
    }


def test_the_synthetic_edits_change_what_they_name() -> None:
    """Each edit changes the claim in the way it says: a name, a number, a negation, a pronoun."""
    rng = random.Random(1)
    ctx = cp.context({"article": " ".join(ARTICLE)}, ARTICLE) | {
        "foreign": ["In Leeds, the bus fares went up."]
    }
    claim = "Mayor Alice Hartley said the repairs would cost 3 million pounds."
    swapped = cp.swap_name(rng, claim, ctx)
    assert swapped is not None
    assert "Alice Hartley" not in swapped
    assert "Eastbrook" in swapped
    number = cp.change_number(rng, claim, ctx)
    assert number is not None
    assert " 3 million" not in number
    negated = cp.flip_negation(rng, claim, ctx)
    assert negated == "Mayor Alice Hartley said the repairs would not cost 3 million pounds."
    assert cp.flip_negation(rng, negated, ctx) == claim
    assert cp.swap_pronoun(rng, "She said he was late.", ctx) in {
        "He said he was late.",
        "She said she was late.",
    }
    added = cp.add_clause(rng, "The pool will close.", ctx)
    assert added is not None
    assert added.startswith("The pool will close")
    assert "bus fares" in added


def test_compression_keeps_the_sentence_and_drops_a_clause() -> None:
    """A compressed sentence is the original less a parenthesis, a clause or an attribution."""
    rng = random.Random(2)
    s = "The council, which met in the town hall, voted to close the old swimming pool."
    assert cp.compress(rng, s) == "The council voted to close the old swimming pool."
    assert cp.compress(rng, "Short one.") is None

"""Per-sentence features of the summary checker: how much of a summary sentence the article backs.

Meaning comes from the sentence encoder twice over: whole-sentence similarity to the article's
sentences, and a token-level alignment (each word piece of the summary sentence against every word
piece of the article, contextual vectors, as in BERTScore's precision), which notices one wrong name
or number in an otherwise copied sentence. Lexical checks add what an encoder blurs: numbers, names,
negations, novel words and bigrams, and how much is copied word for word.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from service.engines.verify.binding import BINDING_FEATURES, ArticleWords, binding_values
from service.engines.verify.lexical import (
    STOP_WORDS,
    ArticleIndex,
    Mention,
    content,
    names_in,
    negation_flip,
    negations,
    numbers_in,
    stem,
    words,
)

FloatArray = npt.NDArray[np.float32]

#: The feature vector of one summary sentence, in this order (the weights file names them too).
FEATURES = (
    "sim_max",
    "sim_top2",
    "tok_mean",
    "tok_low",
    "tok_min",
    "novel_content",
    "novel_bigram",
    "bad_numbers",
    "bad_names",
    "copy",
    "log_words",
    "negation_mismatch",
    "bad_quotes",
    "verbatim",
    "local_tok_mean",
    "local_tok_low",
    "local_novel_content",
    "local_novel_bigram",
    "content_tok_mean",
    "content_tok_low",
    *BINDING_FEATURES,
)
#: Features where a larger value means worse support (a summary is as weak as its weakest sentence:
#: training aggregates a summary's sentences per feature by their worst value).
WORSE_WHEN_HIGH = frozenset(
    {"tok_low", "novel_content", "novel_bigram", "bad_numbers", "bad_names", "log_words"}
    | {"negation_mismatch", "bad_quotes", "local_tok_low", "local_novel_content", "local_novel_bigram"}
    | {"content_tok_low", "cover_gain", "fuse_pairs"}
)
#: A negation mismatch is reported as a problem only against an article sentence this similar.
NEGATION_SIMILARITY = 0.6
#: The local features compare a summary sentence with this many most similar article sentences.
LOCAL_SENTENCES = 3
#: A word piece whose best match in the article is below this cosine counts as unaligned.
TOKEN_LOW = 0.7
#: The same for a content word's piece (function words and punctuation left out).
CONTENT_LOW = 0.6


@dataclass
class ArticleView:
    """The article as the checker sees it: sentence spans, their embeddings, every word piece's
    contextual vector (rows of all sentences stacked), and the word index."""

    text: str
    spans: list[tuple[int, int]]
    embeddings: FloatArray
    tokens: FloatArray
    index: ArticleIndex
    negations: list[int] = field(default_factory=list)
    #: Row range in ``tokens`` of each sentence's word pieces.
    token_rows: list[tuple[int, int]] = field(default_factory=list)
    #: Lower-cased words of each sentence.
    words: list[list[str]] = field(default_factory=list)
    #: Each sentence's word stems and the article's names (built from ``text`` when not given).
    binding: ArticleWords | None = None


@dataclass(frozen=True)
class SentenceEvidence:
    """What the features of one summary sentence found: the values, the best article sentences,
    and the numbers, names and quotations the article does not support."""

    values: list[float]
    best: list[int]
    best_sims: list[float]
    bad_numbers: list[Mention]
    bad_names: list[Mention]
    verbatim_at: tuple[int, int] | None
    #: A negation the closest article sentence does not share (only when the two are close).
    negation: Mention | None = None


def find_verbatim(article: str, sentence: str) -> tuple[int, int] | None:
    """Where ``sentence`` occurs verbatim in ``article`` (whitespace runs equal), or None."""
    at = article.find(sentence)
    if at >= 0:
        return at, at + len(sentence)
    squashed = " ".join(sentence.split())
    if squashed != sentence:
        at = article.find(squashed)
        if at >= 0:
            return at, at + len(squashed)
    return None


def longest_copy(index: ArticleIndex, ws: list[str]) -> int:
    """The longest run of ``ws`` that the article has word for word."""
    best = 0
    padded = f" {index.lower} "
    for i in range(len(ws)):
        j = i + best + 1
        while j <= len(ws) and f" {' '.join(ws[i:j])} " in padded:
            best = j - i
            j += 1
    return best


def unsupported_numbers(index: ArticleIndex, sentence: str) -> list[Mention]:
    """Numbers, amounts and dates of ``sentence`` that the article does not have."""
    from service.engines.verify.lexical import normal_number

    return [m for m in numbers_in(sentence) if normal_number(m.text) not in index.numbers]


def unsupported_names(index: ArticleIndex, sentence: str) -> list[Mention]:
    """Names of ``sentence`` with a word the article does not have (titles and stop words aside)."""
    out = []
    for m in names_in(sentence):
        if m.kind == "date":
            continue
        ws = [w for w in content(words(m.text)) if not w.isdigit()]
        if ws and not index.has_phrase(m.text) and any(w not in index.words for w in ws):
            out.append(m)
    return out


def sentence_features(
    view: ArticleView,
    sentence: str,
    embedding: FloatArray,
    tokens: FloatArray,
    bad_quotes: int,
    *,
    pieces: list[str] | None = None,
) -> SentenceEvidence:
    """The feature vector (``FEATURES`` order) of one summary sentence against the article."""
    sims = view.embeddings @ embedding if len(view.spans) else np.zeros(1, dtype=np.float32)
    order = np.argsort(-sims)
    top = np.sort(sims)[::-1]
    if len(tokens) and len(view.tokens):
        aligned = (tokens @ view.tokens.T).max(axis=1)
    else:
        aligned = np.zeros(1, dtype=np.float32)
    ws = words(sentence)
    cw = content(ws)
    novel = [w for w in cw if not view.index.known(w)]
    bigrams = list(itertools.pairwise(ws))
    novel_bi = [b for b in bigrams if b not in view.index.bigrams]
    bad_numbers = unsupported_numbers(view.index, sentence)
    bad_names = unsupported_names(view.index, sentence)
    best = [int(i) for i in order[:2]] if len(view.spans) else []
    neg_best = view.negations[best[0]] if best else 0
    verbatim = find_verbatim(view.text, sentence)
    local = _local(view, [int(i) for i in order[:LOCAL_SENTENCES]], tokens, cw, bigrams)
    values = [
        float(top[0]),
        float(top[:2].mean()),
        float(aligned.mean()),
        float((aligned < TOKEN_LOW).mean()),
        float(aligned.min()),
        len(novel) / max(1, len(cw)),
        len(novel_bi) / max(1, len(bigrams)),
        float(min(3, len(bad_numbers))),
        float(min(3, len(bad_names))),
        longest_copy(view.index, ws) / max(1, len(ws)),
        math.log1p(len(ws)),
        float(negations(sentence) != neg_best),
        float(min(3, bad_quotes)),
        float(verbatim is not None),
        *local,
        *_content_alignment(aligned, pieces),
        *binding_values(view.binding or ArticleWords(view.text), sentence),
    ]
    flip = negation_flip(sentence, negations(sentence), neg_best) if top[0] >= NEGATION_SIMILARITY else None
    return SentenceEvidence(
        values, best, [float(sims[i]) for i in best], bad_numbers, bad_names, verbatim, flip
    )


def _content_alignment(aligned: FloatArray, pieces: list[str] | None) -> list[float]:
    """Mean alignment of the content words' pieces, and their share below ``CONTENT_LOW``: the
    function words of a sentence align with any article and would dilute a wrong name."""
    if pieces is not None and len(pieces) == len(aligned):
        mask = np.array([is_content_piece(p) for p in pieces], dtype=bool)
        if mask.any():
            aligned = aligned[mask]
    return [float(aligned.mean()), float((aligned < CONTENT_LOW).mean())]


def is_content_piece(piece: str) -> bool:
    """Whether a word piece belongs to a content word (letters or digits, not a stop word)."""
    bare = piece.removeprefix("##")
    return len(bare) > 1 and bare.isalnum() and bare.lower() not in STOP_WORDS


def _local(
    view: ArticleView, near: list[int], tokens: FloatArray, cw: list[str], bigrams: list[tuple[str, str]]
) -> list[float]:
    """Token alignment and word novelty against the few article sentences most like the sentence:
    a name or number the article has elsewhere, but not where this claim is made, counts here."""
    if not near or not view.token_rows:
        return [0.0, 1.0, 1.0, 1.0]
    rows = [r for i in near for r in range(*view.token_rows[i])]
    if len(tokens) and rows:
        aligned = (tokens @ view.tokens[rows].T).max(axis=1)
    else:
        aligned = np.zeros(1, dtype=np.float32)
    near_words = [w for i in near for w in view.words[i]]
    stems = {stem(w) for w in near_words}
    near_bigrams = set(itertools.pairwise(near_words))
    return [
        float(aligned.mean()),
        float((aligned < TOKEN_LOW).mean()),
        sum(stem(w) not in stems for w in cw) / max(1, len(cw)),
        sum(b not in near_bigrams for b in bigrams) / max(1, len(bigrams)),
    ]


def aggregate(rows: list[list[float]]) -> list[float]:
    """A summary's features from its sentences': each feature's worst value over the sentences."""
    if not rows:
        return [0.0] * len(FEATURES)
    cols = list(zip(*rows, strict=True))
    return [
        max(col) if name in WORSE_WHEN_HIGH else min(col) for name, col in zip(FEATURES, cols, strict=True)
    ]


def stems_of(text: str) -> set[str]:
    """The stems of the content words of ``text``."""
    return {stem(w) for w in content(words(text))}

"""Sentence features for the learned extractive scorer, shared by the engine and the training script.

Every feature is computed in time linear in the number of sentences: similarities are taken to a
few document-level vectors (the centroid, the lead), never between all pairs of sentences.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from service.engines.summarizer.lexicon import (
    FEATURE_CONJUNCTION_OPENERS,
    FEATURE_PRONOUN_OPENERS,
    opener_pattern,
)
from service.engines.text import Sentence

FloatArray = npt.NDArray[np.float32]
_V = TypeVar("_V")

#: The per-sentence features, in the order the scorer's weights list them.
ROW_FEATURES: tuple[str, ...] = (
    "bias",
    "first",
    "second",
    "third",
    "pos_log",
    "pos_rel",
    "para_first",
    "para_log",
    "words_log",
    "words_short",
    "words_long",
    "sim_centroid",
    "sim_centroid_rank",
    "sim_lead",
    "sim_first",
    "quote_share",
    "opens_with_quote",
    "opens_with_pronoun",
    "opens_with_conjunction",
    "caption_like",
    "question",
    "digits",
    "capitalised",
    "doc_sentences_log",
    "doc_glued",
    "doc_mean_words_log",
)
#: Word-frequency features (SumBasic-style centrality), computed from the article alone.
LEXICAL_FEATURES: tuple[str, ...] = ("lex_df_mean", "lex_df_share", "lex_first_overlap", "lex_names_recur")
LEXICAL = len(LEXICAL_FEATURES)
#: Every column of the sentence feature matrix, in order (the weights files list the same names).
FEATURE_NAMES: tuple[str, ...] = ROW_FEATURES + LEXICAL_FEATURES


class Columns:
    """The named columns of a feature matrix. A row is given as {name: value} and laid out in
    column order; a row that lacks a column or names one the matrix does not have is an error,
    never a silent zero."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(names)
        if len(set(self.names)) != len(self.names):
            raise ValueError("feature names repeat")
        self._set = frozenset(self.names)

    def row(self, values: Mapping[str, _V]) -> list[_V]:
        """The values in column order."""
        if len(values) != len(self.names) or values.keys() != self._set:
            missing = sorted(self._set - values.keys())
            extra = sorted(values.keys() - self._set)
            raise ValueError(f"feature row does not fit its columns: missing {missing}, unknown {extra}")
        return [values[name] for name in self.names]

    def mismatch(self, names: Sequence[str]) -> str | None:
        """Why a weights file's feature names differ from these columns (None when they agree,
        names and order)."""
        if tuple(names) == self.names:
            return None
        if set(names) == self._set:
            return "the same features in another order"
        missing, extra = sorted(self._set - set(names)), sorted(set(names) - self._set)
        return f"features missing from the weights {missing}, features the code lacks {extra}"


ROW_COLUMNS = Columns(ROW_FEATURES)
LEXICAL_COLUMNS = Columns(LEXICAL_FEATURES)
SENTENCE_COLUMNS = Columns(FEATURE_NAMES)

_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")
_PRONOUN = re.compile(rf"^[\"“‘']?(?:{opener_pattern(FEATURE_PRONOUN_OPENERS)})\b", re.I)
_CONJ = re.compile(rf"^[\"“‘']?(?:{opener_pattern(FEATURE_CONJUNCTION_OPENERS)})\b", re.I)
# A quoted run never contains another opening mark: with it, a line of 100,000 “ marks made this
# regex backtrack quadratically.
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]|‘[^‘’]*’(?!\w)")
# A Daily Mail style caption glued in front of story text: "Strictly business: Julia ...".
_CAPTION = re.compile(r"^[A-Z][\w'’-]*(?: [\w'’-]+){0,3}: [A-Z]")
_GLUED = re.compile(r"[a-z][.!?][\"”’']?[\"“‘]?[A-Z][a-z]")


def word_count(text: str) -> int:
    """Words as the budget counts them (whitespace-separated tokens)."""
    return len(text.split())


def content_words(text: str) -> set[str]:
    """Lower-cased words of four or more letters (a length cut stands in for a stop list)."""
    return {w.lower() for w in _WORD.findall(text) if len(w) >= 4 and not w.isdigit()}


def lexical_features(sentences: list[Sentence], content: Sequence[set[str]] | None = None) -> FloatArray:
    """(n, LEXICAL): mean and summed share of sentences that contain each content word of the
    sentence (the sum relative to the article's best), content-word overlap with the first
    sentence, and the share of the sentence's capitalised words that recur in two other sentences."""
    n = len(sentences)
    words = list(content) if content is not None else [content_words(s.text) for s in sentences]
    df: dict[str, int] = {}
    for ws in words:
        for w in ws:
            df[w] = df.get(w, 0) + 1
    first = words[0] if words else set()
    out = np.zeros((n, LEXICAL), dtype=np.float32)
    sums = np.array([sum(df[w] - 1 for w in ws) / max(1, n - 1) for ws in words], dtype=np.float32)
    best = max(float(sums.max()), 1e-9) if n else 1.0
    for i, (s, ws) in enumerate(zip(sentences, words, strict=True)):
        names = {t.lower() for t in _WORD.findall(s.text)[1:] if t[:1].isupper() and len(t) >= 3}
        row = {
            "lex_df_mean": float(np.mean([(df[w] - 1) / max(1, n - 1) for w in ws])) if ws else 0.0,
            "lex_df_share": sums[i] / best,
            "lex_first_overlap": len(ws & first) / len(ws) if ws and i else 0.0,
            "lex_names_recur": sum(1 for t in names if df.get(t, 0) >= 3) / len(names) if names else 0.0,
        }
        out[i] = LEXICAL_COLUMNS.row(row)
    return out


def sentence_features(
    sentences: list[Sentence], emb: FloatArray, text: str, content: Sequence[set[str]] | None = None
) -> FloatArray:
    """A (len(sentences), len(FEATURE_NAMES)) float32 matrix; ``emb`` holds unit-length rows;
    ``content``: each sentence's :func:`content_words`, when the caller has them already."""
    n = len(sentences)
    out = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    if n == 0:
        return out
    centroid = emb.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    lead = emb[: min(3, n)].mean(axis=0)
    lead /= max(float(np.linalg.norm(lead)), 1e-9)
    sim_c = emb @ centroid
    sim_l = emb @ lead
    sim_f = emb @ emb[0]
    rank = np.empty(n, dtype=np.float32)
    rank[np.argsort(-sim_c, kind="stable")] = np.arange(n, dtype=np.float32)
    words = np.array([word_count(s.text) for s in sentences], dtype=np.float32)
    doc_glued = min(1.0, len(_GLUED.findall(text)) / n)
    doc_n = math.log1p(n)
    doc_mean = math.log1p(float(words.mean()))
    for i, s in enumerate(sentences):
        t = s.text
        w = float(words[i])
        quoted = sum(len(m.group(0)) for m in _QUOTED.finditer(t))
        tokens = _WORD.findall(t)
        caps = sum(1 for tok in tokens[1:] if tok[:1].isupper())
        row = {
            "bias": 1.0,
            "first": float(i == 0),
            "second": float(i == 1),
            "third": float(i == 2),
            "pos_log": math.log1p(i),
            "pos_rel": i / max(1, n - 1),
            "para_first": float(s.in_paragraph == 0),
            "para_log": math.log1p(s.paragraph),
            "words_log": math.log1p(w),
            "words_short": float(w < 8),
            "words_long": float(w > 45),
            "sim_centroid": float(sim_c[i]),
            "sim_centroid_rank": float(rank[i]) / n,
            "sim_lead": float(sim_l[i]),
            "sim_first": float(sim_f[i]),
            "quote_share": min(1.0, quoted / max(1, len(t))),
            "opens_with_quote": float(t[:1] in "\"“‘'"),
            "opens_with_pronoun": float(bool(_PRONOUN.match(t))),
            "opens_with_conjunction": float(bool(_CONJ.match(t))),
            "caption_like": float(bool(_CAPTION.match(t))),
            "question": float(t.rstrip("\"”’' ").endswith("?")),
            "digits": min(1.0, sum(map(str.isdigit, t)) / 10),
            "capitalised": caps / max(1, len(tokens)),
            "doc_sentences_log": doc_n,
            "doc_glued": doc_glued,
            "doc_mean_words_log": doc_mean,
        }
        out[i, : len(ROW_FEATURES)] = ROW_COLUMNS.row(row)
    out[:, -LEXICAL:] = lexical_features(sentences, content)
    return out

"""Fusion and name-fact binding features of the summary checker: whether a summary sentence's words
sit together in one article sentence, or are stitched from several.

FRANK's CNN/DM errors are mostly summaries that copy the article's words and recombine them. Word
by word such a sentence is backed; what gives it away is that no single article sentence holds it:
its best article sentence covers less of it, pairs of its consecutive content words never meet in
one article sentence, and a name's neighbouring words are not found beside that name. A "name" is
a summary word the article writes capitalised away from a sentence start (many summaries are
lower-cased), or a number. Measured in ``bench/checker_binding.py``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from service.engines.text import split_sentences
from service.engines.verify.lexical import STOP_WORDS, name_words, numbers_in, stem, words

#: The features this module adds, in order (see ``features.FEATURES``).
BINDING_FEATURES = ("cover1", "cover_gain", "fuse_pairs", "bind_mean")
#: Content words taken on each side of a name as what it is said to do or be.
WINDOW = 2
#: Article sentences (by content words shared) among which the best pair is sought.
PAIR_CANDIDATES = 8


class ArticleWords:
    """Per article sentence: its word stems as a set; and the stems of the article's names.
    ``spans``: the article's sentences when the caller has already split it."""

    def __init__(self, article: str, spans: Sequence[tuple[int, int]] | None = None) -> None:
        texts = [article[s:e] for s, e in (split_sentences(article) if spans is None else spans)]
        self.sets = [{stem(w) for w in words(t)} for t in texts]
        self.names = {stem(w) for t in texts for w in name_words(t)}


def is_content(w: str) -> bool:
    """A content word: not a stop word, more than one letter."""
    return w not in STOP_WORDS and len(w) > 1


def mentions(ws: list[str], art: ArticleWords, sentence: str) -> list[tuple[int, int]]:
    """Word-index runs of names and numbers in a summary sentence."""
    nums = {words(m.text)[0] for m in numbers_in(sentence) if words(m.text)}
    flags = [stem(w) in art.names or w in nums or w[:1].isdigit() for w in ws]
    runs = []
    for is_name, group in itertools.groupby(range(len(ws)), key=lambda k: flags[k]):
        if is_name:
            ks = list(group)
            runs.append((ks[0], ks[-1] + 1))
    return runs


def binding_values(art: ArticleWords, sentence: str) -> list[float]:
    """The ``BINDING_FEATURES`` of one summary sentence: the share of its content words in its best
    article sentence; what the best pair of article sentences adds to that; the share of its
    consecutive content-word pairs no article sentence has together; and the mean, over its names,
    of the share of their neighbouring content words that an article sentence with the name has."""
    ws = words(sentence)
    st = [stem(w) for w in ws]
    runs = mentions(ws, art, sentence)
    in_run = {k for a, b in runs for k in range(a, b)}
    preds = [k for k in range(len(ws)) if k not in in_run and is_content(ws[k])]
    bound = []
    for a, b in runs:
        near = [k for k in preds if k < a][-WINDOW:] + [k for k in preds if k >= b][:WINDOW]
        if near:
            ent = {st[k] for k in range(a, b)}
            with_name = [s for s in art.sets if ent & s]
            bound.append(sum(any(st[k] in s for s in with_name) for k in near) / len(near))
    cont = [k for k in range(len(ws)) if is_content(ws[k])]
    pairs = list(itertools.pairwise(cont))
    fused = [not any(st[i] in s and st[j] in s for s in art.sets) for i, j in pairs]
    cover1, cover2 = _coverage(art, {st[k] for k in cont})
    return [
        cover1,
        cover2 - cover1,
        sum(fused) / len(fused) if fused else 0.0,
        sum(bound) / len(bound) if bound else 1.0,
    ]


def _coverage(art: ArticleWords, cs: set[str]) -> tuple[float, float]:
    """Share of ``cs`` in the best article sentence, and in the best union of two."""
    if not cs or not art.sets:
        return 1.0, 1.0
    hits = [cs & s for s in art.sets]
    order = sorted(range(len(hits)), key=lambda i: -len(hits[i]))[:PAIR_CANDIDATES]
    best1 = len(hits[order[0]])
    best2 = max((len(hits[i] | hits[j]) for i, j in itertools.combinations(order, 2)), default=best1)
    return best1 / len(cs), best2 / len(cs)

"""Which sentences of an article may be summary sentences, and which need the sentence before them.

A candidate is a story sentence (page noise removed, :func:`service.engines.text.story_sentences`)
that reads as prose: at least ``MIN_WORDS`` words with letters, at most ``MAX_WORDS`` words and
``MAX_CHARS`` characters, and most of its characters in word-sized tokens. Text without sentence
structure (one 250,000-character word, a list of numbers) has no candidates, and its summary is
empty with a reason, never the input itself. Text that the splitter cannot split because it has no
capitals (lower-cased text) is split on every stop followed by a space; an over-long run is split
the same way before it is judged.
"""

from __future__ import annotations

import re

import numpy as np

from service.engines.summarizer.lexicon import (
    BACK_PRONOUNS,
    CONNECTIVES,
    DEMONSTRATIVE_VERBS,
    DEMONSTRATIVES,
    opener_pattern,
)
from service.engines.summarizer.units import join_quotations
from service.engines.text import Sentence, split_sentences, story_sentences

#: Candidates kept per article at most (a long news article has ~60 story sentences).
MAX_SENTENCES = 250
#: Shortest and longest summary sentence, in words; longer runs are not sentences but dumps.
MIN_WORDS = 3
MAX_WORDS = 100
MAX_CHARS = 800
#: A token longer than this is not a word (a URL, a hash, a run without spaces).
MAX_TOKEN_CHARS = 40

_LOOSE_STOP = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
#: Openers that point back to an earlier sentence: personal pronouns and their possessives, and
#: discourse connectives (closed grammatical classes, not topic words). An opening quote mark is
#: allowed before them only for the connectives' unquoted uses, so a quoted "We ..." stays free.
_DEPENDENT = re.compile(
    rf"^(?:{opener_pattern(BACK_PRONOUNS)}|"
    rf"(?:{opener_pattern(DEMONSTRATIVES)})(?=\s+(?:{opener_pattern(DEMONSTRATIVE_VERBS)})\b)|"
    rf"{opener_pattern(CONNECTIVES)})\b",
    re.IGNORECASE,
)

NO_TEXT = "the text is empty"
NO_PROSE = (
    f"the text has no prose sentence ({MIN_WORDS} to {MAX_WORDS} words, most of them words): "
    "it is not summarised"
)


def needs_antecedent(sentence: str) -> bool:
    """True when the sentence opens with a pronoun or connective that refers to what came before
    ("He also said ...", "But the plan ...")."""
    return bool(_DEPENDENT.match(sentence.lstrip("\"'“‘(— -")))


def _is_prose(text: str) -> bool:
    if len(text) > MAX_CHARS:
        return False
    tokens = text.split()
    if not MIN_WORDS <= len(tokens) <= MAX_WORDS:
        return False
    if sum(1 for t in tokens if _LETTER_WORD.search(t)) < MIN_WORDS:
        return False
    long_chars = sum(len(t) for t in tokens if len(t) > MAX_TOKEN_CHARS)
    return 2 * long_chars < len(text)


def _loose_split(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Spans of text[s:e] cut after every stop followed by whitespace (any case next)."""
    out = []
    pos = s
    for m in _LOOSE_STOP.finditer(text, s, e):
        out.append((pos, m.end()))
        pos = m.end()
    out.append((pos, e))
    spans = []
    for a0, b0 in out:
        piece = text[a0:b0]
        a = a0 + len(piece) - len(piece.lstrip())
        b = b0 - (len(piece) - len(piece.rstrip()))
        if b > a:
            spans.append((a, b))
    return spans


def _lower_cased(text: str) -> bool:
    """True when the first 20,000 characters have at least 20 letters and under 0.5 % of them are
    capitals. ASCII is counted with numpy; only the other characters are asked one by one."""
    head = text[:20_000]
    codes = np.frombuffer(head.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    upper = int(np.count_nonzero((codes >= 65) & (codes <= 90)))
    letters = upper + int(np.count_nonzero((codes >= 97) & (codes <= 122)))
    for code in codes[codes > 127].tolist():
        ch = chr(code)
        letters += ch.isalpha()
        upper += ch.isupper()
    return letters >= 20 and upper * 200 < letters


def _raw(text: str) -> list[Sentence]:
    sents = story_sentences(text)
    if sents:
        return sents
    return [Sentence(text[s:e], s, e, 0, i, i) for i, (s, e) in enumerate(split_sentences(text))]


def _pieces(text: str, loose: bool) -> list[tuple[int, int, int, int]]:
    """(start, end, paragraph, sentences) of every unit: sentence pieces, over-long runs split at
    stops, joined where the boundary between them falls inside a quotation (:mod:`.units`);
    ``sentences`` is how many pieces a unit joins."""
    pieces: list[tuple[int, int, int]] = []
    for sent in _raw(text):
        spans = [(sent.start, sent.end)]
        if loose or len(sent.text) > MAX_CHARS or len(sent.text.split()) > MAX_WORDS:
            spans = _loose_split(text, sent.start, sent.end)
        pieces.extend((s, e, sent.paragraph) for s, e in spans)
    joined = join_quotations(text, [(s, e) for s, e, _ in pieces])
    if len(joined) == len(pieces):
        return [(s, e, p, 1) for s, e, p in pieces]
    para = {s: p for s, _, p in pieces}
    starts = np.array([s for s, _, _ in pieces])
    counts = np.searchsorted(starts, [e for _, e in joined]) - np.searchsorted(starts, [s for s, _ in joined])
    return [(s, e, para[s], int(c)) for (s, e), c in zip(joined, counts.tolist(), strict=True)]


def candidate_units(text: str, pool: int = 0) -> tuple[list[Sentence], list[int], str | None]:
    """The candidate units in document order (re-numbered), how many sentences of the splitter
    each one joins (a quotation of several sentences is one unit, never cut; it costs its
    sentence count against ``max_sentences``), and a reason when there are none. ``pool`` > 0:
    only the first ``pool`` candidates (the rest are neither encoded nor chosen)."""
    limit = min(pool, MAX_SENTENCES) if pool > 0 else MAX_SENTENCES
    if not text.strip():
        return [], [], NO_TEXT
    out: list[Sentence] = []
    sizes: list[int] = []
    last_para, k = -1, 0
    for s, e, paragraph, size in _pieces(text, _lower_cased(text)):
        piece = text[s:e]
        if not _is_prose(piece):
            continue
        k = k + 1 if paragraph == last_para else 0
        last_para = paragraph
        out.append(Sentence(piece, s, e, paragraph, len(out), k))
        sizes.append(size)
        if len(out) >= limit:
            return out, sizes, None
    return out, sizes, (None if out else NO_PROSE)


def candidate_sentences(text: str, pool: int = 0) -> tuple[list[Sentence], str | None]:
    """:func:`candidate_units` without the sentence counts."""
    sents, _, reason = candidate_units(text, pool)
    return sents, reason

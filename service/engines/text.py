"""Shared text utilities: paragraphs and sentences with offsets, page noise removed.

The page noise itself (furniture lines, furniture glued into story lines) is found by
:mod:`service.engines.noise`; its functions are re-exported here. Every span returned is a pair of
Python ``str`` offsets into the text given, such that ``text[start:end]`` is the item, without
surrounding whitespace.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from service.engines.noise import inline_noise_spans, is_noise_line, lines_with_spans, noise_spans

__all__ = [
    "Sentence",
    "inline_noise_spans",
    "is_noise_line",
    "lines_with_spans",
    "noise_spans",
    "paragraphs",
    "split_sentences",
    "story_sentences",
]

# --------------------------------------------------------------------------------------------------
# Sentences

#: Titles and other abbreviations that are followed by a name or number, never by a new sentence.
_NEVER_END = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "messrs",
        "mx",
        "dr",
        "prof",
        "st",
        "mt",
        "ft",
        "gov",
        "sen",
        "rep",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "maj",
        "rev",
        "hon",
        "pres",
        "supt",
        "insp",
        "det",
        "cpl",
        "pte",
        "fr",
        "sr",
        "jr",
        "no",
        "nos",
        "vs",
        "v",
        "cf",
        "al",
        "approx",
        "dept",
        "est",
        "fig",
        "op",
        "vol",
        "pp",
        "ch",
        "art",
        "sec",
    ]
)
#: Abbreviations that may end a sentence: split after them only before a typical sentence opener.
_MAYBE_END = frozenset(
    [
        "inc",
        "ltd",
        "co",
        "corp",
        "plc",
        "bros",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_MONTHS = frozenset(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"])
#: Words that typically open a sentence; used to decide "in the U.S. The ..." vs "U.S. Army".
_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "but",
        "and",
        "so",
        "yet",
        "or",
        "in",
        "on",
        "at",
        "as",
        "after",
        "before",
        "when",
        "while",
        "if",
        "however",
        "meanwhile",
        "then",
        "also",
        "mr",
        "mrs",
        "ms",
        "dr",
        "some",
        "many",
        "most",
        "one",
        "two",
        "three",
        "police",
        "officials",
        "authorities",
        "what",
        "why",
        "how",
        "who",
    ]
)

_CANDIDATE = re.compile(r"(?:\.{3}|…|[.!?]+)[\"'”’)\]]*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_NEXT_WORD = re.compile(r"[\"'“‘(\[]*([A-Za-z]+|\d)")


def _boundary_after(line: str, pos: int, end: int) -> int | None:
    """If a sentence ends with the punctuation run line[pos:end], the offset where the next one
    starts (after spaces; before ``end`` when the run's last quote opens the next sentence);
    otherwise None."""
    punct = line[pos:end]
    j = end
    while j < len(line) and line[j].isspace():
        j += 1
    if j >= len(line):
        return None
    glued = j == end
    nm = _NEXT_WORD.match(line, j)
    if not nm:
        return None
    next_word = nm.group(1)
    starts_upper = next_word[0].isupper() or next_word[0].isdigit()
    if not starts_upper:
        return None
    if punct.startswith(("...", "…")):
        # An ellipsis mostly marks words left out of a quote, not the end of a sentence.
        return None
    # Only the word just before the punctuation matters; a bounded window keeps this O(1) per
    # candidate instead of copying the whole line prefix (quadratic on long lines).
    before = line[max(0, pos - 64) : pos]
    if glued:
        # "deal.Fishing", 'agreed."The': a lower-case letter, digit or closing mark, then a capital
        # and a lower-case letter. "U.S.A", "3.5" and "bbc.co.uk" never match.
        if not before or not (before[-1].islower() or before[-1].isdigit() or before[-1] in "%)\"'”’"):
            return None
        if next_word[0].isdigit():
            return None
        wm = _WORD_BEFORE.search(before)
        if wm and punct[0] == "." and wm.group(1).lower() in _NEVER_END:
            return None
        if punct.endswith('"') and len(punct) > 1 and before[-1] in '"”':
            # 'return"."When': the quote already closed before the stop; this one opens the next.
            return end - 1
        return j
    if punct[0] != ".":
        return j
    wm = _WORD_BEFORE.search(before)
    if not wm:
        return j
    word = wm.group(1)
    low = word.lower().rstrip(".")
    opener = next_word.lower() in _OPENERS
    if "." in word:
        # Dotted acronyms ("U.S.", "a.m.", "D.C."): end a sentence only before a typical opener.
        return j if opener else None
    if low in _NEVER_END:
        return None
    if len(word) == 1 and word.isupper():
        return None  # an initial: "J. K. Rowling"
    if low in _MAYBE_END:
        if low in _MONTHS and next_word[0].isdigit():
            return None
        return j if opener else None
    return j


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` as offsets into ``text``; no sentence crosses a line.

    Handles abbreviations ("Mr.", "U.S.", "St. Louis", "Jan. 2027", "Dr."), initials, sentences
    glued without a space ("deal.Fishing"), and quotes that end a sentence ('... over." Then').
    """
    stop = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for rel_s, rel_e in lines_with_spans(text[start:stop]):
        ls, le = rel_s + start, rel_e + start
        line = text[ls:le]
        s = 0
        for m in _CANDIDATE.finditer(line):
            nxt = _boundary_after(line, m.start(), m.end())
            if nxt is None:
                continue
            _append(out, text, ls + s, ls + min(m.end(), nxt))
            s = nxt
        _append(out, text, ls + s, le)
    return out


def _append(out: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of story paragraphs: non-blank lines that are not page furniture."""
    noise = set(noise_spans(text))
    return [span for span in lines_with_spans(text) if span not in noise]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A story sentence: ``text == article[start:end]``; ``paragraph`` counts story paragraphs,
    ``index`` counts story sentences in the article, ``in_paragraph`` within its paragraph."""

    text: str
    start: int
    end: int
    paragraph: int
    index: int
    in_paragraph: int


def story_sentences(text: str) -> list[Sentence]:
    """The article's story sentences in document order, with page furniture removed.

    Whole noise lines are dropped; furniture glued into a line is cut out of the sentence it
    touches (the sentence then starts or ends next to it), so every sentence stays verbatim.
    """
    all_noise = noise_spans(text)
    all_lines = set(lines_with_spans(text))
    line_noise = {span for span in all_noise if span in all_lines}
    inline = [span for span in all_noise if span not in line_noise]
    inline_ends = [ne for _, ne in inline]
    out: list[Sentence] = []
    para = 0
    for ls, le in lines_with_spans(text):
        if (ls, le) in line_noise:
            continue
        k = 0
        for s, e in split_sentences(text, ls, le):
            for pieces in _cut(text, s, e, inline, inline_ends):
                ps, pe = pieces
                out.append(Sentence(text[ps:pe], ps, pe, para, len(out), k))
                k += 1
        para += k > 0
    return out


def _cut(
    text: str, s: int, e: int, noise: list[tuple[int, int]], ends: list[int] | None = None
) -> list[tuple[int, int]]:
    """The parts of text[s:e] outside the noise spans, trimmed, each with at least one letter."""
    parts = [(s, e)]
    # ``noise`` is sorted and disjoint (``ends`` its end offsets): start at the first span that
    # ends after s and stop at the first that starts at or after e, so each call is short.
    first = bisect.bisect_right(ends, s) if ends is not None else 0
    for ns, ne in noise[first:]:
        if ns >= e:
            break
        if ne <= s:
            continue
        nxt = []
        for ps, pe in parts:
            if ne <= ps or ns >= pe:
                nxt.append((ps, pe))
                continue
            nxt.extend(((ps, max(ps, ns)), (min(pe, ne), pe)))
        parts = nxt
    out: list[tuple[int, int]] = []
    for ps, pe in parts:
        tmp: list[tuple[int, int]] = []
        _append(tmp, text, ps, pe)
        out.extend(span for span in tmp if re.search(r"[A-Za-z]{2}", text[span[0] : span[1]]))
    return out

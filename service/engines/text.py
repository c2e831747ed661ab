"""Shared text utilities: paragraphs, sentences with offsets, and page noise of scraped articles.

Scraped news pages carry furniture between paragraphs: related-headline lines, "[ ... Opens in new
window ]" link markers, bylines, share/subscribe lines, photo captions, "Advertisement". Some pages
glue furniture onto the story text itself ("Share this withEmail...Copy this linkThe council...",
"Media playback is not supported on this device"). Both engines must ignore it: the summariser must
never pick it, the quote engine must never attribute a quote inside it.

Every span returned here is a pair of Python ``str`` offsets into the text given, such that
``text[start:end]`` is the item, without surrounding whitespace.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# --------------------------------------------------------------------------------------------------
# Page noise

_LINK_MARKER = re.compile(r"^\s*\[.*\]\s*$|Opens in new window", re.IGNORECASE)
_FURNITURE = re.compile(
    r"^\s*(?:"
    r"share(?: this| on)?(?: article| story| page| via\b.*| on\b.*)?|share this with\b.*|tweet|email|print|"
    r"comments?(?: \(\d+\))?|subscribe\b.*|sign up\b.*|read more\b.*|more on this story\b.*|"
    r"advertisement|sponsored(?: content)?|most (?:read|popular|viewed|shared)|trending(?: now)?|"
    r"related(?: articles| stories| content| topics)?:?.*|see also\b.*|"
    r"(?:image|photo|video|picture|media) (?:caption|copyright)\b.*|"
    r"(?:photograph|photo|picture|image|credit|source|caption)s?:.*|"
    r"follow (?:us|@|him|her)\b.*|click here\b.*|listen to this article.*|scroll down\b.*|"
    r"(?:watch|video|listen|gallery|in pictures)(?::.*|\s*)|media playback is .*|"
    r"(?:published|updated|last updated|posted)\b:?.*\d.*|copyright\b.*|©.*|all rights reserved\.?"
    r")\s*$",
    re.IGNORECASE,
)
#: A caption ending in an agency credit ("... Photograph: Getty Images", "... /Reuters").
_CREDIT_TAIL = re.compile(
    r"(?:[/|(]\s*|photograph:\s*|photo:\s*)"
    r"(?:getty(?: images)?|reuters|ap|afp|pa|epa|alamy|shutterstock)\)?\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\s*[Bb]y\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|and|&))*\s*(?:[,|–—-]\s*(?P<role>.*))?$"
)
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$|[:;]\s*$")

#: Furniture glued onto story text inside a line (no newline around it).
_INLINE_NOISE = re.compile(
    r"Share this with(?:Email|Facebook|Messenger|Twitter|Pinterest|WhatsApp|LinkedIn|Linkedin|Reddit|\s)*"
    r"Copy this link"
    r"|Media playback is (?:not supported|unsupported) on (?:this|your) device"
    r"|Scroll down for videos?"
    r"|(?:Follow|Read more on) (?:updates on )?this story and other news from [A-Z][a-z]+(?: [A-Z][a-z]+)?"
    r"|Follow us on (?:Twitter|Facebook|Instagram)\b[^.!?\n]*"
    r"|^\((?:CNN|AP|AFP|Reuters)\)\s*(?:[-–—]\s*)?",
    re.MULTILINE,
)


def lines_with_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, without surrounding whitespace."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


def _is_byline(line: str) -> bool:
    m = _BYLINE.match(line)
    if not m:
        return False
    # "By Tuesday, the council had approved the plan." is prose, not a byline: the part after the
    # comma of a byline is a short role ("Health Correspondent") without sentence punctuation.
    role = m.group("role")
    if role is None:
        return len(line.split()) <= 6
    return len(role.split()) <= 6 and not _TERMINAL.search(line)


def is_noise_line(line: str) -> bool:
    """True for a line that is page furniture rather than story text.

    A headline-like line (no sentence-final punctuation, short) counts as noise only when the text
    around it is prose; callers that know the context use :func:`noise_spans`.
    """
    if len(line.split()) > 40:
        # Furniture is short; a long line that merely starts like it ("Share this with...Copy
        # this link" glued onto a whole story) is story text with inline noise.
        return False
    if _LINK_MARKER.search(line) or _FURNITURE.match(line) or _is_byline(line):
        return True
    return bool(_CREDIT_TAIL.search(line)) and len(line.split()) < 40


def _headline_like(line: str) -> bool:
    return not _TERMINAL.search(line) and len(line.split()) < 25


def inline_noise_spans(text: str) -> list[tuple[int, int]]:
    """Spans of furniture glued into story lines ("Share this with...Copy this link", "(CNN)")."""
    out = []
    for m in _INLINE_NOISE.finditer(text):
        s, e = m.start(), m.end()
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def noise_spans(text: str) -> list[tuple[int, int]]:
    """Sorted spans of page furniture: whole noise lines (link markers, bylines, share lines,
    captions, and headline-like lines, i.e. no final punctuation and under 25 words, in a text
    whose other lines are prose) plus furniture glued into story lines. The first line is kept
    unless it is plainly furniture: it is usually the article's own headline or lead."""
    spans = lines_with_spans(text)
    out: list[tuple[int, int]] = []
    if len(spans) >= 2:
        prose = sum(1 for s, e in spans if _TERMINAL.search(text[s:e]))
        mostly_prose = prose >= max(1, len(spans) // 2)
        for i, (s, e) in enumerate(spans):
            line = text[s:e]
            if is_noise_line(line) or (i > 0 and mostly_prose and _headline_like(line)):
                out.append((s, e))
    elif spans and is_noise_line(text[spans[0][0] : spans[0][1]]):
        out.append(spans[0])
    # Whole-line spans are sorted and disjoint: a bisect finds the one that could contain each
    # inline span, keeping this linear-logarithmic on texts with thousands of furniture lines.
    line_starts = [a for a, _ in out]
    lines = list(out)
    for s, e in inline_noise_spans(text):
        i = bisect.bisect_right(line_starts, s) - 1
        if not (i >= 0 and lines[i][0] <= s and e <= lines[i][1]):
            out.append((s, e))
    return sorted(out)


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

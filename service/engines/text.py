"""Shared text utilities: paragraphs and page-noise lines of scraped articles.

Scraped news pages carry furniture between paragraphs: related-headline lines, "[ ... Opens in new
window ]" link markers, bylines, share/subscribe lines, photo captions. Both engines must ignore it:
the summariser must never pick it, the quote engine must never attribute a quote inside it.
"""

from __future__ import annotations

import re

_LINK_MARKER = re.compile(r"^\s*\[.*\]\s*$|Opens in new window", re.IGNORECASE)
_FURNITURE = re.compile(
    r"^\s*(share this( article| story)?|subscribe\b.*|sign up\b.*|read more\b.*|advertisement|"
    r"most read|related( articles| stories)?|(image|photo|video) caption\b.*|photograph:.*|"
    r"by [A-Z][\w.'’-]+( [A-Z][\w.'’-]+)*(,.*)?|follow us\b.*|click here\b.*|listen to this article.*)\s*$",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$|[:;]\s*$")


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


def is_noise_line(line: str) -> bool:
    """True for a line that is page furniture rather than story text.

    A headline-like line (no sentence-final punctuation, short) counts as noise only when the text
    around it is prose; callers that know the context use :func:`noise_spans`.
    """
    return bool(_LINK_MARKER.search(line) or _FURNITURE.match(line))


def noise_spans(text: str) -> list[tuple[int, int]]:
    """Spans of lines that are page furniture: link markers, bylines, share lines, captions, and
    headline-like lines (no final punctuation, under 25 words) in a text whose other lines are
    prose. The first line is kept: it is usually the article's own headline or lead."""
    spans = lines_with_spans(text)
    if len(spans) < 2:
        return []
    prose = sum(1 for s, e in spans if _TERMINAL.search(text[s:e]))
    mostly_prose = prose >= max(1, len(spans) // 2)
    out = []
    for i, (s, e) in enumerate(spans):
        line = text[s:e]
        if is_noise_line(line):
            out.append((s, e))
        elif i > 0 and mostly_prose and not _TERMINAL.search(line) and len(line.split()) < 25:
            out.append((s, e))
    return out

"""Page noise of scraped articles: furniture lines and furniture glued into story text.

Scraped news pages carry furniture between paragraphs: related-headline lines, "[ ... Opens in new
window ]" link markers, bylines, share/subscribe lines, photo captions, "Advertisement". Some pages
glue furniture onto the story text itself ("Share this withEmail...Copy this linkThe council...",
"Media playback is not supported on this device"). Both engines must ignore it: the summariser must
never pick it, the quote engine must never attribute a quote inside it.

Every span returned here is a pair of Python ``str`` offsets into the text given, such that
``text[start:end]`` is the item, without surrounding whitespace. :mod:`service.engines.text` splits
what is left into sentences.
"""

from __future__ import annotations

import bisect
import re

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

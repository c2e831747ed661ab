"""Quote-mark pairing: which character spans of an article sit between quotation marks.

Works paragraph by paragraph (a paragraph is one non-blank line). Double marks (curly, straight,
PTB-style ````…''``, guillemets) are paired first; single marks (‘…’ and straight ') are paired only
outside double-quoted spans, and only when they look like quotation rather than apostrophes. A
paragraph that ends inside an open quote continues it: the quote runs to the end of the paragraph
and the next paragraph, which reopens the quote, belongs to the same speech.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN = 1
CLOSE = 2
EITHER = 3

# Characters around a straight mark that tell opening from closing.
_OPENING_CONTEXT = frozenset(" \t\n([{—–-/")
_CLOSING_FOLLOW = frozenset(" \t\n.,;:!?)]}—–-/…")


@dataclass(frozen=True, slots=True)
class RawSpan:
    """Quoted words ``[start, end)`` (marks excluded) and how they were delimited.

    ``closed``: a closing mark ended the span (otherwise the paragraph did).
    ``reopened``: the paragraph began with an opening mark and the previous paragraph ended inside
    an open quote, i.e. the speech continues from there.
    ``open_at``/``close_at``: offsets of the marks themselves (``close_at == end`` when unclosed).
    """

    start: int
    end: int
    open_at: int
    close_at: int
    closed: bool
    single: bool
    reopened: bool = False


#: Lines longer than this are handled in pieces (cut after a sentence end, else at a space). News
#: paragraphs are far shorter; the cap keeps every per-quote look-around bounded, so that a
#: 200,000-character line with thousands of quotes is analysed in linear time.
MAX_PARAGRAPH = 3000


def _pieces(text: str, s: int, e: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    while e - s > MAX_PARAGRAPH:
        window = text[s : s + MAX_PARAGRAPH]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 1 if cut > MAX_PARAGRAPH // 2 else window.rfind(" ")
        if cut <= 0:
            cut = MAX_PARAGRAPH
        out.append((s, s + cut))
        s += cut
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        out.append((s, e))
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, trimmed of surrounding whitespace; lines longer than
    :data:`MAX_PARAGRAPH` come back in pieces."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        s, e = pos, nl
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s > MAX_PARAGRAPH:
            out.extend(_pieces(text, s, e))
        elif e > s:
            out.append((s, e))
        pos = nl + 1
    return out


def _double_marks(text: str, s: int, e: int, apostrophe_pairs: bool) -> list[tuple[int, int, int]]:
    """(position, mark length, kind) of double quotation marks in ``text[s:e]``."""
    out: list[tuple[int, int, int]] = []
    i = s
    while i < e:
        c = text[i]
        if c in "“„«":
            # “ typed for ” ("…in the future.“" at a paragraph's end) closes.
            prev = text[i - 1] if i > s else " "
            nxt = text[i + 1] if i + 1 < e else " "
            backwards = c == "“" and not prev.isspace() and prev not in _OPENING_CONTEXT
            out.append((i, 1, CLOSE if backwards and (nxt.isspace() or nxt in _CLOSING_FOLLOW) else OPEN))
        elif c in "”»":
            out.append((i, 1, CLOSE))
        elif c == "`" and i + 1 < e and text[i + 1] == "`":
            out.append((i, 2, OPEN))
            i += 1
        elif c == "'" and i + 1 < e and text[i + 1] == "'":
            if apostrophe_pairs:
                prev = text[i - 1] if i > s else " "
                nxt = text[i + 2] if i + 2 < e else " "
                kind = OPEN if prev in _OPENING_CONTEXT and not nxt.isspace() else CLOSE
                out.append((i, 2, kind))
            else:
                out.append((i, 2, CLOSE))
            i += 1
        elif c == '"':
            prev = text[i - 1] if i > s else " "
            nxt = text[i + 1] if i + 1 < e else " "
            if prev in _OPENING_CONTEXT and not nxt.isspace():
                out.append((i, 1, OPEN))
            elif (nxt in _CLOSING_FOLLOW or nxt in "\"'’") and not prev.isspace():
                out.append((i, 1, CLOSE))
            else:
                out.append((i, 1, EITHER))
        i += 1
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _family(c: str) -> str:
    """Which set of marks a double mark belongs to: a quote opened with one set can hold a quote
    in another ("He read the question: “Do you…?” Nobody answered.")."""
    if c == '"':
        return "straight"
    if c in "“”„":
        return "curly"
    if c in "«»":
        return "guillemet"
    return "ptb"


def _pair_doubles(
    text: str, s: int, e: int, carried: bool, apostrophe_pairs: bool
) -> tuple[list[RawSpan], bool]:
    """Pair double marks inside one paragraph. Returns the spans and whether the paragraph ends
    inside an open quote.

    A quote opened with one set of marks may hold a quote in the other set (straight marks around
    curly ones, or the reverse): the outer span runs over it, and the inner one is not a separate
    quote (the outer speaker is quoting it), as with ‘…’ inside “…”.
    A closing mark of either set closes a quote opened with the other when nothing is nested,
    since scraped text mixes marks ("“no evidence" yet").
    """
    spans: list[RawSpan] = []
    open_at: int | None = None
    open_len = 0
    fam = ""
    inner: str | None = None  # the set of marks of a quote open inside the open one
    first = True
    reopened = False
    for pos, ln, mark in _double_marks(text, s, e, apostrophe_pairs):
        kind = mark
        this = _family(text[pos])
        if inner is not None:
            if this == inner:
                # A mark of the inner set closes the inner quote (a second opener keeps it open).
                if kind != OPEN:
                    inner = None
                first = False
                continue
            # A mark of the outer set ends the inner quote and is read as usual (a closer ends both).
            inner = None
        if kind == EITHER:
            kind = CLOSE if open_at is not None else OPEN
        if kind == OPEN:
            if open_at is not None:
                if this != fam and ln == 1 and open_len == 1 and text[open_at + 1 : pos].strip():
                    inner = this
                    first = False
                    continue
                # An opening mark inside an open quote: the earlier one was never closed.
                _add(spans, text, open_at + open_len, pos, (open_at, pos), closed=False, reopened=reopened)
            reopened = first and carried and text[s:pos].strip() == ""
            open_at, open_len, fam = pos, ln, this
        elif open_at is not None:
            _add(spans, text, open_at + open_len, pos, (open_at, pos), closed=True, reopened=reopened)
            open_at = None
            reopened = False
        elif first and carried:
            # A continuation paragraph whose opening mark is missing: quote from its start.
            _add(spans, text, s, pos, (s, pos), closed=True, reopened=True)
        first = False
    if open_at is not None and _add(
        spans, text, open_at + open_len, e, (open_at, e), closed=False, reopened=reopened
    ):
        return spans, True
    return spans, False


def _add(
    spans: list[RawSpan], text: str, lo: int, hi: int, marks: tuple[int, int], *, closed: bool, reopened: bool
) -> bool:
    """Append the double-marked span between ``lo`` and ``hi`` (trimmed; ``marks`` where it opens
    and closes) unless it is empty."""
    a, b = _trim(text, lo, hi)
    if b > a:
        spans.append(RawSpan(a, b, marks[0], marks[1], closed, False, reopened))
    return b > a


def _is_letter(c: str) -> bool:
    return c.isalpha()


def _single_marks(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """(position, kind) of single marks that can be quotation marks (not apostrophes)."""
    out: list[tuple[int, int]] = []
    for i in range(s, e):
        c = text[i]
        if c not in "‘’'":
            continue
        if c == "'" and ((i + 1 < e and text[i + 1] == "'") or (i > s and text[i - 1] == "'")):
            continue  # '' is a double mark (PTB closer), never a single quote
        prev = text[i - 1] if i > s else " "
        nxt = text[i + 1] if i + 1 < e else " "
        if _is_letter(prev) and _is_letter(nxt):
            continue  # don't, O’Neill
        if nxt.isdigit() and not prev.isalnum():
            continue  # ’90s
        if (prev in _OPENING_CONTEXT or prev in '“"') and not nxt.isspace():
            if c == "’" and nxt.isalpha() and text[i + 1 : i + 4].lower() in ("tis", "twa", "em "):
                continue
            out.append((i, OPEN))
        elif not prev.isspace() and (nxt in _CLOSING_FOLLOW or nxt in '”"'):
            if c == "‘":
                continue
            out.append((i, CLOSE))
    return out


def _possessive_like(text: str, i: int, e: int) -> bool:
    """A closing-candidate ’ after ``s`` and before a lower-case word reads as a plural
    possessive ("the workers’ union")."""
    if i == 0 or text[i - 1] not in "sS":
        return False
    j = i + 1
    return j + 1 < e and text[j] == " " and text[j + 1].islower()


def _pair_singles(
    text: str, s: int, e: int, blocked: list[tuple[int, int]], carried: bool
) -> tuple[list[RawSpan], bool]:
    """Pair single quotation marks in one paragraph outside the ``blocked`` (double-quoted)
    ranges. A single quote is taken only when it closes in the paragraph, or when it opens the
    paragraph (British-style multi-paragraph speech)."""

    def inside_blocked(pos: int) -> bool:
        return any(a <= pos < b for a, b in blocked)

    marks = [(p, k) for p, k in _single_marks(text, s, e) if not inside_blocked(p)]
    spans: list[RawSpan] = []
    i = 0
    ends_open = False
    while i < len(marks):
        pos, kind = marks[i]
        if kind != OPEN:
            i += 1
            continue
        closers = [j for j in range(i + 1, len(marks)) if marks[j][1] == CLOSE]
        # A blocked (double-quoted) range between the marks cannot be crossed.
        closers = [j for j in closers if not any(pos < a and b <= marks[j][0] for a, b in blocked)]
        good = [j for j in closers if not _possessive_like(text, marks[j][0], e)]
        pick = good[0] if good else (closers[0] if closers else None)
        # Another opener before the chosen closer means nested or stray marks; take the outer.
        if pick is not None:
            a, b = _trim(text, pos + 1, marks[pick][0])
            if b > a:
                spans.append(RawSpan(a, b, pos, marks[pick][0], True, True, carried and pos == s))
            i = pick + 1
            continue
        if pos == s:
            a, b = _trim(text, pos + 1, e)
            if b > a and len(text[a:b].split()) >= 4:
                spans.append(RawSpan(a, b, pos, e, False, True, carried))
                ends_open = True
        break
    return spans, ends_open


def _drop_nested_doubles(text: str, s: int, e: int, doubles: list[RawSpan], carried: bool) -> list[RawSpan]:
    """British style, “…” inside ‘…’ (‘He said “go”, so I went,’ said Tara Vines): a double
    span that lies wholly inside a closed curly single pair is quoted by the outer speaker, so it
    is dropped and the single pair is read as the quote."""
    if not doubles or "‘" not in text[s:e]:
        return doubles
    outer = [
        x
        for x in _pair_singles(text, s, e, [], carried)[0]
        if x.closed
        and text[x.open_at] == "‘"
        and not any(d.open_at < x.open_at < d.close_at for d in doubles)
    ]
    return [d for d in doubles if not any(x.open_at < d.open_at and d.close_at < x.close_at for x in outer)]


def find_spans(text: str, apostrophe_pairs: bool = False) -> list[RawSpan]:
    """Every quoted span of ``text`` in document order.

    ``apostrophe_pairs``: also read ``''…''`` (two apostrophes on both sides, as some archive
    conversions write quotes) as double quotation marks; otherwise ``''`` only closes a PTB-style
    ````…''`` quote.
    """
    out: list[RawSpan] = []
    carried_d = False
    carried_s = False
    for s, e in paragraphs(text):
        doubles, open_d = _pair_doubles(text, s, e, carried_d, apostrophe_pairs)
        doubles = _drop_nested_doubles(text, s, e, doubles, carried_s)
        blocked = [(x.open_at, x.close_at + 1) for x in doubles]
        singles, open_s = _pair_singles(text, s, e, blocked, carried_s)
        merged = sorted(doubles + singles, key=lambda r: r.start)
        out.extend(merged)
        carried_d = open_d
        carried_s = open_s
    return out

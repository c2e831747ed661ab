"""Selection units that keep quotations whole.

The sentence splitter (:func:`service.engines.text.split_sentences`) ends a sentence at every stop,
also inside a quotation of several sentences (“They think we will go away quietly. We will not. We
have the law on our side,” said Ahmed Rahman.). A summary made of such pieces can quote "We will
not." alone. For summaries, consecutive pieces are therefore joined into one unit wherever the
boundary between them falls inside a quotation: the unit starts and ends where sentences start and
end, contains whole quotations only, and is still a verbatim span of the article.

A quotation is paired within one line (a paragraph): “…”, ‘…’ opened after a space or at the line's
start (so an apostrophe never opens one), or a pair of straight double quotes. An unclosed mark
pairs with nothing; such a quote (continued in the next paragraph) is split as before.
"""

from __future__ import annotations

import re

#: Quotation interiors: curly doubles, curly singles opened after whitespace or at the start (not
#: closed by an apostrophe inside a word), straight doubles.
_QUOTATION = re.compile(r"“([^“”\n]*)”|(?:(?<=\s)|^)‘([^‘\n]*?)’(?![A-Za-z])|\"([^\"\n]*)\"", re.MULTILINE)


def quotation_interiors(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quotation's interior, in order (pairs never cross a line)."""
    out = []
    for m in _QUOTATION.finditer(text):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        out.append((m.start(g), m.end(g)))
    return out


def _inside(pos: int, quotes: list[tuple[int, int]]) -> bool:
    """True when ``pos`` lies strictly inside a quotation interior (``quotes`` sorted)."""
    lo, hi = 0, len(quotes)
    while lo < hi:
        mid = (lo + hi) // 2
        if quotes[mid][1] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo < len(quotes) and quotes[lo][0] < pos < quotes[lo][1]


def join_quotations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` (sorted, disjoint sentence spans of ``text``) with neighbours joined wherever
    the gap between them lies inside a quotation and holds nothing but whitespace."""
    if len(spans) < 2:
        return list(spans)
    quotes = quotation_interiors(text)
    if not quotes:
        return list(spans)
    out = [spans[0]]
    for s, e in spans[1:]:
        ps, pe = out[-1]
        if not text[pe:s].strip() and (_inside(pe, quotes) or _inside(s, quotes)):
            out[-1] = (ps, e)
        else:
            out.append((s, e))
    return out

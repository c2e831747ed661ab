"""Attribution rules: which mention said each quote, from the words around its marks.

Order of evidence (the first that applies wins), each outcome a :class:`How`:

1. ``AFTER``: an attribution right after the closing mark, in the same sentence ("…,” she said;
   "…,” said Maria Lopez, the union’s president; "…”, according to Senator Paul Grant);
2. ``BEFORE``/``COLON``: a cue verb earlier in the same sentence ("Mr Blinken said he hoped to
   establish “…”"), or a sentence that opens with a colon ("His message was blunt: “…”");
3. ``PREVIOUS``/``NEXT``: the neighbouring quote of the same sentence or paragraph;
4. ``CONTINUED``/``RESUMED``: the previous paragraph's speaker, for a paragraph that only
   continues someone's words (``RESUMED``: across one narration paragraph without speech);
5. ``FINAL``/``SUBJECT``: a sentence-final ", X said" after a partial quote, else the subject of
   the quote's sentence.

A relayed or reported quote goes to the outer source, as PolNeAR annotates it ("…,” Obama said,
according to a pool report"; "Reid said that Trump called it “…”").
"""

from __future__ import annotations

import re

from service.engines.quotes.context import sentence_starts, tokens
from service.engines.quotes.cues import after, before, sentence_subject
from service.engines.quotes.lexicon import CUE_FINITE
from service.engines.quotes.outcomes import Attr, How, Pending, inside
from service.engines.quotes.people import Cast
from service.engines.quotes.phrases import np_before

__all__ = ["Attr", "How", "Pending", "attribute", "inside"]

_REACH = 600


def attribute(
    text: str,
    masked: str,
    paras: list[tuple[int, int]],
    qs: list[Pending],
    *,
    noise: list[tuple[int, int]],
    cast: Cast,
) -> None:
    """Set ``attr`` on every quote the rules can attribute, strongest evidence first."""
    for i, q in enumerate(qs):
        if q.attr is not None:
            continue  # a transcript label
        prev = qs[i - 1] if i > 0 and qs[i - 1].para == q.para else None
        nxt = qs[i + 1] if i + 1 < len(qs) and qs[i + 1].para == q.para else None
        ps, pe = paras[q.para]
        q.attr = after(text, masked, q, nxt, pe)
        if q.attr is None:
            q.attr = before(text, masked, q, prev, ps, cast=cast)
    _neighbours(masked, paras, qs)
    _continuations(text, masked, paras, qs, noise=noise, cast=cast)
    _carried_over(qs)
    for q in qs:
        if q.attr is None:
            q.attr = _in_sentence(text, masked, q, paras[q.para], cast)


def _neighbours(masked: str, paras: list[tuple[int, int]], qs: list[Pending]) -> None:
    """Quotes next to an attributed one in the same paragraph: "“A.” “B,” he said", "“A,” said X. “B.”"."""
    for i, q in enumerate(qs):
        if q.attr is not None:
            continue
        prev = qs[i - 1] if i > 0 and qs[i - 1].para == q.para else None
        nxt = qs[i + 1] if i + 1 < len(qs) and qs[i + 1].para == q.para else None
        lo = prev.span.close_at + 1 if prev else paras[q.para][0]
        sent_open = not masked[lo : q.span.open_at].strip(" ,;—–-\"“”'‘’")
        if prev is not None and prev.attr is not None:
            between = masked[prev.span.close_at + 1 : q.span.open_at]
            starts = sentence_starts(masked, prev.span.close_at + 1, q.span.open_at + 1)
            if sent_open or len(starts) <= 1 or not _other_speech(between):
                q.attr = Attr(prev.attr.mention, None, How.PREVIOUS)
                continue
        if nxt is not None and nxt.attr is not None and nxt.attr.how == How.AFTER:
            between = masked[q.span.close_at + 1 : nxt.span.open_at]
            if not re.search(r"\w", between):
                q.attr = Attr(nxt.attr.mention, None, How.NEXT)


def _continuations(
    text: str,
    masked: str,
    paras: list[tuple[int, int]],
    qs: list[Pending],
    *,
    noise: list[tuple[int, int]],
    cast: Cast,
) -> None:
    """A paragraph that opens with a quote continues the previous paragraph's speaker, is
    introduced by its colon, or resumes the speaker before a narration paragraph."""
    noise_starts = [a for a, _ in noise]  # ``noise`` is sorted (see ``extract``)
    last_in_para: dict[int, Pending] = {}
    for q in qs:
        last_in_para[q.para] = q
    for q in qs:
        if q.attr is not None:
            continue
        ps, _pe = paras[q.para]
        if masked[ps : q.span.open_at].strip(" \"“‘'"):
            continue
        pp = q.para - 1
        while pp >= 0 and inside(noise_starts, noise, paras[pp][0]):
            pp -= 1
        if pp < 0:
            continue
        lastq = last_in_para.get(pp)
        if lastq is not None and lastq.attr is not None:
            tail = masked[lastq.span.close_at + 1 : paras[pp][1]]
            tail_starts = sentence_starts(masked, lastq.span.close_at + 1, paras[pp][1])
            if (
                q.span.reopened
                or not tail_starts
                or not _other_speech(tail[tail_starts[0] - lastq.span.close_at - 1 :])
            ):
                q.attr = Attr(lastq.attr.mention, None, How.CONTINUED)
                continue
        colon = _colon_intro(text, masked, paras[pp][0], paras[pp][1], cast)
        if colon is not None:
            q.attr = colon
        elif (
            lastq is None
            and pp > 0
            and not _other_speech(masked[paras[pp][0] : paras[pp][1]])
            and not _other_speech(masked[ps:_pe])
        ):
            # A narration paragraph with no speech between two quote paragraphs: the speaker
            # before it goes on (a person it merely mentions has not spoken).
            before = last_in_para.get(pp - 1)
            if before is not None and before.attr is not None and before.attr.how in (How.AFTER, How.BEFORE):
                q.attr = Attr(before.attr.mention, None, How.RESUMED)


def _carried_over(qs: list[Pending]) -> None:
    """A quotation left open at the end of its paragraph and reopened at the start of the next
    one is one speech: the unattributed opening paragraph takes the speaker the next one names
    ("“For too long …¶“This plan changes that,” said X")."""
    for i in range(len(qs) - 2, -1, -1):
        q, nxt = qs[i], qs[i + 1]
        if q.attr is not None or q.span.closed or not nxt.span.reopened or nxt.para != q.para + 1:
            continue
        if nxt.attr is not None and nxt.attr.how in (How.AFTER, How.BEFORE, How.NEXT):
            q.attr = Attr(nxt.attr.mention, None, How.NEXT)


def _in_sentence(text: str, masked: str, q: Pending, para: tuple[int, int], cast: Cast) -> Attr | None:
    """Last resorts within the quote's sentence: a sentence-final ", X said" after a partial
    quote, else the person the sentence is about (its subject) for a quote inside it."""
    # Look no further than _REACH characters around the quote: a "sentence" in an unpunctuated
    # run could otherwise span the paragraph, and every quote in it would re-read it all.
    ps, pe = max(para[0], q.span.open_at - _REACH), min(para[1], q.span.close_at + 1 + _REACH)
    starts = sentence_starts(masked, ps, pe)
    lo = max([ps, *[x for x in starts if x <= q.span.open_at]])
    hi = min([pe, *[x for x in starts if x > q.span.close_at]])
    toks = tokens(masked, lo, hi)
    for k in range(len(toks) - 1, -1, -1):
        t = toks[k]
        if t.start <= q.span.close_at:
            break
        if t.low in CUE_FINITE and t.text[:1].islower():
            m = np_before(toks, k, text)
            if m is not None and m.start > q.span.close_at:
                before = masked[q.span.close_at + 1 : m.start].rstrip()
                if before.endswith(","):
                    return Attr(m, t.text, How.FINAL)
            break
    pre = [t for t in toks if t.end <= q.span.open_at]
    if pre:
        m = sentence_subject(pre, text, cast)
        if m is not None and m.kind in ("name", "pronoun"):
            return Attr(m, None, How.SUBJECT)
    return None


def _other_speech(between: str) -> bool:
    """Whether narrative between two quotes reports someone's speech (a cue verb)."""
    return any(w in CUE_FINITE for w in re.findall(r"[a-z]+", between))


def _colon_intro(text: str, masked: str, ps: int, pe: int, cast: Cast) -> Attr | None:
    """A paragraph ending "X told the council:" introduces the next paragraph's quote."""
    if not masked[ps:pe].rstrip().endswith(":"):
        return None
    starts = sentence_starts(masked, ps, pe)
    lo = starts[-1] if starts else ps
    toks = tokens(masked, lo, pe)
    for k in range(len(toks) - 1, -1, -1):
        if toks[k].low in CUE_FINITE and toks[k].text[:1].islower():
            m = np_before(toks, k, text)
            if m is not None:
                return Attr(m, toks[k].text, How.COLON)
            break
    m = sentence_subject(toks, text, cast)
    return Attr(m, None, How.COLON) if m is not None else None

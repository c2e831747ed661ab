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
from collections.abc import Sequence

from service.engines.quotes.article import Article
from service.engines.quotes.context import MentionKind
from service.engines.quotes.cues import after, before, sentence_subject
from service.engines.quotes.lexicon import CUE_FINITE
from service.engines.quotes.outcomes import Attr, Draft, Found, How
from service.engines.quotes.phrases import np_before
from service.engines.quotes.refusal import refuses

__all__ = ["by_context", "by_cues"]

_REACH = 600
Attrs = list[Attr | None]


def _prev(quotes: tuple[Found, ...], i: int) -> int | None:
    """The index of the quote before quote ``i`` in the same paragraph, if any."""
    return i - 1 if i > 0 and quotes[i - 1].para == quotes[i].para else None


def _next(quotes: tuple[Found, ...], i: int) -> int | None:
    """The index of the quote after quote ``i`` in the same paragraph, if any."""
    return i + 1 if i + 1 < len(quotes) and quotes[i + 1].para == quotes[i].para else None


def by_cues(art: Article, draft: Draft) -> Draft:
    """Rules 1-2: a cue right after the closing mark, else one earlier in the sentence, for every
    quote not yet attributed (a transcript label keeps its own)."""
    qs, out = draft.quotes, list(draft.attrs)
    for i, q in enumerate(qs):
        if out[i] is not None:
            continue
        p, n = _prev(qs, i), _next(qs, i)
        ps, pe = art.paras[q.para]
        out[i] = after(art.text, art.masked, q, qs[n] if n is not None else None, pe)
        if out[i] is None or _colon_then_new_sentence(art, q):
            prev = (qs[p], out[p]) if p is not None else None
            out[i] = before(art.text, art.masked, q, prev, ps, cast=art.cast) or out[i]
    return Draft(qs, tuple(out))


def _colon_then_new_sentence(art: Article, q: Found) -> bool:
    """ "X said: “We let ourselves down.” His manager agreed.": a quote opened by a colon that
    ends its own sentence, with a new sentence after it; the cue before it, if any, wins."""
    sp = q.span
    return (
        sp.closed
        and art.text[sp.start : sp.end].rstrip().endswith(".")
        and art.masked[max(0, sp.open_at - 40) : sp.open_at].rstrip().endswith(":")
        and re.match(r"\s*[A-Z]", art.masked[sp.close_at + 1 : sp.close_at + 4]) is not None
    )


def by_context(art: Article, draft: Draft) -> Draft:
    """Rules 3-5, each pass over the attributions the one before returned: neighbouring quotes,
    continued paragraphs, then the last resorts within the quote's sentence."""
    qs = draft.quotes
    attrs = _neighbours(art, qs, draft.attrs)
    attrs = _continuations(art, qs, attrs)
    attrs = _carried_over(qs, attrs)
    attrs = [a if a is not None else _in_sentence(art, q) for q, a in zip(qs, attrs, strict=True)]
    return Draft(qs, tuple(attrs))


def _neighbours(art: Article, qs: tuple[Found, ...], attrs: tuple[Attr | None, ...]) -> Attrs:
    """Quotes next to an attributed one in the same paragraph: "“A.” “B,” he said", "“A,” said X. “B.”"."""
    masked, out = art.masked, list(attrs)
    for i, q in enumerate(qs):
        if out[i] is not None:
            continue
        p, n = _prev(qs, i), _next(qs, i)
        lo = qs[p].span.close_at + 1 if p is not None else art.paras[q.para][0]
        sent_open = not masked[lo : q.span.open_at].strip(" ,;—–-\"“”'‘’")
        prev_attr = out[p] if p is not None else None
        if p is not None and prev_attr is not None:
            prev = qs[p]
            between = masked[prev.span.close_at + 1 : q.span.open_at]
            starts = art.sentence_starts(prev.span.close_at + 1, q.span.open_at + 1)
            if sent_open or len(starts) <= 1 or not _other_speech(between):
                out[i] = Attr(prev_attr.mention, None, How.PREVIOUS)
                continue
        next_attr = out[n] if n is not None else None
        if n is not None and next_attr is not None and next_attr.how == How.AFTER:
            between = masked[q.span.close_at + 1 : qs[n].span.open_at]
            if not re.search(r"\w", between):
                out[i] = Attr(next_attr.mention, None, How.NEXT)
    return out


def _continuations(art: Article, qs: tuple[Found, ...], attrs: Attrs) -> Attrs:
    """A paragraph that opens with a quote continues the previous paragraph's speaker, is
    introduced by its colon, or resumes the speaker before a narration paragraph."""
    masked, paras, out = art.masked, art.paras, list(attrs)
    last_in_para: dict[int, int] = {}
    for i, q in enumerate(qs):
        last_in_para[q.para] = i
    for i, q in enumerate(qs):
        if out[i] is not None:
            continue
        ps, pe = paras[q.para]
        if masked[ps : q.span.open_at].strip(" \"“‘'"):
            continue
        pp = q.para - 1
        while pp >= 0 and art.in_noise(paras[pp][0]):
            pp -= 1
        if pp < 0:
            continue
        last = last_in_para.get(pp)
        if last is not None and (last_attr := out[last]) is not None:
            close = qs[last].span.close_at
            tail = masked[close + 1 : paras[pp][1]]
            tail_starts = art.sentence_starts(close + 1, paras[pp][1])
            if q.span.reopened or not tail_starts or not _other_speech(tail[tail_starts[0] - close - 1 :]):
                out[i] = Attr(last_attr.mention, None, How.CONTINUED)
                continue
        colon = _colon_intro(art, paras[pp][0], paras[pp][1])
        if colon is not None:
            out[i] = colon
        elif (
            last is None
            and pp > 0
            and not _other_speech(masked[paras[pp][0] : paras[pp][1]])
            and not _other_speech(masked[ps:pe])
        ):
            # A narration paragraph with no speech between two quote paragraphs: the speaker
            # before it goes on (a person it merely mentions has not spoken).
            earlier = last_in_para.get(pp - 1)
            ea = out[earlier] if earlier is not None else None
            if ea is not None and ea.how in (How.AFTER, How.BEFORE):
                out[i] = Attr(ea.mention, None, How.RESUMED)
    return out


def _carried_over(qs: tuple[Found, ...], attrs: Sequence[Attr | None]) -> Attrs:
    """A quotation left open at the end of its paragraph and reopened at the start of the next
    one is one speech: the unattributed opening paragraph takes the speaker the next one names
    ("“For too long …¶“This plan changes that,” said X")."""
    out = list(attrs)
    for i in range(len(qs) - 2, -1, -1):
        q, nxt, na = qs[i], qs[i + 1], out[i + 1]
        if out[i] is not None or q.span.closed or not nxt.span.reopened or nxt.para != q.para + 1:
            continue
        if na is not None and na.how in (How.AFTER, How.BEFORE, How.NEXT):
            out[i] = Attr(na.mention, None, How.NEXT)
    return out


def _in_sentence(art: Article, q: Found) -> Attr | None:
    """Last resorts within the quote's sentence: a sentence-final ", X said" after a partial
    quote, else the person the sentence is about (its subject) for a quote inside it."""
    text, masked, para = art.text, art.masked, art.paras[q.para]
    # Look no further than _REACH characters around the quote: a "sentence" in an unpunctuated
    # run could otherwise span the paragraph, and every quote in it would re-read it all.
    ps, pe = max(para[0], q.span.open_at - _REACH), min(para[1], q.span.close_at + 1 + _REACH)
    starts = art.sentence_starts(ps, pe)
    lo = max([ps, *[x for x in starts if x <= q.span.open_at]])
    hi = min([pe, *[x for x in starts if x > q.span.close_at]])
    toks = art.tokens(lo, hi)
    for k in range(len(toks) - 1, -1, -1):
        t = toks[k]
        if t.start <= q.span.close_at:
            break
        if t.low in CUE_FINITE and t.text[:1].islower():
            m = np_before(toks, k, text)
            if (
                m is not None
                and m.start > q.span.close_at
                and masked[q.span.close_at + 1 : m.start].rstrip().endswith(",")
            ):
                return Attr(m, t.text, How.FINAL)
            break
    pre = [t for t in toks if t.end <= q.span.open_at]
    if pre:
        m = sentence_subject(pre, text, art.cast)
        if m is not None and m.kind in (MentionKind.NAME, MentionKind.PRONOUN) and not refuses(masked, m.end):
            return Attr(m, None, How.SUBJECT)
    return None


def _other_speech(between: str) -> bool:
    """Whether narrative between two quotes reports someone's speech (a cue verb)."""
    return any(w in CUE_FINITE for w in re.findall(r"[a-z]+", between))


def _colon_intro(art: Article, ps: int, pe: int) -> Attr | None:
    """A paragraph ending "X told the council:" introduces the next paragraph's quote."""
    if not art.masked[ps:pe].rstrip().endswith(":"):
        return None
    starts = art.sentence_starts(ps, pe)
    lo = starts[-1] if starts else ps
    toks = art.tokens(lo, pe)
    for k in range(len(toks) - 1, -1, -1):
        if toks[k].low in CUE_FINITE and toks[k].text[:1].islower():
            m = np_before(toks, k, art.text)
            if m is not None:
                return Attr(m, toks[k].text, How.COLON)
            break
    m = sentence_subject(toks, art.text, art.cast)
    return Attr(m, None, How.COLON) if m is not None else None

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

import bisect
import re
from dataclasses import dataclass
from enum import StrEnum

from service.engines.quotes.context import DATELINE, Mention, Tok, sentence_starts, tokens
from service.engines.quotes.evidence import COMMON_ZIPF, is_given_name, zipf
from service.engines.quotes.lexicon import CUE_FINITE, CUE_PARTICIPLE
from service.engines.quotes.marks import RawSpan
from service.engines.quotes.people import Cast
from service.engines.quotes.phrases import np_after, np_before


class How(StrEnum):
    """The rule (or model) that attributed a quote; compares equal to its string value."""

    LABEL = "label"
    AFTER = "after"
    BEFORE = "before"
    COLON = "colon"
    PREVIOUS = "previous"
    NEXT = "next"
    CONTINUED = "continued"
    RESUMED = "resumed"
    FINAL = "final"
    SUBJECT = "subject"
    RANKED = "ranked"


#: A described speaker whose name ends the phrase: "a spokesperson for", "the head of".
_DESC_OF = re.compile(
    r"(?:a|an|the|one)\s+(?:[a-z-]+\s+){0,2}[a-z-]+\s+(?:for|of|at|with|from)", re.IGNORECASE
)


@dataclass(slots=True)
class Attr:
    """Evidence for one quote's speaker."""

    mention: Mention
    cue: str | None
    how: How


@dataclass(slots=True)
class Pending:
    """A quote being attributed: its marks, paragraph, offsets and the evidence so far."""

    span: RawSpan
    para: int
    start: int
    end: int
    attr: Attr | None = None


_REACH = 600


def inside(starts: list[int], spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` lies in one of the sorted, disjoint ``spans`` (``starts`` their starts)."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


#: Words before a cue form that make it a noun ("Trump's remarks", "the comments").
_NOUN_BEFORE = frozenset(
    ["the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "these", "those", "such"]
)


def _noun_use(toks: list[Tok], k: int) -> bool:
    """Whether the cue form at ``toks[k]`` is a plural noun ("his comments", "Trump's remarks",
    "many states") rather than a verb."""
    if k == 0 or not toks[k].low.endswith("s"):
        return False
    prev = toks[k - 1]
    return prev.low in _NOUN_BEFORE or prev.text.endswith(("'s", "’s"))


def _common_word(t: Tok, cast: Cast) -> bool:
    """A capitalised sentence opener that is an ordinary word: a participle or an adverb
    ("Appearing", "Preceded", "Hastily"), a word the same article also writes in lower case, or a
    common English word that is not a given name ("Eight years ago, …", "Outside, …")."""
    low = t.text.lower()
    if not low.isalpha():
        return False
    if low.endswith(("ing", "ed", "ly")) or low in cast.lower_letter_runs():
        return True
    return zipf(low) >= COMMON_ZIPF and not is_given_name(low)


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
        q.attr = _after(text, masked, q, nxt, pe)
        if q.attr is None:
            q.attr = _before(text, masked, q, prev, ps, cast=cast)
    _neighbours(masked, paras, qs)
    _continuations(text, masked, paras, qs, noise=noise, cast=cast)
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
        m = _sentence_subject(pre, text, cast)
        if m is not None and m.kind in ("name", "pronoun"):
            return Attr(m, None, How.SUBJECT)
    return None


def _other_speech(between: str) -> bool:
    """Whether narrative between two quotes reports someone's speech (a cue verb)."""
    return any(w in CUE_FINITE for w in re.findall(r"[a-z]+", between))


def _after(text: str, masked: str, q: Pending, nxt: Pending | None, pe: int) -> Attr | None:
    """Attribution right after the closing mark: "…,” he said" / "…,” said X" / "…”,
    according to X"."""
    sp = q.span
    if not sp.closed:
        return None
    lo = sp.close_at + 1
    hi = nxt.span.open_at if nxt is not None else pe
    starts = sentence_starts(masked, lo, hi)
    if starts:
        hi = starts[0]
    toks = tokens(masked, lo, min(hi, lo + 300))
    if not toks:
        return None
    inner = text[sp.start : sp.end].rstrip()
    first_word = next((t for t in toks if t.text[:1].isalnum()), None)
    if first_word is None:
        return None
    # A quote that ended its sentence: only a bare "X said." right after still attributes it.
    if (
        inner.endswith(".")
        and first_word.text[:1].isupper()
        and len([t for t in toks if t.text[:1].isalnum()]) > 6
    ):
        return None
    lead_punct = masked[lo : first_word.start]
    if "(" in lead_punct:
        return None
    for k, t in enumerate(toks):
        if k > 30:
            break
        low = t.low
        if low == "according" and k + 1 < len(toks) and toks[k + 1].low == "to":
            m = np_after(toks, k + 2, text)
            if m is not None and _lead_ok(masked, lo, toks, k):
                return Attr(m, "according to", How.AFTER)
            return None
        if low in CUE_FINITE and t.text[:1].islower():
            words_before = [x for x in toks[:k] if x.text[:1].isalnum()]
            if not words_before:
                m = np_after(toks, k + 1, text)
                return Attr(m, t.text, How.AFTER) if m is not None else None
            m = np_before(toks, k, text)
            if m is None or (m.start > first_word.start and toks[k - 1].text == ","):
                # "…,” Harry Bond, 30, of Raleigh, who was polled, said": the leading name.
                fi = toks.index(first_word)
                lead_np = np_after(toks, fi, text)
                if lead_np is not None and re.match(r"\s*,", masked[lead_np.end : lead_np.end + 3]):
                    m = lead_np
            if m is None:
                return None
            lead = masked[lo : m.start]
            lead_clean = lead.strip(" ,—–-\"”’'\n")
            if lead_clean and _DESC_OF.fullmatch(lead_clean):
                # "…,” a spokesperson for Acme Corp said": the described person speaks.
                m = Mention(first_word.start, m.end, "desc")
            elif lead_clean and not (m.role and lead_clean.rstrip(", ") in m.role):
                return None
            outer = _according_later(toks, k + 1, text)
            if outer is not None:
                return Attr(outer, "according to", How.AFTER)
            return Attr(m, t.text, How.AFTER)
        if t.text in ";:" or t.text in '“"‘':
            return None
    return None


def _reporting_cue(toks: list[Tok], inner: Mention, text: str) -> tuple[Mention, str] | None:
    """ "Prosecutors say that he told an agent “…”", "Reid said Trump called it “…”": the
    quote sits in reported speech, and the annotators credit the outer speaker."""
    ki = next((k for k, t in enumerate(toks) if t.start >= inner.start), None)
    if ki is None:
        return None
    for k0 in range(ki - 1, max(-1, ki - 5), -1):
        t = toks[k0]
        if t.low in CUE_FINITE and t.text[:1].islower() and not _noun_use(toks, k0):
            between = [x.low for x in toks[k0 + 1 : ki]]
            if all(w in ("that", ",") for w in between):
                m = np_before(toks, k0, text)
                if m is not None and m.kind in ("name", "pronoun", "desc", "org"):
                    return m, t.text
            return None
    return None


def _according_later(toks: list[Tok], k: int, text: str) -> Mention | None:
    """ "…,” Obama said, according to a pool report": the report relays the words, and the
    annotators credit the outer source, so it wins over the inner speaker."""
    for j in range(k, len(toks) - 2):
        if toks[j].text in ';:“"‘':
            return None
        if toks[j].low == "according" and toks[j + 1].low == "to" and toks[j - 1].text == ",":
            return np_after(toks, j + 2, text)
    return None


def _lead_ok(masked: str, lo: int, toks: list[Tok], k: int) -> bool:
    return not [x for x in toks[:k] if x.text[:1].isalnum()]


def _before(text: str, masked: str, q: Pending, prev: Pending | None, ps: int, *, cast: Cast) -> Attr | None:
    """A cue earlier in the same sentence ("X said he hoped to establish “…”", "X told the
    council: “…”"), "according to X, “…”", or a colon after a sentence about the speaker."""
    lo = prev.span.close_at + 1 if prev is not None else ps
    hi = q.span.open_at
    starts = sentence_starts(masked, lo, hi + 1)
    new_sentence = bool(starts) or prev is None
    if starts:
        lo = starts[-1]
    toks = tokens(masked, lo, hi)
    if not toks:
        return None
    words = [t for t in toks if t.text[:1].isalnum()]
    if len(words) >= 2 and words[0].low == "according" and words[1].low == "to":
        k = toks.index(words[1])
        m = np_after(toks, k + 1, text)
        if m is not None:
            return Attr(m, "according to", How.BEFORE)
    cues = [
        k
        for k in range(len(toks) - 1, -1, -1)
        if toks[k].text[:1].islower()
        and (toks[k].low in CUE_FINITE or toks[k].low in CUE_PARTICIPLE)
        and not _noun_use(toks, k)
    ]
    for last_cue in cues:
        cue = toks[last_cue]
        if cue.low not in CUE_FINITE:
            break
        m = np_before(toks, last_cue, text)
        if m is None and last_cue > 0 and toks[last_cue - 1].low in ("who", "which", "that"):
            rel = toks[last_cue - 1]
            k = last_cue - 1
            if k > 0 and toks[k - 1].text == ",":
                k -= 1  # "Nora Quist, who says": the name before the comma
            m = np_before(toks, k, text)
            if m is not None and m.kind in ("name", "org") and m.core_start >= 0:
                # "Sanders, who says it's “…”": the mention is the relative pronoun (the
                # cue's own subject, as annotators mark it); the name still resolves to Sanders.
                m = Mention(rel.start, rel.end, m.kind, m.role, m.core_start, m.core_end)
        if m is None and last_cue > 0 and toks[last_cue - 1].low in ("and", "but", "to", "as", ","):
            m = _sentence_subject(toks, text, cast)
        if m is None:
            after = np_after(toks, last_cue + 1, text)
            if after is not None and not re.search(r"\w", masked[after.end : hi].split(",", maxsplit=1)[0]):
                m = after
        if m is not None:
            outer = _according_later(toks, last_cue + 1, text)
            if outer is not None:
                return Attr(outer, "according to", How.BEFORE)
            reporter = _reporting_cue(toks, m, text)
            if reporter is not None:
                return Attr(reporter[0], reporter[1], How.BEFORE)
            return Attr(m, cue.text, How.BEFORE)
    if cues and toks[cues[0]].low in CUE_PARTICIPLE:
        last_cue = cues[0]
        cue = toks[last_cue]
        # A participle ("adding that …"): the subject of the main clause.
        for k in range(last_cue - 1, -1, -1):
            if toks[k].low in CUE_FINITE and toks[k].text[:1].islower():
                m = np_before(toks, k, text)
                if m is not None:
                    return Attr(m, cue.text, How.BEFORE)
        if not new_sentence and prev is not None and prev.attr is not None:
            return Attr(prev.attr.mention, cue.text, How.BEFORE)
        m = _sentence_subject(toks, text, cast)
        if m is not None:
            return Attr(m, cue.text, How.BEFORE)
        return None
    if toks[-1].text == ":":
        m = _sentence_subject(toks, text, cast)
        if m is not None:
            return Attr(m, None, How.COLON)
    return None


def _sentence_subject(toks: list[Tok], text: str, cast: Cast) -> Mention | None:
    """The subject opening a sentence: a name, a pronoun, or "His/Her …" (possessive)."""
    if not toks:
        return None
    # A dateline ("JACKSON, Miss. - ", "PHILADELPHIA, July 25 (UPI) — ") or a heading in
    # capitals ending in a dash opens the sentence; skip past it.
    dateline = DATELINE.match(text, toks[0].start)
    if dateline is not None:
        toks = [t for t in toks if t.start >= dateline.end()]
        if not toks:
            return None
    for k in range(min(6, len(toks) - 1)):
        # "WASHINGTON —", "NEW YORK (AP) —" in the masked text.
        if toks[k].text in ("—", "–", "--", "-") and all(
            t.text.isupper() or not t.text[:1].isalpha() for t in toks[:k]
        ):
            toks = toks[k + 1 :]
            break
    first = toks[0]
    if first.low in ("his", "her") and first.text[:1].isupper():
        return Mention(first.start, first.end, "possessive")
    m = np_after(toks, 0, text)
    if m is not None and m.kind == "name" and m.end <= first.end and _common_word(first, cast):
        return None  # "Reprising his role, …", "Hours later, …": not a name
    if m is not None and m.kind in ("name", "org", "pronoun"):
        return m
    return None


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
    m = _sentence_subject(toks, text, cast)
    return Attr(m, None, How.COLON) if m is not None else None

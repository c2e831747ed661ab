"""The rule-based quote engine: quote spans, then who said each one, then the speakers list.

Order of evidence for a quote's speaker (the first that applies wins):

1. an attribution right after the closing mark, in the same sentence ("…,” she said; "…,” said
   Maria Lopez, the union’s president; "…”, according to Senator Paul Grant);
2. a cue verb earlier in the same sentence ("Mr Blinken said he hoped to establish “…”",
   "Northwind Energy said in a statement: “…”"), or a sentence that opens with a colon ("His
   message was blunt: “…”");
3. the neighbouring quote of the same sentence or paragraph ("“A,” X said, “B.”", "“A.” “B,” he
   said");
4. the previous paragraph, for a paragraph that only continues someone's words.

In steps 1-2 a relayed or reported quote goes to the outer source, as PolNeAR annotates it ("…,”
Obama said, according to a pool report"; "Reid said that Trump called it “…”").

Quotes that none of these settle, or that only the weak steps 3-4, the sentence-subject fallback or
a cue whose subject is not plainly a person settle, go to a small learned ranker (ranker.py) that
scores nearby mentions and may pick one; each rule outcome has its own override threshold.

Whether a quoted span is a direct quote at all (not a title, a scare quote in the author's voice,
page noise) is decided by a learned span classifier (spans.py) from the span's shape, the words
around its marks and the rules' attribution; one explicit guard overrules it (``_guard``). Without
the classifier, short title-case spans and labels by unnamed groups are dropped by rule. A quote
with no speaker keeps ``speaker=None``. Quotes inside headline and page-furniture lines are dropped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from service.engines.quotes.evidence import warm
from service.engines.quotes.context import (
    DATELINE,
    Mention,
    Tok,
    np_after,
    np_before,
    sentence_starts,
    tokens,
)
from service.engines.quotes.lexicon import CUE_FINITE, CUE_PARTICIPLE
from service.engines.quotes.marks import RawSpan, find_spans, paragraphs
from service.engines.quotes.people import Cast
from service.engines.quotes.ranker import (
    MODEL_ID,
    MODEL_SHA256,
    WEAK,
    Candidate,
    QuoteSite,
    Ranker,
    candidates,
)
from service.engines.quotes.spans import SPANS_ID, SPANS_SHA256, SpanScorer, features
from service.engines.quotes.terms import term_list
from service.engines.text import noise_spans
from service.engines.quotes.speakers import (
    CONFIDENCE_ID,
    CONFIDENCE_SHA256,
    Attributed,
    ConfidenceTable,
    build_result,
)
from service.schemas import ModelInfo, QuotesResult

#: Cues that label rather than report speech; a one- or two-word quote after them is a scare quote.
_LABEL_CUES = frozenset(
    [
        "called",
        "calls",
        "calling",
        "dubbed",
        "dubs",
        "dubbing",
        "labeled",
        "labelled",
        "labeling",
        "labelling",
        "branded",
        "brands",
        "branding",
        "described",
        "describes",
        "describing",
        "termed",
        "terms",
    ]
)
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


@dataclass(slots=True)
class _Attr:
    """Evidence for one quote's speaker."""

    mention: Mention
    cue: str | None
    how: str


@dataclass(slots=True)
class _Q:
    span: RawSpan
    para: int
    start: int
    end: int
    attr: _Attr | None = None


#: A transcript line opens with its speaker's name in capitals and a colon ("PENCE: Well, …").
_LABEL = re.compile(r"([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2}):[ \t\xa0]+(?=\S)")
#: Capitalised line openers that are not speakers.
_NOT_LABELS = frozenset(
    """NOTE UPDATE UPDATED BREAKING WATCH VIDEO PHOTO PHOTOS AUDIO EDITOR EDITOR'S EDITOR’S
    CORRECTION CLARIFICATION RELATED READ MORE SEE ALSO Q A SOURCE SOURCES WARNING LIVE
    TRANSCRIPT CROSSTALK UNIDENTIFIED UNKNOWN""".split()  # noqa: SIM905
)

#: Lines of this form in one article that make it a transcript, when the label names nobody the
#: article introduces.
_TRANSCRIPT_LINES = 3


def _transcript_labels(text: str, qs: list[_Q], cast: Cast) -> None:
    """Quotes that are transcript lines get their label as the speaker and lose it from the
    quoted words. A label counts when it is the surname of a person the article names, or when the
    article has several such lines (an interview transcript)."""
    found: list[tuple[_Q, re.Match[str]]] = []
    for q in qs:
        m = _LABEL.match(text, q.start, q.end)
        if m is not None and not set(m.group(1).replace("’", "'").split()) & _NOT_LABELS:
            found.append((q, m))
    transcript = len(found) >= _TRANSCRIPT_LINES
    for q, m in found:
        a, b = m.span(1)
        if not transcript and cast.person_named(text[a:b].rsplit(maxsplit=1)[-1]) is None:
            continue
        q.start = m.end()
        q.attr = _Attr(Mention(a, b, "label"), None, "label")


_REACH = 600
#: Quotes per document that get the classifier and attribution. News articles have far fewer
#: (the most in the PolNeAR sets is 71); the cap bounds the cost of pathological texts.
MAX_ATTRIBUTED = 200


def _inside(starts: list[int], spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` lies in one of the sorted, disjoint ``spans`` (``starts`` their starts)."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _mask(text: str, spans: list[RawSpan]) -> str:
    """``text`` with quoted words replaced by ``x`` (newlines kept), same length and offsets."""
    parts = []
    pos = 0
    for sp in spans:
        if sp.start < pos:
            continue
        parts.append(text[pos : sp.start])
        parts.append(re.sub(r"[^\n]", "x", text[sp.start : sp.end]))
        pos = sp.end
    parts.append(text[pos:])
    return "".join(parts)


#: Words a ‘…’ span needs to count as speech in an article that quotes with double marks.
SINGLE_IN_DOUBLE_WORDS = 4


def _speech_sized(text: str, sp: RawSpan) -> bool:
    """A closed ‘…’ span long enough to be someone's words rather than a scare quote or a
    headline fragment, in an article that otherwise quotes with “…”."""
    return sp.closed and len(text[sp.start : sp.end].split()) >= SINGLE_IN_DOUBLE_WORDS


def _is_markup(text: str, sp: RawSpan) -> bool:
    """Attribute values in leftover HTML/XML (``<tweet id="…">``) are not quotes."""
    before = text[max(0, sp.open_at - 2) : sp.open_at]
    if "=" in before:
        return True
    inner = text[sp.start : sp.end]
    return bool(re.fullmatch(r"[\d\s@#]+|@\w+", inner))


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
    ("Appearing", "Preceded", "Hastily"), or a word the same article also writes in lower case."""
    low = t.text.lower()
    if not low.isalpha():
        return False
    return low.endswith(("ing", "ed", "ly")) or low in cast.lower_letter_runs()


def _words(s: str) -> int:
    return len(s.split())


def _title_case(s: str) -> bool:
    ws = re.findall(r"[A-Za-z][\w’'-]*", s)
    small = {"of", "the", "a", "an", "and", "in", "on", "for", "to", "at", "with", "from", "by", "or"}
    return bool(ws) and ws[0][:1].isupper() and all(w[:1].isupper() or w in small for w in ws)


class RuleQuoteEngine:
    """Direct quotes and their speakers by rules over the raw text; no models.

    Thread-safe: every call builds its own state and the word lists are immutable.
    ``apostrophe_pairs``: also read ``''…''`` as a quotation (archive conversions write quotes
    so); off by default because ``''`` is otherwise a PTB closing mark.
    """

    def __init__(
        self,
        *,
        apostrophe_pairs: bool = False,
        ranker: bool = True,
        spans: bool = True,
        confidence: bool = True,
    ) -> None:
        self._apostrophe_pairs = apostrophe_pairs
        self._ranker = Ranker.load() if ranker else None
        self._spans = SpanScorer.load() if spans else None
        self._confidence = ConfidenceTable.load() if confidence else None
        warm()

    def models(self) -> list[ModelInfo]:
        """The bundled span classifier and speaker ranker, when enabled."""
        out = []
        if self._spans is not None:
            out.append(
                ModelInfo(
                    id=SPANS_ID,
                    task="quote-detection",
                    source="bundled",
                    sha256=SPANS_SHA256,
                    licence="Apache-2.0",
                    loaded=True,
                )
            )
        if self._confidence is not None:
            out.append(
                ModelInfo(
                    id=CONFIDENCE_ID,
                    task="quote-attribution-confidence",
                    source="bundled",
                    sha256=CONFIDENCE_SHA256,
                    licence="Apache-2.0",
                    loaded=True,
                )
            )
        if self._ranker is not None:
            out.append(
                ModelInfo(
                    id=MODEL_ID,
                    task="quote-attribution",
                    source="bundled",
                    sha256=MODEL_SHA256,
                    licence="Apache-2.0",
                    loaded=True,
                )
            )
        return out

    # ------------------------------------------------------------------ top level

    def _prepare(self, text: str) -> tuple[str, list[tuple[int, int]], list[_Q], Cast]:
        """Quote spans and the rules' attributions, before the ranker and the output."""
        raw = [sp for sp in find_spans(text, self._apostrophe_pairs) if not _is_markup(text, sp)]
        tentative: set[RawSpan] = set()
        if text.count("''") >= 2:
            # In an article that quotes with ''…'', ‘…’ is a quote within a quote.
            raw = [sp for sp in raw if not sp.single]
        elif any(not sp.single for sp in raw):
            # In an article that quotes with “…”, ‘…’ is mostly a quote within a quote, a headline
            # fragment or a scare quote; one outside every double-marked quote, long enough to be
            # speech and attributed by a cue next to it is a quote of its own (checked below).
            doubles = [(sp.open_at, sp.close_at) for sp in raw if not sp.single]
            raw = [
                sp
                for sp in raw
                if not sp.single
                or (_speech_sized(text, sp) and not any(a <= sp.open_at <= b for a, b in doubles))
            ]
            tentative = {sp for sp in raw if sp.single}
        masked = _mask(text, raw)
        paras = paragraphs(text)
        noise = noise_spans(text)
        headline = self._headline(text, paras)
        if headline is not None:
            noise = [*noise, headline]
        noise = sorted(noise)
        noise_starts = [a for a, _ in noise]
        qs: list[_Q] = []
        pi = 0
        for sp in raw:
            while pi < len(paras) - 1 and paras[pi][1] < sp.start:
                pi += 1
            if _inside(noise_starts, noise, sp.start):
                continue
            end = sp.end
            while end > sp.start and text[end - 1] in ", ":
                end -= 1
            if end > sp.start:
                qs.append(_Q(sp, pi, sp.start, end))
        cast = Cast(text, masked)
        _transcript_labels(text, qs[:MAX_ATTRIBUTED], cast)
        self._attribute(text, masked, paras, qs[:MAX_ATTRIBUTED], noise, cast=cast)
        if tentative:
            qs = [
                q
                for q in qs
                if q.span not in tentative or (q.attr is not None and q.attr.how in ("after", "before"))
            ]
        return masked, paras, qs, cast

    def extract(self, text: str) -> QuotesResult:
        """Quotes in document order with exact offsets, each with its speaker where known."""
        quotes, cast, unattributed_from = self.attributed(text)
        return build_result(text, quotes, cast, self._confidence, unattributed_from)

    def attributed(self, text: str) -> tuple[list[Attributed], Cast, int | None]:
        """The quotes to return with the rules' and the ranker's attributions, the article's cast,
        and the index from which quotes went unattributed (the per-text limit); the confidence
        training script reads the same."""
        masked, paras, all_qs, cast = self._prepare(text)
        # Work per quote is bounded, but a text with thousands of quote marks (a list of titles,
        # a corrupted feed) would still cost seconds: beyond MAX_ATTRIBUTED quotes the rest are
        # returned as found, without a speaker.
        qs = all_qs[:MAX_ATTRIBUTED]
        keep: list[bool] | None = None
        if self._spans is not None:
            keep = [
                self._guard(text, q, self._spans.keep(f))
                for q, f in zip(qs, self.span_table(text, masked, paras, qs), strict=True)
            ]
            keep += [True] * (len(all_qs) - len(qs))
        terms = term_list(text, [q.span for q in qs])
        for i in terms:
            attr = qs[i].attr
            if attr is None or attr.cue is None:
                # An item of a list of quoted terms that no cue attributes: a term, not a quote.
                keep = keep if keep is not None else [True] * len(all_qs)
                keep[i] = False
        if self._ranker is not None:
            for q, cands in zip(qs, self.candidate_table(text, masked, paras, qs, cast), strict=True):
                if cands is None:
                    continue
                m = self._ranker.pick(cands, q.attr.how if q.attr else None)
                # Below the threshold the rules' own pick (if any) stands.
                if m is not None and (
                    q.attr is None or (m.start, m.end) != (q.attr.mention.start, q.attr.mention.end)
                ):
                    q.attr = _Attr(m, q.attr.cue if q.attr else None, "ranked")
        quotes, unattributed_from = self._kept(text, all_qs, keep)
        return quotes, cast, unattributed_from

    @staticmethod
    def _guard(text: str, q: _Q, learned: bool) -> bool:
        """The span classifier's verdict, overruled by explicit rules where it disagrees with
        cases we hold fixed."""
        words = _words(text[q.start : q.end])
        if q.attr is not None and words <= 2 and q.attr.cue in _LABEL_CUES and q.attr.mention.kind == "desc":
            # "critics called its ending “divisive”": a label by an unnamed group is a scare quote
            # (a hard case we hold fixed); the classifier, which sees a cue verb, would keep it.
            return False
        return learned

    @staticmethod
    def span_table(
        text: str, masked: str, paras: list[tuple[int, int]], qs: list[_Q]
    ) -> list[dict[str, float]]:
        """Span-classifier features of every quote, from the rules' attribution (before the
        ranker); the training script reads the same table."""
        return [
            features(
                text,
                masked,
                paras[q.para],
                open_at=q.span.open_at,
                close_at=q.span.close_at,
                start=q.start,
                end=q.end,
                closed=q.span.closed,
                single=q.span.single,
                reopened=q.span.reopened,
                how=q.attr.how if q.attr else None,
                cue=q.attr.cue if q.attr else None,
                mention_kind=q.attr.mention.kind if q.attr else None,
                para_index=q.para,
                para_count=len(paras),
                quotes_in_article=len(qs),
            )
            for q in qs
        ]

    @staticmethod
    def _weak_cue(text: str, attr: _Attr, cast: Cast) -> bool:
        """A cue-verb attribution whose speaker is not plainly a person: a description ("a
        marketing video said"), a capitalised word the cast does not know as a person, a
        possessive ("Trump's remarks said"). On train these are right only ~50-75% of the time
        (named persons and pronouns ~94%), so the ranker may overrule them."""
        if attr.how != "before":
            return False
        m = attr.mention
        if m.kind in ("desc", "org", "possessive"):
            return True
        if m.kind != "name":
            return False
        if text[m.start : m.end].endswith(("'s", "’s", "'", "’")):
            return True
        ent = cast.entity_at(m.start, m.end)
        return ent is None or cast.entities[ent].kind != "person"

    @staticmethod
    def candidate_table(
        text: str, masked: str, paras: list[tuple[int, int]], qs: list[_Q], cast: Cast
    ) -> list[list[Candidate] | None]:
        """Ranker candidates for every quote the rules left open or settled weakly (None for the
        rest); the training script reads the same table."""
        out: list[list[Candidate] | None] = []
        prev: Mention | None = None
        spoken: set[int] = set()
        for q in qs:
            if q.attr is not None and q.attr.mention.kind == "label":
                out.append(None)  # a transcript label, or a paragraph continuing one
            elif q.attr is None or q.attr.how in WEAK or RuleQuoteEngine._weak_cue(text, q.attr, cast):
                site = QuoteSite(
                    q.span.open_at,
                    q.span.close_at,
                    q.para,
                    q.attr.mention if q.attr else None,
                    q.attr.how if q.attr else None,
                    prev,
                    frozenset(spoken),
                )
                out.append(candidates(text, masked, paras, site, cast))
            else:
                out.append(None)
            if q.attr is not None:
                prev = q.attr.mention
                if q.attr.how in ("after", "before"):
                    ent = cast.entity_at(prev.start, prev.end)
                    if ent is not None:
                        spoken.add(ent)
        return out

    @staticmethod
    def _headline(text: str, paras: list[tuple[int, int]]) -> tuple[int, int] | None:
        """The first line when it reads as a headline (no final punctuation) above prose."""
        if len(paras) < 3:
            return None
        s, e = paras[0]
        n = _words(text[s:e])
        if n > 30:
            return None
        # A short first line set off by a blank line is a title even when it ends with a full stop
        # (many feeds end headlines with one); its quotes are headline fragments, not speech.
        titled = n <= 20 and "\n\n" in text[e : paras[1][0] + 1] and paras[1][1] - paras[1][0] > e - s
        if _TERMINAL.search(text[s:e]) and not titled:
            return None
        return (s, e)

    # ------------------------------------------------------------------ attribution

    def _attribute(
        self,
        text: str,
        masked: str,
        paras: list[tuple[int, int]],
        qs: list[_Q],
        noise: list[tuple[int, int]],
        *,
        cast: Cast,
    ) -> None:
        noise_starts = [a for a, _ in noise]  # ``noise`` is sorted (see ``extract``)
        for i, q in enumerate(qs):
            if q.attr is not None:
                continue  # a transcript label
            prev = qs[i - 1] if i > 0 and qs[i - 1].para == q.para else None
            nxt = qs[i + 1] if i + 1 < len(qs) and qs[i + 1].para == q.para else None
            ps, pe = paras[q.para]
            q.attr = self._after(text, masked, q, nxt, pe)
            if q.attr is None:
                q.attr = self._before(text, masked, q, prev, ps, cast=cast)
        # Neighbours in the same paragraph: "“A.” “B,” he said" and "“A,” said X. “B.”".
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
                if sent_open or len(starts) <= 1 or not self._other_speech(between):
                    q.attr = _Attr(prev.attr.mention, None, "previous")
                    continue
            if nxt is not None and nxt.attr is not None and nxt.attr.how == "after":
                between = masked[q.span.close_at + 1 : nxt.span.open_at]
                if not re.search(r"\w", between):
                    q.attr = _Attr(nxt.attr.mention, None, "next")
        # Continuation paragraphs.
        last_in_para: dict[int, _Q] = {}
        for q in qs:
            last_in_para[q.para] = q
        for q in qs:
            if q.attr is not None:
                continue
            ps, _pe = paras[q.para]
            if masked[ps : q.span.open_at].strip(" \"“‘'"):
                continue
            pp = q.para - 1
            while pp >= 0 and _inside(noise_starts, noise, paras[pp][0]):
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
                    or not self._other_speech(tail[tail_starts[0] - lastq.span.close_at - 1 :])
                ):
                    q.attr = _Attr(lastq.attr.mention, None, "continued")
                    continue
            colon = self._colon_intro(text, masked, paras[pp][0], paras[pp][1], cast)
            if colon is not None:
                q.attr = colon
            elif (
                lastq is None
                and pp > 0
                and not self._other_speech(masked[paras[pp][0] : paras[pp][1]])
                and not self._other_speech(masked[ps:_pe])
            ):
                # A narration paragraph with no speech between two quote paragraphs: the speaker
                # before it goes on (a person it merely mentions has not spoken).
                before = last_in_para.get(pp - 1)
                if before is not None and before.attr is not None and before.attr.how in ("after", "before"):
                    q.attr = _Attr(before.attr.mention, None, "resumed")
        for q in qs:
            if q.attr is None:
                q.attr = self._in_sentence(text, masked, q, paras[q.para], cast)

    def _in_sentence(self, text: str, masked: str, q: _Q, para: tuple[int, int], cast: Cast) -> _Attr | None:
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
                        return _Attr(m, t.text, "final")
                break
        pre = [t for t in toks if t.end <= q.span.open_at]
        if pre:
            m = self._sentence_subject(pre, text, cast)
            if m is not None and m.kind in ("name", "pronoun"):
                return _Attr(m, None, "subject")
        return None

    @staticmethod
    def _other_speech(between: str) -> bool:
        """Whether narrative between two quotes reports someone's speech (a cue verb)."""
        return any(w in CUE_FINITE for w in re.findall(r"[a-z]+", between))

    def _after(self, text: str, masked: str, q: _Q, nxt: _Q | None, pe: int) -> _Attr | None:
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
                if m is not None and self._lead_ok(masked, lo, toks, k):
                    return _Attr(m, "according to", "after")
                return None
            if low in CUE_FINITE and t.text[:1].islower():
                words_before = [x for x in toks[:k] if x.text[:1].isalnum()]
                if not words_before:
                    m = np_after(toks, k + 1, text)
                    return _Attr(m, t.text, "after") if m is not None else None
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
                if lead_clean and not (m.role and lead_clean.rstrip(", ") in m.role):
                    return None
                outer = self._according_later(toks, k + 1, text)
                if outer is not None:
                    return _Attr(outer, "according to", "after")
                return _Attr(m, t.text, "after")
            if t.text in ";:" or t.text in '“"‘':
                return None
        return None

    @staticmethod
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

    @staticmethod
    def _according_later(toks: list[Tok], k: int, text: str) -> Mention | None:
        """ "…,” Obama said, according to a pool report": the report relays the words, and the
        annotators credit the outer source, so it wins over the inner speaker."""
        for j in range(k, len(toks) - 2):
            if toks[j].text in ';:“"‘':
                return None
            if toks[j].low == "according" and toks[j + 1].low == "to" and toks[j - 1].text == ",":
                return np_after(toks, j + 2, text)
        return None

    @staticmethod
    def _lead_ok(masked: str, lo: int, toks: list[Tok], k: int) -> bool:
        return not [x for x in toks[:k] if x.text[:1].isalnum()]

    def _before(self, text: str, masked: str, q: _Q, prev: _Q | None, ps: int, *, cast: Cast) -> _Attr | None:
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
                return _Attr(m, "according to", "before")
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
                m = self._sentence_subject(toks, text, cast)
            if m is None:
                after = np_after(toks, last_cue + 1, text)
                if after is not None and not re.search(
                    r"\w", masked[after.end : hi].split(",", maxsplit=1)[0]
                ):
                    m = after
            if m is not None:
                outer = self._according_later(toks, last_cue + 1, text)
                if outer is not None:
                    return _Attr(outer, "according to", "before")
                reporter = self._reporting_cue(toks, m, text)
                if reporter is not None:
                    return _Attr(reporter[0], reporter[1], "before")
                return _Attr(m, cue.text, "before")
        if cues and toks[cues[0]].low in CUE_PARTICIPLE:
            last_cue = cues[0]
            cue = toks[last_cue]
            # A participle ("adding that …"): the subject of the main clause.
            for k in range(last_cue - 1, -1, -1):
                if toks[k].low in CUE_FINITE and toks[k].text[:1].islower():
                    m = np_before(toks, k, text)
                    if m is not None:
                        return _Attr(m, cue.text, "before")
            if not new_sentence and prev is not None and prev.attr is not None:
                return _Attr(prev.attr.mention, cue.text, "before")
            m = self._sentence_subject(toks, text, cast)
            if m is not None:
                return _Attr(m, cue.text, "before")
            return None
        if toks[-1].text == ":":
            m = self._sentence_subject(toks, text, cast)
            if m is not None:
                return _Attr(m, None, "colon")
        return None

    @staticmethod
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

    def _colon_intro(self, text: str, masked: str, ps: int, pe: int, cast: Cast) -> _Attr | None:
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
                    return _Attr(m, toks[k].text, "colon")
                break
        m = self._sentence_subject(toks, text, cast)
        return _Attr(m, None, "colon") if m is not None else None

    # ------------------------------------------------------------------ output

    @staticmethod
    def _kept(text: str, qs: list[_Q], keep: list[bool] | None) -> tuple[list[Attributed], int | None]:
        """The quotes that are returned, as :class:`Attributed`, and where the limit began."""
        out: list[Attributed] = []
        unattributed_from = None
        for i, q in enumerate(qs):
            words = _words(text[q.start : q.end])
            if keep is not None and not keep[i]:
                continue
            if i == MAX_ATTRIBUTED:
                unattributed_from = len(out)
            titled = keep is None and words <= 6 and _title_case(text[q.start : q.end])
            if titled and q.attr is not None and q.attr.how != "after":
                # Without the span classifier: a title (a show, a book, a slogan in title case) is
                # not a quote of the sentence's subject. The classifier keeps such spans only when
                # they read as attributed, so then the speaker stands.
                q.attr = None
            if q.attr is None:
                if not titled:
                    out.append(Attributed(q.start, q.end))
                continue
            if keep is None and words <= 2 and q.attr.cue in _LABEL_CUES and q.attr.mention.kind == "desc":
                continue
            out.append(Attributed(q.start, q.end, q.attr.mention, q.attr.cue, q.attr.how))
        return out, unattributed_from

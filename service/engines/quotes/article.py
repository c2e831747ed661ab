"""One article as the quote rules read it (:class:`Article`, built once by :func:`read_article`):
its text, the masked text, paragraphs, noise lines, quote spans (which marks quote and which do
not), the cast of names and token caches; and the first steps of the pipeline over it: the quotes
found (:func:`find_quotes`) and their transcript labels (:func:`transcript_labels`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.engines.quotes.cited import nickname
from service.engines.quotes.context import Mention, MentionKind, Tok, sentence_starts, tokens
from service.engines.quotes.lexicon import NOT_LABELS
from service.engines.quotes.marks import RawSpan, find_spans, paragraphs
from service.engines.quotes.outcomes import Attr, Draft, Found, How, inside
from service.engines.quotes.people import Cast
from service.engines.text import noise_spans

_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


#: A transcript line opens with its speaker's name in capitals and a colon ("PENCE: Well, …").
_LABEL = re.compile(r"([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2}):[ \t\xa0]+(?=\S)")

#: Lines of this form in one article that make it a transcript, when the label names nobody the
#: article introduces.
_TRANSCRIPT_LINES = 3


def transcript_labels(art: Article, quotes: list[Found]) -> Draft:
    """Quotes that are transcript lines get their label as the speaker and lose it from the
    quoted words (a new :class:`Found` that starts after it). A label counts when it is the surname
    of a person the article names, or when the article has several such lines (an interview
    transcript)."""
    text = art.text
    found: list[tuple[int, re.Match[str]]] = []
    for i, q in enumerate(quotes):
        m = _LABEL.match(text, q.start, q.end)
        if m is not None and not set(m.group(1).replace("’", "'").split()) & NOT_LABELS:
            found.append((i, m))
    transcript = len(found) >= _TRANSCRIPT_LINES
    out = list(quotes)
    attrs: list[Attr | None] = [None for _ in quotes]
    for i, m in found:
        a, b = m.span(1)
        if not transcript and art.cast.person_named(text[a:b].rsplit(maxsplit=1)[-1]) is None:
            continue
        q = quotes[i]
        out[i] = Found(q.span, q.para, m.end(), q.end)
        attrs[i] = Attr(Mention(a, b, MentionKind.LABEL), None, How.LABEL)
    return Draft(tuple(out), tuple(attrs))


#: Quotes per document that get the classifier and attribution. News articles have far fewer
#: (the most in the PolNeAR sets is 71); the cap bounds the cost of pathological texts.
MAX_ATTRIBUTED = 200


def mask(text: str, spans: list[RawSpan]) -> str:
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


def speech_sized(text: str, sp: RawSpan) -> bool:
    """A closed ‘…’ span long enough to be someone's words rather than a scare quote or a
    headline fragment, in an article that otherwise quotes with “…”."""
    return sp.closed and len(text[sp.start : sp.end].split()) >= SINGLE_IN_DOUBLE_WORDS


def is_markup(text: str, sp: RawSpan) -> bool:
    """Attribute values in leftover HTML/XML (``<tweet id="…">``) are not quotes."""
    before = text[max(0, sp.open_at - 2) : sp.open_at]
    if "=" in before:
        return True
    inner = text[sp.start : sp.end]
    return bool(re.fullmatch(r"[\d\s@#]+|@\w+", inner))


def words(s: str) -> int:
    return len(s.split())


#: A quotation ending in a comma (or ? !) inside its closing mark, then a lower-case word.
_LEAD_ATTRIBUTION = re.compile(r"[,?!][”\"’']\s+[a-z]")


def headline(text: str, paras: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first line when it reads as a headline (no final punctuation) above prose."""
    if len(paras) < 3:
        return None
    s, e = paras[0]
    n = words(text[s:e])
    if n > 30:
        return None
    # A short first line set off by a blank line is a title even when it ends with a full stop
    # (many feeds end headlines with one); its quotes are headline fragments, not speech.
    titled = n <= 20 and "\n\n" in text[e : paras[1][0] + 1] and paras[1][1] - paras[1][0] > e - s
    if titled and _LEAD_ATTRIBUTION.search(text, s, e):
        # “…,” said X on Saturday. A quotation closed by a comma and followed by narration is
        # a news lead reporting speech; headlines set quotes off with a colon.
        titled = False
    if _TERMINAL.search(text[s:e]) and not titled:
        return None
    return (s, e)


@dataclass(frozen=True, eq=False)
class Article:
    """One article as the rules read it, built once (:func:`read_article`) and never changed.

    ``masked``: the text with quoted words replaced by ``x`` (same offsets); ``paras``: paragraph
    bounds; ``noise``: sorted page-furniture and headline lines (``noise_starts`` their starts);
    ``spans``: the quote spans; ``tentative``: single-marked spans that count only when a cue right
    next to them attributes them; ``cast``: the people and organisations it names.
    """

    text: str
    masked: str
    paras: list[tuple[int, int]]
    noise: list[tuple[int, int]]
    spans: list[RawSpan]
    tentative: frozenset[RawSpan]
    cast: Cast
    noise_starts: list[int] = field(init=False)
    _tokens: dict[tuple[int, int], list[Tok]] = field(init=False, default_factory=dict, repr=False)
    _starts: dict[tuple[int, int], list[int]] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "noise_starts", [a for a, _ in self.noise])

    def tokens(self, lo: int, hi: int) -> list[Tok]:
        """Tokens of ``masked[lo:hi]`` (cached; callers must not change the list)."""
        key = (lo, hi)
        if key not in self._tokens:
            self._tokens[key] = tokens(self.masked, lo, hi)
        return self._tokens[key]

    def sentence_starts(self, lo: int, hi: int) -> list[int]:
        """Sentence starts inside ``masked[lo:hi]`` (cached; callers must not change the list)."""
        key = (lo, hi)
        if key not in self._starts:
            self._starts[key] = sentence_starts(self.masked, lo, hi)
        return self._starts[key]

    def in_noise(self, pos: int) -> bool:
        """Whether ``pos`` lies in a noise line."""
        return inside(self.noise_starts, self.noise, pos)


def read_article(text: str, apostrophe_pairs: bool) -> Article:
    """The article as the rules read it: quote spans, masked text, paragraphs, noise, cast."""
    raw, tentative = _quote_spans(text, apostrophe_pairs)
    masked = mask(text, raw)
    paras = paragraphs(text)
    noise = noise_spans(text)
    cast = Cast(text, _blanked(_unnicked(text, masked, raw), noise))
    top = headline(text, paras)
    if top is not None:
        noise = [*noise, top]
    return Article(text, masked, paras, sorted(noise), raw, frozenset(tentative), cast)


def _blanked(masked: str, noise: list[tuple[int, int]]) -> str:
    """The masked text with page-furniture lines ("READ MORE: …", "WATCH: …") blanked, so that
    the cast holds no one from them (same offsets). The headline is not noise here: it was added
    after this list was read."""
    parts: list[str] = []
    pos = 0
    for a, b in sorted(noise):
        if a < pos:
            continue
        parts += [masked[pos:a], " " * (b - a)]
        pos = b
    parts.append(masked[pos:])
    return "".join(parts)


def _unnicked(text: str, masked: str, raw: list[RawSpan]) -> str:
    """The masked text with nicknames inside names ("Marcus “Tank” Odell") blanked, so that the
    cast reads the name around them as one (same offsets)."""
    out = masked
    for sp in raw:
        left = text[max(0, sp.open_at - 40) : sp.open_at]
        if sp.closed and nickname(left, text[sp.start : sp.end], text[sp.close_at + 1 : sp.close_at + 40]):
            out = out[: sp.open_at] + " " * (sp.close_at + 1 - sp.open_at) + out[sp.close_at + 1 :]
    return out


def _quote_spans(text: str, apostrophe_pairs: bool) -> tuple[list[RawSpan], set[RawSpan]]:
    """The article's quote spans, and those (single-marked, in an article that quotes with double
    marks) that count only when a cue right next to them attributes them."""
    raw = [sp for sp in find_spans(text, apostrophe_pairs) if not is_markup(text, sp)]
    if text.count("''") >= 2:
        # In an article that quotes with ''…'', ‘…’ is a quote within a quote.
        return [sp for sp in raw if not sp.single], set()
    if not any(not sp.single for sp in raw):
        return raw, set()
    # In an article that quotes with “…”, ‘…’ is mostly a quote within a quote, a headline
    # fragment or a scare quote; one outside every double-marked quote, long enough to be speech
    # and attributed by a cue next to it is a quote of its own (checked in ``prepare``).
    doubles = [(sp.open_at, sp.close_at) for sp in raw if not sp.single]
    raw = [
        sp
        for sp in raw
        if not sp.single or (speech_sized(text, sp) and not any(a <= sp.open_at <= b for a, b in doubles))
    ]
    return raw, {sp for sp in raw if sp.single}


def find_quotes(art: Article) -> list[Found]:
    """A quote for every span outside the noise lines, in its paragraph, without trailing commas
    and spaces."""
    text, paras = art.text, art.paras
    qs: list[Found] = []
    pi = 0
    for sp in art.spans:
        while pi < len(paras) - 1 and paras[pi][1] < sp.start:
            pi += 1
        if art.in_noise(sp.start):
            continue
        end = sp.end
        while end > sp.start and text[end - 1] in ", ":
            end -= 1
        if end > sp.start:
            qs.append(Found(sp, pi, sp.start, end))
    return qs

"""A learned keep/drop decision for quoted spans: direct speech or not.

The mark pairer (marks.py) finds every span between quotation marks; many are not direct quotes
(titles, scare quotes in the author's voice, nicknames, page noise). Hand-written length and
title-case rules got this only partly right: annotators do count a title or a slogan when it is
part of an attribution ("called it “Absurd”"). Here a logistic regression trained offline on
PolNeAR train (bench/train_quote_spans.py) scores each span from its shape (length, case, final
punctuation), the words around its marks (a cue verb, "called", "book", "film", a colon) and what
the attribution rules found for it. Runtime is a sparse dot product in plain Python over weights
shipped as ``models/weights/quote_spans.json`` and checked against a pinned sha256 before use.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from models.logreg import LogReg
from models.registry import QUOTE_SPANS, WEIGHTS_DIR
from service.engines.quotes.article import Article
from service.engines.quotes.lexicon import CUE_FINITE, CUE_PARTICIPLE, NAMING_WORDS, TITLE_SMALL
from service.engines.quotes.outcomes import Attr, Found

SPANS_PATH = WEIGHTS_DIR / "quote_spans.json"
#: Pinned digest of the bundled weights; a mismatch means a corrupt or unreviewed file.
SPANS_SHA256 = QUOTE_SPANS.files["quote_spans.json"]
SPANS_ID = "quote-span-logreg"

_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")


def _shape(inner: str) -> dict[str, float]:
    ws = _WORD.findall(inner)
    n = len(inner.split())
    f: dict[str, float] = {"logwords": math.log1p(n) / 4.0}
    f["w" + (str(n) if n <= 4 else "5-8" if n <= 8 else "9-15" if n <= 15 else "16+")] = 1.0
    if ws and ws[0][:1].isupper():
        f["starts_cap"] = 1.0
        if all(w[:1].isupper() or w in TITLE_SMALL for w in ws):
            f["title_case"] = 1.0
            f["title_case_w" + (str(n) if n <= 3 else "4+")] = 1.0
    if ws and all(w.isupper() for w in ws) and any(len(w) > 1 for w in ws):
        f["all_caps"] = 1.0
    if not ws:
        f["no_words"] = 1.0
    tail = inner.rstrip("\"'”’) ")
    if tail and tail[-1] in ".!?…":
        f["ends_" + {"!": "bang", "?": "ask"}.get(tail[-1], "stop")] = 1.0
    elif tail[-1:] == ",":
        f["ends_comma"] = 1.0
    sents = len(re.findall(r"[.!?][\"'”’]*\s+[A-Z“\"]", inner))
    if sents:
        f["multi_sent"] = 1.0
        f["logsents"] = math.log1p(sents) / 2.0
    if re.search(r"https?:|www\.|@\w|#\w", inner):
        f["web"] = 1.0
    if re.search(r"[“”\"‘]", inner):
        f["nested"] = 1.0
    if inner[:1].islower():
        f["starts_lower"] = 1.0
    return f


def features(art: Article, q: Found, attr: Attr | None, *, quotes_in_article: int) -> dict[str, float]:
    """Features of one quoted span; ``attr`` is the attribution rules' verdict (None when they
    found no speaker)."""
    text, masked = art.text, art.masked
    ps, pe = art.paras[q.para]
    start, end, open_at, close_at = q.start, q.end, q.span.open_at, q.span.close_at
    closed, single, reopened = q.span.closed, q.span.single, q.span.reopened
    how = attr.how if attr else None
    cue = attr.cue if attr else None
    mention_kind = attr.mention.kind if attr else None
    para_index, para_count = q.para, len(art.paras)
    f = _shape(text[start:end])
    f["bias_closed" if closed else "unclosed"] = 1.0
    if single and any(not sp.single for sp in art.spans):
        # Single marks in an article that also quotes with double marks are mostly quotes within
        # quotes or scare quotes; in one that quotes only with single marks they are its style.
        f["single"] = 1.0
    if reopened:
        f["reopened"] = 1.0
    f["how_" + (how or "none")] = 1.0
    if cue is not None:
        f["has_cue"] = 1.0
        if cue.lower() in NAMING_WORDS:
            f["cue_naming"] = 1.0
    if mention_kind is not None:
        f["mk_" + mention_kind] = 1.0
    if para_index == 0 and para_count >= 3:
        # The first line of a longer article is its headline or dateline, rarely speech.
        f["first_para"] = 1.0
    f["logquotes"] = math.log1p(quotes_in_article) / 4.0
    left_words, stripped = _left(f, masked[ps:open_at])
    right = masked[close_at + 1 : pe] if closed else ""
    _right(f, right, closed=closed)
    share = (end - start) / max(1, pe - ps)
    f["para_share"] = share
    # Link round-ups and bullet lists ("— An artist gets a show" by X: http://…) quote headlines.
    para_text = text[ps:pe]
    if re.search(r"https?:|www\.|\.com\b", para_text):
        f["para_url"] = 1.0
    if para_text and para_text[0] in "—–-•*":
        f["para_bullet"] = 1.0
    if stripped[-1:] == "(" or right[:1] == ")":
        f["parens"] = 1.0
    # The same words quoted earlier: a callback to a quote already counted (or a repeated title).
    inner = text[start:end].strip().lower()
    if len(inner) >= 3 and text.lower().find(inner, 0, max(0, open_at - 1)) >= 0:
        f["repeated"] = 1.0
    if left_words and len(left_words) >= 2 and left_words[-2:] in (["known", "as"], ["so", "called"]):
        f["known_as"] = 1.0
    return f


def _left(f: dict[str, float], left: str) -> tuple[list[str], str]:
    """Features of the narrative before the opening mark, within its paragraph (quoted words
    masked); returns its last words and the text without the marks at its end."""
    left_words = [w.lower() for w in _WORD.findall(left[-80:])]
    stripped = left.rstrip(" “\"‘'")
    if not stripped.strip():
        f["opens_para"] = 1.0
    elif stripped[-1:] in ":,(—–-":
        f["before_" + {":": "colon", ",": "comma", "(": "paren"}.get(stripped[-1], "dash")] = 1.0
    if left_words:
        prev = left_words[-1]
        f["prev=" + prev] = 1.0
        if prev in NAMING_WORDS:
            f["prev_naming"] = 1.0
        if prev in CUE_FINITE:
            f["prev_cue"] = 1.0
        if prev in ("a", "an", "the", "his", "her", "their", "its", "this", "that"):
            f["prev_det"] = 1.0
        if prev.endswith(("’s", "'s")) and prev not in ("it’s", "it's", "that’s", "that's"):
            # "CBS's “Face the Nation”", "Clinton's “public option”": a possessor names it.
            f["prev_possessive"] = 1.0
        if len(left_words) > 1 and left_words[-2] in NAMING_WORDS:
            f["prev2_naming"] = 1.0
    if any(w in CUE_FINITE or w in CUE_PARTICIPLE for w in left_words):
        f["cue_left80"] = 1.0
    if "according" in left_words:
        f["according_left"] = 1.0
    return left_words, stripped


def _right(f: dict[str, float], right: str, *, closed: bool) -> None:
    """Features of the narrative after the closing mark, within its paragraph."""
    right_words = [w.lower() for w in _WORD.findall(right[:80])]
    if closed and not right.strip():
        f["ends_para"] = 1.0
        if "opens_para" in f:
            f["whole_para"] = 1.0
    elif right[:1] in (",", ".", ";", ":", ")", "?", "!"):
        f["after_" + right[:1]] = 1.0
    if right_words:
        f["next=" + right_words[0]] = 1.0
        if right_words[0] in CUE_FINITE:
            f["next_cue"] = 1.0
    if any(w in CUE_FINITE for w in right_words[:6]):
        f["cue_right6"] = 1.0
    if "according" in right_words[:4]:
        f["according_right"] = 1.0


class SpanScorer(LogReg):
    """P(span is a direct quote the annotators would count), by the bundled logistic regression;
    ``keep`` says whether it is likely enough. Immutable after loading."""

    @classmethod
    def load(cls, path: Path = SPANS_PATH, sha256: str | None = SPANS_SHA256) -> SpanScorer:
        """Read a weights file, refusing one whose digest differs from the pinned one (ValueError)."""
        return super().load(path, sha256)

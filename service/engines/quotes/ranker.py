"""A learned fallback for quotes the attribution rules leave unattributed or attribute weakly.

For such a quote, every person-like mention near it (name runs, pronouns, described speakers such
as "the 43-year-old") becomes a candidate with a few dozen binary and scaled features (side of the
quote, distance, same sentence, a cue verb next to it, whether the rules picked it, ...). A logistic
regression trained offline on PolNeAR train (bench/train_quote_ranker.py) scores them; the best one
becomes the speaker when its probability clears the bundled threshold. Runtime is a sparse dot
product in plain Python. The weights ship as ``models/weights/quote_ranker.json`` and are
checked against a pinned sha256 before use.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from pathlib import Path

from models.logreg import LogReg
from models.registry import QUOTE_RANKER, WEIGHTS_DIR
from service.engines.quotes.context import Mention, MentionKind, Tok, sentence_starts, tokens
from service.engines.quotes.entities import Occurrence
from service.engines.quotes.lexicon import (
    ADVERBS,
    CANDIDATE_POSSESSIVES,
    CANDIDATE_PRONOUNS,
    CANDIDATE_RELATIVES,
    CUE_FINITE,
    CUE_PARTICIPLE,
    DESC_DETS,
    NP_STOP,
    OBJECT_BEFORE,
    PERSON_HEADS,
    PERSON_SUFFIXES,
)
from service.engines.quotes.people import Cast
from service.engines.quotes.refusal import refuses

MODEL_PATH = WEIGHTS_DIR / "quote_ranker.json"
#: Pinned digest of the bundled weights; a mismatch means a corrupt or unreviewed file.
MODEL_SHA256 = QUOTE_RANKER.files["quote_ranker.json"]
MODEL_ID = "quote-ranker-logreg"

#: Rule outcomes the ranker may overrule (the rest are right ~97% of the time on train); a cue-verb
#: attribution to a speaker that is not plainly a person is weak too (engine ``_weak_cue``).
WEAK = frozenset({"subject", "previous", "continued"})

_WINDOW_BEFORE = 900
_WINDOW_AFTER = 400


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible speaker mention of one quote and its features."""

    mention: Mention
    feats: dict[str, float]


@dataclass(frozen=True, slots=True)
class QuoteSite:
    """Where a quote sits: its marks, paragraph, and what the rules concluded."""

    open_at: int
    close_at: int
    para: int
    rule: Mention | None
    rule_how: str | None
    prev_mention: Mention | None
    #: Entities the rules credited with an earlier quote of the article.
    spoken: frozenset[int] = frozenset()


class Ranker(LogReg):
    """P(candidate is the speaker), by the bundled logistic regression. Its ``thresholds`` are per
    rule outcome ("none" when the rules found nobody): how sure the ranker must be to overrule it
    (cross-validation on train sets them; a value above 1 means never). Immutable after loading."""

    @classmethod
    def load(cls, path: Path = MODEL_PATH, sha256: str | None = MODEL_SHA256) -> Ranker:
        """Read a weights file, refusing one whose digest differs from the pinned one (ValueError)."""
        return super().load(path, sha256)

    def pick(self, cands: list[Candidate], how: str | None = None) -> Mention | None:
        """The best candidate when it is likely enough to overrule the rules' outcome ``how``
        (None: they found nobody), else None."""
        best, best_p = self.best(cands)
        if best is None or best_p < self.cut(how or "none"):
            return None
        return best

    def best(self, cands: list[Candidate]) -> tuple[Mention | None, float]:
        """The most likely candidate and its probability (None, -1.0 when there is none)."""
        best: Candidate | None = None
        best_p = -1.0
        for c in cands:
            p = self.prob(c.feats)
            if p > best_p:
                best, best_p = c, p
        return (best.mention if best is not None else None), best_p


def _overlaps(a: Mention | None, s: int, e: int) -> bool:
    return a is not None and a.start < e and a.end > s


def _mentions(toks: list[Tok], cast: Cast, lo: int, hi: int) -> list[Mention]:
    """Person-like mentions in ``[lo, hi)``: name runs, subject pronouns, described speakers."""
    out: list[Mention] = []
    window = cast.occurrences_between(lo, hi)
    for o in window:
        kind = MentionKind.ORG if cast.entities[o.entity].kind == "org" else MentionKind.NAME
        out.append(Mention(o.start, o.end, kind, None, o.start, o.end))
    taken = [(m.start, m.end) for m in out]
    by_end = {o.end: o for o in window}
    n = len(toks)
    for k, t in enumerate(toks):
        if t.low in CANDIDATE_PRONOUNS and (
            t.text[:1].islower() or t.low == "i" or k == 0 or toks[k - 1].text in '.\n“"'
        ):
            if t.low == "i" and t.text != "I":
                continue
            out.append(Mention(t.start, t.end, MentionKind.PRONOUN))
        elif (
            t.low in CANDIDATE_POSSESSIVES
            and t.text[:1].islower()
            and k + 1 < n
            and toks[k + 1].text[:1].islower()
        ):
            out.append(Mention(t.start, t.end, MentionKind.POSSESSIVE))
        elif t.low in CANDIDATE_RELATIVES and k > 1 and toks[k - 1].text == ",":
            # The name before the comma is what "who" stands for; it names the speaker.
            named = by_end.get(toks[k - 2].end)
            if named is not None:
                kind = MentionKind.ORG if cast.entities[named.entity].kind == "org" else MentionKind.NAME
                out.append(Mention(t.start, t.end, kind, None, named.start, named.end))
        elif t.low in DESC_DETS:
            j = k + 1
            # A description ends before its verb: "the prime minister replied" is "the prime
            # minister" (any speech verb, not only the commonest).
            while (
                j < n
                and j - k <= 5
                and toks[j].text[:1].isalpha()
                and toks[j].low not in NP_STOP
                and toks[j].low not in CUE_FINITE
            ):
                j += 1
            # Capitalised modifiers may sit inside ("the Florida senator", "The Republican
            # candidate"), but the head noun is lower-case and is not part of a name.
            while j > k + 1 and not toks[j - 1].text[:1].islower():
                j -= 1
            head = toks[j - 1]
            if j > k + 1 and not any(a < head.end and b > head.start for a, b in taken):
                out.append(Mention(t.start, head.end, MentionKind.DESC))
    return out


@dataclass(frozen=True, slots=True)
class _Window:
    """The text around one quote that its candidates are read from, computed once per quote."""

    toks: list[Tok]
    starts: list[int]
    tok_at: dict[int, int]
    occ_at: dict[int, Occurrence]
    ps: int
    q_sent: int
    q_sent_close: int
    prev_ent: int | None
    partial: bool
    colon: bool
    para_opens: bool


def _window(
    masked: str, paras: list[tuple[int, int]], site: QuoteSite, cast: Cast
) -> tuple[_Window, int, int]:
    """The window around a quote (from the previous paragraph's start, within the reach) and its
    bounds."""
    ps, pe = paras[site.para]
    pps = paras[site.para - 1][0] if site.para > 0 else ps
    lo = max(pps, site.open_at - _WINDOW_BEFORE)
    hi = min(pe, site.close_at + 1 + _WINDOW_AFTER)
    toks = tokens(masked, lo, hi)
    starts = [lo, *sentence_starts(masked, lo, hi)]
    # Paragraph starts inside the window, found by bisection (paras is sorted): a loop over every
    # paragraph per quote is quadratic on texts with thousands of lines.
    para_starts = [a for a, _ in paras]
    for k in range(bisect.bisect_right(para_starts, lo), bisect.bisect_left(para_starts, hi)):
        bisect.insort(starts, para_starts[k])
    q_sent = bisect.bisect_right(starts, site.open_at) - 1
    prev = site.prev_mention
    win = _Window(
        toks=toks,
        starts=starts,
        tok_at={t.start: k for k, t in enumerate(toks)},
        occ_at={o.start: o for o in cast.occurrences_between(lo, hi)},
        ps=ps,
        q_sent=q_sent,
        q_sent_close=bisect.bisect_right(starts, site.close_at) - 1,
        prev_ent=cast.entity_at(prev.start, prev.end) if prev else None,
        partial=bool(masked[max(starts[q_sent], ps) : site.open_at].strip(" \"“‘'\n")),
        colon=masked[max(ps, site.open_at - 3) : site.open_at].rstrip(' "“').endswith(":"),
        para_opens=not masked[ps : site.open_at].strip(" \"“‘'"),
    )
    return win, lo, hi


def candidates(
    text: str,
    masked: str,
    paras: list[tuple[int, int]],
    site: QuoteSite,
    cast: Cast,
) -> list[Candidate]:
    """Candidate speakers of one quote with their features."""
    win, lo, hi = _window(masked, paras, site, cast)
    mentions = [
        m
        for m in _mentions(win.toks, cast, lo, hi)
        if (m.end <= site.open_at or m.start > site.close_at) and not refuses(masked, m.end)
    ]
    before = sorted((m for m in mentions if m.end <= site.open_at), key=lambda m: -m.end)
    after = sorted((m for m in mentions if m.start > site.close_at), key=lambda m: m.start)
    out: list[Candidate] = []
    for side, group in (("b", before), ("a", after)):
        for rank, m in enumerate(group):
            f: dict[str, float] = {}
            sd = _position(f, win, site, m, side=side, rank=rank)
            k1 = _tokens_around(f, win, m, side)
            _context(f, win, site, m, masked=masked, side=side, cast=cast)
            if (m.kind == MentionKind.POSSESSIVE or "relative" in f) and k1 is not None:
                nxt = k1 + 1
                if nxt < len(win.toks) and win.toks[nxt].low in CUE_FINITE:
                    f["rel_cue"] = 1.0
            _conjunctions(f, text, site, m, side=side, rank=rank, sd=sd, partial=win.partial)
            out.append(Candidate(m, f))
    return out


def _position(f: dict[str, float], win: _Window, site: QuoteSite, m: Mention, *, side: str, rank: int) -> int:
    """Kind, side, distance, rank, sentence distance and paragraph of a candidate; returns the
    sentence distance."""
    f["k_" + m.kind] = 1.0
    f[f"{side}_k_{m.kind}"] = 1.0
    f["side_" + side] = 1.0
    dist = site.open_at - m.end if side == "b" else m.start - site.close_at
    f["logdist"] = math.log1p(max(0, dist)) / 6.0
    f[f"{side}_rank{min(rank, 3)}"] = 1.0
    sent = bisect.bisect_right(win.starts, m.start) - 1
    sd = win.q_sent - sent if side == "b" else sent - win.q_sent_close
    f[f"{side}_sd{min(max(sd, 0), 2)}"] = 1.0
    mpara = site.para if m.start >= win.ps else site.para - 1
    if mpara != site.para:
        f["prev_para"] = 1.0
    return sd


def _tokens_around(f: dict[str, float], win: _Window, m: Mention, side: str) -> int | None:
    """What stands right before and after a candidate: a cue, a preposition, "according to", a
    sentence start, a comma, a possessive; returns the index of its last token."""
    toks, starts = win.toks, win.starts
    k0 = win.tok_at.get(m.start)
    k1 = next((k for k in range(k0 or 0, len(toks)) if toks[k].end >= m.end), None)
    if k0 is not None:
        pk = k0 - 1
        if pk >= 0 and toks[pk].low in CUE_FINITE and toks[pk].text[:1].islower():
            f["cue_left"] = 1.0
            f[f"{side}_cue_left"] = 1.0
        if pk >= 0 and toks[pk].low in OBJECT_BEFORE:
            f["obj_before"] = 1.0
        if pk >= 1 and toks[pk].low == "to" and toks[pk - 1].low == "according":
            f["according"] = 1.0
        # At the sentence start, or after one capitalised opener ("But he said").
        opener = (
            pk >= 0
            and toks[pk].text[:1].isupper()
            and (pk == 0 or toks[pk].start in starts)
            and toks[pk].low not in OBJECT_BEFORE  # "In a long interview" opens no subject
        )
        if k0 == 0 or toks[k0].start in starts or (pk >= 0 and toks[pk].text in ".\n") or opener:
            f["sent_initial"] = 1.0
    if k1 is not None:
        nk = k1 + 1
        while nk < len(toks) and toks[nk].low in ADVERBS:
            nk += 1
        if nk < len(toks) and toks[nk].text[:1].islower():
            if toks[nk].low in CUE_FINITE:
                f["cue_right"] = 1.0
                f[f"{side}_cue_right"] = 1.0
            elif toks[nk].low in CUE_PARTICIPLE:
                f["part_right"] = 1.0
        if nk < len(toks) and toks[nk].text == ",":
            f["comma_right"] = 1.0
        if toks[k1].text.endswith(("’s", "'s")):
            f["possessive"] = 1.0
    return k1


def _context(
    f: dict[str, float], win: _Window, site: QuoteSite, m: Mention, *, masked: str, side: str, cast: Cast
) -> None:
    """How a candidate relates to the quote and the rules: a cue between them, the rules' own
    pick, the previous quote's speaker, the quote's sentence shape, the entity behind the name."""
    span = masked[m.end : site.open_at] if side == "b" else masked[site.close_at + 1 : m.start]
    if any(w in CUE_FINITE for w in span.split()):
        f["cue_between"] = 1.0
    if _overlaps(site.rule, m.start, m.end):
        f["rule"] = 1.0
        f[f"rule_{site.rule_how}"] = 1.0
    if site.prev_mention is not None and (
        _overlaps(site.prev_mention, m.start, m.end)
        or (win.prev_ent is not None and cast.entity_at(m.start, m.end) == win.prev_ent)
    ):
        f["prev_speaker"] = 1.0
    for flag, name in ((win.partial, "partial"), (win.colon, "colon"), (win.para_opens, "para_opens")):
        if flag:
            f[f"{side}_{name}"] = 1.0
    if site.rule is None:
        f["no_rule"] = 1.0
    if m.core_start >= 0 and m.core_start != m.start:
        f["relative"] = 1.0
    ent = cast.entity_at(m.core_start, m.core_end) if m.kind in (MentionKind.NAME, MentionKind.ORG) else None
    if ent is not None:
        f["ent_" + cast.entities[ent].kind] = 1.0
        if ent in site.spoken:
            f["spoke_before"] = 1.0
    occ = win.occ_at.get(m.start)
    if occ is not None and occ.subject:
        f["occ_subject"] = 1.0


def _conjunctions(
    f: dict[str, float],
    text: str,
    site: QuoteSite,
    m: Mention,
    *,
    side: str,
    rank: int,
    sd: int,
    partial: bool,
) -> None:
    """Conjunctions the linear model cannot form itself: where the candidate sits, what kind of
    mention it is, and what the rules concluded for the quote."""
    how = site.rule_how or "none"
    pos = f"{side}{min(rank, 2)}s{min(max(sd, 0), 2)}"
    f[f"x_{pos}_{m.kind}"] = 1.0
    f[f"x_{how}_{pos}"] = 1.0
    if "cue_left" in f or "cue_right" in f:
        f[f"x_cue_{side}_s{min(max(sd, 0), 2)}"] = 1.0
    if m.kind == MentionKind.DESC:
        head = text[m.start : m.end].rsplit(maxsplit=1)[-1].lower()
        if head in PERSON_HEADS or head.endswith(PERSON_SUFFIXES):
            # "the Florida senator", "one official", "critics" vs "a long interview".
            f["desc_person"] = 1.0
        else:
            f["desc_thing"] = 1.0
    if "sent_initial" in f:
        f[f"x_si_{side}_s{min(max(sd, 0), 2)}_{m.kind}"] = 1.0
    if partial:
        f[f"x_partial_{pos}"] = 1.0

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

import dataclasses
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from models.registry import QUOTE_CONFIDENCE, QUOTE_RANKER, QUOTE_SPANS, ModelSpec, load_json_weights
from models.types import ModelLoadError
from service.engines.quotes.article import MAX_ATTRIBUTED, prepare
from service.engines.quotes.article import words as word_count
from service.engines.quotes.attribution import Attr, How, Pending
from service.engines.quotes.confidence import ConfidenceModel
from service.engines.quotes.context import Mention
from service.engines.quotes.evidence import warm
from service.engines.quotes.people import Cast
from service.engines.quotes.ranker import WEAK, Candidate, QuoteSite, Ranker, candidates
from service.engines.quotes.spans import SpanScorer, features
from service.engines.quotes.speakers import Attributed, build_result
from service.engines.quotes.terms import term_list
from service.schemas import ModelInfo, QuotesResult

_M = TypeVar("_M")

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


#: Nouns by which a sentence speaks of words as words.
_METALINGUISTIC = re.compile(
    r"\b(?:words?|terms?|phrases?|expressions?|buzzwords?|jargon|slang|vocabulary|slogans?)\b", re.IGNORECASE
)


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
        model_dir: Path | None = None,
    ) -> None:
        self._apostrophe_pairs = apostrophe_pairs
        self._wanted = {QUOTE_SPANS.id: spans, QUOTE_CONFIDENCE.id: confidence, QUOTE_RANKER.id: ranker}
        self._model_dir = model_dir
        self._ranker: Ranker | None = None
        self._spans: SpanScorer | None = None
        self._confidence: ConfidenceModel | None = None
        self._loaded = False
        self._load_lock = threading.Lock()

    def load(self) -> None:
        """Read and verify the bundled models (the registry's pinned digests) and warm the word
        resources: the service calls this in its model-loading thread, so that a corrupt file
        makes readiness fail with the reason; other callers get it on first use. Raises
        :class:`ModelLoadError`."""
        with self._load_lock:
            if self._loaded:
                return
            w = self._wanted
            self._spans = self._build(QUOTE_SPANS, SpanScorer.from_doc) if w[QUOTE_SPANS.id] else None
            self._confidence = (
                self._build(QUOTE_CONFIDENCE, ConfidenceModel.from_doc) if w[QUOTE_CONFIDENCE.id] else None
            )
            self._ranker = self._build(QUOTE_RANKER, Ranker.from_doc) if w[QUOTE_RANKER.id] else None
            warm()
            self._loaded = True

    def _build(self, spec: ModelSpec, make: Callable[[dict[str, Any]], _M]) -> _M:
        """One bundled model from its checksum-verified JSON; a malformed file is a ModelLoadError."""
        if self._model_dir is not None:
            directory = self._model_dir
            spec = dataclasses.replace(spec, locate=lambda: directory)
        doc = load_json_weights(spec)
        try:
            return make(doc)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelLoadError(f"model {spec.id}: malformed {spec.primary}: {exc!r}") from exc

    def models(self) -> list[ModelInfo]:
        """The bundled span classifier, confidence table and speaker ranker, when enabled."""
        self.load()
        return [
            ModelInfo(
                id=spec.id,
                task=spec.task,
                source="bundled",
                sha256=spec.files[spec.primary or ""],
                licence=spec.licence,
                loaded=True,
            )
            for spec in (QUOTE_SPANS, QUOTE_CONFIDENCE, QUOTE_RANKER)
            if self._wanted[spec.id]
        ]

    # ------------------------------------------------------------------ top level

    def _prepare(self, text: str) -> tuple[str, list[tuple[int, int]], list[Pending], Cast]:
        """Quote spans and the rules' attributions, before the ranker and the output (the training
        scripts read the same)."""
        return prepare(text, self._apostrophe_pairs)

    def extract(self, text: str) -> QuotesResult:
        """Quotes in document order with exact offsets, each with its speaker where known."""
        quotes, cast, unattributed_from = self.attributed(text)
        return build_result(text, quotes, cast, self._confidence, unattributed_from)

    def attributed(self, text: str) -> tuple[list[Attributed], Cast, int | None]:
        """The quotes to return with the rules' and the ranker's attributions, the article's cast,
        and the index from which quotes went unattributed (the per-text limit); the confidence
        training script reads the same."""
        self.load()
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
        for i in term_list(text, [q.span for q in qs], items=2):
            if self._cited_words(text, masked, qs[i]):
                keep = keep if keep is not None else [True] * len(all_qs)
                keep[i] = False
        for i in terms:
            attr = qs[i].attr
            if attr is None or attr.cue is None:
                # An item of a list of quoted terms that no cue attributes: a term, not a quote.
                keep = keep if keep is not None else [True] * len(all_qs)
                keep[i] = False
        # What the rules found and what the ranker thought, for the confidence model.
        asked: dict[int, tuple[Mention | None, float]] = {}
        if self._ranker is not None:
            for i, (q, cands) in enumerate(
                zip(qs, self.candidate_table(text, masked, paras, qs, cast), strict=True)
            ):
                if cands is None:
                    continue
                rules = q.attr.mention if q.attr else None
                _best, best_p = self._ranker.best(cands)
                asked[i] = (rules, best_p)
                m = self._ranker.pick(cands, q.attr.how if q.attr else None)
                # Below the threshold the rules' own pick (if any) stands.
                if m is not None and (
                    q.attr is None or (m.start, m.end) != (q.attr.mention.start, q.attr.mention.end)
                ):
                    q.attr = Attr(m, q.attr.cue if q.attr else None, How.RANKED)
        quotes, unattributed_from = self._kept(text, all_qs, keep, asked)
        return quotes, cast, unattributed_from

    @staticmethod
    def _cited_words(text: str, masked: str, q: Pending) -> bool:
        """An item of a pair (or more) of short quoted words in a sentence that speaks of them as
        words ("Experts added “circle back” and “synergy” to their list of words"), which no named
        person is said to use: cited words, not quoted speech."""
        if word_count(text[q.start : q.end]) > 2 or (q.attr is not None and q.attr.mention.kind != "desc"):
            return False
        lo = max(masked.rfind(". ", 0, q.span.open_at), masked.rfind("\n", 0, q.span.open_at), 0)
        hi = min(
            x
            for x in (masked.find(". ", q.span.close_at), masked.find("\n", q.span.close_at), len(masked))
            if x >= 0
        )
        return bool(_METALINGUISTIC.search(masked, lo, hi))

    @staticmethod
    def _guard(text: str, q: Pending, learned: bool) -> bool:
        """The span classifier's verdict, overruled by explicit rules where it disagrees with
        cases we hold fixed."""
        words = word_count(text[q.start : q.end])
        if q.attr is not None and words <= 2 and q.attr.cue in _LABEL_CUES and q.attr.mention.kind == "desc":
            # "critics called its ending “divisive”": a label by an unnamed group is a scare quote
            # (a hard case we hold fixed); the classifier, which sees a cue verb, would keep it.
            return False
        return learned

    @staticmethod
    def span_table(
        text: str, masked: str, paras: list[tuple[int, int]], qs: list[Pending]
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
    def _weak_cue(text: str, attr: Attr, cast: Cast) -> bool:
        """A cue-verb attribution whose speaker is not plainly a person: a description ("a
        marketing video said"), a capitalised word the cast does not know as a person, a
        possessive ("Trump's remarks said"). On train these are right only ~50-75% of the time
        (named persons and pronouns ~94%), so the ranker may overrule them."""
        if attr.how != How.BEFORE:
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
        text: str, masked: str, paras: list[tuple[int, int]], qs: list[Pending], cast: Cast
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
                if q.attr.how in (How.AFTER, How.BEFORE):
                    ent = cast.entity_at(prev.start, prev.end)
                    if ent is not None:
                        spoken.add(ent)
        return out

    # ------------------------------------------------------------------ output

    @staticmethod
    def _kept(
        text: str,
        qs: list[Pending],
        keep: list[bool] | None,
        asked: dict[int, tuple[Mention | None, float]] | None = None,
    ) -> tuple[list[Attributed], int | None]:
        """The quotes that are returned, as :class:`Attributed`, and where the limit began."""
        out: list[Attributed] = []
        unattributed_from = None
        for i, q in enumerate(qs):
            words = word_count(text[q.start : q.end])
            if keep is not None and not keep[i]:
                continue
            if i == MAX_ATTRIBUTED:
                unattributed_from = len(out)
            titled = keep is None and words <= 6 and _title_case(text[q.start : q.end])
            if titled and q.attr is not None and q.attr.how != How.AFTER:
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
            rules, ranker_p = (asked or {}).get(i, (q.attr.mention, None))
            out.append(Attributed(q.start, q.end, q.attr.mention, q.attr.cue, q.attr.how, rules, ranker_p))
        return out, unattributed_from

"""The summary checker: is each sentence of a summary backed by the article?

For each summary sentence: a sentence found verbatim in the article is supported outright (so the
service's own extractive summaries always pass); any other is scored by the learned head over the
features of :mod:`.features` (encoder similarity, token alignment, numbers, names, quotations,
negations, novel words), and checked for numbers, names and quotations the article does not have,
and for relations the article proves wrong (``relations.py``: names swapped around a verb, a number
moved to another noun, an action given to another name) and near-copies of an article sentence
with one claim changed (``edits.py``: another name, number or verb of the article in one slot, a
negation dropped or added), which veto it.
The answer names each problem and gives the article sentences that back the sentence best.

It measures support by this article, not truth: a sentence the article backs passes even if the
article is wrong, and a true fact the article does not state fails.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from models.registry import CHECKER, CHECKER_LM, load_json_weights
from models.types import ModelInfo, ModelLoadError
from service.engines.text import split_sentences
from service.engines.verify.binding import ArticleWords
from service.engines.verify.edits import ArticleAlignment, claim_edits
from service.engines.verify.features import FEATURES, ArticleView, SentenceEvidence, sentence_features
from service.engines.verify.head import CheckerHead, CheckerHeads, summary_score
from service.engines.verify.lexical import ArticleIndex, negations, summary_sentences, words
from service.engines.verify.likelihood import LM_FEATURES, sentence_values
from service.engines.verify.quotations import ArticleQuotes, QuoteExtractor, quote_problems
from service.engines.verify.relations import ArticleTokens, relation_issues
from service.engines.verify.types import Problem, SentenceCheck, Span, Verdict

if TYPE_CHECKING:
    from models.causal_lm import LikelihoodScorer
    from models.loaders import SentenceEncoder

#: A verbatim piece of the article shorter than this many words is not taken as support by itself
#: (a whole article sentence always is, however short).
MIN_VERBATIM_WORDS = 4
#: Article sentences at or above this similarity are given as evidence (the best one always is).
EVIDENCE_SIMILARITY = 0.6
EMPTY_SUMMARY = "the summary has no sentence to check"


class SummaryChecker:
    """Checks a summary against its article. Thread-safe after ``load``; CPU-bound (call it off the
    event loop). ``encoder``/``quotes``: share already-built engines; otherwise the checker loads
    the full sentence encoder (all layers, float32, as trained) and a quote engine of its own.
    ``lm_dir`` (or an already-loaded ``lm``): the converted SmolLM2 directory; with it every
    sentence also gets the likelihood features and the heads trained with them."""

    def __init__(
        self,
        *,
        encoder: SentenceEncoder | None = None,
        quotes: QuoteExtractor | None = None,
        encoder_dir: str | None = None,
        heads: CheckerHeads | None = None,
        lm_dir: str | None = None,
        lm: LikelihoodScorer | None = None,
    ) -> None:
        self._encoder = encoder
        self._quotes = quotes
        self._encoder_dir = encoder_dir
        self._heads = heads
        self._lm_dir = lm_dir
        self._lm = lm
        self._lock = threading.Lock()
        #: The language model runs one call at a time (its key/value cache is per call).
        self._lm_lock = threading.Lock()

    @property
    def uses_lm(self) -> bool:
        """Whether the likelihood features are computed (a language model is configured)."""
        return self._lm is not None or self._lm_dir is not None

    def load(self) -> None:
        """Load and verify the encoder and the head's weights (ModelLoadError); idempotent."""
        with self._lock:
            if self._encoder is None:
                from models.loaders import load_encoder

                self._encoder = load_encoder(self._encoder_dir, dtype="float32")
            if self._lm is None and self._lm_dir is not None:
                from models.causal_lm import load_likelihood_scorer

                self._lm = load_likelihood_scorer(self._lm_dir)
            if self._heads is None:
                spec = CHECKER_LM if self.uses_lm else CHECKER
                doc = load_json_weights(spec)
                try:
                    self._heads = CheckerHeads.from_dict(doc, self.features)
                except (KeyError, TypeError, ValueError) as exc:
                    raise ModelLoadError(f"model {spec.id}: malformed {spec.primary}: {exc!r}") from exc
            if self._quotes is None:
                from service.engines.quotes import RuleQuoteEngine

                self._quotes = RuleQuoteEngine()

    @property
    def features(self) -> tuple[str, ...]:
        """The names of the values each sentence gets, in order (what the heads were trained on)."""
        return (*FEATURES, *LM_FEATURES) if self.uses_lm else FEATURES

    def models(self) -> list[ModelInfo]:
        """The head's weights, and the language model when configured (the encoder is reported
        by the summary engine when shared)."""
        if not self.uses_lm:
            return [CHECKER.info(loaded=self._heads is not None)]
        from models.causal_lm import lm_info

        return [CHECKER_LM.info(loaded=self._heads is not None), lm_info(self._lm)]

    @property
    def heads(self) -> CheckerHeads:
        """The learned heads (after ``load``)."""
        self.load()
        assert self._heads is not None
        return self._heads

    # -- inference ---------------------------------------------------------------------------------

    def view(self, article: str) -> ArticleView:
        """The article's sentences, their embeddings and word pieces, and its word index."""
        self.load()
        assert self._encoder is not None
        spans = split_sentences(article)
        texts = [article[s:e] for s, e in spans]
        pooled, tokens, _ = self._encoder.encode_with_tokens(texts)
        stacked = np.concatenate(tokens) if tokens else np.zeros((0, self._encoder.dim), dtype=np.float32)
        ends = np.cumsum([len(t) for t in tokens]).tolist()
        return ArticleView(
            article,
            spans,
            pooled,
            stacked,
            ArticleIndex(article),
            [negations(t) for t in texts],
            [(int(e - len(t)), int(e)) for e, t in zip(ends, tokens, strict=True)],
            [words(t) for t in texts],
            ArticleWords(article, spans),
        )

    def evidence(self, article: str, summary: str) -> tuple[ArticleView, list[Any]]:
        """Per summary sentence: its span, features and quotation problems (training reads this)."""
        view = self.view(article)
        assert self._encoder is not None
        spans = summary_sentences(summary)
        texts = [summary[s:e] for s, e in spans]
        pooled, tokens, pieces = self._encoder.encode_with_tokens(texts)
        quotes = ArticleQuotes.of(article, self._quotes) if any('"' in t or "“" in t for t in texts) else None
        rows = []
        for i, ((s, e), text) in enumerate(zip(spans, texts, strict=True)):
            qp = quote_problems(text, s, view.index, quotes, self._quotes) if quotes is not None else []
            ev = sentence_features(view, text, pooled[i], tokens[i], len(qp), pieces=pieces[i])
            rows.append(((s, e), ev, qp))
        if self._lm is not None and rows:
            rows = self._with_likelihood(view, summary, rows)
        return view, rows

    def _with_likelihood(self, view: ArticleView, summary: str, rows: list[Any]) -> list[Any]:
        """Each sentence's features with the likelihood ones appended (one language-model pass:
        the article once, then the summary with and without it)."""
        assert self._lm is not None
        with self._lm_lock:
            toks = self._lm.score(view.text, [summary])[0]
        names = frozenset(view.binding.names) if view.binding is not None else frozenset()
        return [
            ((s, e), replace(ev, values=[*ev.values, *sentence_values(summary, toks, s, e, names)]), qp)
            for (s, e), ev, qp in rows
        ]

    def verify(self, article: str, summary: str) -> Verdict:
        """Every sentence of ``summary`` checked against ``article``; see :class:`Verdict`."""
        heads = self.heads
        view, rows = self.evidence(article, summary)
        if not rows:
            return Verdict(supported=False, score=0.0, sentences=[], reason=EMPTY_SUMMARY)
        head = heads.for_summary(len(rows))
        relations = ArticleTokens(article, view.spans)
        alignment = ArticleAlignment(article, view.spans)
        checks = [
            self._check(
                head,
                view,
                summary,
                span=span,
                ev=ev,
                quote_issues=qp,
                relations=relations,
                alignment=alignment,
            )
            for span, ev, qp in rows
        ]
        return Verdict(
            supported=all(c.supported for c in checks),
            score=summary_score([c.score for c in checks]),
            sentences=checks,
        )

    @staticmethod
    def _check(
        head: CheckerHead,
        view: ArticleView,
        summary: str,
        *,
        span: tuple[int, int],
        ev: SentenceEvidence,
        quote_issues: list[Problem],
        relations: ArticleTokens | None = None,
        alignment: ArticleAlignment | None = None,
    ) -> SentenceCheck:
        s, e = span
        text = summary[s:e]
        if ev.verbatim_at is not None and (
            len(words(text)) >= MIN_VERBATIM_WORDS or ev.verbatim_at in view.spans
        ):
            # Verbatim in the article: a whole article sentence, or a piece of four words or more.
            return SentenceCheck(text, s, e, True, 1.0, [Span(*ev.verbatim_at)], [])
        score = head.score(ev.values)
        problems = [
            Problem(m.kind, m.text, s + m.start, s + m.end, f"the article does not mention {m.text}")
            for m in [*ev.bad_numbers, *ev.bad_names]
        ]
        if ev.negation is not None:
            m = ev.negation
            problems.append(
                Problem(
                    "negation",
                    m.text,
                    s + m.start,
                    s + m.end,
                    "the closest article sentence says the opposite",
                )
            )
        problems += quote_issues
        proven = relation_issues(relations, text) if relations is not None else []
        problems += [
            Problem("relation", text[r.start : r.end], s + r.start, s + r.end, r.message) for r in proven
        ]
        edits = claim_edits(alignment, text) if alignment is not None else []
        problems += [
            Problem("changed", text[c.start : c.end], s + c.start, s + c.end, c.message) for c in edits
        ]
        vetoed = proven or edits or any(p.kind in head.veto for p in problems)
        supported = score >= head.threshold and not vetoed
        if supported:
            problems = []
        elif not problems:
            problems = [Problem("claim", text, s, e, "the article does not contain this claim")]
        best = [
            Span(*view.spans[i])
            for rank, (i, sim) in enumerate(zip(ev.best, ev.best_sims, strict=True))
            if rank == 0 or sim >= EVIDENCE_SIMILARITY
        ]
        # The article sentences that prove a relation wrong or that the sentence edits come first;
        # each sentence once.
        firsts = [*(Span(*r.evidence) for r in proven), *(Span(*c.evidence) for c in edits)]
        evidence = list(dict.fromkeys([*firsts, *best]))
        return SentenceCheck(text, s, e, supported, round(score, 4), evidence, problems)

"""A deterministic stand-in for the summary checker, for fast tests (no model): a sentence is
supported when the article has every one of its content words; same interface as SummaryChecker."""

from __future__ import annotations

from models.types import ModelInfo
from service.engines.verify.engine import EMPTY_SUMMARY
from service.engines.verify.head import summary_score
from service.engines.verify.lexical import ArticleIndex, content, summary_sentences, words
from service.engines.verify.types import Problem, SentenceCheck, Span, Verdict


class FakeSummaryChecker:
    """Word-overlap support: score = share of content words the article has; supported at 1."""

    def load(self) -> None:
        """Nothing to load."""

    def models(self) -> list[ModelInfo]:
        """A model-free stand-in."""
        return [ModelInfo(id="fake-checker", task="summary-verification", source="builtin", loaded=True)]

    def verify(self, article: str, summary: str) -> Verdict:
        """Each summary sentence scored by the share of its content words the article has."""
        index = ArticleIndex(article)
        checks = []
        for s, e in summary_sentences(summary):
            text = summary[s:e]
            cw = content(words(text))
            known = [w for w in cw if index.known(w)]
            score = len(known) / len(cw) if cw else 1.0
            supported = score == 1.0
            problems = [] if supported else [Problem("claim", text, s, e, "words the article does not have")]
            at = article.find(text)
            evidence = [Span(at, at + len(text))] if at >= 0 else []
            checks.append(SentenceCheck(text, s, e, supported, round(score, 4), evidence, problems))
        if not checks:
            return Verdict(supported=False, score=0.0, sentences=[], reason=EMPTY_SUMMARY)
        return Verdict(
            supported=all(c.supported for c in checks),
            score=summary_score([c.score for c in checks]),
            sentences=checks,
        )

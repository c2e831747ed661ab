"""Quotations in a summary: verbatim in the article, and given to the speaker the article gives them to.

The article's quotes and speakers come from the quote engine; the summary sentence's own
attribution ("..., Smith said") comes from the same engine run on the summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from service.engines.verify.lexical import ArticleIndex, content, words
from service.engines.verify.types import Problem
from service.schemas import QuotesResult

# Double quotes, straight or curly, and curly single quotes; a straight single quote is too often
# an apostrophe to open a quotation.
_QUOTED = re.compile(r"[\"“”]([^\"“”]{2,}?)[\"“”]|‘([^‘’]{2,}?)’")
#: Quotations shorter than this many words are names, titles or scare quotes, not quotations.
MIN_WORDS = 3


class QuoteExtractor(Protocol):
    """The part of the quote engine the checker uses."""

    def extract(self, text: str) -> QuotesResult: ...


@dataclass(frozen=True)
class ArticleQuotes:
    """The article's quotations, each with the words of its speaker's name and aliases."""

    quotes: list[tuple[str, set[str]]]

    @classmethod
    def of(cls, article: str, engine: QuoteExtractor | None) -> ArticleQuotes:
        """Run the quote engine on the article (no engine: quotations without speakers)."""
        if engine is None:
            return cls([])
        result = engine.extract(article)
        aliases = {s.name: {s.name, *s.aliases} for s in result.speakers}
        out = []
        for q in result.quotes:
            name = q.speaker.name if q.speaker is not None else None
            who: set[str] = set()
            for alias in aliases.get(name or "", {name} if name else set()):
                who |= set(content(words(alias)))
            out.append((" ".join(words(q.text)), who))
        return cls(out)

    def speakers_of(self, quotation: str) -> set[str] | None:
        """The name words of whoever the article gives ``quotation`` to; None when unknown."""
        key = " ".join(words(quotation))
        for text, who in self.quotes:
            if key and key in text and who:
                return who
        return None


def quotations(sentence: str) -> list[tuple[int, int]]:
    """Spans (relative to ``sentence``) of the quoted words of at least ``MIN_WORDS`` words."""
    out = []
    for m in _QUOTED.finditer(sentence):
        group = 1 if m.group(1) is not None else 2
        if len(words(m.group(group))) >= MIN_WORDS:
            out.append((m.start(group), m.end(group)))
    return out


def quote_problems(
    sentence: str,
    offset: int,
    index: ArticleIndex,
    article_quotes: ArticleQuotes,
    engine: QuoteExtractor | None,
) -> list[Problem]:
    """A problem for each quotation of ``sentence`` not verbatim in the article, and for each given
    to a named speaker the article does not give it to; offsets are ``offset`` + sentence-relative."""
    problems: list[Problem] = []
    spans = quotations(sentence)
    if not spans:
        return problems
    for s, e in spans:
        text = sentence[s:e]
        if not index.has_phrase(text):
            problems.append(
                Problem("quotation", text, offset + s, offset + e, "the article has no such quotation")
            )
    if engine is None:
        return problems
    for q in engine.extract(sentence).quotes:
        said_by = q.speaker.name if q.speaker is not None else None
        if not said_by or not index.has_phrase(q.text):
            continue
        named = set(content(words(said_by)))
        truth = article_quotes.speakers_of(q.text)
        if named and truth is not None and not named & truth:
            problems.append(
                Problem(
                    "quote_speaker",
                    q.text,
                    offset + q.start,
                    offset + q.end,
                    f"the article does not give this quotation to {said_by}",
                )
            )
    return problems

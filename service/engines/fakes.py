"""Deterministic engines without model weights, selected with ``ANALYZER_ENGINES=fake``.

They exist for fast API tests and load tests of the HTTP stack: same interfaces and same output
shapes as the real engines, simple transparent rules, optional artificial latency.
"""

from __future__ import annotations

import re
import time

from service.schemas import (
    ModelInfo,
    Quote,
    QuotesResult,
    Speaker,
    SpeakerRef,
    Summary,
    SummaryOptions,
    SummarySentence,
)

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_QUOTE = re.compile(r"[\"“]([^\"“”\n]+)[\"”]")
# Used with .match(text, pos): anchored at pos without a "^" (which would only match at 0).
_SAID = re.compile(r"[\s,]*(said|says) ([A-Z][a-z]+(?: [A-Z][a-z]+)*)")


class FakeSummaryEngine:
    """Lead-N summary: the first ``max_sentences`` sentences, with offsets."""

    def __init__(self, delay_s: float = 0.0, fail_marker: str | None = None) -> None:
        self.delay_s = delay_s
        self.fail_marker = fail_marker
        self.loaded = False
        self.calls: list[int] = []

    def load(self) -> None:
        """Nothing to load."""
        self.loaded = True

    def warmup(self) -> None:
        """Nothing to warm."""

    def summarize_batch(self, items: list[tuple[str, SummaryOptions]]) -> list[Summary]:
        """Lead sentences of each text; raises for a text containing ``fail_marker``."""
        self.calls.append(len(items))
        if self.delay_s:
            time.sleep(self.delay_s * len(items))
        out = []
        for text, opts in items:
            if self.fail_marker and self.fail_marker in text:
                raise ValueError("fake failure")
            sents = []
            for m in _SENTENCE.finditer(text):
                s, e = m.start(), m.end()
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                if e > s:
                    sents.append(SummarySentence(text=text[s:e], start=s, end=e))
                if len(sents) >= (opts.max_sentences or 3):
                    break
            out.append(Summary(text=" ".join(x.text for x in sents), sentences=sents, model="fake-lead"))
        return out

    def models(self) -> list[ModelInfo]:
        """A single fake model entry."""
        return [ModelInfo(id="fake-lead", task="summary", source="builtin", loaded=self.loaded)]


class FakeQuoteEngine:
    """Text between double quote marks; speaker from a following "said Name"."""

    def load(self) -> None:
        """Nothing to load."""

    def warmup(self) -> None:
        """Nothing to warm."""

    def extract(self, text: str) -> QuotesResult:
        """Quotes between double marks, speakers only for the plain "…," said Name pattern."""
        quotes = []
        counts: dict[str, int] = {}
        for m in _QUOTE.finditer(text):
            speaker = None
            said = _SAID.match(text, m.end())
            if said:
                name = said.group(2)
                s = said.start(2)
                speaker = SpeakerRef(name=name, mention=name, start=s, end=s + len(name))
                counts[name] = counts.get(name, 0) + 1
            body_s, body_e = m.start(1), m.end(1)
            quotes.append(
                Quote(
                    text=text[body_s:body_e],
                    start=body_s,
                    end=body_e,
                    speaker=speaker,
                    cue=said.group(1) if said else None,
                )
            )
        speakers = [Speaker(name=n, quote_count=c, aliases=[n], kind="person") for n, c in counts.items()]
        return QuotesResult(quotes=quotes, speakers=speakers)

    def models(self) -> list[ModelInfo]:
        """A single fake model entry (so that quote metrics have a model to join)."""
        return [ModelInfo(id="fake-quotes", task="quote-detection", source="builtin", loaded=True)]

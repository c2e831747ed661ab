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
around its marks and the rules' attribution; one explicit guard overrules it (``steps._group_label``). Without
the classifier, short title-case spans and labels by unnamed groups are dropped by rule. A quote
with no speaker keeps ``speaker=None``. Quotes inside headline and page-furniture lines are dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from models.registry import QUOTE_CONFIDENCE, QUOTE_RANKER, QUOTE_SPANS, ModelSpec, load_json_model
from service.engines.quotes.evidence import warm
from service.engines.quotes.people import Cast
from service.engines.quotes.ranker import Ranker
from service.engines.quotes.spans import SpanScorer
from service.engines.quotes.speakers import Attributed, ConfidenceTable, build_result
from service.engines.quotes.steps import output, prepare, rank, verdicts
from service.schemas import ModelInfo, QuotesResult

_M = TypeVar("_M")

#: The text :meth:`RuleQuoteEngine.warmup` runs: one attributed quote.
WARMUP_TEXT = "“Warm-up,” she said."


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
        self._confidence: ConfidenceTable | None = None
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
                self._build(QUOTE_CONFIDENCE, ConfidenceTable.from_doc) if w[QUOTE_CONFIDENCE.id] else None
            )
            self._ranker = self._build(QUOTE_RANKER, Ranker.from_doc) if w[QUOTE_RANKER.id] else None
            warm()
            self._loaded = True

    def warmup(self) -> None:
        """Load, then run the whole pipeline once on a one-sentence quote (first-use costs)."""
        self.extract(WARMUP_TEXT)

    def _build(self, spec: ModelSpec, make: Callable[[dict[str, Any]], _M]) -> _M:
        """One bundled model from its checksum-verified JSON (``model_dir`` replaces the folder)."""
        return load_json_model(spec, make, self._model_dir)

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

    # ------------------------------------------------------------------ the pipeline

    def extract(self, text: str) -> QuotesResult:
        """Quotes in document order with exact offsets, each with its speaker where known."""
        quotes, cast, unattributed_from = self.attributed(text)
        return build_result(text, quotes, cast, self._confidence, unattributed_from)

    def attributed(self, text: str) -> tuple[list[Attributed], Cast, int | None]:
        """The quotes to return with the rules' and the ranker's attributions, the article's cast,
        and the index from which quotes went unattributed (the per-text limit); the confidence
        training script reads the same. The steps are those of :mod:`.steps`, in order."""
        self.load()
        # Work per quote is bounded, but a text with thousands of quote marks (a list of titles,
        # a corrupted feed) would still cost seconds: beyond MAX_ATTRIBUTED quotes the rest are
        # returned as found, without a speaker.
        art, draft = prepare(text, self._apostrophe_pairs)
        keep = verdicts(art, draft, self._spans)
        if self._ranker is not None:
            draft = rank(art, draft, self._ranker)
        quotes, unattributed_from = output(art, draft, keep)
        return quotes, art.cast, unattributed_from

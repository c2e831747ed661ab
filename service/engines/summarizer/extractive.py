"""The extractive summariser: candidate sentences, encoded together, scored by a learned model,
chosen whole.

Pipeline for each article: page noise removed, sentences split and filtered to prose
(:mod:`.candidates`; text without sentence structure gets an empty summary and a ``reason``); all
candidates of every article in the batch encoded in one pass (sorted by length, in batches);
per-sentence features (position, length, similarity to the centroid and lead, word-frequency
centrality, quotes, ...); a small learned scorer; selection of whole sentences with a position
prior, a length target and a sentence cap (:mod:`.selection`). Every summary sentence is
``text[start:end]`` of a whole article sentence, unless the caller sets ``trim`` with
``max_words``. Everything is linear in the article's length.

Default length (neither limit given): the summary is chosen whole by the summary ranker
(:mod:`.reranker`): every admissible set of whole sentences from the top of the article is scored
as a summary (length against the kind of article, redundancy, coverage, and the sentences' own
features), and the best is returned; its weights are models/weights/summary_ranker.json, chosen by
nested cross-validation (bench/train_summary_ranker.py). With ``max_sentences`` or ``max_words``
the sentence scorer's ranking fills the caller's limits (:mod:`.selection`).
"""

from __future__ import annotations

import re
import time
from typing import Any

import structlog

from models.loaders import SentenceEncoder, load_encoder
from models.registry import RANKER, SCORER, SELECTOR, load_json_model
from models.types import ModelLoadError
from service.engines.summarizer.candidates import candidate_units, needs_antecedent
from service.engines.summarizer.config import SummarizerConfig
from service.engines.summarizer.features import FloatArray, content_words, sentence_features, word_count
from service.engines.summarizer.reranker import SummaryRanker
from service.engines.summarizer.scorer import SentenceScorer
from service.engines.summarizer.selection import Limits, Pick, select, trim_to_words
from service.engines.summarizer.selector import ContentSelector, unit_trigrams
from service.engines.text import Sentence
from service.schemas import ModelInfo, Summary, SummaryOptions, SummarySentence

log = structlog.get_logger(__name__)

#: Why a summary of an article with candidates is empty.
NOTHING_FITS = "no whole sentence fits in max_words (set trim to allow a shortened sentence)"

_WARMUP_TEXT = (
    "The city council approved a new cycling network on Tuesday. The plan was passed by 31 votes "
    "to 12 after a long debate. Work on the first section is due to begin in the spring."
)


class ExtractiveSummarizer:
    """Extractive summaries whose sentences are verbatim spans of the article."""

    def __init__(
        self,
        config: SummarizerConfig,
        *,
        encoder: SentenceEncoder | None = None,
        scorer: SentenceScorer | None = None,
        ranker: SummaryRanker | None = None,
        selector: ContentSelector | None = None,
    ) -> None:
        self.config = config
        self._encoder = encoder
        self._scorer = scorer
        self._ranker = ranker
        self._selector = selector

    # -- lifecycle ---------------------------------------------------------------------------------

    def load(self) -> None:
        """Load the encoder and the scorer weights, verifying checksums (ModelLoadError)."""
        if self._encoder is None:
            self._encoder = load_encoder(
                self.config.encoder_dir,
                dtype=self.config.encoder_dtype,
                max_tokens=self.config.encoder_max_tokens,
                streams=self.config.encoder_streams,
                layers=self.config.encoder_layers,
            )
        if self._scorer is None:
            self._scorer = load_json_model(SCORER, SentenceScorer.from_dict)
        if self._ranker is None:
            self._ranker = load_json_model(RANKER, SummaryRanker.from_dict)
        if self._selector is None and self.config.content_selector:
            self._selector = load_json_model(SELECTOR, ContentSelector.from_dict)
        named: list[tuple[str, SentenceScorer | SummaryRanker | ContentSelector]] = [
            ("sentence scorer", self._scorer),
            ("summary ranker", self._ranker),
        ]
        if self._selector is not None:
            named.append(("content selector", self._selector))
        for name, model in named:
            mismatch = encoder_mismatch(model, self.config)
            if mismatch is not None:
                log.warning(f"{name} trained on other encoder settings", **mismatch)
        log.info(
            "extractive summariser loaded",
            encoder=self._encoder.info.id,
            dtype=getattr(self._encoder, "dtype", "float32"),
            encoder_layers=self.config.encoder_layers,
            candidate_pool=self.config.candidate_pool,
        )

    def warmup(self) -> None:
        """One small batch through the whole pipeline."""
        self.summarize_batch([(_WARMUP_TEXT, SummaryOptions())])

    def models(self) -> list[ModelInfo]:
        """The encoder and the sentence scorer, with their checksums."""
        encoder = (
            self._encoder.info
            if self._encoder is not None
            else ModelInfo(id="sentence-encoder", task="sentence-embedding", source="not loaded")
        )
        return [
            encoder,
            SCORER.info(loaded=self._scorer is not None),
            RANKER.info(loaded=self._ranker is not None),
            *([SELECTOR.info(loaded=True)] if self._selector is not None else []),
        ]

    @property
    def model_id(self) -> str:
        """Id of the encoder, reported in every summary."""
        return self._encoder.info.id if self._encoder is not None else "sentence-encoder"

    # -- inference ---------------------------------------------------------------------------------

    def summarize_batch(self, items: list[tuple[str, SummaryOptions]]) -> list[Summary]:
        """One extractive summary per (text, options), same order; all articles' sentences are
        encoded together."""
        if self._encoder is None or self._scorer is None or self._ranker is None:
            raise ModelLoadError("the extractive summariser is not loaded")
        t0 = time.perf_counter()
        # At most candidate_pool candidates per article (MAX_SENTENCES when the pool is 0): news
        # summaries come from the top of the story, and this bounds the encoder's work.
        cands = [candidate_units(text, pool=self.config.candidate_pool) for text, _ in items]
        docs = [sents for sents, _, _ in cands]
        flat = [s.text for doc in docs for s in doc]
        emb = self._encode([[s.text for s in doc] for doc in docs])
        out = []
        pos = 0
        for (text, options), (sents, sizes, reason) in zip(items, cands, strict=True):
            doc_emb = emb[pos : pos + len(sents)]
            pos += len(sents)
            out.append(self._summarize_one(text, options, (sents, sizes), doc_emb, reason))
        log.debug(
            "summarised batch",
            documents=len(items),
            sentences=len(flat),
            ms=round(1000 * (time.perf_counter() - t0), 1),
        )
        return out

    def _encode(self, docs: list[list[str]]) -> FloatArray:
        """Rows of every document's sentences; batches never mix documents where the encoder can
        keep them apart (SentenceEncoder.encode_documents), so a summary does not depend on the
        articles batched with it. Encoders with ``encode`` only get the sentences in one list."""
        assert self._encoder is not None
        size = self.config.encode_batch_size
        by_document = getattr(self._encoder, "encode_documents", None)
        if by_document is not None:
            rows: FloatArray = by_document(docs, batch_size=size)
            return rows
        return self._encoder.encode([s for doc in docs for s in doc], batch_size=size)

    def _summarize_one(
        self,
        text: str,
        options: SummaryOptions,
        units: tuple[list[Sentence], list[int]],
        emb: FloatArray,
        reason: str | None,
    ) -> Summary:
        assert self._scorer is not None
        sents = units[0]
        if not sents:
            return self._summary([], reason)
        content = [content_words(s.text) for s in sents]
        feats = sentence_features(sents, emb, text, content)
        words = [word_count(s.text) for s in sents]
        dependent = [needs_antecedent(s.text) for s in sents]
        if options.max_sentences is None and options.max_words is None:
            assert self._ranker is not None
            best = self._ranker.choose(feats, emb, words, dependent, content, sizes=units[1])
            picks = [Pick(i) for i in best]
        else:
            picks = self._select(
                feats=feats, emb=emb, units=units, words=words, dependent=dependent, options=options
            )
        chosen: list[SummarySentence] = []
        trimmed = False
        for pick in picks:
            s = sents[pick.index]
            end = s.end
            if pick.words is not None:
                keep = trim_to_words(s.text, pick.words)
                if not keep and chosen:
                    continue
                end = s.start + (keep or _raw_prefix(s.text, pick.words))
                trimmed = True
            chosen.append(SummarySentence(text=text[s.start : end], start=s.start, end=end))
        return self._summary(chosen, None if chosen else NOTHING_FITS, trimmed=trimmed)

    def _select(
        self,
        *,
        feats: FloatArray,
        emb: FloatArray,
        units: tuple[list[Sentence], list[int]],
        words: list[int],
        dependent: list[bool],
        options: SummaryOptions,
    ) -> list[Pick]:
        """Whole units for the caller's limits, ranked by the content selector (trigram blocking),
        or by the sentence scorer where no selector is loaded; a unit of n sentences counts n
        against the sentence cap."""
        assert self._scorer is not None
        sents, sizes = units
        limits = Limits(options.max_sentences, options.max_words, options.trim)
        if self._selector is None:
            params = self._scorer.selection_for(feats)
            scores = self._scorer.score(feats)
            return select(scores, words, emb, dependent, limits=limits, params=params, sizes=sizes)
        scores = self._selector.score(feats, emb)
        blocking = unit_trigrams([s.text for s in sents])
        params = self._selector.selection
        return select(
            scores, words, emb, dependent, limits=limits, params=params, blocking=blocking, sizes=sizes
        )

    def _summary(
        self, chosen: list[SummarySentence], reason: str | None, *, trimmed: bool = False
    ) -> Summary:
        return Summary(
            text=" ".join(c.text for c in chosen),
            sentences=chosen,
            method="extractive",
            model=self.model_id,
            trimmed=trimmed,
            reason=reason,
        )


def encoder_mismatch(
    model: SentenceScorer | SummaryRanker | ContentSelector, config: SummarizerConfig
) -> dict[str, dict[str, Any]] | None:
    """The encoder settings the scorer or ranker was trained on and those configured (``trained``,
    ``used``), when they differ; None when they agree or the weights do not record them."""
    trained = dict(model.encoder or {})
    used = {
        "layers": config.encoder_layers,
        "max_tokens": config.encoder_max_tokens,
        "pool": config.candidate_pool,
    }
    if trained and any(trained.get(k) != v for k, v in used.items()):
        return {"trained": trained, "used": used}
    return None


def _raw_prefix(text: str, max_words: int) -> int:
    """Length of the first ``max_words`` words, used when a tidy cut would leave nothing."""
    spans = [m.end() for m in re.finditer(r"\S+", text)]
    return spans[min(max_words, len(spans)) - 1] if spans else len(text)

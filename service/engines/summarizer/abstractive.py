"""The abstractive summariser: any Hugging Face seq2seq model (BART, DistilBART, T5, Pegasus) from a
local directory.

Page noise is removed first (the model never sees furniture lines). Articles longer than the
model's window are cut into chunks on sentence boundaries; every chunk of every article in the
batch is generated in one padded ``generate`` call; the chunk summaries of an article are joined in
order. ``max_sentences``/``max_words`` are applied to the generated text. Abstractive sentences
carry no offsets: they are not spans of the article.
"""

from __future__ import annotations

import re
import time
from typing import Any

import structlog

from models.loaders import Seq2SeqModel, load_seq2seq
from models.types import ModelLoadError
from service.engines.summarizer.candidates import candidate_sentences
from service.engines.summarizer.config import SummarizerConfig
from service.engines.text import split_sentences
from service.schemas import ModelInfo, Summary, SummaryOptions, SummarySentence

log = structlog.get_logger(__name__)

#: Tokens kept free in each chunk for the special tokens the tokenizer adds (BOS/EOS).
_SPECIAL_RESERVE = 4
_T5_PREFIX = "summarize: "
#: Sentences kept of the generated text when the caller gives no ``max_sentences``.
DEFAULT_SENTENCES = 3


class AbstractiveSummarizer:
    """Generated summaries from a local seq2seq model."""

    def __init__(self, config: SummarizerConfig, *, model: Seq2SeqModel | None = None) -> None:
        self.config = config
        self._model = model

    def load(self) -> None:
        """Load the model from ``config.abstractive_dir`` (ModelLoadError on any failure)."""
        if self._model is None:
            if not self.config.abstractive_dir:
                raise ModelLoadError("no abstractive model directory is configured")
            self._model = load_seq2seq(self.config.abstractive_dir)
        log.info("abstractive summariser loaded", model=self._model.info.id)

    def warmup(self) -> None:
        """One short generation, so that the first request pays no one-off costs."""
        self.summarize_batch(
            [("The council approved the plan on Tuesday. Work starts soon.", SummaryOptions())]
        )

    def models(self) -> list[ModelInfo]:
        """The seq2seq model (id, directory, weight digest)."""
        if self._model is None:
            return [ModelInfo(id="seq2seq", task="summarization", source="not loaded")]
        return [self._model.info]

    def chunks(self, text: str) -> list[str]:
        """The article's story text cut on sentence boundaries into pieces that fit the window."""
        assert self._model is not None
        tok = self._model.tokenizer
        prefix = _T5_PREFIX if self._is_t5 else ""
        window = min(self.config.max_input_tokens, self._model.max_input_tokens) - _SPECIAL_RESERVE
        window -= len(tok(prefix, add_special_tokens=False)["input_ids"]) if prefix else 0
        sents = [s.text for s in candidate_sentences(text)[0]]
        if not sents:
            return []
        lengths = [len(ids) for ids in tok(sents, add_special_tokens=False)["input_ids"]]
        out: list[str] = []
        cur: list[str] = []
        used = 0
        for sent, n in zip(sents, lengths, strict=True):
            if cur and used + n > window:
                out.append(" ".join(cur))
                cur, used = [], 0
                if len(out) >= self.config.max_chunks:
                    break
            cur.append(sent)
            used += n
        if cur and len(out) < self.config.max_chunks:
            out.append(" ".join(cur))
        return [prefix + c for c in out]

    @property
    def _is_t5(self) -> bool:
        assert self._model is not None
        return str(getattr(self._model.model.config, "model_type", "")).startswith(("t5", "mt5"))

    def summarize_batch(self, items: list[tuple[str, SummaryOptions]]) -> list[Summary]:
        """One generated summary per (text, options), same order."""
        if self._model is None:
            raise ModelLoadError("the abstractive summariser is not loaded")
        import torch

        t0 = time.perf_counter()
        per_doc = [self.chunks(text) for text, _ in items]
        flat = [c for doc in per_doc for c in doc]
        generated: list[str] = []
        if flat:
            tok, model = self._model.tokenizer, self._model.model
            window = min(self.config.max_input_tokens, self._model.max_input_tokens)
            enc = tok(flat, truncation=True, max_length=window, padding=True, return_tensors="pt")
            kwargs: dict[str, Any] = {
                "max_new_tokens": self.config.max_new_tokens,
                "num_beams": self.config.num_beams,
                "do_sample": False,
                "early_stopping": self.config.num_beams > 1,
            }
            if self.config.min_new_tokens:
                kwargs["min_new_tokens"] = self.config.min_new_tokens
            if self.config.no_repeat_ngram_size:
                kwargs["no_repeat_ngram_size"] = self.config.no_repeat_ngram_size
            with torch.inference_mode():
                ids = model.generate(
                    input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], **kwargs
                )
            generated = [t.strip() for t in tok.batch_decode(ids, skip_special_tokens=True)]
        out = []
        pos = 0
        for doc, (_, options) in zip(per_doc, items, strict=True):
            parts = generated[pos : pos + len(doc)]
            pos += len(doc)
            out.append(self._limit(" ".join(p for p in parts if p), options))
        log.debug(
            "generated batch",
            documents=len(items),
            chunks=len(flat),
            ms=round(1000 * (time.perf_counter() - t0), 1),
        )
        return out

    def _limit(self, text: str, options: SummaryOptions) -> Summary:
        """Apply the sentence and word limits to generated text."""
        assert self._model is not None
        text = re.sub(r"\s+", " ", text).strip()
        sentences: list[str] = []
        words = 0
        cap = options.max_sentences or DEFAULT_SENTENCES
        for s, e in split_sentences(text):
            sent = text[s:e]
            n = len(sent.split())
            if len(sentences) >= cap:
                break
            if options.max_words is not None and words + n > options.max_words:
                if not sentences:
                    sentences.append(" ".join(sent.split()[: options.max_words]))
                break
            sentences.append(sent)
            words += n
        return Summary(
            text=" ".join(sentences),
            sentences=[SummarySentence(text=s) for s in sentences],
            method="abstractive",
            model=self._model.info.id,
        )

"""Language identification, so that an article the engines cannot read is said so, not answered empty.

py3langid (a naive Bayes model over byte n-grams, 97 languages, model inside its wheel) reads a
bounded sample of the article: about 2 ms for 4,000 characters on one core, the same for any
article length. The model loads once per process (about a second), with the other models.

An article is refused only when the detector is sure: the sample has enough letters, the top
language is not supported, its probability is high and English's is negligible. Short or mixed
texts are never refused on a guess: of the 1,311 English articles of the evaluation data (each also
lower-cased; upper case the detector lower-cases itself), their 21,345 paragraphs and 22,666
sentences of 20 characters or more, none is refused (``tests/api/test_language.py`` checks the
articles and a tenth of the paragraphs).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

#: Languages the engines were built and evaluated for (the quote rules and the summary scorer).
SUPPORTED: frozenset[str] = frozenset({"en"})
#: Characters read from the start of the article: enough to be sure, and a bounded cost.
SAMPLE_CHARS = 4000
#: Below this many letters a text is too short to judge, and is never refused.
MIN_LETTERS = 40
#: The top language's probability needed to refuse, and the most a supported language may have.
REFUSE_CONFIDENCE = 0.80
SUPPORTED_FLOOR = 0.05

_lock = threading.Lock()
_identifier: Any = None


def _load() -> Any:
    global _identifier  # noqa: PLW0603 - one read-only model per process, loaded on first use
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


@dataclass(frozen=True, slots=True)
class Detection:
    """The detected language (ISO 639-1 code), its probability, and whether the engines serve it."""

    code: str
    confidence: float
    supported: bool


class LanguageDetector:
    """Detects an article's language from a bounded sample; thread-safe once loaded."""

    def __init__(self, supported: frozenset[str] = SUPPORTED) -> None:
        self.supported = supported

    def load(self) -> None:
        """Load the model (once per process); call before serving."""
        _load()

    def detect(self, text: str) -> Detection:
        """The language of ``text`` and whether to serve it; unsure means supported."""
        sample = text[:SAMPLE_CHARS]
        ranked: list[tuple[str, float]] = _load().rank(sample)
        code, confidence = ranked[0]
        floor = max((p for c, p in ranked if c in self.supported), default=0.0)
        letters = sum(ch.isalpha() for ch in sample)
        sure = letters >= MIN_LETTERS and confidence >= REFUSE_CONFIDENCE and floor < SUPPORTED_FLOOR
        supported = code in self.supported or not sure
        if letters < MIN_LETTERS:
            code = "und"  # too short to name a language at all
        return Detection(code=code, confidence=round(float(confidence), 4), supported=supported)

"""The summary checker: is each sentence of a summary supported by its article?

``SummaryChecker(...).verify(article, summary) -> Verdict`` is the entry point; see :mod:`.engine`.
"""

from __future__ import annotations

from service.engines.verify.engine import SummaryChecker
from service.engines.verify.types import Problem, ProblemKind, SentenceCheck, Span, Verdict

__all__ = ["Problem", "ProblemKind", "SentenceCheck", "Span", "SummaryChecker", "Verdict"]

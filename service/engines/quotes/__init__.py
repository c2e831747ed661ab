"""Rule-based direct-quote extraction with speaker attribution (pure Python, no NLP models)."""

from service.engines.quotes.engine import RuleQuoteEngine

__all__ = ["RuleQuoteEngine"]

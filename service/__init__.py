"""News-analysis service: extractive/abstractive summaries and direct quotes with their speakers."""

__version__ = "0.1.0"

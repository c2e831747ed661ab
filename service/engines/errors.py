"""The engines' own errors: plain exceptions that name what went wrong, not how a client hears it.

Engines know nothing of HTTP; the service layer (``service.errors.from_engine``) maps each of these
to the problem a client receives.
"""

from __future__ import annotations

# The model layer's load error, re-exported: engines raise it, readiness reports it.
from models.types import ModelLoadError as ModelLoadError  # noqa: PLC0414 - explicit re-export

__all__ = ["EngineError", "ModelLoadError", "UnsupportedOption"]


class EngineError(Exception):
    """Base of the errors an engine raises for one request it cannot serve."""


class UnsupportedOption(EngineError, ValueError):
    """An option the engine, as configured, cannot honour (abstractive summaries without a model)."""

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        #: RFC 6901 pointer (relative to one document) of the option at fault, when there is one.
        self.field = field

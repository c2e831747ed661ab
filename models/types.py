"""What the model layer hands to the service: a model's public description and its load error.

They live here, below the service, so that ``models/`` depends on nothing in ``service/``: the
service imports these (``service.schemas`` re-exports :class:`ModelInfo` as a wire type, and
``service.errors`` maps :class:`ModelLoadError` to readiness), never the other way round.
"""

from __future__ import annotations

import msgspec


class ModelLoadError(Exception):
    """Weights are missing, unreadable, or fail their checksum. Raised while loading, never to a
    client directly: readiness stays 503 and the reason (this message, which names only files) is
    logged and shown by ``/health/ready``."""


class ModelInfo(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    """A loaded model, for /v1/models."""

    id: str
    task: str
    source: str
    revision: str | None = None
    sha256: str | None = None
    licence: str | None = None
    loaded: bool = False

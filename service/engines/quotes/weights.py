"""Reading the bundled learned weights, verified against their pinned digests."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def read_pinned_json(path: Path, sha256: str | None) -> dict[str, Any]:
    """A bundled weights file, refused (ValueError) when its digest differs from the pinned one."""
    raw = path.read_bytes()
    if sha256 is not None and hashlib.sha256(raw).hexdigest() != sha256:
        raise ValueError(f"{path.name}: sha256 mismatch")
    doc: dict[str, Any] = json.loads(raw)
    return doc

"""Readiness: the service's one state machine for /health/ready (starting, ok, draining, failed)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Literal

State = Literal["starting", "ok", "draining", "failed"]


class Readiness:
    """Where the service is in its life, as one small state machine:

    ``starting`` → ``ok`` (models loaded) → ``draining`` (shutdown began); ``starting`` or ``ok`` →
    ``failed`` (loading failed). No other move exists; every move goes through one lock and tells
    ``on_change`` whether the service is now ready.
    """

    _MOVES: dict[str, frozenset[str]] = {  # noqa: RUF012 - a constant table
        "starting": frozenset({"ok", "failed", "draining"}),
        "ok": frozenset({"draining", "failed"}),
        "draining": frozenset(),
        "failed": frozenset(),
    }

    def __init__(self, on_change: Callable[[bool], None] | None = None) -> None:
        self._state: State = "starting"
        self._detail: str | None = None
        self._lock = threading.Lock()
        self._on_change = on_change

    @property
    def state(self) -> State:
        """The current state."""
        return self._state

    @property
    def detail(self) -> str | None:
        """Why loading failed, when it did."""
        return self._detail

    @property
    def ready(self) -> bool:
        """True only when models are loaded and warmed and no shutdown has begun."""
        return self._state == "ok"

    def loaded(self) -> bool:
        """Models are loaded and warm: serve (unless a shutdown began meanwhile)."""
        return self._move("ok")

    def failed(self, detail: str) -> bool:
        """Loading failed for good: never ready, and liveness says so."""
        return self._move("failed", detail)

    def drain(self) -> bool:
        """Shutdown began: stop taking new work (a failed service stays failed)."""
        return self._move("draining")

    def _move(self, to: State, detail: str | None = None) -> bool:
        with self._lock:
            if to not in self._MOVES[self._state]:
                return False
            self._state, self._detail = to, detail
        if self._on_change is not None:
            self._on_change(to == "ok")
        return True

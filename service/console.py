"""What the batch commands (``analyze`` on one machine or on Ray, ``verify``) say on the terminal:
one line per message on stderr, service logs on stderr too, and whether to draw a progress bar."""

from __future__ import annotations

import logging
import sys


def say(message: str, command: str = "analyze") -> None:
    """One line on stderr, prefixed with the command's name."""
    print(f"{command}: {message}", file=sys.stderr)


def log_to_stderr() -> None:
    """Service logging (structlog through stdlib), on stderr: stdout carries only results."""
    from service.observability import configure_logging

    configure_logging("warning", "console" if sys.stderr.isatty() else "json")
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)


def show_progress(mode: str) -> bool:
    """``auto``: a progress bar only when stderr is a terminal."""
    return mode == "always" or (mode == "auto" and sys.stderr.isatty())

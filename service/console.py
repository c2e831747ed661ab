"""What the batch commands (``analyze`` on one machine or on Ray) say on the terminal: one line
per message on stderr, and whether to draw a progress bar."""

from __future__ import annotations

import sys


def say(message: str) -> None:
    """One line on stderr, prefixed with the command's name."""
    print(f"analyze: {message}", file=sys.stderr)


def show_progress(mode: str) -> bool:
    """``auto``: a progress bar only when stderr is a terminal."""
    return mode == "always" or (mode == "auto" and sys.stderr.isatty())

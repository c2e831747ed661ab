"""Fixtures of the reliability tests: a run context whose servers log into the test's tmp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability.checks import Context, python_of_repo


@pytest.fixture
def ctx(tmp_path: Path) -> Context:
    """A quick-mode context over the fake engines; every server it starts logs to tmp_path."""
    return Context(out=tmp_path, python=python_of_repo(), engines="fake", quick=True)

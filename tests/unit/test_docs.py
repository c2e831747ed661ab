"""The README stays in step with the code it documents."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from service.config import PREFIX, Settings

ROOT = Path(__file__).resolve().parents[2]


def test_readme_documents_every_setting() -> None:
    """Every settings field has a row in the README's settings table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f.name for f in fields(Settings) if f"`{PREFIX}{f.name.upper()}`" not in readme]
    assert not missing, f"settings missing from README: {missing}"


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run calls `make test`, the command the README gives a new user."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme
    assert any(line.strip() == "make test" for line in ci.splitlines())

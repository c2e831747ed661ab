"""The Helm chart's offline checks (deploy/chart_test.py), when the chart tools are installed.

`make chart-test` installs them into .venv-tools and is the CI entry point; this wrapper lets the
suite run the same checks where that venv exists.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS_PY = ROOT / ".venv-tools" / "bin" / "python"


@pytest.mark.skipif(not TOOLS_PY.exists(), reason="chart tools not installed (make deploy-tools)")
def test_chart_lints_renders_validates_and_keeps_its_policies(tmp_path: Path) -> None:
    """helm lint --strict, render, kubernetes-validate --strict and the policy assertions pass."""
    proc = subprocess.run(
        [str(TOOLS_PY), str(ROOT / "deploy" / "chart_test.py"), "check", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr

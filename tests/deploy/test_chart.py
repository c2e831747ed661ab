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


CRD_PROBE = """
import copy, sys
sys.path.insert(0, "deploy")
import chart_test as ct
import yaml
values = yaml.safe_load(open("helm/newsroom-analyzer/ci/all-on-values.yaml"))
objects = ct.render(values)
print(",".join(sorted(ct.validate_crds(objects))))
broken = {
    "HTTPRoute": lambda o: o["spec"]["rules"][0]["backendRefs"][0].update(port="http"),
    "PrometheusRule": lambda o: o["spec"]["groups"][0]["rules"][0].pop("expr"),
    "ScaledObject": lambda o: o["spec"].pop("scaleTargetRef"),
    "ServiceMonitor": lambda o: o["spec"]["endpoints"][0].update(interval="soon"),
}
for kind, spoil in broken.items():
    bad = [copy.deepcopy(o) for o in objects]
    spoil(next(o for o in bad if o["kind"] == kind))
    try:
        ct.validate_crds(bad)
    except ct.CheckFailed as exc:
        print(f"refused {kind}: {exc}")
"""


@pytest.mark.skipif(not TOOLS_PY.exists(), reason="chart tools not installed (make deploy-tools)")
def test_custom_resources_are_schema_checked() -> None:
    """All-on values render every CRD kind; a wrong type or a missing required field is refused."""
    proc = subprocess.run(
        [str(TOOLS_PY), "-c", CRD_PROBE], capture_output=True, text=True, timeout=120, check=False, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    kinds = ["HTTPRoute", "PrometheusRule", "ScaledObject", "ServiceMonitor"]
    assert lines[0] == ",".join(kinds)
    assert [line.split(":")[0] for line in lines[1:]] == [f"refused {k}" for k in kinds]

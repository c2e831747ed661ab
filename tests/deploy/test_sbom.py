"""`make sbom`: a CycloneDX JSON SBOM of the runtime lock naming every locked package with its
version and hashes; and the image writes one and names its path in a label."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / ".venv-sbom" / "bin" / "cyclonedx-py"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def locked(path: Path) -> dict[str, tuple[str, set[str]]]:
    """Each pin of a lock: normalised name -> (version, sha256 hashes)."""
    pins: dict[str, tuple[str, set[str]]] = {}
    name = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := _PIN.match(line):
            name = re.sub(r"[-_.]+", "-", m.group(1)).lower()
            pins[name] = (m.group(2), set())
        elif name and (h := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            pins[name][1].add(h.group(1))
    return pins


def components(bom: dict[str, Any]) -> dict[str, tuple[str, set[str]]]:
    """Each component of an SBOM: normalised name -> (version, sha256 hashes of its files)."""
    out = {}
    for c in bom["components"]:
        hashes = {
            h["content"]
            for ref in c.get("externalReferences", [])
            for h in ref.get("hashes", [])
            if h["alg"] == "SHA-256"
        }
        out[re.sub(r"[-_.]+", "-", c["name"]).lower()] = (c["version"], hashes)
    return out


def test_lock_reader_sees_every_pin() -> None:
    """The helper reads every pin of the runtime lock with at least one hash (torch included)."""
    pins = locked(ROOT / "requirements.lock")
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert len(pins) == len(re.findall(r"^[A-Za-z0-9].*==", text, re.M))
    assert pins["torch"][0] == "2.13.0+cpu"
    assert all(hashes for _, hashes in pins.values())


@pytest.mark.skipif(not GENERATOR.exists(), reason="SBOM generator not installed (make sbom-deps)")
def test_sbom_lists_every_locked_package_with_version_and_hashes(tmp_path: Path) -> None:
    """Every runtime pin is a component with the locked version and exactly the locked hashes."""
    out = tmp_path / "sbom.json"
    proc = subprocess.run(
        ["make", "-s", "sbom", f"SBOM_OUT={out}"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    bom = json.loads(out.read_text(encoding="utf-8"))
    assert bom["bomFormat"] == "CycloneDX"
    assert bom["metadata"]["component"]["name"] == "newsroom-analyzer"
    assert components(bom) == locked(ROOT / "requirements.lock")


def test_image_writes_the_sbom_and_labels_its_path() -> None:
    """The Dockerfile generates the SBOM of the image's lock and names its path in an OCI label."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    label = re.search(r'com\.github\.newsroom\.analyzer\.sbom="([^"]+)"', dockerfile)
    assert label, "no SBOM label"
    # One RUN instruction (continued lines) runs the generator over the image's lock.
    assert re.search(r"cyclonedx-py requirements(?:[^\n]*\\\n)*[^\n]*locks/image\.txt", dockerfile)
    assert re.search(rf"COPY --from=sbom \S+ {re.escape(label.group(1))}", dockerfile)
    assert "locks/sbom.txt" in dockerfile
    assert "!locks/sbom.txt" in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()

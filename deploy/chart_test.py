"""Offline checks of the Helm chart: lint, render, schema-validate, and policy assertions.

No helm binary and no cluster are needed: helm-python-sdk (Helm's Go SDK as a library) lints and
renders, kubernetes-validate checks every rendered object against the Kubernetes OpenAPI schemas.

    chart_test.py check [--out DIR] [--kube-version V ...]
        lint --strict, render the defaults and every ci/*-values.yaml, validate, assert policies.
    chart_test.py kube-play --image REF --port N --out FILE
        render the ConfigMap + Deployment for `podman kube play` on one host (hostNetwork, service
        bound to 127.0.0.1), used by deploy/container_test.sh.

Runs with the tools venv (locks/chart.txt); exits non-zero with a reason on failure.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import helm_python as helm
import jsonschema
import yaml
from chart_policies import CheckFailed, by_kind, check_extensions, check_policies, check_ray_pods

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "helm" / "newsroom-analyzer"
RELEASE = "newsroom-analyzer"
NAMESPACE = "newsroom"
DEFAULT_KUBE_VERSIONS = ("1.30.0",)
# Kinds backed by CRDs: kubernetes-validate has no schema for them (it warns), so they are checked
# against deploy/crd-schemas/<kind>.json instead.
CRD_SCHEMAS = ROOT / "deploy" / "crd-schemas"
CRD_KINDS = ("ServiceMonitor", "PrometheusRule", "HTTPRoute", "ScaledObject", "RayJob")


# ------------------------------------------------------------------------------------------------
# rendering


def render(values: dict[str, Any] | None, *, hooks: bool = False) -> list[dict[str, Any]]:
    """Render the chart as an install would; NOTES.txt always, test hooks unless asked, dropped."""
    with helm.Chart.load(str(CHART)) as chart:
        files = chart.render(values or {}, name=RELEASE, namespace=NAMESPACE, is_install=True)
    objects: list[dict[str, Any]] = []
    for name in sorted(files):
        if name.endswith("NOTES.txt") or (not hooks and "/templates/tests/" in name):
            continue
        for doc in yaml.safe_load_all(files[name]):
            if doc:
                objects.append(doc)
    return objects


def values_sets() -> Iterator[tuple[str, dict[str, Any]]]:
    """The chart defaults, then every CI values file."""
    yield "defaults", {}
    for path in sorted((CHART / "ci").glob("*-values.yaml")):
        yield path.stem.removesuffix("-values"), yaml.safe_load(path.read_text()) or {}


def shown(path: Path) -> str:
    """A path relative to the repository when it lies inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def dump(objects: list[dict[str, Any]]) -> str:
    return yaml.safe_dump_all(objects, sort_keys=False, default_flow_style=False)


# ------------------------------------------------------------------------------------------------
# lint and schema validation


def lint(values: dict[str, Any], label: str, kube_version: str) -> None:
    report = helm.lint(
        str(CHART), values or None, strict=True, namespace=NAMESPACE, kube_version=f"v{kube_version}"
    )
    # Severity 2 = warning, 3 = error; strict lint fails on both, as `helm lint --strict` does.
    problems = [m for m in report.get("messages", []) if m.get("severity", 0) >= 2]
    if problems or report.get("errors"):
        lines = [f"  [{m['severity']}] {m['path']}: {m['error']}" for m in problems]
        lines += [f"  {e}" for e in report.get("errors") or []]
        raise CheckFailed(f"helm lint --strict ({label}, k8s {kube_version}):\n" + "\n".join(lines))


def validate(path: Path, kube_version: str) -> str:
    """kubernetes-validate --strict on a rendered file; returns its warnings (CRDs only warn)."""
    exe = Path(sys.executable).with_name("kubernetes-validate")
    cmd = [
        str(exe) if exe.exists() else "kubernetes-validate",
        "--strict",
        "--quiet",
        "-k",
        kube_version,
        str(path),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)  # noqa: S603 - fixed argv
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        raise CheckFailed(f"kubernetes-validate -k {kube_version} {path.name} failed:\n{output}")
    return output


def validate_crds(objects: list[dict[str, Any]]) -> list[str]:
    """Every CRD-backed object against its schema in deploy/crd-schemas; returns the kinds checked."""
    checked = []
    for obj in objects:
        if obj.get("kind") not in CRD_KINDS:
            continue
        schema = yaml.safe_load((CRD_SCHEMAS / f"{obj['kind'].lower()}.json").read_text())
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(obj), key=str)
        if errors:
            where = "/".join(str(p) for p in errors[0].absolute_path)
            raise CheckFailed(f"{obj['kind']} {obj['metadata']['name']}: {where}: {errors[0].message}")
        checked.append(obj["kind"])
    return checked


def ray_pod_templates(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pod templates a RayJob embeds (head, each worker group), each wrapped as a core/v1
    PodTemplate so that kubernetes-validate checks them against the Kubernetes schema."""
    wrapped = []
    for job in by_kind(objects, "RayJob"):
        cluster = job["spec"]["rayClusterSpec"]
        groups = [("head", cluster["headGroupSpec"])]
        groups += [(g["groupName"], g) for g in cluster.get("workerGroupSpecs", [])]
        for group, spec in groups:
            name = f"{job['metadata']['name']}-{group}"
            wrapped.append(
                {
                    "apiVersion": "v1",
                    "kind": "PodTemplate",
                    "metadata": {"name": name},
                    "template": spec["template"],
                }
            )
    return wrapped


# A values file that must fail to render, and the message fragment that says why.
BAD_VALUES: list[tuple[str, dict[str, Any], str]] = [
    (
        "grace period shorter than the drain",
        {"termination": {"terminationGracePeriodSeconds": 10}},
        "terminationGracePeriodSeconds",
    ),
    ("token enabled without a value or Secret", {"apiToken": {"enabled": True}}, "apiToken"),
    ("authOps without a token", {"config": {"authOps": True}}, "authOps"),
    # values.schema.json: a misspelt setting would otherwise be ignored silently.
    ("misspelt config key", {"config": {"logLevl": "debug"}}, "logLevl"),
    # One process per pod: the setting is gone, and a values file still naming it fails.
    ("workers setting", {"config": {"workers": 2}}, "workers"),
    (
        "encoder both in the image and on a volume",
        {"config": {"encoderDir": "/e"}, "encoderVolume": {"enabled": True, "volume": {"emptyDir": {}}}},
        "not both",
    ),
    ("encoder volume without a source", {"encoderVolume": {"enabled": True}}, "encoderVolume.volume"),
    ("HTTPRoute without a Gateway", {"httpRoute": {"enabled": True}}, "httpRoute.parentRefs"),
    ("KEDA without Prometheus", {"keda": {"enabled": True}}, "keda.prometheusAddress"),
    ("malformed image digest", {"image": {"digest": "latest"}}, "/image/digest"),
    ("RayJob without an archive volume", {"rayJob": {"enabled": True}}, "rayJob.archiveClaim"),
    ("LLM endpoint without a model", {"llm": {"url": "http://llm:8000/v1"}}, "llm.model"),
    (
        "LLM endpoint and a local model",
        {"llm": {"url": "http://llm:8000/v1", "model": "m"}, "config": {"abstractiveDir": "/m"}},
        "not both",
    ),
]


def check_refusals() -> None:
    for label, values, fragment in BAD_VALUES:
        try:
            render(values)
        except helm.HelmError as exc:
            if fragment not in str(exc):
                raise CheckFailed(f"render refused '{label}' for another reason: {exc}") from exc
            continue
        raise CheckFailed(f"render accepted bad values: {label}")


# ------------------------------------------------------------------------------------------------
# commands


def timed(label: str, fn: Callable[..., Any], *args: Any) -> Any:
    start = time.monotonic()
    result = fn(*args)
    print(f"  {label:<58} ok  {time.monotonic() - start:6.2f} s")
    return result


def cmd_check(args: argparse.Namespace) -> int:
    out = Path(args.out).resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    versions = args.kube_version or list(DEFAULT_KUBE_VERSIONS)
    start = time.monotonic()
    print(
        f"chart: {CHART.relative_to(ROOT)}  helm SDK {helm.helm_sdk_version()}  "
        f"kubernetes {', '.join(versions)}"
    )
    for label, values in values_sets():
        for version in versions:
            timed(f"lint --strict [{label}] k8s {version}", lint, values, label, version)
        objects = timed(f"render [{label}]", render, values)
        hooks = [o for o in render(values, hooks=True) if o not in objects]
        path, hooks_path = out / f"{label}.yaml", out / f"{label}-hooks.yaml"
        path.write_text(dump(objects))
        hooks_path.write_text(dump(hooks))
        for version in versions:
            for file in (path, hooks_path):
                warnings = timed(
                    f"kubernetes-validate --strict [{file.stem}] k8s {version}", validate, file, version
                )
                for line in warnings.splitlines():
                    # Only CRD-backed kinds may lack a schema (validate_crds covers them).
                    if "WARN" in line and not any(kind in line for kind in CRD_KINDS):
                        raise CheckFailed(f"unexpected validation warning: {line}")
                    if line:
                        print(f"    note: {line.strip()}")
        pods = ray_pod_templates(objects)
        if pods:
            pods_path = out / f"{label}-rayjob-pods.yaml"
            pods_path.write_text(dump(pods))
            for version in versions:
                timed(
                    f"kubernetes-validate --strict [RayJob pod templates] k8s {version}",
                    validate,
                    pods_path,
                    version,
                )
            check_ray_pods(label, objects, pods)
        crds = timed(f"CRD schemas (deploy/crd-schemas) [{label}]", validate_crds, objects + hooks)
        if crds:
            print(f"    CRD objects valid: {', '.join(crds)}")
        timed(f"policy assertions [{label}]", check_policies, label, values, objects)
        timed(f"optional pieces wired up [{label}]", check_extensions, label, values, objects)
        kinds = sorted({o["kind"] for o in objects})
        print(
            f"    rendered {len(objects)} objects + {len(hooks)} test hook(s) -> "
            f"{shown(path)}: {', '.join(kinds)}"
        )
    timed("render refuses unsafe values", check_refusals)
    print(f"chart-test passed in {time.monotonic() - start:.1f} s")
    return 0


def cmd_kube_play(args: argparse.Namespace) -> int:
    repository, _, tag = args.image.rpartition(":")
    values = {
        "image": {"repository": repository, "tag": tag, "pullPolicy": "Never"},
        # One pod on this host: the host's loopback, no Service/HPA/PDB objects to play.
        "hostNetwork": True,
        "containerPort": args.port,
        "config": {"host": "127.0.0.1", "logLevel": "info"},
        "autoscaling": {"enabled": False},
        "replicaCount": 1,
        "podDisruptionBudget": {"enabled": False},
        "topologySpread": {"enabled": False},
        "serviceAccount": {"create": False},
        # Without a kubelet nothing sends SIGTERM after preStop; keep teardown quick.
        "termination": {"preStopSleepSeconds": 0, "terminationGracePeriodSeconds": 40},
        "extraEnv": [{"name": k, "value": v} for k, _, v in (e.partition("=") for e in args.env)],
    }
    objects = [o for o in render(values) if o["kind"] in {"ConfigMap", "Deployment"}]
    # podman 4 turns containerPort into a port mapping, which it refuses on the host network; the
    # port is then meaningless anyway, so drop it and point the probes at the number instead.
    for deploy in by_kind(objects, "Deployment"):
        for container in deploy["spec"]["template"]["spec"]["containers"]:
            container.pop("ports", None)
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                if "httpGet" in container.get(probe, {}):
                    container[probe]["httpGet"]["port"] = args.port
    Path(args.out).write_text(dump(objects))
    print(f"rendered {', '.join(o['kind'] for o in objects)} -> {args.out}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="lint, render, validate, assert policies")
    p_check.add_argument("--out", default=str(ROOT / "build" / "deploy" / "chart"))
    p_check.add_argument(
        "--kube-version", action="append", help=f"repeatable; default {' '.join(DEFAULT_KUBE_VERSIONS)}"
    )
    p_play = sub.add_parser("kube-play", help="render a Deployment for podman kube play")
    p_play.add_argument("--image", required=True)
    p_play.add_argument("--port", type=int, required=True)
    p_play.add_argument("--out", required=True)
    p_play.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra container environment (repeatable)",
    )
    args = parser.parse_args()
    try:
        return cmd_check(args) if args.command == "check" else cmd_kube_play(args)
    except (CheckFailed, helm.HelmError) as exc:
        print(f"chart-test FAILED: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

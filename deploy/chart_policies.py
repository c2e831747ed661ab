"""Policy assertions on the rendered chart: what "production-grade" means for it, pinned.

Used by deploy/chart_test.py (run with the chart tools venv, locks/chart.txt). Each check raises
CheckFailed naming the values set and the broken policy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Need = Callable[[bool, str], None]


class CheckFailed(Exception):
    """A lint finding, render error, schema violation or broken policy."""


def by_kind(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objects if o.get("kind") == kind]


def one(objects: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = by_kind(objects, kind)
    if len(found) != 1:
        raise CheckFailed(f"expected exactly one {kind}, rendered {len(found)}")
    return found[0]


def needing(label: str) -> Need:
    """``need(cond, what)``: raise CheckFailed("LABEL: what") unless cond."""

    def need(cond: bool, what: str) -> None:
        if not cond:
            raise CheckFailed(f"{label}: {what}")

    return need


def check_policies(label: str, values: dict[str, Any], objects: list[dict[str, Any]]) -> None:
    """The Deployment's hardening, probes, resources, drain budget, Secrets and optional volumes."""
    need = needing(label)
    pod = one(objects, "Deployment")["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    cm = one(objects, "ConfigMap")["data"]
    _pod_hardening(need, pod, container)
    _config_and_drain(need, values, pod, container, cm)
    _scaling_and_token(need, values, objects, container, cm)
    _llm_and_model(need, values, container, cm)


def _pod_hardening(need: Need, pod: dict[str, Any], container: dict[str, Any]) -> None:
    sc = container["securityContext"]
    psc = pod["securityContext"]
    need(pod.get("enableServiceLinks") is False, "enableServiceLinks must be false")
    need(pod.get("automountServiceAccountToken") is False, "service account token must not be mounted")
    need(psc.get("runAsNonRoot") is True and sc.get("runAsNonRoot") is True, "runAsNonRoot")
    need(isinstance(sc.get("runAsUser"), int) and sc["runAsUser"] > 0, "numeric non-root runAsUser")
    need(sc.get("readOnlyRootFilesystem") is True, "readOnlyRootFilesystem")
    need(sc.get("allowPrivilegeEscalation") is False, "allowPrivilegeEscalation false")
    need(sc.get("capabilities", {}).get("drop") == ["ALL"], "capabilities drop ALL")
    need(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault", "seccomp RuntimeDefault")
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        need(probe in container, f"{probe} missing")
    startup = container["startupProbe"]
    need(
        startup["periodSeconds"] * startup["failureThreshold"] >= 120,
        "startupProbe must allow at least 120 s for model loading",
    )
    res = container.get("resources", {})
    for part in ("requests", "limits"):
        need({"cpu", "memory"} <= set(res.get(part, {})), f"resources.{part} cpu and memory")
    mounts = {m["mountPath"]: m for m in container.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    tmp = "/tmp"  # noqa: S108 - the path the chart must mount, not a file this script uses
    need(tmp in mounts and "emptyDir" in volumes[mounts[tmp]["name"]], "emptyDir at /tmp")
    need("preStop" in container.get("lifecycle", {}), "preStop hook")


def _config_and_drain(
    need: Need, values: dict[str, Any], pod: dict[str, Any], container: dict[str, Any], cm: dict[str, Any]
) -> None:
    need(all(isinstance(v, str) for v in cm.values()), "ConfigMap values must all be strings")
    need(
        cm.get("ANALYZER_PLAYGROUND") == "false" or values.get("config", {}).get("playground"),
        "playground must default to off",
    )
    grace = pod["terminationGracePeriodSeconds"]
    pre = container["lifecycle"]["preStop"]
    pre_s = pre["sleep"]["seconds"] if "sleep" in pre else int(pre["exec"]["command"][-1])
    need(
        grace >= pre_s + float(cm["ANALYZER_DRAIN_S"]) + float(cm["ANALYZER_SHUTDOWN_TIMEOUT_S"]),
        "terminationGracePeriodSeconds must cover preStop + drain + shutdown",
    )
    need(
        cm.get("ANALYZER_PORT") == str(container["ports"][0]["containerPort"]),
        "ANALYZER_PORT must match the container port",
    )


def _scaling_and_token(
    need: Need,
    values: dict[str, Any],
    objects: list[dict[str, Any]],
    container: dict[str, Any],
    cm: dict[str, Any],
) -> None:
    deploy = one(objects, "Deployment")
    for sa in by_kind(objects, "ServiceAccount"):
        need(sa.get("automountServiceAccountToken") is False, "ServiceAccount automount false")
    for hpa in by_kind(objects, "HorizontalPodAutoscaler"):
        need(hpa["apiVersion"] == "autoscaling/v2", "HPA must be autoscaling/v2")
        need("replicas" not in deploy["spec"], "Deployment must not set replicas under an HPA")
    token = values.get("apiToken", {})
    env = {e["name"]: e for e in container.get("env", [])}
    if token.get("enabled"):
        ref = env.get("ANALYZER_API_TOKEN", {}).get("valueFrom", {}).get("secretKeyRef")
        need(ref is not None, "API token must come from a secretKeyRef")
        need("ANALYZER_API_TOKEN" not in cm, "API token must not be in the ConfigMap")
        secrets = by_kind(objects, "Secret")
        if token.get("existingSecret"):
            need(not secrets and ref["name"] == token["existingSecret"], "existing Secret used as is")
        else:
            need(len(secrets) == 1 and ref["name"] == secrets[0]["metadata"]["name"], "chart Secret")
    else:
        need("ANALYZER_API_TOKEN" not in env and not by_kind(objects, "Secret"), "no token by default")


def _llm_and_model(need: Need, values: dict[str, Any], container: dict[str, Any], cm: dict[str, Any]) -> None:
    env = {e["name"]: e for e in container.get("env", [])}
    mounts = {m["mountPath"]: m for m in container.get("volumeMounts", [])}
    llm = values.get("llm", {})
    if llm.get("url"):
        need(cm.get("ANALYZER_LLM_URL") == llm["url"], "ANALYZER_LLM_URL from llm.url")
        need(cm.get("ANALYZER_LLM_MODEL") == llm.get("model"), "ANALYZER_LLM_MODEL from llm.model")
        need("ANALYZER_LLM_API_KEY" not in cm, "the LLM API key must not be in the ConfigMap")
        if llm.get("apiKey", {}).get("existingSecret"):
            ref = env.get("ANALYZER_LLM_API_KEY", {}).get("valueFrom", {}).get("secretKeyRef", {})
            need(ref.get("name") == llm["apiKey"]["existingSecret"], "LLM API key from its Secret")
    else:
        need(not any(k.startswith("ANALYZER_LLM_") for k in cm), "no LLM settings without llm.url")
    model = values.get("modelVolume", {})
    if model.get("enabled"):
        need(
            mounts.get(model.get("mountPath", "/models"), {}).get("readOnly") is True,
            "model volume mounted read-only",
        )
        need(
            cm.get("ANALYZER_ABSTRACTIVE_DIR", "").startswith(model.get("mountPath", "/models")),
            "ANALYZER_ABSTRACTIVE_DIR must point into the model volume",
        )


def check_extensions(label: str, values: dict[str, Any], objects: list[dict[str, Any]]) -> None:
    """The optional pieces: routes reach the Service, alerts and scalers read real metrics."""

    def need(cond: bool, what: str) -> None:
        if not cond:
            raise CheckFailed(f"{label}: {what}")

    deploy = one(objects, "Deployment")
    pod = deploy["spec"]["template"]["spec"]
    container = pod["containers"][0]
    name = deploy["metadata"]["name"]
    service = one(objects, "Service")
    cm = one(objects, "ConfigMap")["data"]
    mounts = {m["name"]: m for m in container.get("volumeMounts", [])}
    volumes = {v["name"] for v in pod.get("volumes", [])}
    need(set(mounts) <= volumes, "every volumeMount names a volume of the pod")
    for init in pod.get("initContainers", []):
        need({m["name"] for m in init.get("volumeMounts", [])} <= volumes, "init container mounts exist")
        sc = init.get("securityContext", {})
        need(sc.get("allowPrivilegeEscalation") is False, f"init container {init['name']} hardened")
    need(len(by_kind(objects, "Ingress")) == int(bool(values.get("ingress", {}).get("enabled"))), "Ingress")
    for ing in by_kind(objects, "Ingress"):
        for rule in ing["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                need(
                    backend == {"name": service["metadata"]["name"], "port": {"name": "http"}},
                    "Ingress backend",
                )
    for route in by_kind(objects, "HTTPRoute"):
        for rule in route["spec"]["rules"]:
            refs = [(b["name"], b["port"]) for b in rule["backendRefs"]]
            need(
                refs == [(service["metadata"]["name"], service["spec"]["ports"][0]["port"])],
                "HTTPRoute backend",
            )
    encoder = values.get("encoderVolume", {})
    if encoder.get("enabled"):
        need(mounts.get("encoder", {}).get("readOnly") is True, "encoder volume mounted read-only")
        need(
            cm.get("ANALYZER_ENCODER_DIR", "").startswith(mounts["encoder"]["mountPath"]),
            "ANALYZER_ENCODER_DIR must point into the encoder volume",
        )
    keda = by_kind(objects, "ScaledObject")
    need(len(keda) == int(bool(values.get("keda", {}).get("enabled"))), "ScaledObject iff keda.enabled")
    for so in keda:
        need(not by_kind(objects, "HorizontalPodAutoscaler"), "KEDA owns the HPA: the chart renders none")
        need("replicas" not in deploy["spec"], "Deployment must not set replicas under KEDA")
        need(so["spec"]["scaleTargetRef"]["name"] == name, "ScaledObject targets the Deployment")
        queries = [t["metadata"].get("query", "") for t in so["spec"]["triggers"]]
        need(any("analyzer_queue_depth" in q for q in queries), "KEDA scales on analyzer_queue_depth")
    for rule in by_kind(objects, "PrometheusRule"):
        alerts = {r["alert"]: r["expr"] for g in rule["spec"]["groups"] for r in g["rules"]}
        expected = {
            "NewsroomAnalyzerNotReady": "analyzer_ready",
            "NewsroomAnalyzerHigh5xxRate": 'status=~"5.."',
            "NewsroomAnalyzerHigh429Rate": 'status=~"429"',
            "NewsroomAnalyzerHigh504Rate": 'status=~"504"',
            "NewsroomAnalyzerHighP99Latency": "analyzer_request_duration_seconds_bucket",
        }
        for alert, fragment in expected.items():
            need(fragment in alerts.get(alert, ""), f"PrometheusRule alert {alert} on {fragment}")
        need(all(e.count("(") == e.count(")") for e in alerts.values()), "balanced alert expressions")


def check_ray_pods(label: str, objects: list[dict[str, Any]], pods: list[dict[str, Any]]) -> None:
    """The RayJob runs the archive CLI on Ray, in pods hardened as the Deployment's."""

    def need(cond: bool, what: str) -> None:
        if not cond:
            raise CheckFailed(f"{label}: RayJob {what}")

    (job,) = by_kind(objects, "RayJob")
    entry = job["spec"]["entrypoint"]
    need(
        entry.startswith("python -m service analyze ") and " --ray --ray-address auto " in entry, "entrypoint"
    )
    image = one(objects, "Deployment")["spec"]["template"]["spec"]["containers"][0]["image"]
    for pod in pods:
        spec = pod["template"]["spec"]
        (container,) = spec["containers"]
        sc = container["securityContext"]
        need(container["image"] == image, "pods run the service image")
        need(sc.get("readOnlyRootFilesystem") is True and sc.get("runAsNonRoot") is True, "pods hardened")
        need(sc.get("capabilities", {}).get("drop") == ["ALL"], "pods drop all capabilities")
        need(spec.get("automountServiceAccountToken") is False, "pods mount no token")
        mounts = {m["mountPath"] for m in container["volumeMounts"]}
        need("/tmp" in mounts, "pods mount a writable /tmp")  # noqa: S108 - a mount path, not a file
        need({"cpu", "memory"} <= set(container["resources"].get("limits", {})), "pods have limits")
        labels = pod["template"]["metadata"]["labels"]
        selector = one(objects, "Service")["spec"]["selector"]
        need(any(labels.get(k) != v for k, v in selector.items()), "pods are not selected by the Service")

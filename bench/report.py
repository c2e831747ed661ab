"""Targets, run context (commit, load, CPU) and printing of the benchmark's results."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.load import LevelResult

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Target:
    """One acceptance target and how the run measured against it."""

    name: str
    value: float
    limit: float
    higher_is_better: bool
    unit: str

    @property
    def passed(self) -> bool:
        """True when the measured value is on the right side of the limit (NaN fails)."""
        if math.isnan(self.value):
            return False
        return self.value >= self.limit if self.higher_is_better else self.value <= self.limit

    def line(self) -> str:
        """One printable line: PASS/FAIL, name, value and limit."""
        op = ">=" if self.higher_is_better else "<="
        verdict = "PASS" if self.passed else "FAIL"
        return f"{verdict}  {self.name}: {self.value:.2f} {self.unit} ({op} {self.limit:g})"


#: Limits per kind of host (issue table): c=8/naive >=, CPU ms per article at c=8, p50 at c=1 (ms),
#: p99/p50 at c=8, peak RSS at c=16 (MB), startup (s).
LIMITS: dict[str, tuple[float, float, float, float, float, float]] = {
    "bf16": (6.0, 90.0, 90.0, 1.8, 1000.0, 8.0),
    "avx2": (4.0, 200.0, 200.0, 1.8, 1000.0, 10.0),
}


def limits_for(kind: str) -> tuple[str, tuple[float, float, float, float, float, float]]:
    """The row of targets for a host kind (models.precision.HostCpu.kind): native-bf16 hosts
    (``amx``, ``avx512-bf16``) get the bf16 row, every other host the AVX2 row."""
    row = "bf16" if kind in {"amx", "avx512-bf16"} else "avx2"
    return row, LIMITS[row]


def evaluate_targets(
    levels: dict[int, LevelResult],
    naive_throughput: float,
    startup_s: float,
    peak_rss_mb: float,
    kind: str = "avx2",
) -> list[Target]:
    """The targets for this host's kind, from one run's figures (NaN where a level did not run).
    Peak RSS is the sampled peak at c=16 when that level ran, else the run's peak."""

    def lv(c: int, attr: str) -> float:
        return float(getattr(levels[c], attr)) if c in levels else math.nan

    _, (ratio, cpu_ms, p50_ms, tail, rss_mb, start_s) = limits_for(kind)
    p50_c8 = lv(8, "p50_ms")
    rss = lv(16, "server_peak_tree_rss_mb") if 16 in levels else peak_rss_mb
    return [
        Target(
            "throughput c=8 / naive",
            lv(8, "throughput") / naive_throughput if naive_throughput else math.nan,
            ratio,
            True,
            "x",
        ),
        Target("server CPU per article c=8", 1000 * lv(8, "server_cpu_s_per_article"), cpu_ms, False, "ms"),
        Target("p50 latency c=1", lv(1, "p50_ms"), p50_ms, False, "ms"),
        Target("p99 / p50 c=8", lv(8, "p99_ms") / p50_c8 if p50_c8 else math.nan, tail, False, "x"),
        Target("peak server RSS c=16", rss, rss_mb, False, "MB"),
        Target("startup to ready", startup_s, start_s, False, "s"),
    ]


def host_context(server_env: dict[str, str]) -> dict[str, Any]:
    """The host's CPU, its matrix extensions and kind, and the precision the server's ``auto``
    (or its ANALYZER_ENCODER_DTYPE) resolves to here, by the service's own rule."""
    from models.precision import host_cpu, resolve_dtype

    cpu = host_cpu()
    setting = server_env.get("ANALYZER_ENCODER_DTYPE", os.environ.get("ANALYZER_ENCODER_DTYPE", "auto"))
    return {
        "model": cpu.model,
        "extensions": cpu.extensions,
        "kind": cpu.kind,
        "targets_row": limits_for(cpu.kind)[0],
        "dtype_setting": setting,
        "dtype": resolve_dtype(setting.lower(), cpu.flags),
        "backend": "torch",
    }


# --------------------------------------------------------------------------------------------------
# Run context


def git_commit() -> dict[str, Any]:
    """The commit and whether the work tree differs from it (results of a dirty tree say so)."""

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""

    return {
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def load_average() -> dict[str, Any]:
    """``uptime`` and the 1/5/15-minute load averages (other jobs on the machine skew timings)."""
    try:
        uptime = subprocess.run(
            ["uptime"], capture_output=True, text=True, timeout=5, check=False
        ).stdout.strip()
    except OSError:
        uptime = ""
    return {"uptime": uptime, "loadavg": list(os.getloadavg()), "cpus": os.cpu_count()}


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo."""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def write_results(results: dict[str, Any], out: Path) -> Path:
    """Write ``out`` and a dated copy under ``out.parent/history`` for comparing commits."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, default=_json_default)
    out.write_text(text)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    commit = (results.get("git") or {}).get("commit", "")[:10] or "nocommit"
    copy = out.parent / "history" / f"{out.stem}-{stamp}-{commit}.json"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(text)
    return copy


def _json_default(o: object) -> object:
    if isinstance(o, float) and math.isnan(o):
        return None
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def nan_to_none(o: Any) -> Any:
    if isinstance(o, float) and math.isnan(o):
        return None
    if isinstance(o, dict):
        return {k: nan_to_none(v) for k, v in o.items()}
    if isinstance(o, list):
        return [nan_to_none(v) for v in o]
    return o


# --------------------------------------------------------------------------------------------------
# Printing


def fmt_level(r: LevelResult) -> str:
    """One table row for a concurrency level."""
    errors = ",".join(f"{k}:{v}" for k, v in sorted(r.errors.items())) or "0"
    return (
        f"{r.concurrency:>4} {r.throughput:>8.2f} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} {r.p99_ms:>8.1f} "
        f"{r.ok:>6} {errors:>10} {r.server_hwm_mb:>8.0f} {r.server_rss_mb:>8.0f} "
        f"{r.server_cpu_s_per_article * 1000:>8.1f} {r.mean_batch_size:>6.2f} "
        f"{r.summary_inference_ms_per_article:>8.1f} {r.client_cpu_s_per_request * 1000:>6.2f}"
    )


LEVEL_HEADER = (
    "conc  art/s    p50ms    p95ms    p99ms     ok     errors  HWM(MB)  RSS(MB) "
    "cpu-ms/a  batch  model-ms/a cli-ms"
)


@contextlib.contextmanager
def terminate_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt so that the server's ``finally`` kill runs."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)

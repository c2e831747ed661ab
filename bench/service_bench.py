"""``make bench``: how fast ``POST /v1/analyze`` is, against the naive way, on real-length articles.

One run:
1. notes the machine load (``uptime``), the commit and the settings;
2. starts the service (``python -m service serve``, ``ANALYZER_ENGINES=real`` unless told otherwise)
   on 127.0.0.1 and a free port, times startup to ``/health/ready`` 200, warms it up;
3. drives ``/v1/analyze`` with closed-loop clients at each concurrency level for a bounded time and
   reports throughput, p50/p95/p99 latency, errors by status, server RSS (VmHWM and current), the
   server's CPU seconds per article and the mean micro-batch size (from ``/metrics``);
4. runs the naive pipeline (``bench/naive_baseline.py``) on the same articles, in its own process,
   half before the service starts and half after it stops (so drift in the machine's load hits both);
5. prints the encoder's FLOPs per article, the achieved GFLOP/s and this machine's GEMM ceiling;
6. prints PASS/FAIL per target and writes everything to ``out/bench.json`` (plus a dated copy).

``--matrix`` instead compares server-level levers side by side (batch size, batch wait, torch
threads, workers, ...), interleaving configurations across ``--rounds`` and quoting medians.
``--profile`` runs the engines in-process under cProfile and the torch profiler (where time goes).

Articles: the CNN/DM rows of ``../shared/data/frank/validation.jsonl`` when present (read at run
time, never copied or logged), otherwise generated news-like texts of the same length.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "frank" / "validation.jsonl"
PAGE = 4096

# --------------------------------------------------------------------------------------------------
# Statistics


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) with linear interpolation between order statistics."""
    if not values:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError("q must be within 0..100")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def latency_summary_ms(latencies_s: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/mean/max of latencies given in seconds, in milliseconds."""
    ms = [x * 1000 for x in latencies_s]
    return {
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "mean_ms": statistics.fmean(ms) if ms else math.nan,
        "max_ms": max(ms) if ms else math.nan,
    }


def median_or_nan(values: Sequence[float]) -> float:
    """Median ignoring NaNs; NaN if nothing is left."""
    xs = [v for v in values if not math.isnan(v)]
    return statistics.median(xs) if xs else math.nan


# --------------------------------------------------------------------------------------------------
# Articles


def load_articles(path: str | Path | None = None, limit: int | None = None) -> tuple[list[str], str]:
    """CNN/DM articles of FRANK (deduplicated, file order) or, without the file, generated ones."""
    p = Path(path) if path else DEFAULT_DATA
    texts: list[str] = []
    if p.is_file():
        seen: set[str] = set()
        with p.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                row = json.loads(line)
                text = row.get("article")
                if (
                    row.get("dataset") == "cnndm"
                    and isinstance(text, str)
                    and text.strip()
                    and text not in seen
                ):
                    seen.add(text)
                    texts.append(text)
    if texts:
        return texts[:limit] if limit else texts, f"frank-cnndm:{p.name}"
    return generate_articles(limit or 75), "generated"


_FIRST = ["Maria", "James", "Aisha", "Tom", "Li", "Sofia", "David", "Grace", "Omar", "Helen"]
_LAST = ["Okafor", "Lindqvist", "Moreno", "Patel", "Brennan", "Kowalski", "Tanaka", "Fischer"]
_ORG = [
    "the city council",
    "the transport ministry",
    "the regional hospital trust",
    "the football club",
    "the national weather service",
    "the university",
    "the water company",
    "the police",
]
_TOPIC = [
    "a new tram line",
    "the budget for next year",
    "flood defences",
    "a stadium expansion",
    "hospital waiting times",
    "a school merger",
    "rising rents",
    "a wind farm off the coast",
]
_VERB = ["approved", "rejected", "postponed", "announced", "criticised", "defended", "reviewed"]
_CUE = ["said", "says", "added", "told reporters", "explained"]


def generate_articles(n: int, seed: int = 7, target_chars: int = 3500) -> list[str]:
    """News-like articles written from templates: paragraphs, figures, quotes with speakers."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        org, topic = rng.choice(_ORG), rng.choice(_TOPIC)
        paras: list[str] = []
        size = 0
        want = int(target_chars * rng.uniform(0.5, 1.6))
        while size < want:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            kind = rng.random()
            if kind < 0.35:
                para = (
                    f"“We have looked at {topic} for {rng.randint(2, 19)} months and the case is "
                    f"clear,” {rng.choice(_CUE)} {name}, who speaks for {org}. “Nobody should be "
                    f"surprised by what happens next.”"
                )
            elif kind < 0.6:
                para = (
                    f"On {rng.choice(['Monday', 'Tuesday', 'Friday'])}, {org} {rng.choice(_VERB)} "
                    f"{topic} after a debate that lasted {rng.randint(2, 9)} hours. The cost was put "
                    f"at {rng.randint(3, 900)} million, up {rng.randint(2, 40)} per cent on the "
                    f"estimate of {rng.randint(2010, 2023)}."
                )
            elif kind < 0.8:
                para = (
                    f"{name} said the plan would affect about {rng.randint(2, 90)},000 people. "
                    f"Critics argued that {topic} had been handled badly from the start, and that "
                    f"residents were told too little, too late."
                )
            else:
                para = (
                    f"Figures published by {org} show that {rng.randint(5, 95)} per cent of "
                    f"respondents supported {topic}. A second survey, carried out in "
                    f"{rng.randint(2015, 2024)}, found similar results across every district."
                )
            paras.append(para)
            size += len(para) + 1
        out.append("\n".join(paras))
    return out


# --------------------------------------------------------------------------------------------------
# Processes: memory and CPU from /proc


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields start after the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            kids.append(int(entry))
    return kids


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (worker processes of a multi-worker server)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def proc_status_kb(pid: int, field_name: str) -> int:
    """A kB field (VmRSS, VmHWM) of /proc/PID/status; 0 if the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def proc_cpu_s(pid: int) -> float:
    """User plus system CPU seconds a process has used so far; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the name: state is field 3 of the man page, utime 14 and stime 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class TreeSnapshot:
    """Memory and CPU of a server and its workers at one moment."""

    rss_mb: float
    hwm_mb: float
    hwm_max_process_mb: float
    cpu_s: float
    processes: int


def tree_snapshot(pid: int) -> TreeSnapshot:
    """Summed RSS, summed and largest VmHWM, and summed CPU over the process tree."""
    pids = process_tree(pid)
    hwm = [proc_status_kb(p, "VmHWM") / 1024 for p in pids]
    return TreeSnapshot(
        rss_mb=sum(proc_status_kb(p, "VmRSS") for p in pids) / 1024,
        hwm_mb=sum(hwm),
        hwm_max_process_mb=max(hwm, default=0.0),
        cpu_s=sum(proc_cpu_s(p) for p in pids),
        processes=len(pids),
    )


class RssSampler:
    """Samples the tree's summed RSS in the background; VmHWM alone misses the peak of a sum."""

    def __init__(self, pid: int, every_s: float = 0.25) -> None:
        self.pid = pid
        self.every_s = every_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = process_tree(self.pid)
            rss = sum(proc_status_kb(p, "VmRSS") for p in pids) / 1024
            self.peak_mb = max(self.peak_mb, rss)
            self._stop.wait(self.every_s)


# --------------------------------------------------------------------------------------------------
# The server under test


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServerConfig:
    """One way to run the service: extra ANALYZER_* variables and the launcher."""

    name: str
    env: dict[str, str] = field(default_factory=dict)
    launcher: str = "service"  # "service" (python -m service serve) or "granian"


def server_command(cfg: ServerConfig, port: int) -> list[str]:
    """The command line that starts the service for ``cfg``."""
    py = sys.executable
    if cfg.launcher == "granian":
        workers = cfg.env.get("ANALYZER_WORKERS", "1")
        return [
            py,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            workers,
            "--no-ws",
            "service.app:create_app",
        ]
    if cfg.launcher != "service":
        raise ValueError(f"unknown launcher {cfg.launcher!r}")
    return [py, "-m", "service", "serve"]


class Server:
    """The service in a subprocess of its own session; always killed (group-wide) on exit."""

    def __init__(self, cfg: ServerConfig, engines: str, log_path: Path, ready_timeout_s: float = 120) -> None:
        self.cfg = cfg
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "ANALYZER_ENGINES": engines,
            "ANALYZER_HOST": "127.0.0.1",
            "ANALYZER_PORT": str(self.port),
            "ANALYZER_LOG_FORMAT": "json",
            # Nothing waits on the bench's own SIGTERM: stop without the readiness drain.
            "ANALYZER_DRAIN_S": "0",
            **cfg.env,
        }
        self.log_path = log_path
        self.ready_timeout_s = ready_timeout_s
        self.proc: subprocess.Popen[bytes] | None = None
        self.startup_s = math.nan

    def __enter__(self) -> Server:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            server_command(self.cfg, self.port),
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            self._wait_ready(t0)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        """The server's (supervisor's) process id."""
        assert self.proc is not None
        return self.proc.pid

    def _wait_ready(self, t0: float) -> None:
        import httpx

        # Several workers answer /health/ready in turn; only a run of 200s means all are ready.
        needed = 1 if int(self.cfg.env.get("ANALYZER_WORKERS", "1")) <= 1 else 8
        streak = 0
        end = time.monotonic() + self.ready_timeout_s
        while time.monotonic() < end:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                # A fresh connection each time so that another worker may answer it.
                r = httpx.get(self.url + "/health/ready", timeout=2)
                streak = streak + 1 if r.status_code == 200 else 0
            except httpx.HTTPError:
                streak = 0
            if streak >= needed:
                if math.isnan(self.startup_s):
                    self.startup_s = time.perf_counter() - t0
                return
            if streak == 1 and math.isnan(self.startup_s):
                self.startup_s = time.perf_counter() - t0
            time.sleep(0.05 if streak == 0 else 0.01)
        raise TimeoutError(f"server not ready after {self.ready_timeout_s:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        """SIGTERM the server's process group, then SIGKILL whatever is left."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


def scrape_metrics(url: str) -> dict[str, float]:
    """``/metrics`` as ``{"name{labels}": value}``; empty if it cannot be read."""
    import httpx

    try:
        text = httpx.get(url + "/metrics", timeout=5).text
    except httpx.HTTPError:
        return {}
    return parse_prometheus(text)


_SAMPLE = re.compile(r"^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?)\s+(\S+)")


def parse_prometheus(text: str) -> dict[str, float]:
    """Samples of a Prometheus text exposition; comments and malformed lines are skipped."""
    out: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if m:
            with contextlib.suppress(ValueError):
                out[m.group(1)] = float(m.group(2))
    return out


def metric_sum(samples: dict[str, float], name: str, label_filter: str = "") -> float:
    """Sum of every sample named ``name`` (any labels) whose labels contain ``label_filter``."""
    total = 0.0
    for key, value in samples.items():
        base, _, labels = key.partition("{")
        if base == name and label_filter in labels:
            total += value
    return total


# --------------------------------------------------------------------------------------------------
# Load generation


@dataclass
class LevelResult:
    """One concurrency level against one server."""

    concurrency: int
    duration_s: float
    requests: int
    ok: int
    errors: dict[str, int]
    throughput: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    server_rss_mb: float
    server_hwm_mb: float
    server_peak_tree_rss_mb: float
    server_cpu_s_per_article: float
    client_cpu_s_per_request: float
    mean_batch_size: float
    summary_inference_ms_per_article: float
    quotes_ms_per_article: float


def encode_bodies(texts: Sequence[str]) -> list[bytes]:
    """Request bodies for ``/v1/analyze``, encoded once so that the client does no JSON work."""
    return [json.dumps({"text": t}).encode() for t in texts]


def drive(
    url: str,
    bodies: Sequence[bytes],
    concurrency: int,
    duration_s: float,
    *,
    max_requests: int = 100_000,
    request_timeout_s: float = 60.0,
    offset: int = 0,
) -> tuple[list[float], Counter[str], float]:
    """Closed-loop load: ``concurrency`` threads, each sending the next article as soon as its last
    answer arrives, until ``duration_s`` has passed or ``max_requests`` were sent.

    Returns the latencies of 200 answers (s), the count of outcomes by status (or exception name),
    and the wall time from the first send to the last answer.
    """
    import ssl

    import httpx

    lock = threading.Lock()
    sent = 0
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    headers = {"content-type": "application/json"}
    # Clients are built before the clock starts, sharing one bare TLS context: httpx otherwise
    # loads the CA bundle per client, which costs ~50 ms of CPU each on a loaded machine (and
    # plain-HTTP loopback never uses it).
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    clients = [
        httpx.Client(
            base_url=url,
            timeout=request_timeout_s,
            verify=tls,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )
        for _ in range(concurrency)
    ]
    go = threading.Barrier(concurrency + 1)
    start = stop_at = last_done = 0.0

    def worker(k: int) -> None:
        nonlocal sent, last_done
        client = clients[k]
        idx = offset + k * max(1, len(bodies) // max(1, concurrency))
        go.wait()
        while time.perf_counter() < stop_at:
            with lock:
                if sent >= max_requests:
                    return
                sent += 1
            body = bodies[idx % len(bodies)]
            idx += 1
            t = time.perf_counter()
            try:
                r = client.post("/v1/analyze", content=body, headers=headers)
                status = str(r.status_code)
            except httpx.HTTPError as e:
                status = type(e).__name__
            done = time.perf_counter()
            with lock:
                outcomes[status] += 1
                last_done = max(last_done, done)
                if status == "200":
                    latencies.append(done - t)

    threads = [
        threading.Thread(target=worker, args=(k,), name=f"load-{k}", daemon=True) for k in range(concurrency)
    ]
    for th in threads:
        th.start()
    start = last_done = time.perf_counter()
    stop_at = start + duration_s
    go.wait()
    try:
        for th in threads:
            th.join(duration_s + request_timeout_s + 5)
    finally:
        for c in clients:
            c.close()
    return latencies, outcomes, last_done - start


def run_level(
    server: Server, bodies: Sequence[bytes], concurrency: int, duration_s: float, max_requests: int
) -> LevelResult:
    """One measured level: load, then latency, memory, CPU and batching figures."""
    before = scrape_metrics(server.url)
    snap0 = tree_snapshot(server.pid)
    cpu_client0 = time.process_time()
    with RssSampler(server.pid) as sampler:
        latencies, outcomes, wall = drive(
            server.url, bodies, concurrency, duration_s, max_requests=max_requests, offset=concurrency
        )
    cpu_client = time.process_time() - cpu_client0
    snap1 = tree_snapshot(server.pid)
    after = scrape_metrics(server.url)
    ok = outcomes.get("200", 0)

    def delta(name: str, label: str = "") -> float:
        return metric_sum(after, name, label) - metric_sum(before, name, label)

    batches = delta("analyzer_batch_size_count")
    batched_docs = delta("analyzer_batch_size_sum")
    n = max(1, ok)
    return LevelResult(
        concurrency=concurrency,
        duration_s=wall,
        requests=sum(outcomes.values()),
        ok=ok,
        errors={k: v for k, v in outcomes.items() if k != "200"},
        throughput=ok / wall if wall > 0 else 0.0,
        **latency_summary_ms(latencies),
        server_rss_mb=snap1.rss_mb,
        server_hwm_mb=snap1.hwm_mb,
        server_peak_tree_rss_mb=max(sampler.peak_mb, snap1.rss_mb),
        server_cpu_s_per_article=(snap1.cpu_s - snap0.cpu_s) / n,
        client_cpu_s_per_request=cpu_client / max(1, sum(outcomes.values())),
        mean_batch_size=batched_docs / batches if batches else math.nan,
        summary_inference_ms_per_article=1000
        * delta("analyzer_inference_duration_seconds_sum", 'engine="summary"')
        / max(1.0, batched_docs),
        quotes_ms_per_article=1000 * delta("analyzer_inference_duration_seconds_sum", 'engine="quotes"') / n,
    )


def warm_up(server: Server, bodies: Sequence[bytes], seconds: float) -> None:
    """Unmeasured load at a few concurrency levels: first-call costs and allocator growth."""
    if seconds <= 0:
        return
    for c in (1, 4, 8):
        drive(server.url, bodies, c, seconds / 3, max_requests=500)


# --------------------------------------------------------------------------------------------------
# The naive baseline


def run_naive(texts: Sequence[str], duration_s: float, timeout_s: float = 300) -> dict[str, Any]:
    """``bench/naive_baseline.py`` in its own process over ``texts``; its JSON result."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "naive_baseline.py"), "--duration", str(duration_s)],
        input=json.dumps(list(texts)),
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout_s,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"naive baseline failed ({proc.returncode}): {proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def combine_naive(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Pool several naive runs: total articles over total time, latencies together."""
    lat = [x for p in parts for x in p["latencies_s"]]
    articles = sum(p["articles"] for p in parts)
    elapsed = sum(p["elapsed_s"] for p in parts)
    return {
        "runs": [{k: v for k, v in p.items() if k != "latencies_s"} for p in parts],
        "articles": articles,
        "elapsed_s": elapsed,
        "throughput": articles / elapsed if elapsed else 0.0,
        "throughput_per_run": [p["throughput"] for p in parts],
        **latency_summary_ms(lat),
        "cpu_s_per_article": statistics.fmean(p["cpu_s_per_article"] for p in parts),
        "vm_hwm_mb": max(p["vm_hwm_mb"] for p in parts),
        "torch_threads": parts[0]["torch_threads"],
    }


# --------------------------------------------------------------------------------------------------
# Targets


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


def evaluate_targets(
    levels: dict[int, LevelResult], naive_throughput: float, startup_s: float, peak_rss_mb: float
) -> list[Target]:
    """The five targets of the brief, from one run's figures (NaN where a level did not run)."""

    def lv(c: int, attr: str) -> float:
        return float(getattr(levels[c], attr)) if c in levels else math.nan

    c8 = lv(8, "throughput")
    p50_c1 = lv(1, "p50_ms")
    return [
        Target(
            "throughput c=8 / naive", c8 / naive_throughput if naive_throughput else math.nan, 2.0, True, "x"
        ),
        Target("p50 latency c=1", p50_c1, 200.0, False, "ms"),
        Target("p99 c=8 / p50 c=1", lv(8, "p99_ms") / p50_c1 if p50_c1 else math.nan, 4.0, False, "x"),
        Target("peak server RSS", peak_rss_mb, 1536.0, False, "MB"),
        Target("startup to ready", startup_s, 20.0, False, "s"),
    ]


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


def _nan_to_none(o: Any) -> Any:
    if isinstance(o, float) and math.isnan(o):
        return None
    if isinstance(o, dict):
        return {k: _nan_to_none(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_nan_to_none(v) for v in o]
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


# --------------------------------------------------------------------------------------------------
# Modes


def bench_server(
    cfg: ServerConfig,
    args: argparse.Namespace,
    bodies: Sequence[bytes],
    levels: Sequence[int],
    duration_s: float,
    *,
    log_dir: Path,
    verbose: bool = True,
) -> dict[str, Any]:
    """Start one server configuration, warm it, run the levels; its figures."""
    log_path = log_dir / f"server-{cfg.name}.log"
    with Server(cfg, args.engines, log_path) as server:
        startup = server.startup_s
        ready_rss = tree_snapshot(server.pid)
        if verbose:
            print(
                f"[{cfg.name}] ready in {startup:.2f} s, RSS {ready_rss.rss_mb:.0f} MB "
                f"({ready_rss.processes} process(es))",
                flush=True,
            )
        warm_up(server, bodies, args.warmup)
        results: dict[int, LevelResult] = {}
        if verbose:
            print(LEVEL_HEADER, flush=True)
        for c in levels:
            r = run_level(server, bodies, c, duration_s, args.max_requests)
            results[c] = r
            if verbose:
                print(fmt_level(r), flush=True)
        final = tree_snapshot(server.pid)
        peak = max([final.hwm_mb, *(r.server_peak_tree_rss_mb for r in results.values())])
    return {
        "config": asdict(cfg),
        "startup_s": startup,
        "ready_rss_mb": ready_rss.rss_mb,
        "levels": results,
        "peak_rss_mb": peak,
        "hwm_max_process_mb": final.hwm_max_process_mb,
    }


def mode_bench(args: argparse.Namespace) -> int:
    """The default mode: service levels, naive baseline, compute floor, targets."""
    texts, source = load_articles(args.data, args.max_articles)
    bodies = encode_bodies(texts)
    ctx: dict[str, Any] = {
        "load_at_start": load_average(),
        "git": git_commit(),
        "cpu": cpu_model(),
        "articles": {
            "source": source,
            "count": len(texts),
            "chars_median": statistics.median(len(t) for t in texts),
        },
    }
    print(f"load at start: {ctx['load_at_start']['uptime']}")
    print(
        f"commit {ctx['git']['commit'][:12]}{' (dirty tree)' if ctx['git']['dirty'] else ''}; "
        f"cpu {ctx['cpu']}; {len(texts)} articles from {source}, median "
        f"{ctx['articles']['chars_median']:.0f} chars; engines={args.engines}"
    )
    levels = [int(x) for x in args.levels.split(",")]
    cfg = ServerConfig("default", dict(kv.split("=", 1) for kv in args.env))
    naive_parts: list[dict[str, Any]] = []
    half = args.naive_duration / 2

    if args.naive_duration > 0:
        print(f"naive baseline, part 1 ({half:.0f} s) ...", flush=True)
        naive_parts.append(run_naive(texts, half))
    print(f"service: {args.duration:.0f} s per level at concurrency {levels}", flush=True)
    svc = bench_server(cfg, args, bodies, levels, args.duration, log_dir=args.out.parent / "logs")
    if args.naive_duration > 0:
        print(f"naive baseline, part 2 ({half:.0f} s) ...", flush=True)
        naive_parts.append(run_naive(texts, half))
    naive: dict[str, Any] = combine_naive(naive_parts) if naive_parts else {"throughput": math.nan}

    level_map: dict[int, LevelResult] = svc["levels"]
    c8 = level_map[8].throughput if 8 in level_map else math.nan
    print()
    print(
        f"naive (sentence-transformers, sequential, torch threads {naive.get('torch_threads')}): "
        f"{naive['throughput']:.2f} art/s (runs: "
        f"{', '.join(f'{x:.2f}' for x in naive.get('throughput_per_run', []))}), "
        f"p50 {naive.get('p50_ms', math.nan):.0f} ms, "
        f"CPU {naive.get('cpu_s_per_article', math.nan) * 1000:.0f} ms/article, "
        f"VmHWM {naive.get('vm_hwm_mb', math.nan):.0f} MB"
    )
    print(f"ratio service c=8 / naive: {c8 / naive['throughput'] if naive['throughput'] else math.nan:.2f}x")

    floor: dict[str, Any] = {}
    if not args.no_flops:
        floor = compute_floor(texts, level_map)
    targets = evaluate_targets(level_map, naive["throughput"], svc["startup_s"], svc["peak_rss_mb"])
    print()
    for t in targets:
        print(t.line())
    results: dict[str, Any] = {
        "kind": "bench",
        **ctx,
        "settings": {**vars(args), "out": str(args.out), "data": str(args.data)},
        "server_env": cfg.env,
        "startup_s": svc["startup_s"],
        "ready_rss_mb": svc["ready_rss_mb"],
        "peak_rss_mb": svc["peak_rss_mb"],
        "levels": {str(c): asdict(r) for c, r in level_map.items()},
        "naive": naive,
        "ratio_c8_to_naive": c8 / naive["throughput"] if naive["throughput"] else None,
        "compute_floor": floor,
        "targets": [{**asdict(t), "passed": t.passed} for t in targets],
        "load_at_end": load_average(),
    }
    copy = write_results(_nan_to_none(results), args.out)
    print(f"\nresults: {args.out} (copy {copy.relative_to(ROOT) if copy.is_relative_to(ROOT) else copy})")
    print(f"load at end: {results['load_at_end']['uptime']}")
    return 0 if all(t.passed for t in targets) or not args.strict else 1


def compute_floor(texts: Sequence[str], levels: dict[int, LevelResult]) -> dict[str, Any]:
    """Print and return FLOPs per article, achieved GFLOP/s per level and the GEMM ceiling."""
    from bench import flops

    f = flops.article_flops(texts)
    ceiling = {
        f"{dtype}_{threads}t": flops.gemm_gflops(threads, dtype)
        for threads in (1, 2)
        for dtype in ("float32", "bfloat16")
    }
    achieved = {str(c): r.throughput * f.gflop_mean for c, r in levels.items()}
    # FLOPs per server CPU-second: what each core-second bought, less sensitive to other jobs than
    # wall-clock GFLOP/s (includes HTTP, JSON, quotes and selection, so it is a lower bound).
    per_cpu = {
        str(c): f.gflop_mean / r.server_cpu_s_per_article if r.server_cpu_s_per_article > 0 else math.nan
        for c, r in levels.items()
    }
    print()
    print(
        f"compute floor: encoder {f.gflop_mean:.3f} GFLOP/article (mean; median {f.gflop_median:.3f}) = "
        f"2 x {flops.non_embedding_params(flops.load_shape()[0]) / 1e6:.2f}M non-embedding params x "
        f"{f.tokens_mean:.0f} tokens + attention ({f.attention_share:.1%}); "
        f"{f.sentences_mean:.1f} sentences of {f.tokens_per_sentence_mean:.1f} tokens, unpadded "
        f"(doc-order batches of 8 padded: {f.gflop_padded8_mean:.3f})"
    )
    print("achieved: " + ", ".join(f"c={c} {g:.1f} GFLOP/s" for c, g in achieved.items()))
    print("per server CPU-second: " + ", ".join(f"c={c} {g:.1f} GFLOP" for c, g in per_cpu.items()))
    print(
        "GEMM ceiling (torch matmul 2048x384 @ 384x1536): "
        + ", ".join(f"{k} {v:.0f}" for k, v in ceiling.items())
        + " GFLOP/s"
    )
    best = max(achieved.values(), default=math.nan)
    print(
        f"best level reaches {best / ceiling['float32_2t']:.1%} of the fp32 2-thread GEMM ceiling, "
        f"{best / ceiling['bfloat16_2t']:.1%} of bf16"
    )
    return {
        "flops": asdict(f),
        "achieved_gflops": achieved,
        "gflop_per_server_cpu_s": per_cpu,
        "gemm_ceiling_gflops": ceiling,
        "method": "2*L*(4h^2+2hi) per token + 4*L*n^2*h per sentence; tokens from the model "
        "tokenizer over service.engines.text.story_sentences, +2 special, <= 256",
    }


def lever_configs(names: Sequence[str] | None) -> list[ServerConfig]:
    """The server-level levers compared by ``--matrix``: one change each against the default."""
    all_cfgs = [
        ServerConfig("default"),
        ServerConfig("batch1", {"ANALYZER_BATCH_SIZE": "1"}),
        ServerConfig("batch4", {"ANALYZER_BATCH_SIZE": "4"}),
        ServerConfig("batch16", {"ANALYZER_BATCH_SIZE": "16"}),
        ServerConfig("wait0", {"ANALYZER_BATCH_WAIT_MS": "0"}),
        ServerConfig("wait10", {"ANALYZER_BATCH_WAIT_MS": "10"}),
        ServerConfig("wait20", {"ANALYZER_BATCH_WAIT_MS": "20"}),
        ServerConfig("threads1", {"ANALYZER_INFERENCE_THREADS": "1"}),
        # One encoder stream whose operators use every thread (the default runs one
        # single-threaded stream per thread).
        ServerConfig("encoder-operators", {"ANALYZER_ENCODER_PARALLELISM": "operators"}),
        ServerConfig("workers2", {"ANALYZER_WORKERS": "2"}),
        ServerConfig("workers2-threads1", {"ANALYZER_WORKERS": "2", "ANALYZER_INFERENCE_THREADS": "1"}),
        ServerConfig("log-warning", {"ANALYZER_LOG_LEVEL": "warning"}),
        # OpenMP threads that sleep at barriers instead of spinning: matters when other processes
        # share the cores and a spinning thread's partner is descheduled.
        ServerConfig("omp-passive", {"OMP_WAIT_POLICY": "PASSIVE"}),
        ServerConfig("granian", {}, launcher="granian"),
    ]
    if not names:
        return [c for c in all_cfgs if c.launcher != "granian" or _has_module("granian")]
    by_name = {c.name: c for c in all_cfgs}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise SystemExit(f"unknown lever(s) {unknown}; known: {', '.join(by_name)}")
    return [by_name[n] for n in names]


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def mode_matrix(args: argparse.Namespace) -> int:
    """Levers side by side: every configuration per round, rounds rotated, medians reported."""
    texts, source = load_articles(args.data, args.max_articles)
    bodies = encode_bodies(texts)
    cfgs = lever_configs(args.levers.split(",") if args.levers else None)
    levels = [1, 8]
    ctx: dict[str, Any] = {"load_at_start": load_average(), "git": git_commit(), "cpu": cpu_model()}
    print(f"load at start: {ctx['load_at_start']['uptime']}")
    print(
        f"levers: {', '.join(c.name for c in cfgs)}; {args.rounds} round(s), {args.matrix_duration:.0f} s "
        f"per level at concurrency {levels}; {len(texts)} articles from {source}",
        flush=True,
    )
    runs: dict[str, list[dict[str, Any]]] = {c.name: [] for c in cfgs}
    for rnd in range(args.rounds):
        # Rotate the order so that no configuration always runs in the same slot of the load cycle.
        order = cfgs[rnd % len(cfgs) :] + cfgs[: rnd % len(cfgs)]
        for cfg in order:
            try:
                res = bench_server(
                    cfg,
                    args,
                    bodies,
                    levels,
                    args.matrix_duration,
                    log_dir=args.out.parent / "logs",
                    verbose=False,
                )
            except (RuntimeError, TimeoutError) as e:
                print(f"[round {rnd + 1}] {cfg.name}: failed: {e}", flush=True)
                continue
            lv = res["levels"]
            print(
                f"[round {rnd + 1}] {cfg.name:<18} c8 {lv[8].throughput:6.2f} art/s  c1 p50 "
                f"{lv[1].p50_ms:6.1f} ms  c8 p99 {lv[8].p99_ms:7.1f} ms  batch {lv[8].mean_batch_size:4.2f}  "
                f"cpu {lv[8].server_cpu_s_per_article * 1000:5.0f} ms/a  RSS {res['peak_rss_mb']:5.0f} MB  "
                f"startup {res['startup_s']:5.2f} s",
                flush=True,
            )
            runs[cfg.name].append(res)
    summary = summarize_matrix(runs)
    print()
    print(
        f"{'lever':<18} {'c8 art/s':>9} {'vs default':>10} {'c1 p50':>8} {'c8 p50':>8} {'c8 p99':>8} "
        f"{'batch':>6} {'cpu ms/a':>9} {'RSS MB':>7} {'start s':>7}"
    )
    for name, s in summary.items():
        print(
            f"{name:<18} {s['c8_throughput']:9.2f} {s['vs_default']:9.2f}x {s['c1_p50_ms']:8.1f} "
            f"{s['c8_p50_ms']:8.1f} {s['c8_p99_ms']:8.1f} {s['c8_mean_batch']:6.2f} "
            f"{s['c8_cpu_ms_per_article']:9.0f} {s['peak_rss_mb']:7.0f} {s['startup_s']:7.2f}"
        )
    results: dict[str, Any] = {
        "kind": "levers",
        **ctx,
        "settings": {**vars(args), "out": str(args.out), "data": str(args.data)},
        "articles": {"source": source, "count": len(texts)},
        "summary": summary,
        "runs": {
            k: [{**r, "levels": {str(c): asdict(x) for c, x in r["levels"].items()}} for r in v]
            for k, v in runs.items()
        },
        "load_at_end": load_average(),
    }
    out = args.out.with_name("bench-levers.json") if args.out.name == "bench.json" else args.out
    write_results(_nan_to_none(results), out)
    print(f"\nresults: {out}\nload at end: {results['load_at_end']['uptime']}")
    return 0


def summarize_matrix(runs: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    """Median figures per configuration, and c=8 throughput relative to the default's median."""
    out: dict[str, dict[str, float]] = {}
    for name, rs in runs.items():

        def med(c: int, attr: str, rs: list[dict[str, Any]] = rs) -> float:
            return median_or_nan([float(getattr(r["levels"][c], attr)) for r in rs if c in r["levels"]])

        out[name] = {
            "rounds": float(len(rs)),
            "c8_throughput": med(8, "throughput"),
            "c1_p50_ms": med(1, "p50_ms"),
            "c8_p50_ms": med(8, "p50_ms"),
            "c8_p99_ms": med(8, "p99_ms"),
            "c8_mean_batch": med(8, "mean_batch_size"),
            "c8_cpu_ms_per_article": 1000 * med(8, "server_cpu_s_per_article"),
            "peak_rss_mb": median_or_nan([r["peak_rss_mb"] for r in rs]),
            "startup_s": median_or_nan([r["startup_s"] for r in rs]),
        }
    base = out.get("default", {}).get("c8_throughput", math.nan)
    for s in out.values():
        s["vs_default"] = s["c8_throughput"] / base if base else math.nan
    return out


# --------------------------------------------------------------------------------------------------
# Profile: where the time goes inside the engines, and the encoder's internal levers


def _encoder_variants(texts: Sequence[str], threads: int, repeats: int) -> list[dict[str, Any]]:
    """ms per article of the bare encoder (tokenise + forward + mean pool + normalise) under the
    engine-internal levers, each run over the same articles; quality as cosine to the fp32 result."""
    import warnings

    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import torch
    from transformers import AutoModel, AutoTokenizer

    from bench import flops

    # The int8 path goes through torch.ao.quantization, deprecated in this torch: measured anyway.
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=UserWarning)
    torch.set_num_threads(threads)
    d = str(flops.model_dir())
    tok = AutoTokenizer.from_pretrained(d)
    fp32 = AutoModel.from_pretrained(d).eval()
    docs = [flops.sentences_of(t) for t in texts]

    def embed(model: Any, sents: list[str], dtype: Any = None) -> Any:
        enc = tok(sents, padding=True, truncation=True, max_length=256, return_tensors="pt")
        if dtype is None:
            out = model(**enc).last_hidden_state
        else:
            with torch.autocast("cpu", dtype=dtype):
                out = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).to(out.dtype)
        pooled = (out * mask).sum(1) / mask.sum(1).clamp(min=1)
        return torch.nn.functional.normalize(pooled.float(), dim=-1)

    def per_doc(
        model: Any, chunk: int | None, sort: bool, dtype: Any = None, pool_docs: int = 1
    ) -> list[Any]:
        results: list[Any] = []
        for k in range(0, len(docs), pool_docs):
            group = [s for doc in docs[k : k + pool_docs] for s in doc]
            order = (
                sorted(range(len(group)), key=lambda i: len(group[i])) if sort else list(range(len(group)))
            )
            size = chunk or len(group)
            embs: list[Any] = [None] * len(group)
            for c in range(0, len(order), size):
                idx = order[c : c + size]
                e = embed(model, [group[i] for i in idx], dtype)
                for j, i in enumerate(idx):
                    embs[i] = e[j]
            stacked = torch.stack(embs)
            # Back to one tensor per article, so every variant compares with the reference alike.
            at = 0
            for doc in docs[k : k + pool_docs]:
                results.append(stacked[at : at + len(doc)])
                at += len(doc)
        return results

    def tokenise_only(_: Any, *a: Any, **k: Any) -> list[Any]:
        for doc in docs:
            tok(doc, padding=True, truncation=True, max_length=256, return_tensors="pt")
        return []

    variants: list[tuple[str, Any, Any, dict[str, Any]]] = [
        ("tokenise only", tokenise_only, None, {}),
        ("fp32 no_grad, 1 padded batch/article", per_doc, fp32, {"chunk": None, "sort": False}),
        ("fp32 inference_mode, 1 batch/article", per_doc, fp32, {"chunk": None, "sort": False, "im": True}),
        ("fp32 sorted, chunks of 16", per_doc, fp32, {"chunk": 16, "sort": True, "im": True}),
        (
            "fp32 8 articles pooled, sorted, chunks 64",
            per_doc,
            fp32,
            {"chunk": 64, "sort": True, "im": True, "pool_docs": 8},
        ),
        (
            "bf16 autocast, sorted, chunks of 16",
            per_doc,
            fp32,
            {"chunk": 16, "sort": True, "im": True, "dtype": torch.bfloat16},
        ),
    ]
    bf16 = AutoModel.from_pretrained(d, dtype=torch.bfloat16).eval()
    variants.append(
        ("bf16 weights, sorted, chunks of 16", per_doc, bf16, {"chunk": 16, "sort": True, "im": True})
    )
    try:
        from torch.ao.quantization import quantize_dynamic

        int8 = quantize_dynamic(  # type: ignore[no-untyped-call]
            AutoModel.from_pretrained(d).eval(), {torch.nn.Linear}, dtype=torch.qint8
        )
        variants.append(
            ("int8 dynamic quant, sorted, chunks 16", per_doc, int8, {"chunk": 16, "sort": True, "im": True})
        )
    except Exception as e:  # noqa: BLE001 - the API is deprecated; report, do not fail the profile
        print(f"int8 dynamic quantisation unavailable: {type(e).__name__}: {e}")

    with torch.inference_mode():
        reference = per_doc(fp32, None, False)
    rows = []
    for name, fn, model, options in variants:
        kw = dict(options)
        im = kw.pop("im", False)
        times = []
        out: list[Any] = []
        for _ in range(repeats):
            t = time.perf_counter()
            ctx = torch.inference_mode() if im else torch.no_grad()
            with ctx:
                out = fn(model, **kw)
            times.append((time.perf_counter() - t) * 1000 / len(docs))
        cos = (
            min(float((a * b).sum(-1).min()) for a, b in zip(out, reference, strict=True))
            if out
            else math.nan
        )
        rows.append(
            {
                "variant": name,
                "threads": threads,
                "ms_per_article": statistics.median(times),
                "min_cosine_vs_fp32": cos,
            }
        )
    return rows


def profile_engines(args: argparse.Namespace) -> int:
    """Encoder lever table (1 and 2 threads), then cProfile and torch-profiler tables of the real
    engines on batches of 8 articles. Prints timings only, never text."""
    import cProfile
    import io
    import pstats

    texts, source = load_articles(args.data, args.max_articles or 6)
    print(f"load at start: {load_average()['uptime']}; {len(texts)} articles from {source}")
    rows: list[dict[str, Any]] = []
    for threads in args.profile_threads:
        for r in _encoder_variants(texts, threads, repeats=args.profile_repeats):
            rows.append(r)
            print(
                f"encoder, {threads} thread(s): {r['variant']:<42} {r['ms_per_article']:7.1f} ms/article  "
                f"min cos vs fp32 {r['min_cosine_vs_fp32']:.4f}",
                flush=True,
            )
    result: dict[str, Any] = {"kind": "profile", "git": git_commit(), "encoder_levers": rows}
    try:
        import torch

        from service.config import load_settings
        from service.engines.factory import build_engines
        from service.schemas import SummaryOptions

        settings = load_settings({}, engines=args.engines)
        engines = build_engines(settings)
        torch.set_num_threads(settings.threads)
        engines.summary.load()
        engines.summary.warmup()
    except Exception as e:  # noqa: BLE001 - the engines may not be finished yet; the table above stands
        print(f"engines not profiled: {type(e).__name__}: {e}")
    else:
        opts = SummaryOptions()
        batches = [texts[k : k + 8] for k in range(0, len(texts), 8)]
        t = time.perf_counter()
        for b in batches:
            engines.summary.summarize_batch([(x, opts) for x in b])
        summary_ms = (time.perf_counter() - t) * 1000 / len(texts)
        t = time.perf_counter()
        for x in texts:
            engines.quotes.extract(x)
        quotes_ms = (time.perf_counter() - t) * 1000 / len(texts)
        print(
            f"\nengines in-process, batches of 8: summary {summary_ms:.1f} ms/article, "
            f"quotes {quotes_ms:.1f} ms/article"
        )
        prof = cProfile.Profile()
        prof.enable()
        for b in batches:
            engines.summary.summarize_batch([(x, opts) for x in b])
            for x in b:
                engines.quotes.extract(x)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("tottime").print_stats(25)
        print("\ncProfile, both engines, sorted by own time (top 25):")
        print("\n".join(buf.getvalue().splitlines()[4:40]))
        from torch.profiler import ProfilerActivity, profile

        with profile(activities=[ProfilerActivity.CPU]) as tp:
            for b in batches[:2]:
                engines.summary.summarize_batch([(x, opts) for x in b])
        table = tp.key_averages().table(sort_by="self_cpu_time_total", row_limit=15)
        print("\ntorch profiler, summary engine, 2 batches of 8:")
        print(table)
        result.update(
            {
                "summary_ms_per_article": summary_ms,
                "quotes_ms_per_article": quotes_ms,
                "cprofile_top": buf.getvalue(),
                "torch_profile": table,
            }
        )
    out = args.out.with_name("bench-profile.json") if args.out.name == "bench.json" else args.out
    write_results(_nan_to_none(result), out)
    print(f"results: {out}")
    return 0


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=float, default=20.0, help="seconds per concurrency level (default 20)")
    p.add_argument("--levels", default="1,4,8,16", help="concurrency levels (default 1,4,8,16)")
    p.add_argument("--warmup", type=float, default=6.0, help="seconds of unmeasured warm-up load (default 6)")
    p.add_argument(
        "--naive-duration",
        type=float,
        default=30.0,
        help="seconds of naive baseline, split before/after the service (default 30; 0 skips)",
    )
    p.add_argument("--max-requests", type=int, default=20_000, help="cap on requests per level")
    p.add_argument(
        "--engines", choices=["real", "fake"], default="real", help="ANALYZER_ENGINES (default real)"
    )
    p.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the server, e.g. ANALYZER_BATCH_SIZE=4 (repeatable)",
    )
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="FRANK validation.jsonl")
    p.add_argument("--max-articles", type=int, default=None, help="use only the first N articles")
    p.add_argument("--out", type=Path, default=ROOT / "out" / "bench.json", help="JSON results file")
    p.add_argument("--no-flops", action="store_true", help="skip the FLOP count and GEMM ceiling")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    p.add_argument("--matrix", action="store_true", help="compare server-level levers side by side")
    p.add_argument("--levers", default="", help="with --matrix: comma-separated subset of levers")
    p.add_argument("--rounds", type=int, default=2, help="with --matrix: rounds over all levers (default 2)")
    p.add_argument(
        "--matrix-duration", type=float, default=10.0, help="with --matrix: seconds per level (default 10)"
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="profile the engines in-process (cProfile + torch profiler) instead",
    )
    p.add_argument(
        "--profile-threads",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[2],
        help="with --profile: torch thread counts for the encoder table (default 2)",
    )
    p.add_argument("--profile-repeats", type=int, default=3, help="with --profile: repeats per variant")
    args = p.parse_args(argv)
    if args.duration <= 0 or args.duration > 600 or args.rounds < 1:
        p.error("--duration must be within (0, 600] and --rounds at least 1")
    for kv in args.env:
        if "=" not in kv or not kv.startswith("ANALYZER_"):
            p.error(f"--env takes ANALYZER_KEY=VALUE, got {kv!r}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: ``python -m bench.service_bench [--matrix | --profile]``."""
    args = parse_args(argv)
    with terminate_on_sigterm():
        if args.profile:
            return profile_engines(args)
        if args.matrix:
            return mode_matrix(args)
        return mode_bench(args)


if __name__ == "__main__":
    sys.exit(main())

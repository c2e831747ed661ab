"""Closed-loop load against the server, one measured level, and the naive baseline's runs."""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.procs import RssSampler, tree_snapshot
from bench.server import Server, metric_sum, scrape_metrics
from bench.stats import latency_summary_ms

ROOT = Path(__file__).resolve().parents[1]


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


def _clients(url: str, n: int, timeout_s: float) -> list[Any]:
    """``n`` keep-alive clients of one connection each, built before the clock starts, sharing one
    bare TLS context: httpx otherwise loads the CA bundle per client, which costs ~50 ms of CPU
    each on a loaded machine (and plain-HTTP loopback never uses it)."""
    import ssl

    import httpx

    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return [
        httpx.Client(
            base_url=url,
            timeout=timeout_s,
            verify=tls,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )
        for _ in range(n)
    ]


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
    import httpx

    lock = threading.Lock()
    sent = 0
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    headers = {"content-type": "application/json"}
    clients = _clients(url, concurrency, request_timeout_s)
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

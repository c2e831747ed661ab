"""Throughput of POST /v1/analyze with tracing off and on, in the same run, interleaved.

    .venv/bin/python -m bench.trace_bench [--requests 300] [--rounds 7] [--engines fake|real]

``off``: no OTEL_* variables (the default). ``on``: OTEL_EXPORTER_OTLP_ENDPOINT names a loopback
OTLP/HTTP receiver in a process of its own (its decoding is not the service's cost), so every span
is really encoded and posted. Requests go one at
a time through the whole ASGI stack (Litestar's test client); rounds alternate the order of the
two. Prints the CPU, the median requests/s of each and their ratio, and what the off path adds to
a request: its tracing calls, timed alone, against the request's median time. Fake engines (the
default) make the tracing share of a request as large as it can be; real ones need the weights.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import time
import timeit
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench.report import cpu_model
from tests.conftest import ARTICLE, make_settings, wait_ready
from tests.otlp_receiver import otlp_receiver

#: Tracing calls on a /v1/analyze request: the request, language, summary, quotes, queue wait.
CALLS_PER_REQUEST = 5


@contextmanager
def app_client(engines: str, endpoint: str | None) -> Iterator[Any]:
    """A ready test client over a fresh app; tracing on when ``endpoint`` is given."""
    from litestar.testing import TestClient

    from service.app import create_app

    old = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    if endpoint:
        os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
    else:
        os.environ.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    try:
        client = TestClient(create_app(make_settings(engines=engines)))
    finally:
        if old is None:
            os.environ.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
        else:
            os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = old
    with client as c:
        wait_ready(c, timeout=120)
        yield c


def _receive(endpoints: Any, stop: Any) -> None:
    with otlp_receiver() as (endpoint, got):
        endpoints.put(endpoint)
        stop.wait()
        endpoints.put(len(got.spans))


@contextmanager
def receiver() -> Iterator[tuple[str, Any]]:
    """An OTLP/HTTP receiver in a child process; yields its endpoint and a span-count getter."""
    endpoints: Any = multiprocessing.Queue()
    stop = multiprocessing.Event()
    proc = multiprocessing.Process(target=_receive, args=(endpoints, stop), daemon=True)
    proc.start()
    count: list[int] = []
    try:
        yield endpoints.get(timeout=30), lambda: count[0] if count else -1
    finally:
        stop.set()
        count.append(endpoints.get(timeout=30))
        proc.join(10)


def rate(client: Any, n: int) -> float:
    """Requests per second over ``n`` sequential requests."""
    body = {"text": ARTICLE}
    t = time.perf_counter()
    for _ in range(n):
        assert client.post("/v1/analyze", json=body).status_code == 200
    return n / (time.perf_counter() - t)


def off_path_ns() -> float:
    """Nanoseconds of one do-nothing tracing call (enter and exit), the off path's whole cost."""
    from service.tracing import Tracing

    tracing = Tracing()

    def call() -> None:
        with tracing.span("summary"):
            pass

    n = 200_000
    return min(timeit.repeat(call, number=n, repeat=5)) / n * 1e9


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=300, help="requests per variant per round")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--engines", choices=["fake", "real"], default="fake")
    args = ap.parse_args()
    print(f"cpu: {cpu_model()} ({os.cpu_count()} visible), engines={args.engines}")
    rates: dict[str, list[float]] = {"off": [], "on": []}
    with (
        receiver() as (endpoint, spans),
        app_client(args.engines, None) as off,
        app_client(args.engines, endpoint) as on,
    ):
        clients = {"off": off, "on": on}
        rate(off, 20)
        rate(on, 20)  # warm both
        for r in range(args.rounds):
            order = ["off", "on"] if r % 2 == 0 else ["on", "off"]
            for name in order:
                rates[name].append(rate(clients[name], args.requests))
    med = {k: statistics.median(v) for k, v in rates.items()}
    for name, values in rates.items():
        spread = f"{min(values):.0f}-{max(values):.0f}"
        print(f"{name:>4}: median {med[name]:.1f} req/s over {args.rounds} rounds (range {spread})")
    print(f"on/off: {med['on'] / med['off']:.3f} of the throughput; spans received: {spans()}")
    ns = off_path_ns()
    per_request_us = CALLS_PER_REQUEST * ns / 1000
    request_us = 1e6 / med["off"]
    print(
        f"off path: {ns:.0f} ns per tracing call, {CALLS_PER_REQUEST} calls = {per_request_us:.2f} us "
        f"per request = {per_request_us / request_us:.4%} of a request ({request_us:.0f} us median)"
    )


if __name__ == "__main__":
    main()

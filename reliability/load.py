"""Bounded load generators: every loop stops by itself after a count and a time limit."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from reliability import http
from reliability.server import HOST

#: Upper bound on requests one generator keeps open at once (file descriptors, client CPU).
MAX_OUTSTANDING = 512


@dataclass
class LoadReport:
    """What a load phase observed."""

    results: list[http.Result] = field(default_factory=list)
    seconds: float = 0.0
    offered: int = 0

    @property
    def statuses(self) -> Counter[str]:
        """Count per HTTP status, or per outcome for requests without a complete response."""
        return Counter(str(r.status) if r.outcome == http.OK else r.outcome for r in self.results)

    def throughput(self, status: int = 200) -> float:
        """Answers with ``status`` per second."""
        n = sum(1 for r in self.results if r.outcome == http.OK and r.status == status)
        return n / self.seconds if self.seconds else 0.0

    def latencies(
        self, status: int = 200, since: float | None = None, until: float | None = None
    ) -> list[float]:
        """Seconds per request with that status, optionally for requests started in a window."""
        return [
            r.seconds
            for r in self.results
            if r.outcome == http.OK
            and r.status == status
            and (since is None or r.started >= since)
            and (until is None or r.started < until)
        ]


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values; NaN for none."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[min(998, max(0, int(q * 1000) - 1))]


def body_for(text: str, i: int) -> bytes:
    """The request body of one load request."""
    return json.dumps({"text": text, "id": f"load-{i}"}).encode()


async def closed_loop(
    port: int,
    text: str,
    concurrency: int,
    seconds: float,
    *,
    path: str = "/v1/analyze",
    headers: dict[str, str] | None = None,
    max_requests: int = 1_000_000,
    on_tick: Callable[[], None] | None = None,
) -> LoadReport:
    """``concurrency`` clients each sending the next request when the last one is answered."""
    report = LoadReport()
    end = time.monotonic() + seconds
    counter = iter(range(max_requests))

    async def client() -> None:
        while time.monotonic() < end:
            i = next(counter, None)
            if i is None:
                return
            report.offered += 1
            r = await http.request(HOST, port, "POST", path, body_for(text, i), headers, timeout=60)
            report.results.append(r)
            if r.outcome == http.OK and r.status == 429:
                await asyncio.sleep(0.01)

    t0 = time.monotonic()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    report.seconds = time.monotonic() - t0
    return report


async def open_loop(
    port: int,
    text: str,
    rate: float,
    seconds: float,
    *,
    path: str = "/v1/analyze",
    headers: dict[str, str] | None = None,
    timeout: float = 60.0,
    stop: asyncio.Event | None = None,
) -> LoadReport:
    """Requests started at a fixed rate regardless of answers (at most MAX_OUTSTANDING open)."""
    report = LoadReport()
    total = int(rate * seconds)
    sem = asyncio.Semaphore(MAX_OUTSTANDING)
    tasks: list[asyncio.Task[None]] = []

    async def one(i: int) -> None:
        try:
            report.results.append(
                await http.request(HOST, port, "POST", path, body_for(text, i), headers, timeout)
            )
        finally:
            sem.release()

    t0 = time.monotonic()
    for i in range(total):
        if stop is not None and stop.is_set():
            break
        due = t0 + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        await sem.acquire()
        report.offered += 1
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    report.seconds = time.monotonic() - t0
    return report


# --------------------------------------------------------------------------------------------------
# Sizing from the host's measured capacity

#: The service's default per-request deadline (ANALYZER_REQUEST_TIMEOUT_S); the load checks pass it.
DEADLINE_S = 30.0
#: The service's default admission queue (ANALYZER_QUEUE_SIZE) and batch size.
QUEUE_SIZE = 64
BATCH_SIZE = 8


async def capacity(port: int, text: str, clients: int = 4, seconds: float = 5.0) -> float:
    """Answers per second for ``text`` on this host: a short closed loop, 200s over its duration."""
    return (await closed_loop(port, text, clients, seconds)).throughput()


def sized_clients(rate: float, most: int, share: float = 0.25, deadline_s: float = DEADLINE_S) -> int:
    """Closed-loop clients for a host that answers ``rate`` per second: a request waits behind
    about ``clients / rate`` seconds of work, kept within ``share`` of the deadline (at least 2,
    at most ``most``). A slow host gets fewer clients, not 504s."""
    return max(2, min(most, int(rate * deadline_s * share)))


def sized_queue(rate: float, share: float = 0.5, deadline_s: float = DEADLINE_S) -> int:
    """An admission queue a host answering ``rate`` per second drains within ``share`` of the
    deadline (between the batch size and the service's default queue), so that overload is
    answered with 429 at admission instead of 504 after a wait in the queue."""
    return max(BATCH_SIZE, min(QUEUE_SIZE, int(rate * deadline_s * share)))

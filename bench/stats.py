"""Statistics of the benchmark: percentiles and medians that tolerate empty input."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


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

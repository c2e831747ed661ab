"""The cost of /v1/verify, and /v1/analyze with and without the summary checker, in one run.

usage: .venv/bin/python bench/verify_bench.py [DATA.jsonl] [--articles 40] [--rounds 2]

1. Verification: for each of the first ``--articles`` FRANK articles, POST /v1/verify with its
   first summary (the article is new to the checker each time) to an in-process app with the real
   engines; prints the median and quartiles of the answer time in milliseconds.
2. /v1/analyze: two in-process apps with the real engines, one built without the checker and one
   with it (loaded and warmed), answer the same articles, interleaved A/B/B/A for ``--rounds``;
   prints both medians and their ratio (the checker adds nothing to /v1/analyze's path, so the
   ratio should be 1 within noise).
Prints the CPU model and its vector extensions (the figures depend on them). One torch thread.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "faithfulness" / "frank_validation.jsonl"


def cpu_kind() -> str:
    """The CPU model and the extensions that matter for these figures."""
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next(
        (ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name")), "?"
    )
    flags = next((ln.split(":", 1)[1].split() for ln in info.splitlines() if ln.startswith("flags")), [])
    wanted = ("avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16")
    return f"{model}; " + ", ".join(f"{f}={'yes' if f in flags else 'no'}" for f in wanted)


def timed_post(client: Any, path: str, body: dict[str, Any]) -> float:
    """Milliseconds for one POST that must answer 200."""
    t = time.perf_counter()
    r = client.post(path, json=body)
    ms = (time.perf_counter() - t) * 1000
    if r.status_code != 200:
        raise SystemExit(f"{path} answered {r.status_code}: {r.text[:200]}")
    return ms


def wait_ready(client: Any, timeout: float) -> None:
    """Block until /health/ready answers 200 (models load in a background thread)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if client.get("/health/ready").status_code == 200:
            return
        time.sleep(0.1)
    raise SystemExit("the service did not become ready")


def quartiles(values: list[float]) -> dict[str, float]:
    """Median and quartiles, rounded."""
    q = statistics.quantiles(values, n=4)
    return {"median": round(statistics.median(values), 1), "p25": round(q[0], 1), "p75": round(q[2], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()

    from litestar.testing import TestClient

    from service.app import create_app
    from service.config import load_settings
    from service.console import log_to_stderr
    from service.engines.factory import build_engines

    log_to_stderr()  # the app's request log goes to stderr; stdout carries only the results
    rows = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line.strip()]
    first: dict[str, dict[str, Any]] = {}
    for r in rows:
        first.setdefault(r["hash"], r)
    docs = list(first.values())[: args.articles]
    settings = load_settings({})  # the service defaults
    without = build_engines(settings)
    without = type(without)(**{**without.__dict__, "checker": None})
    print(f"cpu: {cpu_kind()}")
    with (
        TestClient(create_app(settings)) as with_checker,
        TestClient(create_app(settings, without)) as plain,
    ):
        wait_ready(with_checker, 300)
        wait_ready(plain, 300)
        verify_ms = [
            timed_post(with_checker, "/v1/verify", {"text": d["article"], "summary": d["summary"]})
            for d in docs
        ]
        a_ms: list[float] = []
        b_ms: list[float] = []
        for rnd in range(args.rounds):
            for i, d in enumerate(docs):
                body = {"text": d["article"]}
                pair = [(plain, a_ms), (with_checker, b_ms)]
                if (i + rnd) % 2:
                    pair.reverse()
                for client, sink in pair:
                    sink.append(timed_post(client, "/v1/analyze", body))
    result = {
        "articles": len(docs),
        "verify_ms_per_article": quartiles(verify_ms),
        "analyze_ms_without_checker": quartiles(a_ms),
        "analyze_ms_with_checker": quartiles(b_ms),
        "analyze_ratio_with_over_without": round(statistics.median(b_ms) / statistics.median(a_ms), 3),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

"""Summary CPU time per FRANK CNN/DM article: this tree's engine against an earlier revision's, in
one run, each in its own worker process, one torch thread, interleaved article by article.

usage: .venv/bin/python bench/summary_ab_cpu.py [--baseline 5238e0a] [--rounds 3] [--dtype auto]

The baseline's ``service/`` and ``models/`` are exported with ``git archive`` into a temporary
folder; each worker imports its own tree, loads the default engine (``SummarizerConfig``, the
encoder in ``--dtype``) and warms it up, then summarises the article the parent names and reports
``time.process_time`` around ``summarize_batch`` with the default options. The parent alternates
which side goes first; answers are the worker's lines that start with "@@". It prints the host's
CPU kind, the medians, the ratio of the medians, and how many summaries differ.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.articles import DEFAULT_DATA, load_articles  # noqa: E402
from models.precision import host_cpu, resolve_dtype  # noqa: E402

WORKER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import torch
torch.set_num_threads(1)
from service.engines.summarizer import SummarizerConfig, create_summary_engine
from service.schemas import SummaryOptions
articles = json.loads(open(sys.argv[2], encoding="utf8").read())
eng = create_summary_engine(SummarizerConfig(encoder_dtype=sys.argv[3]))
eng.load()
eng.warmup()
print("@@ready", flush=True)
for line in sys.stdin:
    text = articles[int(line)]
    t0 = time.process_time()
    s = eng.summarize_batch([(text, SummaryOptions())])[0]
    print("@@" + json.dumps({"cpu": time.process_time() - t0, "text": s.text}), flush=True)
"""


def export(rev: str, into: Path) -> None:
    """The revision's service/ and models/ under ``into``."""
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "service", "models"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")


def start(tree: Path, articles: Path, dtype: str) -> subprocess.Popen[str]:
    """A worker on ``tree``, once it has loaded and warmed up its engine."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(tree), str(articles), dtype],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    if _reply(proc) != "ready":
        raise SystemExit(f"worker on {tree} did not start")
    return proc


def _reply(proc: subprocess.Popen[str]) -> str:
    """The worker's next answer line (its log lines, on the same stream, are skipped)."""
    assert proc.stdout is not None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"worker exited with {proc.wait()}")
        if line.startswith("@@"):
            return line[2:].strip()


def ask(proc: subprocess.Popen[str], index: int) -> dict[str, object]:
    """One summary's CPU seconds and text from a worker."""
    assert proc.stdin is not None
    assert proc.stdout is not None
    proc.stdin.write(f"{index}\n")
    proc.stdin.flush()
    out: dict[str, object] = json.loads(_reply(proc))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--baseline", default="5238e0a")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dtype", default="auto", help="encoder precision on both sides (auto: the host's)")
    args = ap.parse_args()
    if not Path(args.data).exists():
        print(f"no data at {args.data}; nothing to time")
        return
    articles, _ = load_articles(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.json"
        path.write_text(json.dumps(articles), encoding="utf8")
        export(args.baseline, Path(tmp) / "baseline")
        sides = {
            "this tree": start(ROOT, path, args.dtype),
            f"baseline {args.baseline}": start(Path(tmp) / "baseline", path, args.dtype),
        }
        cpu: dict[str, list[float]] = {name: [] for name in sides}
        texts: dict[str, list[str]] = {name: [] for name in sides}
        for r in range(args.rounds):
            for i in range(len(articles)):
                order = list(sides) if (i + r) % 2 == 0 else list(reversed(sides))
                for name in order:
                    got = ask(sides[name], i)
                    cpu[name].append(float(got["cpu"]))  # type: ignore[arg-type]
                    if r == 0:
                        texts[name].append(str(got["text"]))
        for proc in sides.values():
            proc.kill()
            proc.wait()
    host = host_cpu()
    print(
        f"host: {host.model}, kind {host.kind}, encoder {resolve_dtype(args.dtype)};"
        f" {len(articles)} CNN/DM articles x {args.rounds} rounds"
    )
    print("summary CPU ms per article, default options (median, mean):")
    for name, xs in cpu.items():
        print(f"  {name:24s} {1000 * statistics.median(xs):7.1f} {1000 * statistics.fmean(xs):7.1f}")
    a, b = (statistics.median(xs) for xs in cpu.values())
    print(f"  ratio this tree / baseline (medians): {a / b:.3f}")
    changed = sum(x != y for x, y in zip(*texts.values(), strict=True))
    print(f"  summaries that differ: {changed} of {len(articles)}")


if __name__ == "__main__":
    main()

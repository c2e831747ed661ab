"""The archive CLI's Ray path against the plain CLI, in the same run, on the same articles.

    python -m bench.ray_bench [--shared ../shared] [--articles 100] [--rounds 2] [--cpus 2]

100 articles (half FRANK validation, half PolNeAR dev, alternating) are written to a JSONL under
out/ray-bench/ (evaluation data: never committed). Each round runs, as separate processes with the
real engines: the plain CLI over 1 article and over all of them, then the Ray path (a local
cluster of ``--cpus`` CPUs, one engine per CPU) over 1 and over all; rounds interleave the two
paths, so that other load on a shared host falls on both. Per run:

- start-up: wall seconds of the 1-article run (process, models, and for Ray the cluster and its
  actors); Ray's start-up cost is its 1-article run minus the plain CLI's;
- throughput: (articles - 1) / (wall of the full run - wall of the 1-article run), the articles
  per second once started;
- CPU seconds of the plain CLI's process (Ray's actors are no descendants it reaps: not given);
- how many of the Ray path's answers equal the plain CLI's, timings aside.

Medians over the rounds are printed with the CPU kind, and written to out/ray-bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def write_articles(shared: Path, n: int, folder: Path) -> tuple[Path, Path]:
    """``n`` articles alternating FRANK / PolNeAR as JSONL, and a 1-article JSONL."""
    frank = [json.loads(x) for x in (shared / "data/frank/validation.jsonl").read_text().splitlines() if x]
    polnear = [json.loads(x) for x in (shared / "data/polnear/dev.jsonl").read_text().splitlines() if x]
    docs: list[dict[str, str]] = []
    for i in range(n):
        src, key, idf = (frank, "article", "id") if i % 2 == 0 else (polnear, "text", "article")
        row = src[(i // 2) % len(src)]
        docs.append({"id": f"{i:03d}-{row[idf]}", "text": row[key]})
    folder.mkdir(parents=True, exist_ok=True)
    full, one = folder / "articles.jsonl", folder / "one.jsonl"
    full.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    one.write_text(json.dumps(docs[0]) + "\n", encoding="utf-8")
    return full, one


def run(argv: list[str], out: Path) -> dict[str, float]:
    """One CLI process over fresh output: wall and CPU seconds (process and reaped descendants)."""
    if out.is_dir():
        shutil.rmtree(out)
    out.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    cmd = [sys.executable, "-m", "service", "analyze", *argv, "-o", str(out), "--progress", "never"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2)}


def one_round(paths: dict[str, Path], n: int, cpus: int, work: Path) -> dict[str, dict[str, float]]:
    """Plain CLI then Ray path, each over 1 article and over all ``n``."""
    ray_args = ["--ray", "--ray-cpus", str(cpus)]
    result: dict[str, dict[str, float]] = {}
    for label, extra, out in (("cli", [], work / "cli.jsonl"), ("ray", ray_args, work / "ray-out")):
        start = run([str(paths["one"]), *extra], out)
        full = run([str(paths["full"]), *extra], out)
        rate = (n - 1) / max(1e-9, full["wall_s"] - start["wall_s"])
        result[label] = {
            "startup_s": start["wall_s"],
            "full_wall_s": full["wall_s"],
            # Ray's actors are not descendants this process reaps: its figure is the driver's alone.
            "full_cpu_s": full["cpu_s"] if label == "cli" else None,
            "articles_per_s": round(rate, 2),
        }
        print(f"  {label}: {json.dumps(result[label])}", flush=True)
    same, total = same_answers(work / "cli.jsonl", work / "ray-out")
    result["ray"]["same_answers"] = same
    print(f"  answers equal to the plain CLI's (timings aside): {same}/{total}", flush=True)
    return result


def same_answers(cli: Path, folder: Path) -> tuple[int, int]:
    """How many of the plain CLI's answers the Ray path gave identically (timings aside)."""

    def answers(lines: list[str]) -> dict[str, dict[str, Any]]:
        rows = (json.loads(x) for x in lines if x.strip())
        return {r["id"]: {k: v for k, v in r.items() if k != "timings"} for r in rows}

    plain = answers(cli.read_text(encoding="utf-8").splitlines())
    ray = answers(
        [x for f in sorted(folder.glob("*.jsonl")) for x in f.read_text(encoding="utf-8").splitlines()]
    )
    return sum(1 for i, r in plain.items() if ray.get(i) == r), len(plain)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster (default 2)")
    parser.add_argument("--out", default=str(ROOT / "out" / "ray-bench.json"))
    args = parser.parse_args()
    work = ROOT / "out" / "ray-bench"
    full, one = write_articles(Path(args.shared), args.articles, work)
    env_threads = os.environ.get("ANALYZER_INFERENCE_THREADS", "auto")
    print(f"CPU: {cpu_model()} ({os.cpu_count()} visible), {args.articles} articles, threads {env_threads}")
    rounds = []
    for i in range(args.rounds):
        print(f"round {i + 1}/{args.rounds}", flush=True)
        rounds.append(one_round({"full": full, "one": one}, args.articles, args.cpus, work))
    median = {
        label: {
            k: round(statistics.median(r[label][k] for r in rounds), 2)
            for k, v in rounds[0][label].items()
            if v is not None
        }
        for label in ("cli", "ray")
    }
    ratio = median["ray"]["articles_per_s"] / median["cli"]["articles_per_s"]
    startup = median["ray"]["startup_s"] - median["cli"]["startup_s"]
    print(
        f"median over {args.rounds} interleaved rounds: "
        f"plain CLI {median['cli']['articles_per_s']} articles/s, "
        f"Ray path ({args.cpus} CPUs) {median['ray']['articles_per_s']} articles/s = {ratio:.2f}x the CLI "
        f"(target >= 0.85); start-up {median['cli']['startup_s']} s (CLI) vs {median['ray']['startup_s']} s "
        f"(Ray): Ray costs {startup:.1f} s more"
    )
    report: dict[str, Any] = {
        "cpu": cpu_model(),
        "articles": args.articles,
        "ray_cpus": args.cpus,
        "rounds": rounds,
        "median": median,
        "ray_over_cli_throughput": round(ratio, 3),
        "ray_extra_startup_s": round(startup, 2),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

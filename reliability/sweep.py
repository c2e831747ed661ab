"""``make sweep``: every article of the evaluation data, in five forms, through the engines.

    python -m reliability.sweep [--mode http|inproc] [--parts summary,quotes] [--limit N]

Articles: ``../shared/data`` (PolNeAR train and dev, FRANK, summaries/*.jsonl, the seed article,
cases/*.jsonl), each as is, lower-cased, upper-cased, with straight and curly marks swapped, and
with its line breaks removed. ``http`` mode (the default) starts the service with the real
default model on 127.0.0.1, sends each form to ``/v1/analyze`` with bounded concurrency and stops
the server by its pid; ``inproc`` calls the same engines without HTTP (fast, for iterating).

Checks: no response >= 500 (no exception in ``inproc``), and every offset exact: each quote's
``text[start:end]``, each speaker mention's, each summary sentence's. Prints a table per source and
form and writes ``out/sweep.json``. Nothing of the articles is printed or written: only ids,
offsets, statuses and counts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reliability.server import HOST, REPO, Server

SHARED = REPO.parent / "shared" / "data"
#: Source name → (file, glob) under the data folder; each line holds ``text`` or ``article``.
SOURCES = {
    "polnear-train": "polnear/train.jsonl",
    "polnear-dev": "polnear/dev.jsonl",
    "frank": "frank/validation.jsonl",
    "summaries": "summaries/*.jsonl",
    "cases": "cases/*.jsonl",
}
_CURLY_TO_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_BREAKS = re.compile(r"[\r\n]+")


def swap_marks(text: str) -> str:
    """Curly double and single marks made straight; a text without curly marks gets curly ones
    instead (opening after a space, a bracket or a dash, or at the start; closing elsewhere)."""
    if any(c in text for c in "“”‘’"):
        return text.translate(_CURLY_TO_STRAIGHT)
    out = []
    for i, c in enumerate(text):
        opening = i == 0 or text[i - 1].isspace() or text[i - 1] in "([—–-"
        if c == '"':
            out.append("“" if opening else "”")
        elif c == "'":
            out.append("‘" if opening else "’")
        else:
            out.append(c)
    return "".join(out)


FORMS: dict[str, Callable[[str], str]] = {
    "as-is": lambda t: t,
    "lower": str.lower,
    "upper": str.upper,
    "marks-swapped": swap_marks,
    "no-breaks": lambda t: _BREAKS.sub("", t),
}


@dataclass(frozen=True)
class Article:
    """One article of the evaluation data (its text stays in memory only)."""

    source: str
    id: str
    text: str


def load_articles(root: Path = SHARED) -> list[Article]:
    """Every article under ``root``; missing files are skipped."""
    out: list[Article] = []
    for source, pattern in SOURCES.items():
        for path in sorted(root.glob(pattern)):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                if not line.strip():
                    continue
                d = json.loads(line)
                text = d.get("text") or d.get("article") or ""
                doc_id = str(d.get("id") or (d.get("article") if "text" in d else None) or n)
                out.append(Article(source, f"{path.stem}:{doc_id}", text))
    seed = root / "seed" / "article.txt"
    if seed.exists():
        out.append(Article("seed", "seed", seed.read_text(encoding="utf-8")))
    return out


def _span_problem(text: str, what: str, item: dict[str, Any], key: str) -> str | None:
    s, e = item.get("start"), item.get("end")
    if s is None and e is None:
        return None
    if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(text)):
        return f"{what} offsets {s}..{e} outside 0..{len(text)}"
    if text[s:e] != item.get(key):
        return f"{what} text differs from text[{s}:{e}]"
    return None


def offset_problems(text: str, body: dict[str, Any]) -> list[str]:
    """Every offset in an analyze answer that does not point at its own text."""
    out: list[str] = []
    for i, q in enumerate(body.get("quotes") or []):
        out.append(_span_problem(text, f"quote {i}", q, "text") or "")
        if q.get("speaker"):
            out.append(_span_problem(text, f"quote {i} speaker", q["speaker"], "mention") or "")
    summary = body.get("summary") or {}
    for i, s in enumerate(summary.get("sentences") or []):
        out.append(_span_problem(text, f"summary sentence {i}", s, "text") or "")
    return [p for p in out if p]


@dataclass
class Tally:
    """Outcomes of one (source, form) cell."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    offset_errors: int = 0
    retries: int = 0

    @property
    def server_errors(self) -> int:
        """Answers >= 500, exceptions in-process, and requests that got no answer at all (0)."""
        return sum(n for s, n in self.statuses.items() if s >= 500 or s == 0)


@dataclass
class Sweep:
    """The whole run: a tally per cell and the first failures (ids and reasons only)."""

    cells: dict[tuple[str, str], Tally] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def record(self, a: Article, form: str, status: int, problems: list[str], retries: int = 0) -> None:
        """Count one answer; keep the first 200 failures for the report."""
        cell = self.cells.setdefault((a.source, form), Tally())
        cell.requests += 1
        cell.statuses[status] += 1
        cell.retries += retries
        cell.offset_errors += bool(problems)
        if (status >= 500 or status == 0 or problems) and len(self.failures) < 200:
            self.failures.append(
                {"source": a.source, "id": a.id, "form": form, "status": status, "why": problems}
            )

    def total(self, attr: str) -> int:
        """A column summed over all cells."""
        return sum(getattr(t, attr) for t in self.cells.values())


def _jobs(articles: list[Article], forms: list[str]) -> Iterator[tuple[Article, str, str]]:
    for a in articles:
        for form in forms:
            yield a, form, FORMS[form](a.text)


# -- in-process --------------------------------------------------------------------------------------


def _where(exc: BaseException) -> str:
    """The innermost frame of an exception as ``file:line`` (no text of the article)."""
    frames = traceback.extract_tb(exc.__traceback__)
    last = frames[-1] if frames else None
    return f"{type(exc).__name__} at {Path(last.filename).name}:{last.lineno}" if last else type(exc).__name__


def run_inproc(articles: list[Article], forms: list[str], parts: list[str], max_chars: int) -> Sweep:
    """The engines the service builds, called directly on each form of each article."""
    import msgspec

    from service.config import load_settings
    from service.engines.factory import build_engines
    from service.schemas import SummaryOptions

    engines = build_engines(load_settings({}))
    if "summary" in parts:
        engines.summary.load()
    sweep = Sweep()
    for a, form, text in _jobs(articles, forms):
        if not text.strip() or len(text) > max_chars:
            sweep.record(a, form, 422, [])
            continue
        body: dict[str, Any] = {}
        try:
            if "quotes" in parts:
                body.update(msgspec.to_builtins(engines.quotes.extract(text)))
            if "summary" in parts:
                body["summary"] = msgspec.to_builtins(
                    engines.summary.summarize_batch([(text, SummaryOptions())])[0]
                )
        except Exception as exc:  # noqa: BLE001 - every engine exception is what this sweep looks for
            sweep.record(a, form, 500, [_where(exc)])
            continue
        sweep.record(a, form, 200, offset_problems(text, body))
    return sweep


# -- over HTTP ---------------------------------------------------------------------------------------


async def _one(port: int, a: Article, form: str, text: str, *, parts: list[str], sweep: Sweep) -> None:
    from reliability import http

    payload = json.dumps({"text": text, "id": a.id[:100], "include": parts}).encode()
    headers = {"content-type": "application/json"}
    retries = 0
    while True:
        r = await http.request(HOST, port, "POST", "/v1/analyze", payload, headers, timeout=300.0)
        # Load shedding (503 with Retry-After) is the overload contract, not a failure: wait, retry.
        if r.outcome == http.OK and r.status == 503 and "retry-after" in r.headers and retries < 20:
            retries += 1
            await asyncio.sleep(min(5.0, float(r.headers.get("retry-after", "1") or 1)))
            continue
        break
    status = r.status if r.outcome == http.OK else 0
    problems = [f"client: {r.outcome}"] if r.outcome != http.OK else []
    if status == 200:
        problems += offset_problems(text, r.json())
    sweep.record(a, form, status, problems, retries)


async def _drive(
    port: int, articles: list[Article], forms: list[str], parts: list[str], concurrency: int
) -> Sweep:
    sweep = Sweep()
    gate = asyncio.Semaphore(concurrency)

    async def bounded(a: Article, form: str, text: str) -> None:
        async with gate:
            await _one(port, a, form, text, parts=parts, sweep=sweep)

    pending: set[asyncio.Task[None]] = set()
    for a, form, text in _jobs(articles, forms):
        if len(pending) >= 4 * concurrency:  # bounded memory: a few tasks ahead of the gate
            _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        pending.add(asyncio.ensure_future(bounded(a, form, text)))
    if pending:
        await asyncio.wait(pending)
    return sweep


def run_http(
    articles: list[Article], forms: list[str], parts: list[str], concurrency: int, out: Path
) -> Sweep:
    """Start the service with the real default model, sweep it over HTTP, stop it by pid."""
    from reliability.checks import python_of_repo

    log = out / "sweep-server.log"
    log.unlink(missing_ok=True)
    # A generous deadline: the sweep is about what the engines do with the text, not about speed
    # on a busy host (the load checks size deadlines from measured capacity).
    with Server(log, python=python_of_repo(), engines="real", request_timeout_s=300) as server:
        server.wait_ready(600)
        print(f"server pid {server.pid} on {HOST}:{server.port}", flush=True)
        return asyncio.run(_drive(server.port, articles, forms, parts, concurrency))


# -- report ------------------------------------------------------------------------------------------


def table(sweep: Sweep) -> str:
    """One row per source and form: requests, statuses, answers >= 500 and offset errors."""
    head = f"{'source':<14} {'form':<14} {'requests':>8} {'>=500':>6} {'offsets':>7} {'retries':>7}  statuses"
    lines = [head, "-" * len(head)]
    for (source, form), t in sorted(sweep.cells.items()):
        statuses = " ".join(f"{s}:{n}" for s, n in sorted(t.statuses.items()))
        lines.append(
            f"{source:<14} {form:<14} {t.requests:>8} {t.server_errors:>6} {t.offset_errors:>7} "
            f"{t.retries:>7}  {statuses}"
        )
    lines.append(
        f"{'all':<14} {'all':<14} {sweep.total('requests'):>8} {sweep.total('server_errors'):>6} "
        f"{sweep.total('offset_errors'):>7} {sweep.total('retries'):>7}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the sweep; exit status 1 on any answer >= 500 or any wrong offset."""
    p = argparse.ArgumentParser(
        prog="sweep", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--mode", choices=("http", "inproc"), default="http")
    p.add_argument("--parts", default="summary,quotes", help="comma-separated: summary, quotes")
    p.add_argument("--forms", default=",".join(FORMS), help="comma-separated subset of " + ", ".join(FORMS))
    p.add_argument("--limit", type=int, default=0, help="only the first N articles of each source (0: all)")
    p.add_argument("--concurrency", type=int, default=2, help="requests in flight (http mode)")
    p.add_argument("--data", default=str(SHARED), help="the evaluation data folder")
    p.add_argument("--out", default=str(REPO / "out"), help="folder for sweep.json and the server log")
    args = p.parse_args(argv)

    articles = load_articles(Path(args.data))
    if args.limit:
        seen: Counter[str] = Counter()
        articles = [a for a in articles if (seen.update([a.source]) or seen[a.source]) <= args.limit]
    if not articles:
        print(f"no articles under {args.data}", file=sys.stderr)
        return 2
    forms, parts = args.forms.split(","), args.parts.split(",")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"{len(articles)} articles x {len(forms)} forms, mode {args.mode}, parts {parts}", flush=True)
    t0 = time.monotonic()
    if args.mode == "inproc":
        from service.config import load_settings

        sweep = run_inproc(articles, forms, parts, load_settings({}).max_text_chars)
    else:
        sweep = run_http(articles, forms, parts, args.concurrency, out)
    seconds = time.monotonic() - t0
    print(table(sweep))
    print(f"{seconds:.0f} s")
    report = {
        "mode": args.mode,
        "parts": parts,
        "forms": forms,
        "articles": len(articles),
        "requests": sweep.total("requests"),
        "server_errors": sweep.total("server_errors"),
        "offset_errors": sweep.total("offset_errors"),
        "retries": sweep.total("retries"),
        "seconds": round(seconds, 1),
        "cells": [
            {
                "source": s,
                "form": f,
                **{k: v for k, v in vars(t).items() if k != "statuses"},
                "statuses": dict(t.statuses),
            }
            for (s, f), t in sorted(sweep.cells.items())
        ],
        "failures": sweep.failures,
    }
    (out / "sweep.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 1 if report["server_errors"] or report["offset_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

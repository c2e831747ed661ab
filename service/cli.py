"""newsroom-analyzer analyze: the engines over an archive, without a server.

Inputs: .txt files, folders of them (searched recursively), JSONL files (one object a line with a
text field and an id field), or - for standard input (read line by line as JSONL when its first
line is an object, else one plain-text document).

Output: JSONL with the same shapes as POST /v1/analyze, one line per document, in input order, on
standard output or in --output; logs, warnings and the progress bar go to standard error. A bad
record, or a second record with an id already seen, is reported on standard error with its location
and skipped (exit status 1). Usage errors (a missing input path, a bad option or ANALYZER_* setting)
exit with status 2.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import msgspec

from service.config import Settings, SettingsError, load_settings
from service.schemas import AnalyzeResponse, QuotesResult, Summary, SummaryOptions, Timings


@dataclass(frozen=True)
class Record:
    """One input document, or one bad input (``error`` set) to report and skip."""

    id: str
    where: str
    text: str = ""
    error: str | None = None


def add_analyze_parser(sub: Any) -> None:
    """Register the ``analyze`` subcommand."""
    p = sub.add_parser(
        "analyze",
        help="analyse .txt files, folders or JSONL without a server",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt file, folder, .jsonl file, or -")
    p.add_argument("-o", "--output", help="write JSONL here instead of stdout")
    p.add_argument("--text-field", default="text", help="JSONL field holding the article (default: text)")
    p.add_argument("--id-field", default="id", help="JSONL field holding the id (default: id)")
    only = p.add_mutually_exclusive_group()
    only.add_argument("--summary-only", action="store_true", help="compute only the summary")
    only.add_argument("--quotes-only", action="store_true", help="compute only quotes and speakers")
    p.add_argument(
        "--max-sentences",
        type=int,
        default=None,
        help="exactly this many summary sentences (default: the model's length, at most 3)",
    )
    p.add_argument("--max-words", type=int, default=None, help="summary length budget in words")
    p.add_argument(
        "--trim", action="store_true", help="with --max-words, cut the last sentence to fill the budget"
    )
    p.add_argument("--batch-size", type=int, default=16, help="documents per model call (default 16)")
    p.add_argument(
        "--skip-existing",
        action="store_true",
        help="with --output: skip ids already in that file and append the rest",
    )
    p.add_argument(
        "--progress",
        choices=["auto", "always", "never"],
        default="auto",
        help="progress bar on stderr: auto shows it only on a terminal",
    )


class UsageError(Exception):
    """A command line the run cannot start with: reported in one line, exit status 2."""


def iter_records(
    paths: list[str], text_field: str, id_field: str, stdin: IO[str] | None = None
) -> Iterator[Record]:
    """Every input document in order; unreadable ones come back with ``error`` set."""
    for raw in paths:
        if raw == "-":
            yield from _from_stream(stdin or sys.stdin, "<stdin>", text_field, id_field)
            continue
        path = Path(raw)
        if path.is_dir():
            for f in sorted(path.rglob("*.txt")):
                yield _from_text_file(f, f.relative_to(path).as_posix())
        elif path.suffix.lower() in {".jsonl", ".ndjson"}:
            try:
                with path.open(encoding="utf-8") as fh:
                    yield from _from_jsonl(fh, str(path), text_field, id_field)
            except (OSError, UnicodeDecodeError) as e:
                yield Record(id=str(path), where=str(path), error=f"cannot read: {e}")
        else:
            yield _from_text_file(path, path.name)


def check_paths(paths: list[str]) -> None:
    """Every input path exists (``-`` at most once): otherwise a usage error, before any work."""
    missing = [p for p in paths if p != "-" and not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    if paths.count("-") > 1:
        raise UsageError("standard input (-) can be read only once")


def _from_text_file(path: Path, rid: str) -> Record:
    try:
        return Record(id=rid, where=str(path), text=path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        return Record(id=rid, where=str(path), error=f"cannot read: {e}")


def _from_stream(fh: IO[str], name: str, text_field: str, id_field: str) -> Iterator[Record]:
    """JSONL streamed a line at a time when the first non-blank line is an object, else one text."""
    head: list[str] = []
    for line in fh:
        head.append(line)
        if line.strip():
            break
    if head and head[-1].lstrip().startswith("{"):
        yield from _from_jsonl(itertools.chain(head, fh), name, text_field, id_field)
    else:
        yield Record(id=name, where=name, text="".join(head) + fh.read())


def _from_jsonl(lines: Iterable[str], name: str, text_field: str, id_field: str) -> Iterator[Record]:
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield Record(id=where, where=where, error=f"invalid JSON ({e.msg})")
            continue
        if not isinstance(obj, dict):
            yield Record(id=where, where=where, error="not a JSON object")
            continue
        text = obj.get(text_field)
        rid = obj.get(id_field)
        rid = str(rid) if rid is not None else where
        if not isinstance(text, str):
            yield Record(id=rid, where=where, error=f"no string field {text_field!r}")
            continue
        yield Record(id=rid, where=where, text=text)


def repair_partial_tail(path: Path) -> int:
    """Cut a last line without its newline (a run interrupted mid-write); returns bytes removed."""
    if not path.exists():
        return 0
    with path.open("rb+") as fh:
        size = fh.seek(0, 2)
        if size == 0:
            return 0
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return 0
        keep, pos = 0, size
        while pos > 0 and not keep:  # scan back in blocks for the last complete line
            step = min(pos, 65536)
            pos -= step
            fh.seek(pos)
            cut = fh.read(step).rfind(b"\n")
            keep = pos + cut + 1 if cut >= 0 else 0
        fh.truncate(keep)
    return size - keep


def existing_ids(path: Path) -> set[str]:
    """Ids already written to an output file (for --skip-existing)."""
    ids: set[str] = set()
    if not path.exists():
        return ids
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                rid = json.loads(line).get("id")
            except (json.JSONDecodeError, AttributeError):
                continue  # not a record this tool wrote: that document runs again
            if rid is not None:
                ids.add(str(rid))
    return ids


@dataclass
class Tally:
    """What happened to the inputs; printed at the end, and the exit status follows it."""

    done: int = 0
    failures: int = 0
    duplicates: int = 0
    skipped: int = 0
    seen: dict[str, str] = field(default_factory=dict)

    def admit(self, r: Record, skip: set[str]) -> bool:
        """Whether ``r`` is to be analysed; reports bad records and repeated ids on stderr."""
        if r.id in skip:
            self.skipped += 1
            return False
        if r.error or not r.text.strip():
            return self.fail(r, r.error or "empty text")
        first = self.seen.setdefault(r.id, r.where)
        if first != r.where:
            self.duplicates += 1
            _say(f"skipped {r.where}: duplicate id {r.id!r} (first at {first})")
            return False
        return True

    def fail(self, r: Record, why: str) -> bool:
        self.failures += 1
        _say(f"skipped {r.where}: {why}")
        return False

    def summary(self) -> str:
        return (
            f"{self.done} written, {self.failures} skipped as bad, {self.duplicates} duplicate ids "
            f"skipped, {self.skipped} already in output"
        )


def _say(message: str) -> None:
    print(f"analyze: {message}", file=sys.stderr)


def run_analyze(args: argparse.Namespace) -> int:
    """Run the engines over the inputs; exit 0 if every record was written, 1 if any was skipped."""
    try:
        _check_args(args)
        settings = load_settings()
    except (UsageError, SettingsError) as e:
        print(f"newsroom-analyzer analyze: error: {e}", file=sys.stderr)
        return 2
    _log_to_stderr()
    engines = _load_engines(settings, want_summary=not args.quotes_only)
    skip: set[str] = set()
    if args.skip_existing:
        cut = repair_partial_tail(Path(args.output))
        if cut:
            _say(f"removed a partial last line ({cut} bytes) from {args.output}; its document runs again")
        skip = existing_ids(Path(args.output))
    out: IO[str] = (
        open(args.output, "a" if args.skip_existing else "w", encoding="utf-8")  # noqa: SIM115 - closed below
        if args.output
        else sys.stdout
    )
    tally = Tally()
    try:
        _analyze_all(args, engines, out, skip, tally)
    except BrokenPipeError:  # `| head` closed stdout: stop quietly, as other filters do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        if out is not sys.stdout:
            out.close()
    _say(tally.summary())
    return 1 if tally.failures or tally.duplicates else 0


def _check_args(args: argparse.Namespace) -> None:
    if args.skip_existing and not args.output:
        raise UsageError("--skip-existing needs --output")
    bad_count = args.max_sentences is not None and not 1 <= args.max_sentences <= 20
    if bad_count or (args.max_words is not None and not 5 <= args.max_words <= 1000):
        raise UsageError("--max-sentences must be 1..20 and --max-words 5..1000")
    if args.trim and args.max_words is None:
        raise UsageError("--trim needs --max-words")
    if args.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    check_paths(args.paths)


def _log_to_stderr() -> None:
    """Service logging (structlog through stdlib), on stderr: stdout carries only results."""
    from service.observability import configure_logging

    configure_logging("warning", "console" if sys.stderr.isatty() else "json")
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)


def _load_engines(settings: Settings, *, want_summary: bool) -> Any:
    from service.engines.factory import build_engines

    engines = build_engines(settings)
    if want_summary:
        if settings.engines != "fake":
            import torch

            torch.set_num_threads(settings.torch_threads)
        engines.summary.load()
    return engines


def _analyze_all(args: argparse.Namespace, engines: Any, out: IO[str], skip: set[str], tally: Tally) -> None:
    options = SummaryOptions(max_sentences=args.max_sentences, max_words=args.max_words, trim=args.trim)
    show = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    bar = _progress(show, _count(args.paths) if show else None)
    pool = ThreadPoolExecutor(1, thread_name_prefix="quotes")
    try:
        for chunk in _chunks(iter_records(args.paths, args.text_field, args.id_field), args.batch_size):
            good = [r for r in chunk if tally.admit(r, skip)]
            if good:
                lines = _analyze_chunk(good, engines, options, args, pool=pool, tally=tally)
                out.write("".join(lines))
                out.flush()
            bar(len(chunk))
    finally:
        pool.shutdown()
        bar(0, close=True)


def _analyze_chunk(
    good: list[Record], engines: Any, options: SummaryOptions, args: argparse.Namespace, **run: Any
) -> list[str]:
    """One JSONL line per document of ``good`` that succeeded; failures go to ``run["tally"]``."""
    pool: ThreadPoolExecutor = run["pool"]
    tally: Tally = run["tally"]
    want_summary, want_quotes = not args.quotes_only, not args.summary_only
    # Quotes (pure Python) overlap with the model's batched call on the other core.
    t = time.perf_counter()
    quote_futs = [pool.submit(engines.quotes.extract, r.text) for r in good] if want_quotes else []
    summaries: list[Summary | None] = [None] * len(good)
    if want_summary:
        summaries = _summaries(engines.summary, good, options)
    lines: list[str] = []
    for i, r in enumerate(good):
        try:
            q: QuotesResult | None = quote_futs[i].result() if want_quotes else None
        except Exception as e:  # noqa: BLE001 - one bad document never stops the run
            tally.fail(r, f"quote step failed ({type(e).__name__})")
            continue
        s = summaries[i]
        if want_summary and s is None:
            tally.fail(r, "summary failed")
            continue
        resp = AnalyzeResponse(
            id=r.id,
            summary=s,
            quotes=q.quotes if q else None,
            speakers=q.speakers if q else None,
            timings=Timings(total_ms=round((time.perf_counter() - t) * 1000 / len(good), 2)),
        )
        lines.append(_ENCODER.encode(resp).decode() + "\n")
        tally.done += 1
    return lines


_ENCODER = msgspec.json.Encoder()


def _summaries(engine: Any, good: list[Record], options: SummaryOptions) -> list[Summary | None]:
    try:
        return list(engine.summarize_batch([(r.text, options) for r in good]))
    except Exception:  # noqa: BLE001 - fall back to one by one so that only the bad one is lost
        out: list[Summary | None] = []
        for r in good:
            try:
                out.append(engine.summarize_batch([(r.text, options)])[0])
            except Exception:  # noqa: BLE001
                out.append(None)
        return out


def _chunks(it: Iterator[Record], n: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for r in it:
        chunk.append(r)
        if len(chunk) >= max(1, n):
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _count(paths: list[str]) -> int | None:
    """Cheap total for the progress bar's ETA: files and non-blank JSONL lines, no parsing."""
    total = 0
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            return None
        if path.is_dir():
            total += sum(1 for _ in path.rglob("*.txt"))
        elif path.suffix.lower() in {".jsonl", ".ndjson"}:
            try:
                with path.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def _progress(show: bool, total: int | None = None) -> Any:
    """A callable advancing a progress bar (items/s, ETA) on stderr, or doing nothing."""
    if not show:
        return lambda n, close=False: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True)

    def advance(n: int, close: bool = False) -> None:
        if close:
            bar.close()
        else:
            bar.update(n)

    return advance

"""``newsroom-analyzer analyze``: the engines over an archive, without a server.

Inputs: ``.txt`` files, folders of them (searched recursively), JSONL files (one object a line with a
text field and an id field), or ``-`` for standard input (JSONL when it starts with ``{``, else one
plain-text document). Output: JSONL with the same shapes as ``POST /v1/analyze``, one line per
document, in input order. A bad record is reported on stderr with its location and skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import msgspec

from service.config import load_settings
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
    p.add_argument("--max-sentences", type=int, default=3, help="summary length in sentences (default 3)")
    p.add_argument("--max-words", type=int, default=None, help="summary length budget in words")
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


def _from_text_file(path: Path, rid: str) -> Record:
    try:
        return Record(id=rid, where=str(path), text=path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        return Record(id=rid, where=str(path), error=f"cannot read: {e}")


def _from_stream(fh: IO[str], name: str, text_field: str, id_field: str) -> Iterator[Record]:
    data = fh.read()
    if data.lstrip().startswith("{"):
        yield from _from_jsonl(data.splitlines(), name, text_field, id_field)
    else:
        yield Record(id=name, where=name, text=data)


def _from_jsonl(lines: Any, name: str, text_field: str, id_field: str) -> Iterator[Record]:
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
                continue  # a line cut short by an interrupted run: that document runs again
            if rid is not None:
                ids.add(str(rid))
    return ids


def run_analyze(args: argparse.Namespace) -> int:
    """Run the engines over the inputs; exit 0 if every record succeeded, 1 if any was skipped."""
    if args.skip_existing and not args.output:
        print("analyze: --skip-existing needs --output", file=sys.stderr)
        return 2
    if not 1 <= args.max_sentences <= 20 or (args.max_words is not None and args.max_words < 5):
        print("analyze: --max-sentences must be 1..20 and --max-words at least 5", file=sys.stderr)
        return 2
    from service.engines.factory import build_engines
    from service.observability import configure_logging

    settings = load_settings()
    configure_logging("warning", "console" if sys.stderr.isatty() else "json")
    engines = build_engines(settings)
    want_summary, want_quotes = not args.quotes_only, not args.summary_only
    if want_summary:
        if settings.engines != "fake":
            import torch

            torch.set_num_threads(settings.torch_threads)
        engines.summary.load()
    options = SummaryOptions(max_sentences=args.max_sentences, max_words=args.max_words)

    skip = existing_ids(Path(args.output)) if args.skip_existing else set()
    out: IO[str] = (
        open(args.output, "a" if args.skip_existing else "w", encoding="utf-8")  # noqa: SIM115 - closed below
        if args.output
        else sys.stdout
    )
    show = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    records = iter_records(args.paths, args.text_field, args.id_field)
    bar = _progress(show, _count(args.paths) if show else None)
    enc = msgspec.json.Encoder()
    failures = done = skipped = 0
    pool = ThreadPoolExecutor(1, thread_name_prefix="quotes")
    try:
        for chunk in _chunks(records, args.batch_size):
            good: list[Record] = []
            for r in chunk:
                if r.id in skip:
                    skipped += 1
                elif r.error or not r.text.strip():
                    failures += 1
                    print(f"analyze: skipped {r.where}: {r.error or 'empty text'}", file=sys.stderr)
                else:
                    good.append(r)
            if not good:
                continue
            # Quotes (pure Python) overlap with the model's batched call on the other core.
            t = time.perf_counter()
            quote_futs = [pool.submit(engines.quotes.extract, r.text) for r in good] if want_quotes else []
            summaries: list[Summary | None] = [None] * len(good)
            if want_summary:
                summaries = _summaries(engines.summary, good, options)
            for i, r in enumerate(good):
                try:
                    q: QuotesResult | None = quote_futs[i].result() if want_quotes else None
                except Exception as e:  # noqa: BLE001 - one bad document never stops the run
                    print(
                        f"analyze: skipped {r.where}: quote step failed ({type(e).__name__})", file=sys.stderr
                    )
                    failures += 1
                    continue
                s = summaries[i]
                if want_summary and s is None:
                    print(f"analyze: skipped {r.where}: summary failed", file=sys.stderr)
                    failures += 1
                    continue
                resp = AnalyzeResponse(
                    id=r.id,
                    summary=s,
                    quotes=q.quotes if q else None,
                    speakers=q.speakers if q else None,
                    timings=Timings(total_ms=round((time.perf_counter() - t) * 1000 / len(good), 2)),
                )
                out.write(enc.encode(resp).decode() + "\n")
                done += 1
            out.flush()
            bar(len(chunk))
    finally:
        pool.shutdown()
        bar(0, close=True)
        if out is not sys.stdout:
            out.close()
    print(f"analyze: {done} written, {failures} skipped as bad, {skipped} already in output", file=sys.stderr)
    return 1 if failures else 0


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

"""newsroom-analyzer analyze: the engines over an archive, without a server.

Inputs: .txt files, folders of them (searched recursively), JSONL files (one object a line with a
text field and an id field), Parquet files (a text column and an id column), or - for standard
input (read line by line as JSONL when its first line is a JSON object, else one plain-text
document). HTML pages: .html/.htm files, an HTML field (--html-field) of a record without a text
field, or with --html every plain input (folders then hold .html/.htm files); the article is
extracted from the page and each output line carries that `text` (its offsets point into it).

Output: JSONL with the same shapes as POST /v1/analyze, one line per document, in input order, on
standard output or in --output; logs, warnings and the progress bar go to standard error. A bad
record, or a second record with an id already seen, is reported on standard error with its location
and skipped (exit status 1). Usage errors (a missing input path, a bad option or ANALYZER_* setting)
exit with status 2.

With --ray the same engines run on a Ray cluster (a local one unless --ray-address names one):
--output is then a folder of JSONL or Parquet files, written by the workers; a bad record becomes
an error row there; a rerun skips the ids already in the folder. Needs the dependency group `ray`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import msgspec

from service.archive import (
    Record,
    UsageError,
    check_paths,
    count_inputs,
    existing_ids,
    iter_records,
    repair_partial_tail,
)
from service.config import SettingsError, load_settings
from service.console import log_to_stderr
from service.console import say as _say
from service.console import show_progress as show_progress  # noqa: PLC0414 - re-exported
from service.errors import ModelLoadError
from service.pipeline import BatchPipeline, OptionsError, batch_request, for_document
from service.schemas import AnalyzeRequest, BatchItem

#: The option each field of the request template comes from, for one-line usage errors.
_FLAGS = {"max_sentences": "--max-sentences", "max_words": "--max-words", "trim": "--trim"}


def add_analyze_parser(sub: Any) -> None:
    """Register the ``analyze`` subcommand."""
    p = sub.add_parser(
        "analyze",
        help="analyse .txt files, folders, JSONL or Parquet without a server",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt file, folder, .jsonl, .parquet, or -")
    p.add_argument("-o", "--output", help="write JSONL here instead of stdout (with --ray: a folder)")
    _add_input_options(p)
    only = p.add_mutually_exclusive_group()
    only.add_argument("--summary-only", action="store_true", help="compute only the summary")
    only.add_argument("--quotes-only", action="store_true", help="compute only quotes and speakers")
    p.add_argument(
        "--max-sentences",
        type=int,
        default=None,
        help="exactly this many summary sentences (default: the model's length, 1 to 4)",
    )
    p.add_argument("--max-words", type=int, default=None, help="summary length budget in words")
    p.add_argument(
        "--trim", action="store_true", help="with --max-words, cut the last sentence to fill the budget"
    )
    p.add_argument(
        "--on-unsupported-language",
        choices=["refuse", "empty"],
        default="refuse",
        help="an article in another language: refuse (a bad record) or empty parts (default: refuse)",
    )
    p.add_argument("--batch-size", type=int, default=16, help="documents per model call (default 16)")
    p.add_argument(
        "--skip-existing",
        action="store_true",
        help="with --output: skip ids already in that file and append the rest (--ray always does)",
    )
    p.add_argument(
        "--progress",
        choices=["auto", "always", "never"],
        default="auto",
        help="progress bar on stderr: auto shows it only on a terminal",
    )
    ray = p.add_argument_group("Ray (dependency group `ray`)")
    ray.add_argument("--ray", action="store_true", help="run on a Ray cluster (a local one by default)")
    ray.add_argument("--ray-address", help="an existing cluster, e.g. ray://head:10001 or auto")
    ray.add_argument("--ray-cpus", type=int, default=None, help="local cluster: CPUs (default: this host's)")
    ray.add_argument("--cpus-per-worker", type=int, default=1, help="CPUs of each engine worker (default 1)")
    ray.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl", help="--ray output files")


def _add_input_options(p: Any) -> None:
    """Where a record's text, page and id are."""
    p.add_argument("--text-field", default="text", help="JSONL field holding the article (default: text)")
    p.add_argument("--id-field", default="id", help="JSONL field holding the id (default: id)")
    p.add_argument(
        "--html-field",
        default="html",
        help="JSONL field (Parquet column) holding the article's HTML page, read when the record has "
        "no text field (default: html)",
    )
    p.add_argument(
        "--html",
        action="store_true",
        help="plain inputs are HTML pages: files, standard input, and folders' .html/.htm files "
        "(.html/.htm files are read as pages without it)",
    )


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
        if r.error:
            return self.fail(r, r.error)
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


def run_analyze(args: argparse.Namespace) -> int:
    """Run the engines over the inputs; exit 0 if every record was written, 1 if any was skipped."""
    try:
        template = _check_args(args)
        settings = load_settings()
    except (UsageError, SettingsError) as e:
        print(f"newsroom-analyzer analyze: error: {e}", file=sys.stderr)
        return 2
    log_to_stderr()
    if args.ray:
        from service.ray_batch import run_on_ray

        return run_on_ray(args, template, settings)
    try:
        pipeline = BatchPipeline(settings, chunk=args.batch_size)
        pipeline.start()
    except ModelLoadError as e:
        _say(f"the models could not be loaded: {e}")
        return 1
    try:
        return _run_plain(args, template, pipeline)
    finally:
        pipeline.close()


def _run_plain(args: argparse.Namespace, template: AnalyzeRequest, pipeline: BatchPipeline) -> int:
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
        _analyze_all(args, pipeline, template=template, out=out, skip=skip, tally=tally)
    except BrokenPipeError:  # `| head` closed stdout: stop quietly, as other filters do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        if out is not sys.stdout:
            out.close()
    _say(tally.summary())
    return 1 if tally.failures or tally.duplicates else 0


def _check_args(args: argparse.Namespace) -> AnalyzeRequest:
    """Usage rules of the command line; the option limits are the wire types' (``batch_request``)."""
    if args.skip_existing and not args.output:
        raise UsageError("--skip-existing needs --output")
    if args.ray and (not args.output or "-" in args.paths):
        raise UsageError("--ray needs --output (a folder) and reads files, not standard input")
    ray_only = args.ray_address or args.ray_cpus or args.cpus_per_worker != 1 or args.format != "jsonl"
    if ray_only and not args.ray:
        raise UsageError("--ray-address, --ray-cpus, --cpus-per-worker and --format need --ray")
    if args.batch_size < 1 or args.cpus_per_worker < 1:
        raise UsageError("--batch-size and --cpus-per-worker must be at least 1")
    check_paths(args.paths)
    parts = ["summary"] if args.summary_only else ["quotes"] if args.quotes_only else None
    try:
        return batch_request(
            parts=parts,  # type: ignore[arg-type]  # literals of Part
            max_sentences=args.max_sentences,
            max_words=args.max_words,
            trim=args.trim,
            on_unsupported_language=args.on_unsupported_language,
        )
    except OptionsError as e:
        message, flag = str(e), _FLAGS.get(e.field, "option")
        for name, option in _FLAGS.items():  # the wire type's rule, in the command line's words
            message = message.replace(f"`{name}`", option)
        raise UsageError(message if message.startswith(flag) else f"{flag}: {message}") from None


def _analyze_all(
    args: argparse.Namespace,
    pipeline: BatchPipeline,
    *,
    template: AnalyzeRequest,
    out: IO[str],
    skip: set[str],
    tally: Tally,
) -> None:
    show = show_progress(args.progress)
    bar = _progress(show, count_inputs(args.paths) if show else None)
    try:
        records = iter_records(
            args.paths, args.text_field, args.id_field, html_field=args.html_field, html_files=args.html
        )
        for chunk in _chunks(records, args.batch_size):
            good = [r for r in chunk if tally.admit(r, skip)]
            if good:
                items = pipeline.analyze([for_document(template, r.text, r.id, r.html) for r in good])
                out.write("".join(_lines(good, items, tally)))
                out.flush()
            bar(len(chunk))
    finally:
        bar(0, close=True)


_ENCODER = msgspec.json.Encoder()


def _lines(good: list[Record], items: list[BatchItem], tally: Tally) -> Iterator[str]:
    """The JSONL line of each document that succeeded; failures go to ``tally`` (and stderr)."""
    for r, item in zip(good, items, strict=True):
        if item.result is None:
            problem = item.error
            tally.fail(r, problem.detail or problem.title if problem else f"status {item.status}")
            continue
        tally.done += 1
        yield _ENCODER.encode(item.result).decode() + "\n"


def _chunks(it: Iterator[Record], n: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for r in it:
        chunk.append(r)
        if len(chunk) >= max(1, n):
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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

"""newsroom-analyzer verify: check summaries against their articles without a server.

Input: JSONL files (or - for standard input), one object a line with the article (``text``), the
summary (``summary``) and an ``id`` (the field names are options). Output: JSONL with the shape of
POST /v1/verify's answer (plus ``id``), one line per record, in input order, on standard output or
in --output. A record without a text or a summary is reported on standard error with its line and
skipped (exit status 1); a missing input file exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import msgspec

from service.config import SettingsError, load_settings
from service.errors import ModelLoadError
from service.schemas import MAX_TEXT_CHARS
from service.verification import Checker, to_response
from service.verify_schemas import MAX_SUMMARY_CHARS


def add_verify_parser(sub: Any) -> None:
    """Register the ``verify`` subcommand."""
    p = sub.add_parser(
        "verify",
        help="check summaries against their articles (JSONL in, JSONL out) without a server",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=".jsonl file, or - for standard input")
    p.add_argument("-o", "--output", help="write JSONL here instead of stdout")
    p.add_argument("--text-field", default="text", help="field holding the article (default: text)")
    p.add_argument("--summary-field", default="summary", help="field holding the summary (default: summary)")
    p.add_argument("--id-field", default="id", help="field holding the id (default: id)")


def _records(paths: list[str], args: argparse.Namespace) -> Iterator[tuple[str, Any]]:
    """(where, parsed object or an error string) for every non-blank line of every input."""
    for path in paths:
        fh: IO[str] = sys.stdin if path == "-" else Path(path).open(encoding="utf-8")  # noqa: SIM115
        try:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{'<stdin>' if path == '-' else path}:{lineno}"
                try:
                    yield where, json.loads(line)
                except ValueError as exc:
                    yield where, f"not a JSON object: {exc}"
        finally:
            if fh is not sys.stdin:
                fh.close()


def _problem(obj: Any, args: argparse.Namespace) -> str | None:
    """Why a record cannot be checked, or None."""
    if isinstance(obj, str):
        return obj
    if not isinstance(obj, dict):
        return "not a JSON object"
    for name, limit in ((args.text_field, MAX_TEXT_CHARS), (args.summary_field, MAX_SUMMARY_CHARS)):
        value = obj.get(name)
        if not isinstance(value, str) or not value.strip():
            return f"no non-empty string field {name!r}"
        if len(value) > limit:
            return f"field {name!r} has {len(value)} characters; at most {limit}"
    return None


def build_checker() -> Checker:
    """The checker the settings ask for (ANALYZER_ENGINES=fake: the word-overlap stand-in)."""
    settings = load_settings()
    if settings.engines == "fake":
        from service.engines.verify.fake import FakeSummaryChecker

        return FakeSummaryChecker()
    from service.engines.factory import configure_threads
    from service.engines.verify import SummaryChecker

    configure_threads(settings)
    return SummaryChecker(encoder_dir=settings.encoder_dir)


def run_verify(args: argparse.Namespace) -> int:
    """Check every record; 0 when all were checked, 1 when some were skipped, 2 on usage errors."""
    missing = [p for p in args.paths if p != "-" and not Path(p).is_file()]
    if missing:
        print(f"newsroom-analyzer verify: error: no such file: {missing[0]}", file=sys.stderr)
        return 2
    from service.cli import _log_to_stderr

    _log_to_stderr()
    try:
        checker = build_checker()
        checker.load()
    except (SettingsError, ModelLoadError) as exc:
        print(f"newsroom-analyzer verify: error: {exc}", file=sys.stderr)
        return 2
    out: IO[str] = Path(args.output).open("w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    failures = 0
    try:
        for where, obj in _records(args.paths, args):
            why = _problem(obj, args)
            if why is not None:
                failures += 1
                print(f"skipped {where}: {why}", file=sys.stderr)
                continue
            doc_id = obj.get(args.id_field)
            verdict = checker.verify(obj[args.text_field], obj[args.summary_field])
            answer = to_response(verdict, None if doc_id is None else str(doc_id))
            out.write(msgspec.json.encode(answer).decode() + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 1 if failures else 0

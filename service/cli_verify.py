"""newsroom-analyzer verify: check summaries against their articles without a server.

Input: JSONL files (or - for standard input), one object a line with the article (``text``), the
summary (``summary``) and an ``id`` (the field names are options). Output: JSONL with the shape of
POST /v1/verify's answer, one line per record, in input order, written as each record is checked,
on standard output or in --output. Each line carries the record's ``id``, or its place (FILE:LINE)
when it has none; ids are echoed, not deduplicated (one article may have many summaries).

A bad record (not JSON, not UTF-8, not an object, no text or summary, blank, over the limits of
POST /v1/verify, an article in a language the checker does not read) or one whose check fails is
reported on standard error with its place and skipped; the others are all checked and written
(exit status 1 when any was skipped, else 0). A missing input file or a bad ANALYZER_* setting
exits with status 2 before any work.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import msgspec

from service.config import SettingsError, load_settings
from service.console import log_to_stderr, say
from service.documents import decode_as
from service.engines.language import LanguageDetector
from service.errors import InvalidInput, ModelLoadError
from service.schemas import Language
from service.verification import Checker, check_document, language_refusal, to_response
from service.verify_schemas import VerifyRequest


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


def _say(message: str) -> None:
    say(message, "verify")


def _records(paths: list[str]) -> Iterator[tuple[str, Any]]:
    """(place, parsed object or why it is unreadable) for every non-blank line of every input,
    read as it arrives (a pipe is checked line by line); one bad line spoils only itself."""
    for path in paths:
        name = "<stdin>" if path == "-" else path
        fh: IO[bytes] = sys.stdin.buffer if path == "-" else Path(path).open("rb")  # noqa: SIM115
        try:
            for lineno, raw in enumerate(fh, 1):
                where = f"{name}:{lineno}"
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield where, f"not UTF-8 ({exc.reason} at byte {exc.start})"
                    continue
                if not line.strip():
                    continue
                try:
                    yield where, json.loads(line)
                except ValueError as exc:
                    yield where, f"not JSON ({exc})"
        finally:
            if path != "-":
                fh.close()


def _request(obj: Any, args: argparse.Namespace, max_text_chars: int) -> VerifyRequest | str:
    """The record as the request POST /v1/verify takes, by its rules, or why it cannot be one."""
    if isinstance(obj, str):
        return obj
    if not isinstance(obj, dict):
        return "not a JSON object"
    names = {"text": args.text_field, "summary": args.summary_field}
    doc = {wire: obj.get(field) for wire, field in names.items()}
    for wire, field in names.items():
        if not isinstance(doc[wire], str):
            return f"no string field {field!r}"
    try:
        req = decode_as(doc, VerifyRequest)
        check_document(req, max_text_chars)
    except InvalidInput as exc:
        detail = exc.detail or exc.title
        for wire, field in names.items():  # the wire's names, in the record's
            detail = detail.replace(f"`{wire}`", repr(field))
        named = names.get((exc.pointer or "").lstrip("/"))
        return detail if named is None or repr(named) in detail else f"field {named!r}: {detail}"
    return req


def build_checker() -> Checker:
    """The checker the settings ask for (ANALYZER_ENGINES=fake: the word-overlap stand-in)."""
    settings = load_settings()
    if settings.engines == "fake":
        from service.engines.verify.fake import FakeSummaryChecker

        return FakeSummaryChecker()
    from service.engines.factory import configure_threads
    from service.engines.verify import SummaryChecker

    configure_threads(settings)
    return SummaryChecker(encoder_dir=settings.encoder_dir, lm_dir=settings.verify_lm_dir)


@dataclass
class _Run:
    """One run's engines, limits and counts."""

    checker: Checker
    language: LanguageDetector
    max_text_chars: int
    written: int = 0
    skipped: int = 0

    def skip(self, where: str, why: str) -> None:
        self.skipped += 1
        _say(f"skipped {where}: {why}")

    def line(self, where: str, obj: Any, args: argparse.Namespace) -> str | None:
        """The JSONL line of one record, or None when it is skipped (reported on stderr)."""
        req = _request(obj, args, self.max_text_chars)
        if isinstance(req, str):
            self.skip(where, req)
            return None
        found = self.language.detect(req.text)
        refusal = language_refusal(found, self.language.supported)
        if refusal is not None:
            self.skip(where, refusal.detail or refusal.title)
            return None
        try:
            verdict = self.checker.verify(req.text, req.summary)
        except Exception as exc:  # noqa: BLE001 - one record's failure must not stop the others
            self.skip(where, f"the check failed ({type(exc).__name__})")
            return None
        doc_id = obj.get(args.id_field)
        answer = to_response(verdict, where if doc_id is None else str(doc_id))
        answer.language = Language(code=found.code, confidence=found.confidence, supported=found.supported)
        self.written += 1
        return msgspec.json.encode(answer).decode() + "\n"


def _start() -> _Run | str:
    """The loaded checker and language detector, or why they could not be had."""
    try:
        settings = load_settings()
        checker = build_checker()
        checker.load()
        language = LanguageDetector()
        language.load()
    except (SettingsError, ModelLoadError) as exc:
        return str(exc)
    return _Run(checker, language, settings.max_text_chars)


def run_verify(args: argparse.Namespace) -> int:
    """Check every record; 0 when all were written, 1 when some were skipped, 2 on usage errors."""
    missing = [p for p in args.paths if p != "-" and not Path(p).is_file()]
    if missing:
        print(f"newsroom-analyzer verify: error: no such file: {missing[0]}", file=sys.stderr)
        return 2
    log_to_stderr()
    run = _start()
    if isinstance(run, str):
        print(f"newsroom-analyzer verify: error: {run}", file=sys.stderr)
        return 2
    out: IO[str] = Path(args.output).open("w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        for where, obj in _records(args.paths):
            line = run.line(where, obj, args)
            if line is not None:
                out.write(line)
                out.flush()  # each answer as soon as it is known: a pipe reads them as they come
    except BrokenPipeError:  # `| head` closed stdout: stop quietly, as other filters do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        if out is not sys.stdout:
            out.close()
    _say(f"{run.written} written, {run.skipped} skipped")
    return 1 if run.skipped else 0

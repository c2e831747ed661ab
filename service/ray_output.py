"""The output folder of ``analyze --ray``: its rows, and what a rerun finds already written.

Every row has four fields: ``id``, ``status`` (200, or the problem's HTTP-like status; 400 for a
record that could not be read), ``result`` (the ``/v1/analyze`` answer, as JSON) and ``error`` (the
problem, as JSON). In JSONL files a line is the answer itself, as the plain CLI writes it, or
``{"id", "status", "error"}`` for an error row; Parquet files hold the four columns.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import msgspec

from service.archive import existing_ids, repair_partial_tail
from service.schemas import Problem

ROW_FIELDS = ("id", "status", "result", "error")
OUTPUT_SUFFIXES = (".jsonl", ".parquet")


def error_json(status: int, title: str, detail: str) -> str:
    """A problem (RFC 9457 shape, as the service answers) as JSON text."""
    return msgspec.json.encode(Problem(title=title, status=status, detail=detail)).decode()


def jsonl_line(row: dict[str, Any]) -> str:
    """One row as a JSONL line: the answer itself, or an error row."""
    if row["result"] is not None:
        return str(row["result"]) + "\n"
    error = json.loads(row["error"]) if row["error"] else None
    return json.dumps({"id": row["id"], "status": row["status"], "error": error}, ensure_ascii=False) + "\n"


def output_files(folder: Path) -> list[Path]:
    """The result files in an output folder (none when it does not exist yet)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in OUTPUT_SUFFIXES)


def written_ids(folder: Path, say: Callable[[str], None]) -> set[str]:
    """Every id already in the folder, error rows included. A JSONL file whose last line was cut
    short (an interrupted run) loses that line; a Parquet file that cannot be read is set aside as
    ``*.partial``. Either way the documents they held run again."""
    ids: set[str] = set()
    for path in output_files(folder):
        if path.suffix == ".jsonl":
            cut = repair_partial_tail(path)
            if cut:
                say(f"removed a partial last line ({cut} bytes) from {path}; its document runs again")
            ids |= existing_ids(path)
            continue
        try:
            ids.update(str(i) for i in _parquet_column(path, "id"))
        except Exception:  # noqa: BLE001 - any unreadable file: its documents run again
            path.rename(path.with_suffix(".partial"))
            say(f"set aside unreadable {path.name} as .partial; its documents run again")
    return ids


def _parquet_column(path: Path, name: str) -> list[Any]:
    import pyarrow.parquet as pq

    return list(pq.read_table(path, columns=[name]).column(name).to_pylist())


def tally_files(paths: Iterable[Path]) -> tuple[int, int]:
    """Rows and error rows in these result files."""
    rows = errors = 0
    for path in paths:
        if path.suffix == ".parquet":
            statuses = _parquet_column(path, "status")
            rows += len(statuses)
            errors += sum(1 for s in statuses if s != 200)
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rows += 1
                    errors += _is_error(line)
    return rows, errors


def _is_error(line: str) -> bool:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return True
    return isinstance(obj, dict) and "error" in obj and "status" in obj

"""Archive inputs and outputs shared by the plain CLI and its Ray path.

Inputs: .txt files, folders of them (searched recursively), JSONL files (one object a line with a
text field and an id field), Parquet files (a text column and an id column), or - for standard
input. HTML pages come as .html/.htm files, as an HTML field of a JSONL record (or column) instead
of the text field, or, with ``html_files``, as every plain input (folders then hold .html/.htm
files). Every reader yields :class:`Record` values, a bad input as a record with ``error`` set, so
that both paths name the same documents with the same ids and report the same bad records.

Outputs: JSONL written a line per document; :func:`repair_partial_tail` and :func:`existing_ids`
make a rerun resume where an interrupted one stopped.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
PARQUET_SUFFIXES = frozenset({".parquet"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
#: How to install what reading Parquet needs (a usage error names it when it is missing).
PARQUET_NEEDS = "reading Parquet needs pyarrow: install the dependency group `ray` (make ray-deps)"


@dataclass(frozen=True)
class Record:
    """One input document, or one bad input (``error`` set) to report and skip."""

    id: str
    where: str
    text: str = ""
    error: str | None = None
    #: ``text`` is an HTML page, to be sent as ``html``.
    html: bool = False


class UsageError(Exception):
    """A command line the run cannot start with: reported in one line, exit status 2."""


def check_paths(paths: list[str]) -> None:
    """Every input path exists (``-`` at most once): otherwise a usage error, before any work."""
    missing = [p for p in paths if p != "-" and not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    if paths.count("-") > 1:
        raise UsageError("standard input (-) can be read only once")
    if any(Path(p).suffix.lower() in PARQUET_SUFFIXES for p in paths):
        try:
            import pyarrow.parquet  # noqa: F401 - only whether it can be imported
        except ImportError:
            raise UsageError(PARQUET_NEEDS) from None


def folder_files(folder: Path, html: bool = False) -> list[Path]:
    """The documents of a folder, recursively and sorted: .txt files, or .html/.htm pages."""
    suffixes = HTML_SUFFIXES if html else frozenset({".txt"})
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in suffixes and p.is_file())


def iter_records(
    paths: list[str],
    text_field: str,
    id_field: str,
    stdin: IO[str] | None = None,
    *,
    html_field: str = "html",
    html_files: bool = False,
) -> Iterator[Record]:
    """Every input document in order; unreadable ones come back with ``error`` set. ``html_field``
    names the JSONL field (Parquet column) holding a page instead of text; ``html_files``: every
    plain input (file, folder file, standard input) is an HTML page."""
    fields = (text_field, id_field, html_field)
    for raw in paths:
        if raw == "-":
            yield from _from_stream(stdin or sys.stdin, "<stdin>", fields, html_files)
            continue
        path = Path(raw)
        if path.is_dir():
            for f in folder_files(path, html_files):
                yield from_text_bytes(_read_bytes(f), str(f), f.relative_to(path).as_posix(), html_files)
        elif path.suffix.lower() in JSONL_SUFFIXES:  # streamed: an export may not fit in memory
            try:
                with path.open(encoding="utf-8") as fh:
                    yield from records_from_jsonl(fh, str(path), *fields)
            except (OSError, UnicodeDecodeError) as e:
                yield Record(id=str(path), where=str(path), error=f"cannot read: {e}")
        else:
            yield from records_from_file(
                _read_bytes(path),
                str(path),
                path.name,
                text_field,
                id_field,
                html_field=html_field,
                html_files=html_files,
            )


def _read_bytes(path: Path) -> bytes | OSError:
    try:
        return path.read_bytes()
    except OSError as e:
        return e


def records_from_file(
    data: bytes | OSError,
    where: str,
    text_id: str,
    text_field: str,
    id_field: str,
    *,
    html_field: str = "html",
    html_files: bool = False,
) -> Iterator[Record]:
    """The records of one input file by its kind (suffix): JSONL, Parquet, an HTML page (.html,
    .htm, or any other file with ``html_files``), else one plain text."""
    suffix = Path(where).suffix.lower()
    if isinstance(data, OSError):
        rid = where if suffix in JSONL_SUFFIXES | PARQUET_SUFFIXES else text_id
        yield Record(id=rid, where=where, error=f"cannot read: {data}")
    elif suffix in JSONL_SUFFIXES:
        try:
            lines = data.decode("utf-8").splitlines(keepends=True)
        except UnicodeDecodeError as e:
            yield Record(id=where, where=where, error=f"cannot read: {e}")
            return
        yield from records_from_jsonl(lines, where, text_field, id_field, html_field)
    elif suffix in PARQUET_SUFFIXES:
        yield from records_from_parquet(data, where, text_field, id_field, html_field)
    else:
        yield from_text_bytes(data, where, text_id, html_files or suffix in HTML_SUFFIXES)


def from_text_bytes(data: bytes | OSError, where: str, rid: str, html: bool = False) -> Record:
    """One plain-text document, or HTML page, (UTF-8) read from ``where``, named ``rid``."""
    if isinstance(data, OSError):
        return Record(id=rid, where=where, error=f"cannot read: {data}")
    try:
        return _document(data.decode("utf-8"), rid, where, html)
    except UnicodeDecodeError as e:
        return Record(id=rid, where=where, error=f"cannot read: {e}")


def _document(text: str, rid: str, where: str, html: bool) -> Record:
    if not text.strip():
        return Record(id=rid, where=where, error=f"the {'page' if html else 'text'} is empty")
    return Record(id=rid, where=where, text=text, html=html)


def _from_stream(fh: IO[str], name: str, fields: tuple[str, str, str], html: bool) -> Iterator[Record]:
    """JSONL streamed a line at a time when the first non-blank line is a JSON object, else one
    text (or page): a text whose first line merely starts with ``{`` is a text."""
    head: list[str] = []
    for line in fh:
        head.append(line)
        if line.strip():
            break
    if head and _is_object(head[-1]):
        yield from records_from_jsonl(itertools.chain(head, fh), name, *fields)
    else:
        yield _document("".join(head) + fh.read(), name, name, html)


def _is_object(line: str) -> bool:
    if not line.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def records_from_jsonl(
    lines: Iterable[str], name: str, text_field: str, id_field: str, html_field: str = "html"
) -> Iterator[Record]:
    """One record per non-blank line; a line that is no object with a string text (or page) is a
    bad record."""
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
        yield _from_fields(obj, where, text_field, id_field, html_field)


def _from_fields(row: dict[str, Any], where: str, text_field: str, id_field: str, html_field: str) -> Record:
    """A record from a JSONL object or Parquet row: its text field, or else its HTML field."""
    rid = str(row[id_field]) if row.get(id_field) is not None else where
    text, page = row.get(text_field), row.get(html_field) if html_field != text_field else None
    if isinstance(text, str) and isinstance(page, str):
        return Record(id=rid, where=where, error=f"both {text_field!r} and {html_field!r}: send one")
    if isinstance(page, str):
        return _field_document(page, rid, where, html_field, html=True)
    if not isinstance(text, str):
        return Record(id=rid, where=where, error=f"no string field {text_field!r} (or {html_field!r})")
    return _field_document(text, rid, where, text_field, html=False)


def _field_document(text: str, rid: str, where: str, field: str, html: bool) -> Record:
    if not text.strip():
        return Record(id=rid, where=where, error=f"field {field!r} is empty or only whitespace")
    return Record(id=rid, where=where, text=text, html=html)


def records_from_parquet(
    data: bytes, name: str, text_field: str, id_field: str, html_field: str = "html"
) -> Iterator[Record]:
    """One record per row of the text (or HTML) and id columns (row numbers from 1 name rows
    without an id)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        yield Record(id=name, where=name, error=PARQUET_NEEDS)
        return
    try:
        table = pq.read_table(pa.BufferReader(data))
    except (OSError, pa.ArrowException) as e:
        yield Record(id=name, where=name, error=f"cannot read Parquet: {e}")
        return
    columns = [c for c in (text_field, id_field, html_field) if c in table.column_names]
    if text_field not in columns and html_field not in columns:
        yield Record(id=name, where=name, error=f"no column {text_field!r} (or {html_field!r})")
        return
    for n, row in enumerate(table.select(columns).to_pylist(), start=1):
        yield _from_fields(row, f"{name}:{n}", text_field, id_field, html_field)


def count_inputs(paths: list[str]) -> int | None:
    """Cheap total for the progress bar's ETA: files and non-blank JSONL lines, no parsing."""
    total = 0
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            return None
        if path.is_dir():
            total += len(folder_files(path)) or len(folder_files(path, html=True))
        elif path.suffix.lower() in JSONL_SUFFIXES:
            try:
                with path.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        elif path.suffix.lower() in PARQUET_SUFFIXES:
            total += _parquet_rows(path)
        else:
            total += 1
    return total


def _parquet_rows(path: Path) -> int:
    try:
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    except Exception:  # noqa: BLE001 - only an estimate for the progress bar
        return 1


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

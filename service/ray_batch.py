"""``newsroom-analyzer analyze --ray``: the batch pipeline on Ray Data.

Ray Data reads the inputs (the CLI's own readers inside a file datasource, so ids and bad records
are the plain CLI's), runs :class:`~service.pipeline.BatchPipeline` in a callable class inside
``map_batches`` (one pipeline, so one set of engines, per actor; as many actors as the cluster has
CPUs for), and writes JSONL or Parquet files into the output folder. A bad record becomes an error
row, never a failed job; a rerun skips every id already in the folder.

Ray is the optional dependency group ``ray``: nothing here imports it before a run asks for it.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from service.archive import HTML_SUFFIXES, from_text_bytes, records_from_file
from service.config import Settings
from service.console import say as _say
from service.console import show_progress
from service.ray_output import ROW_FIELDS, error_json, jsonl_line, output_files, written_ids
from service.schemas import AnalyzeRequest

if TYPE_CHECKING:
    import pyarrow as pa

log = logging.getLogger("service.ray")

LOOPBACK = "127.0.0.1"
#: Records per block a read task hands on.
_READ_BLOCK = 256


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise SystemExit(
            "newsroom-analyzer analyze: error: --ray needs Ray Data: install the dependency group "
            "`ray` (make ray-deps, or pip install -r locks/ray.txt)"
        ) from None
    return ray


def run_on_ray(args: argparse.Namespace, template: AnalyzeRequest, settings: Settings) -> int:
    """Read, analyse and write on a Ray cluster; exit 0 unless a record became an error row."""
    ray = _import_ray()
    out = Path(args.output)
    before = set(output_files(out))
    skip = written_ids(out, _say)
    started = not ray.is_initialized()
    if started:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # an archive run reports to no one
        # A local cluster talks over loopback only, never the host's own network address.
        local = {"num_cpus": args.ray_cpus or settings.threads, "_node_ip_address": LOOPBACK}
        local = {} if args.ray_address else local
        ray.init(address=args.ray_address, include_dashboard=False, logging_level=logging.WARNING, **local)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = show_progress(args.progress)
        if not ctx.enable_progress_bars:
            logging.getLogger("ray.data").setLevel(logging.WARNING)
        actors = max(1, int(ray.cluster_resources().get("CPU", 1) // args.cpus_per_worker))
        dataset = _pipeline(ray, args, template=template, settings=settings, skip=skip, actors=actors)
        if args.format == "parquet":
            dataset.write_parquet(str(out), ray_remote_args={"num_cpus": 0})
        else:
            dataset.write_datasink(_jsonl_sink(str(out)), ray_remote_args={"num_cpus": 0})
    finally:
        if started:
            ray.shutdown()
    return _report(out, before, len(skip))


def _pipeline(
    ray: Any,
    args: argparse.Namespace,
    *,
    template: AnalyzeRequest,
    settings: Settings,
    skip: set[str],
    actors: int,
) -> Any:
    """Inputs -> records -> one analysed row per record, on ``actors`` engine workers."""
    parts = [ray.data.read_datasource(_archive_source(raw, args, skip), num_cpus=0) for raw in args.paths]
    dataset = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    worker_settings = replace(settings, inference_threads=args.cpus_per_worker)
    return dataset.map_batches(
        RayAnalyzer,
        fn_constructor_kwargs={
            "settings": worker_settings,
            "template": msgspec.json.encode(template),
            "chunk": args.batch_size,
        },
        batch_size=args.batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=actors),
        num_cpus=args.cpus_per_worker,
    )


class RayAnalyzer:
    """One actor's pipeline: engines loaded once, then record batches in, result rows out."""

    def __init__(self, settings: Settings, template: bytes, chunk: int) -> None:
        from service.observability import configure_logging
        from service.pipeline import BatchPipeline

        configure_logging("warning", "json")  # as the CLI: warnings and errors, never article text
        self.template = msgspec.json.decode(template, type=AnalyzeRequest)
        self.pipeline = BatchPipeline(settings, chunk=chunk)
        self.started = False

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        from service.pipeline import for_document

        rows = batch.to_pylist()
        good = [r for r in rows if r["error"] is None]
        if good and not self.started:  # loaded on first use: a rerun with nothing left loads nothing
            self.pipeline.start()
            self.started = True
        # A batch of bad records only may come before any good one: nothing to analyse, nothing loaded.
        items = (
            self.pipeline.analyze([for_document(self.template, r["text"], r["id"], r["html"]) for r in good])
            if good
            else []
        )
        answers = iter(items)
        out: dict[str, list[Any]] = {name: [] for name in ROW_FIELDS}
        for r in rows:
            row: tuple[str, int, str | None, str | None]
            if r["error"] is not None:
                row = (r["id"], 400, None, error_json(400, "Bad input record", f"{r['where']}: {r['error']}"))
            else:
                item = next(answers)
                result = msgspec.json.encode(item.result).decode() if item.result is not None else None
                problem = msgspec.json.encode(item.error).decode() if item.error is not None else None
                row = (r["id"], item.status, result, problem)
            for name, value in zip(ROW_FIELDS, row, strict=True):
                out[name].append(value)
        return pa.table(out, schema=_row_schema())


def _row_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [("id", pa.string()), ("status", pa.int64()), ("result", pa.string()), ("error", pa.string())]
    )


def _archive_source(raw: str, args: argparse.Namespace, skip: set[str]) -> Any:
    """A Ray file datasource over one input path, yielding the CLI's records (id, where, text, error,
    html), read by the plain CLI's own readers with its options."""
    from ray.data.datasource import FileBasedDatasource

    root = Path(os.path.abspath(raw))
    folder = root.is_dir()

    class ArchiveSource(FileBasedDatasource):  # type: ignore[misc, unused-ignore]  # Any without the ray group
        def _read_stream(self, f: Any, path: str) -> Iterator[pa.Table]:
            data = f.readall()
            if folder:
                rel = _relative(Path(path), root)
                records = iter([from_text_bytes(data, str(Path(raw) / rel), rel, args.html)])
            else:
                records = records_from_file(
                    data,
                    raw,
                    Path(raw).name,
                    args.text_field,
                    args.id_field,
                    html_field=args.html_field,
                    html_files=args.html,
                )
            yield from _blocks(r for r in records if r.id not in skip)

    suffixes = [s.lstrip(".") for s in sorted(HTML_SUFFIXES)] if args.html else ["txt"]
    return ArchiveSource(str(root), file_extensions=suffixes if folder else None)


def _relative(path: Path, root: Path) -> str:
    """``path`` inside the folder ``root`` as the plain CLI names it (symlinks or not)."""
    for base in (root, root.resolve()):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.resolve().relative_to(root.resolve()).as_posix()


def _blocks(records: Iterator[Any]) -> Iterator[pa.Table]:
    import pyarrow as pa

    cols: dict[str, list[Any]] = {"id": [], "where": [], "text": [], "error": [], "html": []}
    for r in records:
        for name, values in cols.items():
            values.append(getattr(r, name))
        if len(cols["id"]) >= _READ_BLOCK:
            yield pa.table(cols)
            cols = {name: [] for name in cols}
    if cols["id"]:
        yield pa.table(cols)


def _jsonl_sink(path: str) -> Any:
    """Ray's file datasink writing one JSONL line per row: the result, or the error row."""
    from ray.data.datasource import BlockBasedFileDatasink

    class JsonlSink(BlockBasedFileDatasink):  # type: ignore[misc, unused-ignore]  # Any without the ray group
        def write_block_to_file(self, block: Any, file: Any) -> None:
            lines = [jsonl_line(row) for row in block.to_arrow().to_pylist()]
            file.write("".join(lines).encode("utf-8"))

    return JsonlSink(path, file_format="jsonl")


def _report(out: Path, before: set[Path], skipped: int) -> int:
    from service.ray_output import tally_files

    rows, errors = tally_files([p for p in output_files(out) if p not in before])
    _say(f"{rows - errors} written, {errors} error rows, {skipped} already in output ({out})")
    return 1 if errors else 0

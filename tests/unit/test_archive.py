"""Archive readers and outputs shared by the plain CLI and its Ray path (no cluster needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.__main__ import main
from service.archive import records_from_file
from service.ray_output import jsonl_line, tally_files, written_ids

pa = pytest.importorskip("pyarrow", reason="Parquet needs the dependency group `ray`")
pq = pytest.importorskip("pyarrow.parquet")

STORY = "The harbour reopened on Friday. “We are back in business,” said Tom Reed. Boats left at dawn."


def test_plain_cli_reads_parquet_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Parquet file's rows are documents; a row without text is a bad record named by its row."""
    monkeypatch.setenv("ANALYZER_ENGINES", "fake")
    src = tmp_path / "export.parquet"
    pq.write_table(pa.table({"uid": ["a", None, "c"], "body": [STORY, STORY, None]}), src)
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(src), "--text-field", "body", "--id-field", "uid", "-o", str(out)]) == 1
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", f"{src}:2"]
    assert rows[0]["quotes"][0]["text"].startswith("We are back")


def test_unreadable_parquet_is_one_bad_record() -> None:
    (rec,) = records_from_file(b"PAR1 not really", "x.parquet", "x.parquet", "text", "id")
    assert rec.error is not None
    assert rec.error.startswith("cannot read Parquet")


def test_written_ids_repairs_jsonl_and_sets_aside_broken_parquet(tmp_path: Path) -> None:
    """A cut last line is removed, a Parquet file that cannot be read is renamed: both rerun."""
    ok = jsonl_line({"id": "a", "status": 200, "result": '{"id":"a"}', "error": None})
    bad = jsonl_line({"id": "b", "status": 400, "result": None, "error": '{"title":"Bad input record"}'})
    (tmp_path / "one.jsonl").write_text(ok + bad + '{"id": "c", "summ', encoding="utf-8")
    pq.write_table(
        pa.table({"id": ["d"], "status": [200], "result": ["{}"], "error": [None]}), tmp_path / "p.parquet"
    )
    (tmp_path / "q.parquet").write_bytes(b"cut short")
    said: list[str] = []
    assert written_ids(tmp_path, said.append) == {"a", "b", "d"}
    assert (tmp_path / "q.partial").exists()
    assert len(said) == 2
    assert tally_files([*sorted(tmp_path.glob("*.jsonl")), tmp_path / "p.parquet"]) == (3, 1)

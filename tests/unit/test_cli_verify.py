"""`newsroom-analyzer verify`: JSONL in, /v1/verify-shaped JSONL out, bad records skipped (fake checker)."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from service.__main__ import main

STORY = "The harbour reopened on Friday. Boats left at dawn and returned with a good catch."


@pytest.fixture(autouse=True)
def fake_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANALYZER_ENGINES", "fake")


def test_checks_each_record_in_order(tmp_path: Path) -> None:
    """Each record gets one line with its id, verdict and sentence offsets into its summary."""
    src = tmp_path / "in.jsonl"
    records = [
        {"id": "a", "text": STORY, "summary": "The harbour reopened on Friday."},
        {"id": "b", "text": STORY, "summary": "Boats left at dawn. Pirates seized the harbour."},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["verify", str(src), "-o", str(out)]) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert [x["supported"] for x in lines] == [True, False]
    for rec, line in zip(records, lines, strict=True):
        for s in line["sentences"]:
            assert rec["summary"][s["start"] : s["end"]] == s["text"]


def test_field_names_and_bad_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Other field names are honoured; a record without a summary is reported and skipped (exit 1)."""
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"key": 1, "article": STORY, "gist": "Boats left at dawn."})
        + "\n"
        + json.dumps({"key": 2, "article": STORY})
        + "\nnot json\n",
        encoding="utf-8",
    )
    args = ["verify", str(src), "--text-field", "article", "--summary-field", "gist", "--id-field", "key"]
    assert main(args) == 1
    captured = capsys.readouterr()
    lines = [json.loads(x) for x in captured.out.splitlines()]
    assert [x["id"] for x in lines] == ["1"]
    assert "in.jsonl:2" in captured.err
    assert "in.jsonl:3" in captured.err


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    """A path that does not exist exits with status 2 before any work."""
    assert main(["verify", str(tmp_path / "nope.jsonl")]) == 2


def test_results_alone_on_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every stdout line is a JSON result: logs go to stderr."""
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": STORY, "summary": "Boats left at dawn."}) + "\n", encoding="utf-8"
    )
    assert main(["verify", str(src)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["id"] == "a"


GERMAN = (
    "Der Hafen wurde am Freitag wieder geöffnet. Die Boote fuhren im Morgengrauen hinaus und "
    "kamen mit einem guten Fang zurück, sagte der Hafenmeister."
)


def test_every_bad_line_is_reported_and_the_rest_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad UTF-8, a non-object, a blank summary, an over-long summary and another language are each
    reported with their line and skipped; every good record around them is written, in order."""
    good = {"text": STORY, "summary": "Boats left at dawn."}
    lines = [
        json.dumps({**good, "id": "g1"}).encode(),
        b'{"id": "x", "text": "caf\xe9"}',
        b"[1, 2]",
        json.dumps({**good, "summary": "  "}).encode(),
        json.dumps({**good, "summary": "x" * 20_001}).encode(),
        json.dumps({"text": GERMAN, "summary": "Der Hafen wurde geöffnet."}).encode(),
        json.dumps({**good, "id": "g2"}).encode(),
    ]
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    assert main(["verify", str(src)]) == 1
    captured = capsys.readouterr()
    assert [json.loads(x)["id"] for x in captured.out.splitlines()] == ["g1", "g2"]
    for n, why in [(2, "UTF-8"), (3, "not a JSON object"), (4, "empty"), (5, "20000"), (6, "'de'")]:
        line = next(x for x in captured.err.splitlines() if f"in.jsonl:{n}:" in x)
        assert why in line, line
    assert "2 written, 5 skipped" in captured.err


def test_a_record_without_an_id_is_named_by_its_place(tmp_path: Path) -> None:
    """A record with no id gets FILE:LINE as its id, so every output line can be traced back."""
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n" + json.dumps({"text": STORY, "summary": "Boats left at dawn."}) + "\n", encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    assert main(["verify", str(src), "-o", str(out)]) == 0
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["id"] == f"{src}:2"
    assert line["language"]["code"] == "en"


def test_a_check_that_fails_skips_only_its_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checker raising on one record reports that record (type only) and checks the next."""
    from service import cli_verify
    from service.engines.verify.fake import FakeSummaryChecker

    class Raising(FakeSummaryChecker):
        def verify(self, article: str, summary: str) -> Any:
            if "boom" in summary:
                raise KeyError("/opt/secret/path")
            return super().verify(article, summary)

    monkeypatch.setattr(cli_verify, "build_checker", Raising)
    src = tmp_path / "in.jsonl"
    records = [
        {"id": "a", "text": STORY, "summary": "boom"},
        {"id": "b", "text": STORY, "summary": "Boats left."},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["verify", str(src)]) == 1
    captured = capsys.readouterr()
    assert [json.loads(x)["id"] for x in captured.out.splitlines()] == ["b"]
    assert "in.jsonl:1: the check failed (KeyError)" in captured.err
    assert "secret" not in captured.err


def test_standard_input_is_answered_line_by_line(tmp_path: Path) -> None:
    """From a pipe, each record's answer is written before the next record is sent."""
    env = {**os.environ, "ANALYZER_ENGINES": "fake"}
    with subprocess.Popen(
        [sys.executable, "-m", "service", "verify", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    ) as proc:
        assert proc.stdin is not None
        assert proc.stdout is not None
        try:
            for rid in ("first", "second"):
                record = {"id": rid, "text": STORY, "summary": "Boats left."}
                proc.stdin.write(json.dumps(record).encode() + b"\n")
                proc.stdin.flush()
                ready, _, _ = select.select([proc.stdout], [], [], 120)
                assert ready, "no answer while standard input is still open"
                assert json.loads(proc.stdout.readline())["id"] == rid
            proc.stdin.close()
            assert proc.wait(120) == 0
        finally:
            if proc.poll() is None:
                proc.kill()

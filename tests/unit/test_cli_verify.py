"""`newsroom-analyzer verify`: JSONL in, /v1/verify-shaped JSONL out, bad records skipped (fake checker)."""

from __future__ import annotations

import json
from pathlib import Path

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

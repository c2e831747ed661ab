"""The archive CLI: inputs, outputs, bad records, resuming and part selection (fake engines)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from service.__main__ import main
from service.cli import existing_ids, iter_records

STORY_A = "The harbour reopened on Friday. “We are back in business,” said Tom Reed. Boats left at dawn."
STORY_B = "Snow closed the pass overnight. Crews worked until morning to clear it."


@pytest.fixture(autouse=True)
def fake_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANALYZER_ENGINES", "fake")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_folder_of_text_files_to_jsonl(tmp_path: Path) -> None:
    """Every .txt in a folder (recursively) becomes one output line, id = relative path."""
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text(STORY_A, encoding="utf-8")
    (tmp_path / "in" / "sub" / "b.txt").write_text(STORY_B, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(tmp_path / "in"), "-o", str(out)]) == 0
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == ["a.txt", "sub/b.txt"]
    assert rows[0]["summary"]["sentences"]
    assert rows[0]["quotes"][0]["text"].startswith("We are back")


def test_jsonl_fields_and_bad_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Configurable text/id fields; a bad line is reported with its line number and skipped."""
    src = tmp_path / "export.jsonl"
    src.write_text(
        "\n".join(
            [
                json.dumps({"uid": 7, "body": STORY_A}),
                "{not json",
                json.dumps({"uid": 8, "other": "x"}),
                json.dumps({"uid": 9, "body": STORY_B}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    code = main(["analyze", str(src), "--text-field", "body", "--id-field", "uid", "-o", str(out)])
    assert code == 1, "skipped records make the exit status 1"
    assert [r["id"] for r in read_jsonl(out)] == ["7", "9"]
    err = capsys.readouterr().err
    assert f"{src}:2" in err
    assert "invalid JSON" in err
    assert f"{src}:3" in err
    assert "'body'" in err


def test_summary_only_and_quotes_only(tmp_path: Path) -> None:
    """--summary-only leaves out quotes; --quotes-only leaves out the summary."""
    f = tmp_path / "a.txt"
    f.write_text(STORY_A, encoding="utf-8")
    o1, o2 = tmp_path / "s.jsonl", tmp_path / "q.jsonl"
    main(["analyze", str(f), "--summary-only", "--max-sentences", "1", "-o", str(o1)])
    main(["analyze", str(f), "--quotes-only", "-o", str(o2)])
    s, q = read_jsonl(o1)[0], read_jsonl(o2)[0]
    assert "quotes" not in s
    assert len(s["summary"]["sentences"]) == 1
    assert "summary" not in q
    assert q["quotes"]


def test_skip_existing_resumes(tmp_path: Path) -> None:
    """--skip-existing appends only documents whose id is not in the output yet."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": STORY_A}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    main(["analyze", str(src), "-o", str(out)])
    src.write_text(
        "\n".join(json.dumps({"id": i, "text": t}) for i, t in [("a", STORY_A), ("b", STORY_B)]) + "\n",
        encoding="utf-8",
    )
    assert main(["analyze", str(src), "-o", str(out), "--skip-existing"]) == 0
    assert [r["id"] for r in read_jsonl(out)] == ["a", "b"]
    assert existing_ids(out) == {"a", "b"}


def test_stdin_plain_text_and_jsonl() -> None:
    """`-` reads one plain-text document, or JSONL when the input starts with an object."""
    plain = list(iter_records(["-"], "text", "id", stdin=io.StringIO(STORY_B)))
    assert len(plain) == 1
    assert plain[0].text == STORY_B
    lines = io.StringIO(json.dumps({"id": "x", "text": STORY_A}) + "\n")
    recs = list(iter_records(["-"], "text", "id", stdin=lines))
    assert recs[0].id == "x"
    assert recs[0].text == STORY_A


def test_empty_text_is_a_bad_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A whitespace-only document is reported and skipped, not analysed."""
    f = tmp_path / "blank.txt"
    f.write_text("   \n", encoding="utf-8")
    assert main(["analyze", str(f), "-o", str(tmp_path / "o.jsonl")]) == 1
    assert "empty text" in capsys.readouterr().err


def test_progress_is_quiet_when_piped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without a terminal no progress bar is drawn; only the final count goes to stderr."""
    f = tmp_path / "a.txt"
    f.write_text(STORY_A, encoding="utf-8")
    main(["analyze", str(f), "-o", str(tmp_path / "o.jsonl")])
    err = capsys.readouterr().err
    assert "doc/s" not in err
    assert "1 written" in err


def test_skip_existing_needs_output() -> None:
    """--skip-existing without --output is a usage error (exit 2)."""
    assert main(["analyze", "x.txt", "--skip-existing"]) == 2

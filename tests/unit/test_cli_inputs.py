"""The archive CLI's inputs: text that starts with `{`, the field a skip names, Parquet without
pyarrow, and HTML pages (files, --html, a JSONL field), read the same way by the Ray path."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from service.__main__ import main
from service.archive import iter_records, records_from_file

PAGE = (Path(__file__).parents[1] / "data" / "article_page.html").read_text(encoding="utf-8")
EDITOR_NOTE = "{Editor note} The council met on Monday.\n“We will decide soon,” said Ada Brill.\n"


@pytest.fixture(autouse=True)
def fake_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANALYZER_ENGINES", "fake")


def rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_stdin_text_starting_with_a_brace_is_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Plain text whose first line starts with `{` but is no JSON object is analysed as one text."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(EDITOR_NOTE))
    assert main(["analyze", "-"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["quotes"][0]["text"].startswith("We will decide soon")


@pytest.mark.parametrize("first", ['{"text": "a"} trailing', "{1, 2}", '["text"]', "{"])
def test_only_a_json_object_first_line_makes_stdin_jsonl(first: str) -> None:
    """The first line must parse as a JSON object for standard input to be read as JSONL."""
    (rec,) = iter_records(["-"], "text", "id", stdin=io.StringIO(first + "\nmore\n"))
    assert rec.error is None
    assert rec.text == first + "\nmore\n"


def test_skip_message_names_the_text_field_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An empty `body` (with --text-field body) is reported as field 'body', not `text`."""
    src = tmp_path / "export.jsonl"
    src.write_text(json.dumps({"id": "a", "body": "  "}) + "\n", encoding="utf-8")
    assert main(["analyze", str(src), "--text-field", "body", "-o", str(tmp_path / "o.jsonl")]) == 1
    err = capsys.readouterr().err
    assert f"skipped {src}:1: field 'body' is empty or only whitespace" in err
    assert "`text`" not in err


def test_parquet_without_pyarrow_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .parquet input where pyarrow is missing: exit 2, one line naming the group to install."""
    src = tmp_path / "export.parquet"
    src.write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert main(["analyze", str(src)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "dependency group `ray`" in err
    assert "make ray-deps" in err


def test_html_files_and_the_html_flag(tmp_path: Path) -> None:
    """A .html file is a page; with --html a folder's .html files (and other plain files) are too."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "story.html").write_text(PAGE, encoding="utf-8")
    (folder / "notes.txt").write_text("Not a page.", encoding="utf-8")
    as_txt = tmp_path / "page.txt"
    as_txt.write_text(PAGE, encoding="utf-8")
    one, many, flagged = tmp_path / "1.jsonl", tmp_path / "2.jsonl", tmp_path / "3.jsonl"
    assert main(["analyze", str(folder / "story.html"), "-o", str(one)]) == 0
    assert main(["analyze", str(folder), "--html", "-o", str(many)]) == 0
    assert main(["analyze", str(as_txt), "--html", "-o", str(flagged)]) == 0
    (a,), (b,), (c,) = rows(one), rows(many), rows(flagged)
    assert b["id"] == "story.html"
    assert a["text"] == b["text"] == c["text"]
    assert a["title"] == "Council backs tram line after long debate"
    assert a["text"].startswith("The Riverside city council approved")
    for q in a["quotes"]:
        assert a["text"][q["start"] : q["end"]] == q["text"]


def test_jsonl_html_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record with the HTML field and no text field is a page; both fields is a bad record."""
    src = tmp_path / "crawl.jsonl"
    lines = [
        {"id": "p", "page": PAGE},
        {"id": "t", "text": "Plain text here. It has two sentences."},
        {"id": "both", "text": "x", "page": PAGE},
    ]
    src.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["analyze", str(src), "--html-field", "page", "-o", str(out)]) == 1
    got = {r["id"]: r for r in rows(out)}
    assert set(got) == {"p", "t"}
    assert got["p"]["title"] == "Council backs tram line after long debate"
    assert "text" not in got["t"]
    assert f"skipped {src}:3: both 'text' and 'page': send one" in capsys.readouterr().err


def test_the_ray_readers_see_the_same_records() -> None:
    """records_from_file (the Ray datasource's reader) marks pages and names fields as the CLI does."""
    (page,) = records_from_file(PAGE.encode(), "a/story.htm", "story.htm", "text", "id")
    assert page.html
    assert page.error is None
    data = (json.dumps({"id": 1, "body": ""}) + "\n").encode()
    (bad,) = records_from_file(data, "x.jsonl", "x.jsonl", "body", "id")
    assert bad.error == "field 'body' is empty or only whitespace"

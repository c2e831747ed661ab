"""The archive CLI: inputs, outputs, bad records, resuming and part selection (fake engines)."""

from __future__ import annotations

import io
import json
import logging
import sys
from pathlib import Path
from typing import Any

import pytest

from service import __version__
from service.__main__ import main
from service.archive import existing_ids, iter_records, repair_partial_tail
from service.config import SettingsError, load_settings

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
    assert f"skipped {f}: the text is empty" in capsys.readouterr().err


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


def test_results_alone_on_stdout_logs_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    """Without -o, stdout holds only JSONL results; the service's logging is routed to stderr."""
    lines = io.StringIO(json.dumps({"id": "x", "text": STORY_A}) + "\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", lines)
        assert main(["analyze", "-"]) == 0
    logging.getLogger("service.probe").warning("probe-line")
    out, err = capsys.readouterr()
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["x"]
    assert "probe-line" in err
    assert "1 written" in err


@pytest.mark.parametrize(
    ("argv", "env", "fragment"),
    [
        (["analyze", "missing.txt"], {}, "no such file or directory: missing.txt"),
        (["analyze", "-", "-"], {}, "only once"),
        (["analyze", "{story}", "--batch-size", "0"], {}, "--batch-size"),
        (["analyze", "{story}", "--max-sentences", "21"], {}, "--max-sentences: Expected `int` <= 20"),
        (["analyze", "{story}", "--trim"], {}, "--trim needs --max-words: it cuts the last sentence"),
        (["analyze", "{story}", "--format", "parquet"], {}, "need --ray"),
        (["analyze", "{story}", "--ray"], {}, "--ray needs --output"),
        (["analyze", "{story}"], {"ANALYZER_QUEUE_SIZE": "many"}, "ANALYZER_QUEUE_SIZE"),
        (["analyze", "{story}"], {"ANALYZER_WORKERS": "2"}, "ANALYZER_WORKERS must be 1"),
    ],
)
def test_usage_errors_exit_2_in_one_line(
    argv: list[str],
    env: dict[str, str],
    fragment: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A missing path, a bad option value or a bad ANALYZER_* setting: status 2, one stderr line."""
    story = tmp_path / "a.txt"
    story.write_text(STORY_A, encoding="utf-8")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main([a.replace("{story}", str(story)) for a in argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert fragment in err
    assert "Traceback" not in err


def test_unknown_option_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse's own errors (unknown option, bad int) also exit 2 with a single line."""
    for argv in (["analyze", "x.txt", "--bogus"], ["analyze", "x.txt", "--max-sentences", "three"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert "error:" in err


class CountingStream(io.StringIO):
    """A text stream that counts the lines handed out and refuses to be read whole."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.lines_read = 0

    def __next__(self) -> str:  # type: ignore[override]  # typeshed: IOBase says bytes
        line = super().__next__()
        self.lines_read += 1
        return line

    def read(self, size: int | None = -1) -> str:
        if size is None or size < 0:
            raise AssertionError("stdin JSONL must be streamed, not read whole")
        return super().read(size)


def test_stdin_jsonl_is_streamed_line_by_line() -> None:
    """The first record of piped JSONL is available after reading its line, not the whole input."""
    stream = CountingStream("".join(json.dumps({"id": i, "text": STORY_B}) + "\n" for i in range(100)))
    records = iter_records(["-"], "text", "id", stdin=stream)
    assert next(records).id == "0"
    assert stream.lines_read <= 2
    assert len(list(records)) == 99


def test_skip_existing_repairs_a_partial_last_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line cut short by an interrupted run is removed before appending; its document runs again."""
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in [("a", STORY_A), ("b", STORY_B)]),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(src), "-o", str(out)]) == 0
    complete = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text(complete[0] + complete[1][:25], encoding="utf-8")  # b's line, cut mid-record
    assert repair_partial_tail(tmp_path / "absent.jsonl") == 0
    assert main(["analyze", str(src), "-o", str(out), "--skip-existing"]) == 0
    assert [r["id"] for r in read_jsonl(out)] == ["a", "b"]
    assert out.read_text(encoding="utf-8").endswith("\n")
    assert "partial last line (25 bytes)" in capsys.readouterr().err


def test_repair_keeps_a_complete_file_and_empties_a_single_partial_line(tmp_path: Path) -> None:
    """A file ending in a newline is left alone; one with no complete line at all becomes empty."""
    whole = tmp_path / "whole.jsonl"
    whole.write_text('{"id": "a"}\n', encoding="utf-8")
    assert repair_partial_tail(whole) == 0
    assert whole.read_text(encoding="utf-8") == '{"id": "a"}\n'
    cut = tmp_path / "cut.jsonl"
    cut.write_text('{"id": "a", "summ', encoding="utf-8")
    assert repair_partial_tail(cut) == 17
    assert cut.read_bytes() == b""


def test_duplicate_ids_are_reported_counted_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second record with an id already seen is not analysed; stderr says where the first was."""
    src = tmp_path / "in.jsonl"
    rows = [("a", STORY_A), ("b", STORY_B), ("a", STORY_B)]
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(src), "-o", str(out)]) == 1
    assert [r["id"] for r in read_jsonl(out)] == ["a", "b"]
    err = capsys.readouterr().err
    assert f"skipped {src}:3: duplicate id 'a' (first at {src}:1)" in err
    assert "1 duplicate ids skipped" in err


def test_help_is_plain_text_and_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    """--help shows no reStructuredText double backticks; --version prints the package version."""
    for argv in (["--help"], ["analyze", "--help"], ["serve", "--help"], ["--version"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 0
        out = capsys.readouterr().out
        assert "``" not in out
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"newsroom-analyzer {__version__}"


def test_serve_port_follows_port_unless_analyzer_port_is_set() -> None:
    """$PORT (the platform convention) sets the port; ANALYZER_PORT wins when both are given."""
    assert load_settings({"PORT": "9100"}).port == 9100
    assert load_settings({"PORT": "9100", "ANALYZER_PORT": "9200"}).port == 9200
    with pytest.raises(SettingsError):
        load_settings({"PORT": "http"})


def test_ray_without_its_dependency_group_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--ray where Ray is not installed: one clear message naming the dependency group, no traceback."""
    story = tmp_path / "a.txt"
    story.write_text(STORY_A, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    with pytest.raises(SystemExit) as exc:
        main(["analyze", str(story), "--ray", "-o", str(tmp_path / "out")])
    assert "dependency group `ray`" in str(exc.value.code)
    assert not (tmp_path / "out").exists()

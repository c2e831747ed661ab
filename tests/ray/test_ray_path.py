"""`analyze --ray` on a local Ray cluster of 2 CPUs: one row per input id, bad records as error
rows, the plain CLI's answers, and a rerun that writes nothing new."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.__main__ import main
from service.ray_batch import LOOPBACK

pytestmark = [
    pytest.mark.ray,
    # Ray's own deprecation notes about its settings and actor-pool hints are not this project's.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray"),
    pytest.mark.filterwarnings("ignore::UserWarning:ray"),
]
ray = pytest.importorskip("ray", reason="needs the dependency group `ray` (make ray-deps)")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

STORIES = {
    "harbour": "The harbour reopened on Friday. “We are back in business,” said Tom Reed. Boats left.",
    "pass": "Snow closed the pass overnight. Crews worked until morning to clear it.",
    "council": "The council met on Monday to vote. “It is done at last,” said Ann Lee after the vote.",
    "market": "The market stayed open late on Saturday. Traders sold fruit, bread and fish until ten.",
    "bridge": "Engineers inspected the old bridge. “It is safe for cars,” said Maria Lopez. Lorries wait.",
}


@pytest.fixture(scope="module", autouse=True)
def cluster() -> Iterator[None]:
    """One local cluster of 2 CPUs for the module (the CLI reuses a cluster already started)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANALYZER_ENGINES", "fake")
        mp.setenv("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING", _node_ip_address=LOOPBACK)
        try:
            yield
        finally:
            ray.shutdown()


@pytest.fixture(autouse=True)
def fake_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANALYZER_ENGINES", "fake")


@pytest.fixture
def inputs(tmp_path: Path) -> list[str]:
    """A folder of two texts, a JSONL with one broken line, and a Parquet file: 6 ids, 1 bad line."""
    folder = tmp_path / "texts"
    (folder / "sub").mkdir(parents=True)
    (folder / "harbour.txt").write_text(STORIES["harbour"], encoding="utf-8")
    (folder / "sub" / "pass.txt").write_text(STORIES["pass"], encoding="utf-8")
    export = tmp_path / "export.jsonl"
    lines = [
        json.dumps({"id": "council", "text": STORIES["council"]}),
        '{"id": "cut", "text": "The line ends',
        json.dumps({"id": "market", "text": STORIES["market"]}),
    ]
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parquet = tmp_path / "more.parquet"
    pq.write_table(pa.table({"id": ["bridge", "blank"], "text": [STORIES["bridge"], "  "]}), parquet)
    return [str(folder), str(export), str(parquet)]


def rows_of(folder: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for f in sorted(folder.glob("*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def without_timings(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "timings"}


def test_ray_path_rows_errors_equality_and_rerun(inputs: list[str], tmp_path: Path) -> None:
    """One row per input id; the broken line and the blank text are error rows; every answer is
    the plain CLI's; a rerun writes nothing new."""
    out = tmp_path / "out"
    assert main(["analyze", *inputs, "--ray", "-o", str(out), "--batch-size", "2"]) == 1
    rows = {r["id"]: r for r in rows_of(out)}
    cut_id = f"{inputs[1]}:2"
    assert set(rows) == {"harbour.txt", "sub/pass.txt", "council", "market", "bridge", "blank", cut_id}
    assert len(rows_of(out)) == len(rows), "one row per id"
    assert rows[cut_id]["status"] == 400
    assert "invalid JSON" in rows[cut_id]["error"]["detail"]
    assert rows["blank"]["status"] == 400, "a blank text is a bad record, as in the plain CLI"
    assert "field 'text' is empty or only whitespace" in rows["blank"]["error"]["detail"]

    plain = tmp_path / "plain.jsonl"
    assert main(["analyze", *inputs, "-o", str(plain)]) == 1
    expected = {r["id"]: without_timings(r) for r in map(json.loads, plain.read_text().splitlines())}
    assert set(expected) == set(rows) - {cut_id, "blank"}
    assert {i: without_timings(rows[i]) for i in expected} == expected

    files = {f.name: f.read_bytes() for f in out.iterdir()}
    assert main(["analyze", *inputs, "--ray", "-o", str(out)]) == 0
    assert {f.name: f.read_bytes() for f in out.iterdir()} == files, "a rerun writes nothing new"


def test_ray_path_writes_parquet_rows(inputs: list[str], tmp_path: Path) -> None:
    """Parquet output holds the four row columns, one row per id; one worker of 2 CPUs."""
    out = tmp_path / "pq"
    argv = [*inputs, "--ray", "--format", "parquet", "--summary-only", "--cpus-per-worker", "2"]
    assert main(["analyze", *argv, "-o", str(out)]) == 1
    table = pq.read_table(out)
    assert table.column_names == ["id", "status", "result", "error"]
    rows = {r["id"]: r for r in table.to_pylist()}
    assert len(rows) == table.num_rows == 7
    assert [rows[i]["status"] for i in ("harbour.txt", "council", "bridge")] == [200, 200, 200]
    council = json.loads(rows["council"]["result"])
    assert council["summary"]["sentences"]
    assert "quotes" not in council
    assert rows["blank"]["result"] is None
    assert json.loads(rows["blank"]["error"])["status"] == 400


@pytest.mark.model
def test_real_engines_give_the_plain_cli_answers_on_ray(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the real models, each Ray actor's answers are the plain CLI's, timings aside."""
    monkeypatch.setenv("ANALYZER_ENGINES", "real")
    export = tmp_path / "stories.jsonl"
    export.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in STORIES.items()))
    out, plain = tmp_path / "ray-out", tmp_path / "plain.jsonl"
    assert main(["analyze", str(export), "--ray", "-o", str(out), "--batch-size", "2"]) == 0
    assert main(["analyze", str(export), "-o", str(plain)]) == 0
    expected = {r["id"]: without_timings(r) for r in map(json.loads, plain.read_text().splitlines())}
    assert set(expected) == set(STORIES)
    assert {r["id"]: without_timings(r) for r in rows_of(out)} == expected
    assert all(r["summary"]["model"] != "fake-lead" for r in expected.values())


def test_ray_path_reads_pages_as_the_plain_cli_does(tmp_path: Path) -> None:
    """An .html file, a folder read with --html and a JSONL HTML field: the plain CLI's answers."""
    page = (Path(__file__).parents[1] / "data" / "article_page.html").read_text(encoding="utf-8")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "story.html").write_text(page, encoding="utf-8")
    (folder / "ignored.txt").write_text(STORIES["pass"], encoding="utf-8")
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text(json.dumps({"id": "crawled", "page": page}) + "\n", encoding="utf-8")
    args = [str(folder), str(crawl), "--html", "--html-field", "page"]
    out, plain = tmp_path / "out", tmp_path / "plain.jsonl"
    assert main(["analyze", *args, "--ray", "-o", str(out)]) == 0
    assert main(["analyze", *args, "-o", str(plain)]) == 0
    expected = {r["id"]: without_timings(r) for r in map(json.loads, plain.read_text().splitlines())}
    assert set(expected) == {"story.html", "crawled"}
    assert expected["crawled"]["title"] == "Council backs tram line after long debate"
    assert {r["id"]: without_timings(r) for r in rows_of(out)} == expected


def test_a_batch_of_bad_records_only_answers_them_without_loading() -> None:
    """An actor's first batch may hold bad records only: each gets its 400 row, and nothing is
    analysed or loaded until a good record comes."""
    import msgspec

    from service.config import load_settings
    from service.ray_batch import RayAnalyzer
    from service.schemas import AnalyzeRequest

    actor = RayAnalyzer(load_settings(), msgspec.json.encode(AnalyzeRequest()), chunk=4)
    batch = pa.table(
        {"id": ["cut"], "where": ["export.jsonl:2"], "text": [None], "error": ["not JSON"], "html": [None]}
    )
    out = actor(batch).to_pylist()
    assert [(r["id"], r["status"]) for r in out] == [("cut", 400)]
    assert "export.jsonl:2" in out[0]["error"]
    assert actor.started is False

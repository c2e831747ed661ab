"""Documented promises of the contract: unattributed quotes said, batch slots, one `trim` rule."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from service.__main__ import main
from service.engines.quotes import RuleQuoteEngine
from service.schemas import TRIM_NEEDS_MAX_WORDS
from tests.conftest import ARTICLE, app_with, wait_ready

#: 210 attributed quotes: more than the 200 the quote engine attributes per text.
MANY_QUOTES = " ".join(f"“Line {i} is here,” Ada Brill said." for i in range(210))


@pytest.fixture(scope="module")
def rule_client() -> Iterator[TestClient[Any]]:
    """The HTTP stack with the real (rule-based) quote engine and the fake summariser."""
    with TestClient(app_with(quotes=RuleQuoteEngine())) as c:
        wait_ready(c, timeout=30)
        yield c


class TestUnattributedFrom:
    def test_analyze_and_quotes_say_where_unattributed_quotes_begin(
        self, rule_client: TestClient[Any]
    ) -> None:
        """Past the 200th quote the answer carries `unattributed_from`; the rest have no speaker."""
        for path in ("/v1/analyze", "/v1/quotes"):
            body = rule_client.post(path, json={"text": MANY_QUOTES}).json()
            start = body["unattributed_from"]
            assert 0 < start <= 200
            assert len(body["quotes"]) == 210
            assert all(q.get("speaker") is None for q in body["quotes"][start:])
            assert body["quotes"][start - 1]["speaker"]["name"] == "Ada Brill"

    def test_absent_when_every_quote_was_considered(self, rule_client: TestClient[Any]) -> None:
        """A normal article's answer has no `unattributed_from`."""
        assert "unattributed_from" not in rule_client.post("/v1/analyze", json={"text": ARTICLE}).json()

    def test_in_the_openapi_document(self, rule_client: TestClient[Any]) -> None:
        """Both answers' schemas document the field as an integer, with what it means."""
        schemas = rule_client.get("/schema/openapi.json").json()["components"]["schemas"]
        for name in ("AnalyzeResponse", "QuotesResponse"):
            prop = json.dumps(schemas[name]["properties"]["unattributed_from"])
            assert '"type": "integer"' in prop
            assert "200" in prop

    def test_in_the_cli_output(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The archive CLI's line carries it too (real quote engine, fake summariser off)."""
        monkeypatch.setenv("ANALYZER_ENGINES", "fake")
        monkeypatch.setattr("service.engines.fakes.FakeQuoteEngine", _RuleQuotes)
        src, out = tmp_path / "many.txt", tmp_path / "out.jsonl"
        src.write_text(MANY_QUOTES, encoding="utf-8")
        assert main(["analyze", str(src), "--quotes-only", "-o", str(out)]) == 0
        row = json.loads(out.read_text(encoding="utf-8"))
        assert 0 < row["unattributed_from"] <= 200


class _RuleQuotes(RuleQuoteEngine):
    """The real quote engine where the factory builds the fake one."""


class TestTrimNeedsMaxWords:
    def test_api_refuses_trim_without_max_words(self, rule_client: TestClient[Any]) -> None:
        """`summary: {trim: true}` alone is a 422 naming `/summary`, as the CLI's --trim alone is."""
        for path in ("/v1/analyze", "/v1/summarize"):
            r = rule_client.post(path, json={"text": ARTICLE, "summary": {"trim": True}})
            assert r.status_code == 422
            body = r.json()
            assert body["type"] == "/problems/invalid-input"
            assert body["errors"] == [{"pointer": "/summary", "detail": TRIM_NEEDS_MAX_WORDS}]
        ok = {"text": ARTICLE, "summary": {"trim": True, "max_words": 20}}
        assert rule_client.post("/v1/analyze", json=ok).status_code == 200

    def test_cli_refuses_it_with_the_same_rule(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The CLI's usage error is the wire type's rule, in the command line's option names."""
        monkeypatch.setenv("ANALYZER_ENGINES", "fake")
        src = tmp_path / "a.txt"
        src.write_text(ARTICLE, encoding="utf-8")
        assert main(["analyze", str(src), "--trim"]) == 2
        rule = TRIM_NEEDS_MAX_WORDS.replace("`trim`", "--trim").replace("`max_words`", "--max-words")
        assert capsys.readouterr().err.strip().endswith(rule)

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


FRENCH = (
    "Le conseil municipal a approuvé mardi soir une nouvelle ligne de tramway après un long débat. "
    "Les travaux commenceront au printemps prochain et dureront environ trois ans, selon la mairie."
)
#: One bad document of each kind, with the pointer (inside the document) its problem names.
BAD_DOCUMENTS: list[tuple[Any, str, str]] = [
    ({"text": ""}, "/problems/invalid-input", "/text"),
    ({"text": ARTICLE, "colour": "red"}, "/problems/invalid-input", "/colour"),
    ({"text": 5}, "/problems/invalid-input", "/text"),
    ({"text": ARTICLE, "summary": {"max_sentences": 0}}, "/problems/invalid-input", "/summary/max_sentences"),
    ({"text": ARTICLE, "summary": {"trim": True}}, "/problems/invalid-input", "/summary"),
    ({"text": "  \n "}, "/problems/invalid-input", "/text"),
    ({"text": FRENCH}, "/problems/unsupported-language", "/text"),
    ({"text": ARTICLE, "summary": {"method": "abstractive"}}, "/problems/invalid-input", "/summary/method"),
    ({"text": ARTICLE, "html": "<p>x</p>"}, "/problems/invalid-input", "/html"),
    ({"id": "no-text"}, "/problems/invalid-input", "/text"),
    (7, "/problems/invalid-input", ""),
]


class TestBatchIsolation:
    @pytest.mark.parametrize(("doc", "type_", "pointer"), BAD_DOCUMENTS)
    def test_each_bad_document_fails_its_slot_only(
        self, rule_client: TestClient[Any], doc: Any, type_: str, pointer: str
    ) -> None:
        """A bad document's slot has the problem /v1/analyze gives, its pointers under /documents/1."""
        r = rule_client.post(
            "/v1/analyze/batch", json={"documents": [{"text": ARTICLE}, doc, {"text": ARTICLE}]}
        )
        assert r.status_code == 200
        results = r.json()["results"]
        assert [x["status"] for x in results] == [200, 422, 200]
        assert [x["index"] for x in results] == [0, 1, 2]
        slot = results[1]["error"]
        assert slot["type"] == type_
        assert slot["errors"][0]["pointer"] == f"/documents/1{pointer}"
        if isinstance(doc, dict):  # the same problem as the document sent alone
            alone = rule_client.post("/v1/analyze", json=doc)
            assert alone.status_code == 422
            assert alone.json()["type"] == type_
            assert alone.json()["errors"][0]["pointer"] == pointer

    def test_the_slot_keeps_a_bad_documents_id(self, rule_client: TestClient[Any]) -> None:
        """A document that breaks the schema still gets its id in its slot when it has a valid one."""
        r = rule_client.post("/v1/analyze/batch", json={"documents": [{"id": "d7", "text": ""}]})
        assert r.json()["results"][0]["id"] == "d7"

    @pytest.mark.parametrize(
        "body",
        [
            [],
            {},
            {"documents": []},
            {"documents": {"text": ARTICLE}},
            {"documents": [{"text": ARTICLE}], "extra": 1},
            {"documents": [{"text": ARTICLE}] * 33},
        ],
    )
    def test_only_a_malformed_envelope_fails_the_request(
        self, rule_client: TestClient[Any], body: Any
    ) -> None:
        """No `documents` list of 1 to 32 items, or an unknown top-level field: 422 for the request."""
        r = rule_client.post("/v1/analyze/batch", json=body)
        assert r.status_code == 422
        assert r.json()["type"] == "/problems/invalid-input"


class TestHtmlInput:
    PAGE = (Path(__file__).parents[1] / "data" / "article_page.html").read_text(encoding="utf-8")

    def test_a_page_gives_both_speakers_quotes_with_offsets_into_the_returned_text(
        self, rule_client: TestClient[Any]
    ) -> None:
        """Acceptance: nav, script, style and entity-encoded quotes; the quotes, speakers, text."""
        body = rule_client.post("/v1/analyze", json={"html": self.PAGE, "id": "page-1"}).json()
        text = body["text"]
        assert body["id"] == "page-1"
        assert body["title"] == "Council backs tram line after long debate"
        assert body["date"] == "2026-03-14"
        speakers = {q["text"]: q["speaker"]["name"] for q in body["quotes"]}
        assert speakers == {
            "This is the most important decision we have made in a decade": "Jane Porter",
            "We cannot afford another decade of gridlock": "Jane Porter",
            "The numbers simply do not add up": "Tomas Brill",
        }
        for q in body["quotes"]:
            assert text[q["start"] : q["end"]] == q["text"]
            assert text[q["speaker"]["start"] : q["speaker"]["end"]] == q["speaker"]["mention"]
        for s in body["summary"]["sentences"]:
            assert text[s["start"] : s["end"]] == s["text"]
        for leaked in ("Buy now", "Script Person", "Styled", "font-family", "alert", "<p>", "&ldquo;"):
            assert leaked not in json_text(body), leaked

    def test_summarize_quotes_and_batch_take_html(self, rule_client: TestClient[Any]) -> None:
        """The halves and a batch slot answer a page with its extracted text too."""
        s = rule_client.post("/v1/summarize", json={"html": self.PAGE}).json()
        q = rule_client.post("/v1/quotes", json={"html": self.PAGE}).json()
        b = rule_client.post(
            "/v1/analyze/batch", json={"documents": [{"html": self.PAGE}, {"text": ARTICLE}]}
        )
        page, plain = b.json()["results"]
        assert s["text"] == q["text"] == page["result"]["text"]
        assert s["title"] == q["title"] == page["result"]["title"]
        assert len(q["quotes"]) == 3
        assert "text" not in plain["result"], "text input is not echoed"

    def test_a_page_without_article_text_is_refused_at_html(self, rule_client: TestClient[Any]) -> None:
        """Nothing to extract: 422 pointing at /html (in a batch: that slot, under /documents/i)."""
        empty = "<html><body><nav><a href='/'>Home</a></nav><script>var x = 1;</script></body></html>"
        r = rule_client.post("/v1/analyze", json={"html": empty})
        assert r.status_code == 422
        assert r.json()["errors"][0]["pointer"] == "/html"
        b = rule_client.post("/v1/analyze/batch", json={"documents": [{"text": ARTICLE}, {"html": empty}]})
        assert b.json()["results"][1]["error"]["errors"][0]["pointer"] == "/documents/1/html"

    def test_the_extracted_text_is_held_to_the_text_limit(self) -> None:
        """A page whose article is longer than ANALYZER_MAX_TEXT_CHARS is refused at /html."""
        with TestClient(app_with(max_text_chars=300)) as c:
            wait_ready(c)
            r = c.post("/v1/analyze", json={"html": self.PAGE})
        assert r.status_code == 422
        assert "the text extracted from `html` has" in r.json()["detail"]
        assert r.json()["errors"][0]["pointer"] == "/html"


def test_a_page_over_the_html_limit_is_refused_at_html() -> None:
    """`html` longer than MAX_HTML_CHARS is a 422 at /html even where the body limit allows it."""
    from service.schemas import MAX_HTML_CHARS

    with TestClient(app_with(max_body_bytes=MAX_HTML_CHARS + 1000)) as c:
        wait_ready(c)
        r = c.post("/v1/analyze", json={"html": "<p>" + "x" * MAX_HTML_CHARS + "</p>"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["pointer"] == "/html"


def json_text(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False)


def test_openapi_documents_html_input(rule_client: TestClient[Any]) -> None:
    """The document has `html` beside `text` on each request type, and a request example of each."""
    doc = rule_client.get("/schema/openapi.json").json()
    for name in ("AnalyzeRequest", "SummarizeRequest", "QuotesRequest"):
        props = doc["components"]["schemas"][name]["properties"]
        assert props["html"]["type"] == "string"
        assert "exactly one" in props["text"]["description"]
    for path in ("/v1/analyze", "/v1/summarize", "/v1/quotes"):
        examples = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["examples"]
        assert set(examples) == {"text", "html"}
        assert rule_client.post(path, json=examples["html"]["value"]).status_code == 200
    items = doc["components"]["schemas"]["BatchRequest"]["properties"]["documents"]["items"]
    assert items == {"$ref": "#/components/schemas/AnalyzeRequest"}

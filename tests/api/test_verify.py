"""POST /v1/verify through the test client, with the deterministic word-overlap checker."""

from __future__ import annotations

import math
from typing import Any

import pytest
from litestar.testing import TestClient

from service.verify_schemas import MAX_SUMMARY_CHARS
from tests.conftest import ARTICLE, app_with, wait_ready


def test_supported_and_unsupported_sentences_with_offsets(client: TestClient[Any]) -> None:
    """Each sentence's offsets index the summary, evidence the article; one bad sentence fails all;
    the summary's score is the geometric mean of its sentences'."""
    summary = "The city council approved a new tram line. Unicorns will pull the trams."
    r = client.post("/v1/verify", json={"text": ARTICLE, "summary": summary, "id": "s-1"})
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == "s-1"
    assert body["supported"] is False
    assert [s["supported"] for s in body["sentences"]] == [True, False]
    scores = [s["score"] for s in body["sentences"]]
    assert body["score"] == pytest.approx(math.prod(scores) ** (1 / len(scores)), abs=1e-3)
    assert min(scores) < body["score"] < max(scores)
    for s in body["sentences"]:
        assert summary[s["start"] : s["end"]] == s["text"]
        for ev in s["evidence"]:
            assert 0 <= ev["start"] < ev["end"] <= len(ARTICLE)
    bad = body["sentences"][1]
    assert bad["problems"][0]["kind"] == "claim"
    assert "timings" in body


def test_a_summary_the_article_backs_is_supported(client: TestClient[Any]) -> None:
    """A verbatim sentence of the article is supported, with a score of 1."""
    summary = "The first trams will run in 2029."
    body = client.post("/v1/verify", json={"text": ARTICLE, "summary": summary}).json()
    assert body["supported"] is True
    assert body["score"] == 1.0
    ev = body["sentences"][0]["evidence"][0]
    assert ARTICLE[ev["start"] : ev["end"]] == summary


def test_bad_input_is_a_problem_document(client: TestClient[Any]) -> None:
    """A missing summary, an empty one, or one over the limit answers 422 problem details."""
    for body in (
        {"text": ARTICLE},
        {"text": ARTICLE, "summary": ""},
        {"text": ARTICLE, "summary": "x" * (MAX_SUMMARY_CHARS + 1)},
        {"text": ARTICLE, "summary": "   "},
        {"text": ARTICLE, "summary": "ok", "extra": 1},
    ):
        r = client.post("/v1/verify", json=body)
        assert r.status_code == 422, body
        assert r.headers["content-type"].startswith("application/problem+json")


def test_without_a_checker_the_endpoint_is_not_ready() -> None:
    """An app built without a checker answers 503 on /v1/verify, not a 500."""
    with TestClient(app_with()) as c:
        wait_ready(c)
        r = c.post("/v1/verify", json={"text": ARTICLE, "summary": "The council met."})
        assert r.status_code == 503


def test_verify_is_in_the_openapi_schema(client: TestClient[Any]) -> None:
    """The OpenAPI document describes /v1/verify with its request and response types."""
    schema = client.get("/schema/openapi.json").json()
    op = schema["paths"]["/v1/verify"]["post"]
    assert op["operationId"] == "verify"
    assert "422" in op["responses"]
    assert "VerifyResponse" in str(op["responses"]["200"])


def test_an_article_in_another_language_is_refused_and_english_is_named(client: TestClient[Any]) -> None:
    """The checker reads English: a German article is a 422 unsupported-language at /text, and an
    English answer says its language."""
    german = (
        "Der Stadtrat hat am Dienstag nach langer Debatte eine neue Straßenbahnlinie beschlossen. "
        "Die Gegner halten die Kosten von 300 Millionen Euro für zu hoch."
    )
    r = client.post("/v1/verify", json={"text": german, "summary": "Der Stadtrat tagte."})
    assert r.status_code == 422
    assert r.json()["type"] == "/problems/unsupported-language"
    assert r.json()["errors"][0]["pointer"] == "/text"
    ok = client.post("/v1/verify", json={"text": ARTICLE, "summary": "The first trams will run in 2029."})
    assert ok.json()["language"]["code"] == "en"

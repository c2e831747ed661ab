"""The HTTP contract, through Litestar's test client with deterministic fake engines."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from models.registry import QUOTES_DIR
from service.engines.fakes import FakeSummaryEngine
from service.engines.quotes import RuleQuoteEngine
from service.errors import ModelLoadError
from service.schemas import MAX_BATCH_DOCUMENTS
from tests.conftest import ARTICLE, app_with, wait_ready

JSON = {"content-type": "application/json"}


def post_raw(client: TestClient[Any], body: bytes, path: str = "/v1/analyze", **headers: str) -> Any:
    return client.post(path, content=body, headers={**JSON, **headers})


class TestAnalyze:
    def test_answers_summary_quotes_and_speakers_with_offsets(self, client: TestClient[Any]) -> None:
        """/v1/analyze returns both halves, and every offset points at its text in the request."""
        r = client.post("/v1/analyze", json={"text": ARTICLE, "id": "doc-1"})
        assert r.status_code == 200
        body = r.json()
        assert body["id"] == "doc-1"
        assert body["summary"]["text"]
        for s in body["summary"]["sentences"]:
            assert ARTICLE[s["start"] : s["end"]] == s["text"]
        assert body["quotes"], "the article has a quote"
        for q in body["quotes"]:
            assert ARTICLE[q["start"] : q["end"]] == q["text"]
        assert isinstance(body["speakers"], list)
        assert body["timings"]["total_ms"] >= 0

    def test_include_limits_the_parts(self, client: TestClient[Any]) -> None:
        """`include: ["quotes"]` computes and returns no summary."""
        r = client.post("/v1/analyze", json={"text": ARTICLE, "include": ["quotes"]})
        assert r.status_code == 200
        assert "summary" not in r.json()
        assert "quotes" in r.json()

    def test_summary_length_control(self, client: TestClient[Any]) -> None:
        """`summary.max_sentences` bounds the number of summary sentences."""
        r = client.post("/v1/analyze", json={"text": ARTICLE, "summary": {"max_sentences": 1}})
        assert len(r.json()["summary"]["sentences"]) == 1

    def test_summarize_and_quotes_endpoints_return_their_half(self, client: TestClient[Any]) -> None:
        """/v1/summarize and /v1/quotes answer with the same shapes as the halves of /v1/analyze."""
        s = client.post("/v1/summarize", json={"text": ARTICLE, "id": "a"})
        q = client.post("/v1/quotes", json={"text": ARTICLE})
        assert s.status_code == q.status_code == 200
        assert s.json()["id"] == "a"
        assert s.json()["summary"]["sentences"]
        assert q.json()["quotes"][0]["text"]
        assert "summary" not in q.json()

    def test_request_id_is_echoed_or_generated(self, client: TestClient[Any]) -> None:
        """A caller's X-Request-ID comes back unchanged; without one the service makes one."""
        r = client.post("/v1/analyze", json={"text": ARTICLE}, headers={"X-Request-ID": "abc-123"})
        assert r.headers["x-request-id"] == "abc-123"
        r2 = client.post("/v1/analyze", json={"text": ARTICLE})
        assert len(r2.headers["x-request-id"]) >= 16


class TestBadInput:
    @pytest.mark.parametrize(
        ("body", "status", "needle"),
        [
            (b'{"text": "unterminated', 400, "not valid JSON"),
            (b'{"text": "ok", "colour": "red"}', 422, "unknown field"),
            (b'{"text": ""}', 422, "length >= 1"),
            (b'{"text": "   \\n\\t "}', 422, "empty or only whitespace"),
            (b'{"text": 42}', 422, "Expected `str`"),
            (b'{"text": "\xff\xfe broken"}', 400, "UTF-8"),
            (b"[1, 2, 3]", 422, "Expected `object`"),
            (b'{"text": "a", "summary": {"max_sentences": 0}}', 422, ">= 1"),
            (b'{"text": "a", "include": ["everything"]}', 422, "include"),
            (b"", 400, "body is empty"),
            (b"[" * 3000 + b"]" * 3000, 400, "nested too deeply"),
        ],
    )
    def test_bad_bodies_get_problem_details(
        self, client: TestClient[Any], body: bytes, status: int, needle: str
    ) -> None:
        """Each malformed or invalid body gets its documented status and an RFC 9457 body."""
        r = post_raw(client, body)
        assert r.status_code == status
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["status"] == status
        assert problem["title"]
        assert needle.lower() in json.dumps(problem).lower()

    @pytest.mark.parametrize("digits", [30, 4000, 5000])
    def test_huge_integers_are_client_errors(self, client: TestClient[Any], digits: int) -> None:
        """A huge number where a string belongs is a 4xx problem, never a 500."""
        r = post_raw(client, b'{"text": ' + b"9" * digits + b"}")
        assert r.status_code in (400, 422)
        assert r.json()["detail"]

    def test_wrong_content_type_is_415(self, client: TestClient[Any]) -> None:
        """A body that is not declared as JSON is refused with 415."""
        r = client.post("/v1/analyze", content=b"plain words", headers={"content-type": "text/plain"})
        assert r.status_code == 415
        assert "application/json" in r.json()["detail"]

    def test_body_over_the_byte_limit_is_413(self) -> None:
        """A body larger than ANALYZER_MAX_BODY_BYTES is refused with 413 before decoding."""
        with TestClient(app_with(max_body_bytes=4096)) as c:
            r = post_raw(c, json.dumps({"text": "x" * 5000}).encode())
            assert r.status_code == 413
            assert r.json()["type"] == "/problems/payload-too-large"

    def test_text_over_the_character_limit_is_422(self) -> None:
        """A text longer than ANALYZER_MAX_TEXT_CHARS is refused with a message giving the limit."""
        with TestClient(app_with(max_text_chars=100)) as c:
            wait_ready(c)
            r = c.post("/v1/analyze", json={"text": "word " * 50})
            assert r.status_code == 422
            assert "at most 100" in r.json()["detail"]

    def test_unknown_route_is_a_problem_404(self, client: TestClient[Any]) -> None:
        """Unknown paths answer 404 in problem-details form too."""
        r = client.get("/v2/nothing")
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")

    def test_internal_errors_do_not_leak(self) -> None:
        """An engine crash becomes a generic 500 that names no exception or internal detail."""

        class Exploding(FakeSummaryEngine):
            def summarize_batch(self, items: Any) -> Any:
                raise RuntimeError("secret internal path /opt/weights")

        with TestClient(app_with(summary=Exploding())) as c:
            wait_ready(c)
            r = c.post("/v1/analyze", json={"text": ARTICLE})
            assert r.status_code == 500
            assert "secret" not in r.text
            assert "RuntimeError" not in r.text
            assert r.json()["type"] == "/problems/internal"


class TestBatch:
    def test_results_in_order_and_failures_isolated(self, client: TestClient[Any]) -> None:
        """A bad document gets its own problem; the others succeed, in request order."""
        docs = [{"text": ARTICLE, "id": "a"}, {"text": "   ", "id": "b"}, {"text": "Short one.", "id": "c"}]
        r = client.post("/v1/analyze/batch", json={"documents": docs})
        assert r.status_code == 200
        results = r.json()["results"]
        assert [x["id"] for x in results] == ["a", "b", "c"]
        assert [x["status"] for x in results] == [200, 422, 200]
        assert results[1]["error"]["detail"]
        assert results[2]["result"]["summary"]["text"] == "Short one."

    def test_engine_failure_in_one_document_spares_the_others(self) -> None:
        """When one document makes the engine fail, only that document reports an error."""
        with TestClient(app_with(summary=FakeSummaryEngine(fail_marker="BOOM"))) as c:
            wait_ready(c)
            docs = [{"text": "Fine text."}, {"text": "This one goes BOOM."}, {"text": "Also fine."}]
            results = c.post("/v1/analyze/batch", json={"documents": docs}).json()["results"]
            assert [x["status"] for x in results] == [200, 500, 200]
            assert "BOOM" not in json.dumps(results[1])

    def test_batch_size_is_bounded(self, client: TestClient[Any]) -> None:
        """More documents than the documented maximum are refused as a whole."""
        docs = [{"text": "a."}] * (MAX_BATCH_DOCUMENTS + 1)
        assert client.post("/v1/analyze/batch", json={"documents": docs}).status_code == 422


class TestOperations:
    def test_readiness_waits_for_models_and_v1_answers_503_meanwhile(self) -> None:
        """Before the model has loaded, readiness and the API answer 503; liveness answers 200."""
        gate = threading.Event()

        class SlowLoad(FakeSummaryEngine):
            def load(self) -> None:
                gate.wait(5)
                super().load()

        with TestClient(app_with(summary=SlowLoad())) as c:
            assert c.get("/health/live").status_code == 200
            assert c.get("/health/ready").status_code == 503
            r = c.post("/v1/analyze", json={"text": ARTICLE})
            assert r.status_code == 503
            assert r.headers["retry-after"]
            gate.set()
            wait_ready(c)
            assert c.post("/v1/analyze", json={"text": ARTICLE}).status_code == 200

    def test_failed_model_load_never_becomes_ready(self) -> None:
        """Missing or corrupt weights: readiness stays 503 and liveness reports the failure."""

        class Broken(FakeSummaryEngine):
            def load(self) -> None:
                raise ModelLoadError("checksum mismatch for model.safetensors")

        with TestClient(app_with(summary=Broken())) as c:
            time.sleep(0.2)
            ready = c.get("/health/ready")
            assert ready.status_code == 503
            assert ready.json()["status"] == "failed"
            assert "checksum" in ready.json()["detail"]
            assert c.get("/health/live").status_code == 503

    def test_metrics_expose_the_documented_series(self, client: TestClient[Any]) -> None:
        """/metrics is Prometheus text with request, latency, queue, batch, inference and model series."""
        client.post("/v1/analyze", json={"text": ARTICLE})
        r = client.get("/metrics")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/plain")
        for name in (
            "analyzer_requests_total",
            "analyzer_request_duration_seconds_bucket",
            "analyzer_queue_depth",
            "analyzer_batch_size_bucket",
            "analyzer_inference_duration_seconds_bucket",
            "analyzer_input_chars_bucket",
            "analyzer_model_info",
            "analyzer_ready 1.0",
        ):
            assert name in r.text, name
        assert 'route="/v1/analyze",status="200"' in r.text

    def test_models_lists_loaded_models(self, client: TestClient[Any]) -> None:
        """/v1/models names each loaded model and whether it is loaded."""
        models = client.get("/v1/models").json()["models"]
        assert models[0]["id"] == "fake-lead"
        assert models[0]["loaded"] is True

    def test_openapi_document_and_docs_page(self, client: TestClient[Any]) -> None:
        """The OpenAPI document lists the public operations; a docs page renders it."""
        doc = client.get("/schema/openapi.json").json()
        assert {"/v1/analyze", "/v1/analyze/batch", "/v1/summarize", "/v1/quotes"} <= set(doc["paths"])
        assert "/metrics" not in doc["paths"]
        documented = set(doc["paths"]["/v1/analyze"]["post"]["responses"])
        assert {"400", "413", "415", "422", "429", "503", "504"} <= documented
        assert client.get("/schema").status_code == 200


class TestAuth:
    TOKEN = "s3cret-token-0123456789"

    def test_token_required_for_api_but_not_probes(self) -> None:
        """With a token set, /v1 needs the bearer header; health and metrics stay open by default."""
        with TestClient(app_with(api_token=self.TOKEN)) as c:
            wait_ready(c)
            assert c.post("/v1/analyze", json={"text": ARTICLE}).status_code == 401
            bad = c.post("/v1/analyze", json={"text": ARTICLE}, headers={"Authorization": "Bearer nope"})
            assert bad.status_code == 401
            assert bad.headers["www-authenticate"].startswith("Bearer")
            ok = c.post(
                "/v1/analyze", json={"text": ARTICLE}, headers={"Authorization": f"Bearer {self.TOKEN}"}
            )
            assert ok.status_code == 200
            assert c.get("/metrics").status_code == 200

    def test_auth_ops_closes_probes_and_metrics(self) -> None:
        """ANALYZER_AUTH_OPS=true puts health and metrics behind the token as well."""
        with TestClient(app_with(api_token=self.TOKEN, auth_ops=True)) as c:
            assert c.get("/metrics").status_code == 401
            auth = {"Authorization": f"Bearer {self.TOKEN}"}
            assert c.get("/health/live", headers=auth).status_code == 200

    def test_playground_page_stays_open_with_auth_ops(self) -> None:
        """The playground page (no data in it) is served even when probes need the token."""
        with TestClient(app_with(api_token=self.TOKEN, auth_ops=True)) as c:
            assert c.get("/playground").status_code == 200


def test_fake_quote_engine_attributes_said_pattern() -> None:
    """The fake quote engine names the speaker of a plain “…,” said Name quote (tests rely on it)."""
    from service.engines.fakes import FakeQuoteEngine

    text = "Intro. “We won,” said Ann Lee."
    res = FakeQuoteEngine().extract(text)
    speaker = res.quotes[0].speaker
    assert speaker is not None
    assert speaker.name == "Ann Lee"
    # the mention's offsets point at the name in the text, like the real engine's
    assert speaker.start is not None
    assert speaker.end is not None
    assert text[speaker.start : speaker.end] == "Ann Lee"


def test_corrupt_quote_model_fails_readiness_with_its_reason(tmp_path: Path) -> None:
    """A bundled quote model whose bytes no longer match the registry's digest: the service starts,
    answers liveness 503 and readiness 503 ``failed`` naming the model, instead of crashing."""
    for name in ("quote_spans.json", "quote_ranker.json", "quote_confidence.json"):
        shutil.copy(QUOTES_DIR / name, tmp_path / name)
    ranker = tmp_path / "quote_ranker.json"
    ranker.write_bytes(ranker.read_bytes().replace(b'"bias"', b'"bias "', 1))
    with TestClient(app_with(quotes=RuleQuoteEngine(model_dir=tmp_path))) as c:
        deadline = time.monotonic() + 30
        while c.get("/health/ready").json()["status"] == "starting" and time.monotonic() < deadline:
            time.sleep(0.05)
        ready = c.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["status"] == "failed"
        assert "quote-ranker-logreg" in ready.json()["detail"]
        assert "checksum" in ready.json()["detail"]
        assert c.post("/v1/analyze", json={"text": ARTICLE}).status_code == 503


def test_quote_models_load_from_a_verified_copy(tmp_path: Path) -> None:
    """The same copy, intact, loads and serves: the failure above is the corruption's."""
    for name in ("quote_spans.json", "quote_ranker.json", "quote_confidence.json"):
        shutil.copy(QUOTES_DIR / name, tmp_path / name)
    with TestClient(app_with(quotes=RuleQuoteEngine(model_dir=tmp_path))) as c:
        wait_ready(c)
        r = c.post("/v1/analyze", json={"text": "“We open at dawn,” said Mara Quill, the harbour master."})
        assert r.status_code == 200
        assert r.json()["quotes"][0]["speaker"]["name"] == "Mara Quill"

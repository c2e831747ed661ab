"""The contract as served matches what the service does: limits, statuses, headers, problem types,
the docs page (nothing from other hosts) and the metrics exposition."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from service.config import load_settings
from service.errors import PROBLEM_TYPES
from tests.conftest import ARTICLE, app_with, wait_ready


def openapi(client: TestClient[Any]) -> dict[str, Any]:
    doc: dict[str, Any] = client.get("/schema/openapi.json").json()
    return doc


def test_text_max_length_is_the_enforced_limit() -> None:
    """`text` maxLength in every request schema equals ANALYZER_MAX_TEXT_CHARS, default or set."""
    for limit in (load_settings({}).max_text_chars, 1234):
        with TestClient(app_with(max_text_chars=limit)) as c:
            schemas = openapi(c)["components"]["schemas"]
            wait_ready(c)
            over = c.post("/v1/analyze", json={"text": "a" * (limit + 1)})
        texts = [s["properties"]["text"] for s in schemas.values() if "text" in s.get("properties", {})]
        requests = [t for t in texts if "maxLength" in t]
        assert len(requests) >= 3
        assert {t["maxLength"] for t in requests} == {limit}
        assert over.status_code == 422


def test_readiness_documents_503_with_examples(client: TestClient[Any]) -> None:
    """/health/ready documents 200 and 503 (with examples and Retry-After); /health/live its 503."""
    paths = openapi(client)["paths"]
    ready = paths["/health/ready"]["get"]["responses"]
    assert set(ready) >= {"200", "503"}
    examples = ready["503"]["content"]["application/json"]["examples"]
    assert {e["value"]["status"] for e in examples.values()} == {"starting", "draining", "failed"}
    assert "Retry-After" in ready["503"]["headers"]
    assert "503" in paths["/health/live"]["get"]["responses"]


def test_every_response_documents_its_headers(client: TestClient[Any]) -> None:
    """Each response documents X-Request-ID, and 429/503 Retry-After; each operation takes X-Request-ID."""
    paths = openapi(client)["paths"]
    for path, item in paths.items():
        for op in item.values():
            assert any(p["name"] == "X-Request-ID" for p in op.get("parameters", [])), path
            for status, response in op["responses"].items():
                assert "X-Request-ID" in response["headers"], (path, status)
                if status in ("429", "503"):
                    assert "Retry-After" in response["headers"], (path, status)
    assert "429" in paths["/v1/analyze"]["post"]["responses"]


def test_every_documented_response_has_an_example(client: TestClient[Any]) -> None:
    """Each status of each operation comes with at least one example body."""
    for path, item in openapi(client)["paths"].items():
        for op in item.values():
            for status, response in op["responses"].items():
                media = next(iter(response["content"].values()))
                assert media.get("examples"), (path, status)


def test_error_responses_have_examples_whose_types_resolve(client: TestClient[Any]) -> None:
    """Each documented /v1 error has an example, and its problem `type` link answers 200."""
    responses = openapi(client)["paths"]["/v1/analyze"]["post"]["responses"]
    errors = {s: r for s, r in responses.items() if int(s) >= 400}
    assert len(errors) >= 8
    for status, response in errors.items():
        examples = response["content"]["application/problem+json"]["examples"]
        for example in examples.values():
            assert example["value"]["status"] == int(status)
            assert client.get(example["value"]["type"]).status_code == 200, example


def test_every_problem_type_resolves_to_a_page(client: TestClient[Any]) -> None:
    """GET /problems/<slug> describes each type the service sends; unknown slugs are a problem 404."""
    for slug, kind in PROBLEM_TYPES.items():
        r = client.get(f"/problems/{slug}")
        assert r.status_code == 200
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert str(kind.status) in r.text
    r = client.get("/problems/no-such-type")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def test_problems_received_name_a_documented_type(client: TestClient[Any]) -> None:
    """The `type` of problems the service answers with is one of the served pages."""
    got = [
        client.post("/v1/analyze", json={"text": 1}),
        client.post("/v1/analyze", content=b"{", headers={"content-type": "application/json"}),
        client.post("/v1/analyze", content=b"x", headers={"content-type": "text/plain"}),
        client.get("/v2/missing"),
        client.put("/v1/analyze"),
    ]
    for r in got:
        assert client.get(r.json()["type"]).status_code == 200, r.json()


def test_docs_page_loads_only_assets_served_here(client: TestClient[Any]) -> None:
    """/schema references no other host, and every script, style and icon it names is served."""
    page = client.get("/schema")
    assert page.status_code == 200
    refs = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert len(refs) >= 4
    for ref in refs:
        assert ref.startswith("/"), ref
        assert not ref.startswith("//"), ref
        assert client.get(ref).status_code == 200, ref
    assert "https://" not in page.text.split("<body>", 1)[0]


def test_schema_subpaths_answer_a_page_or_a_problem(client: TestClient[Any]) -> None:
    """/schema/swagger is the docs page; another unknown /schema path is a problem 404, not HTML."""
    assert client.get("/schema/swagger").headers["content-type"].startswith("text/html")
    r = client.get("/schema/nothing-here")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert client.get("/schema/assets/not-an-asset.js").status_code == 404


def test_metrics_have_one_charset_and_parse_as_prometheus_text(client: TestClient[Any]) -> None:
    """/metrics: one charset parameter, readable by the Prometheus parser, process metrics included."""
    client.post("/v1/analyze", json={"text": ARTICLE})
    r = client.get("/metrics")
    content_type = r.headers["content-type"]
    assert content_type.startswith("text/plain")
    assert content_type.count("charset") == 1
    families = {f.name: f for f in text_string_to_metric_families(r.text)}
    assert {"process_resident_memory_bytes", "process_cpu_seconds", "python_info"} <= set(families)
    assert "analyzer_requests" in families


def test_inference_model_labels_join_model_info(client: TestClient[Any]) -> None:
    """Every `model` label of the inference metrics is a model listed by analyzer_model_info."""
    client.post("/v1/analyze", json={"text": ARTICLE})
    families = {f.name: f for f in text_string_to_metric_families(client.get("/metrics").text)}
    info = {s.labels["model"] for s in families["analyzer_model_info"].samples}
    used = {s.labels["model"] for s in families["analyzer_inference_duration_seconds"].samples}
    assert len(used) == 2
    assert used <= info
    assert {m["id"] for m in client.get("/v1/models").json()["models"]} == info


def test_problem_examples_name_their_own_operation_as_instance(client: TestClient[Any]) -> None:
    """Every problem example's `instance` is the path of the operation it documents."""
    seen = set()
    for path, item in openapi(client)["paths"].items():
        for op in item.values():
            for response in op.get("responses", {}).values():
                for media in response.get("content", {}).values():
                    for example in media.get("examples", {}).values():
                        value = example.get("value")
                        if isinstance(value, dict) and "instance" in value:
                            assert value["instance"] == path, (path, value)
                            seen.add(path)
    assert {"/v1/analyze", "/v1/verify", "/v1/verify/batch", "/v1/analyze/batch"} <= seen

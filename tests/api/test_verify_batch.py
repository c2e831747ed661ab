"""POST /v1/verify/batch through the test client: order, slot isolation, the single request's
problems with pointers into the batch body, admission, readiness, deadline and metrics (fake and
stand-in checkers; texts written for these tests)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from service.app import create_app
from service.engines.factory import Engines
from service.engines.fakes import FakeQuoteEngine, FakeSummaryEngine
from service.engines.verify.fake import FakeSummaryChecker
from service.engines.verify.types import Verdict
from service.schemas import MAX_BATCH_DOCUMENTS
from service.verify_schemas import MAX_SUMMARY_CHARS, VerifyBatchResponse
from tests.conftest import ARTICLE, make_settings, wait_ready

BACKED = "The first trams will run in 2029."
MADE_UP = "The city council approved a new tram line. Unicorns will pull the trams."
GERMAN = (
    "Der Stadtrat hat am Dienstag nach langer Debatte eine neue Straßenbahnlinie beschlossen. "
    "„Das ist die wichtigste Entscheidung seit zehn Jahren“, sagte Bürgermeisterin Jana Krüger. "
    "Die Gegner halten die Kosten von 300 Millionen Euro für zu hoch."
)


class StandIn(FakeSummaryChecker):
    """The word-overlap checker, but a summary naming "boom" raises (a bug), one naming "slow"
    waits for ``release`` (a check longer than the deadline), and loading waits for ``loaded``."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.loaded = threading.Event()
        self.loaded.set()
        self.calls: list[str] = []

    def load(self) -> None:
        self.loaded.wait(10)

    def verify(self, article: str, summary: str) -> Verdict:
        self.calls.append(summary)
        if "boom" in summary:
            raise KeyError("/opt/secret/path")
        if "slow" in summary:
            self.release.wait(10)
        return super().verify(article, summary)


def app_over(checker: StandIn, **settings: Any) -> Any:
    engines = Engines(summary=FakeSummaryEngine(), quotes=FakeQuoteEngine(), checker=checker)
    return create_app(make_settings(**settings), engines)


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    checker = StandIn()
    yield checker
    checker.release.set()
    checker.loaded.set()


def batch(c: TestClient[Any], *docs: Any) -> Any:
    return c.post("/v1/verify/batch", json={"documents": list(docs)})


def test_results_come_in_request_order_and_match_the_single_answers(client: TestClient[Any]) -> None:
    """Each slot carries its index, its id and the answer /v1/verify gives for the same document."""
    docs = [
        {"id": "a", "text": ARTICLE, "summary": MADE_UP},
        {"id": "b", "text": ARTICLE, "summary": BACKED},
        {"text": ARTICLE, "summary": "Opponents said the cost was too high."},
    ]
    r = batch(client, *docs)
    assert r.status_code == 200
    results = msgspec.convert(r.json(), VerifyBatchResponse).results
    assert [(x.index, x.id, x.status) for x in results] == [(0, "a", 200), (1, "b", 200), (2, None, 200)]
    for doc, item in zip(docs, results, strict=True):
        single = client.post("/v1/verify", json=doc).json()
        assert item.result is not None
        assert item.error is None
        got = msgspec.to_builtins(item.result)
        got.pop("timings"), single.pop("timings")
        assert got == single
    assert [x.result.supported for x in results if x.result] == [False, True, True]


BAD = [
    pytest.param({"text": "", "summary": BACKED}, "/text", id="empty-text"),
    pytest.param({"text": "   \n ", "summary": BACKED}, "/text", id="blank-text"),
    pytest.param({"text": ARTICLE, "summary": " \t"}, "/summary", id="blank-summary"),
    pytest.param({"text": ARTICLE}, "", id="no-summary"),
    pytest.param({"text": ARTICLE, "summary": 5}, "/summary", id="wrong-type"),
    pytest.param({"text": ARTICLE, "summary": BACKED, "extra": 1}, "", id="unknown-field"),
    pytest.param({"text": ARTICLE, "summary": "x" * (MAX_SUMMARY_CHARS + 1)}, "/summary", id="long-summary"),
    pytest.param({"text": ARTICLE + " More.", "summary": BACKED}, "/text", id="text-over-setting"),
    pytest.param({"text": GERMAN, "summary": "Der Stadtrat tagte."}, "/text", id="german"),
    pytest.param({"text": ARTICLE, "summary": BACKED, "id": ""}, "/id", id="empty-id"),
]


@pytest.mark.parametrize(("doc", "pointer"), BAD)
def test_a_bad_document_fails_its_slot_with_the_single_problem(doc: dict[str, Any], pointer: str) -> None:
    """A bad document gets the problem /v1/verify answers for it, pointed into the batch body;
    the documents around it are still checked."""
    with TestClient(app_over(StandIn(), max_text_chars=len(ARTICLE))) as c:
        wait_ready(c)
        single = c.post("/v1/verify", json=doc)
        r = batch(
            c, {"id": "ok-1", "text": ARTICLE, "summary": BACKED}, doc, {"text": ARTICLE, "summary": BACKED}
        )
    assert single.status_code == 422
    assert r.status_code == 200
    first, bad, last = r.json()["results"]
    assert (first["status"], last["status"]) == (200, 200)
    assert first["result"]["supported"]
    assert last["result"]["supported"]
    assert bad["index"] == 1
    assert bad["status"] == 422
    assert "result" not in bad
    problem = bad["error"]
    assert problem["type"] == single.json()["type"]
    expected = single.json()["detail"]
    for p in single.json()["errors"]:  # a field named in the detail is named by its batch pointer
        expected = expected.replace(f"`{p['pointer']}`:", f"`/documents/1{p['pointer']}`:")
    assert problem["detail"] == expected
    pointers = [e["pointer"] for e in problem["errors"]]
    assert pointers == [f"/documents/1{p['pointer']}" for p in single.json()["errors"]]
    assert pointers[0].startswith(f"/documents/1{pointer}")


def test_a_document_that_is_not_an_object_fails_its_slot(client: TestClient[Any]) -> None:
    """A string or a list in `documents` is a 422 in its own slot, its id absent."""
    r = batch(client, "just text", {"text": ARTICLE, "summary": BACKED, "id": "x"}, [1, 2])
    results = r.json()["results"]
    assert [x["status"] for x in results] == [422, 200, 422]
    assert [x.get("id") for x in results] == [None, "x", None]
    assert results[0]["error"]["errors"][0]["pointer"] == "/documents/0"


def test_a_bad_document_keeps_its_id_when_it_has_a_usable_one(client: TestClient[Any]) -> None:
    """A document refused while decoding still echoes its id, so the caller can match it."""
    r = batch(client, {"id": "d7", "text": ARTICLE, "summary": ""})
    (item,) = r.json()["results"]
    assert (item["id"], item["status"]) == ("d7", 422)


@pytest.mark.parametrize(
    "body",
    [
        {"documents": []},
        {"documents": [{"text": ARTICLE, "summary": BACKED}] * (MAX_BATCH_DOCUMENTS + 1)},
        {"documents": {"text": ARTICLE, "summary": BACKED}},
        {"documents": [{"text": ARTICLE, "summary": BACKED}], "extra": True},
        {"text": ARTICLE, "summary": BACKED},
    ],
    ids=["empty", "too-many", "not-a-list", "unknown-field", "no-envelope"],
)
def test_only_a_malformed_envelope_fails_the_request(client: TestClient[Any], body: Any) -> None:
    """No `documents` list of 1 to 32 items, or an unknown top-level field: a 422 for the request."""
    r = client.post("/v1/verify/batch", json=body)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"] == "/problems/invalid-input"


def test_invalid_json_is_a_400(client: TestClient[Any]) -> None:
    """A body that is not JSON fails the whole request with 400."""
    r = client.post("/v1/verify/batch", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400


def test_a_bug_in_one_document_is_a_500_in_its_slot_only(stand_in: StandIn) -> None:
    """A checker raising on one document answers 500 in that slot, naming nothing internal."""
    with TestClient(app_over(stand_in)) as c:
        wait_ready(c)
        r = batch(c, {"text": ARTICLE, "summary": BACKED}, {"text": ARTICLE, "summary": "boom"})
    first, bug = r.json()["results"]
    assert first["status"] == 200
    assert bug["status"] == 500
    assert bug["error"]["type"] == "/problems/internal"
    assert "secret" not in r.text
    assert "KeyError" not in r.text


def test_admission_counts_the_documents_to_check(stand_in: StandIn) -> None:
    """Documents to check each take a queue slot: more than the queue holds is a 429 with
    Retry-After; refused documents take none, so the same batch with one bad document fits."""
    good = {"text": ARTICLE, "summary": BACKED}
    with TestClient(app_over(stand_in, queue_size=2)) as c:
        wait_ready(c)
        full = batch(c, good, good, good)
        fits = batch(c, good, {"text": ARTICLE, "summary": ""}, good)
    assert full.status_code == 429
    assert full.json()["type"] == "/problems/overloaded"
    assert int(full.headers["Retry-After"]) >= 1
    assert stand_in.calls == [BACKED, BACKED]
    assert fits.status_code == 200
    assert [x["status"] for x in fits.json()["results"]] == [200, 422, 200]


def test_not_ready_is_a_503_for_the_whole_batch(stand_in: StandIn) -> None:
    """While the models load, the batch answers 503 with Retry-After and checks nothing."""
    stand_in.loaded.clear()
    with TestClient(app_over(stand_in)) as c:
        r = batch(c, {"text": ARTICLE, "summary": BACKED})
        stand_in.loaded.set()
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "5"
    assert stand_in.calls == []


def test_without_a_checker_the_batch_is_not_ready() -> None:
    """An app built without a checker answers 503 on /v1/verify/batch, not a 500."""
    engines = Engines(summary=FakeSummaryEngine(), quotes=FakeQuoteEngine())
    with TestClient(create_app(make_settings(), engines)) as c:
        wait_ready(c)
        assert batch(c, {"text": ARTICLE, "summary": BACKED}).status_code == 503


def test_documents_past_the_deadline_fail_their_slots_and_free_theirs(stand_in: StandIn) -> None:
    """A check that outlives the deadline answers 504 in its slot, and so do those queued behind
    it; earlier slots and refused ones keep their answers, and the queue slots come back."""
    with TestClient(app_over(stand_in, request_timeout_s=0.5)) as c:
        wait_ready(c)
        r = batch(
            c,
            {"text": ARTICLE, "summary": ""},
            {"text": ARTICLE, "summary": "slow"},
            {"text": ARTICLE, "summary": BACKED},
        )
        stand_in.release.set()
        after = c.post("/v1/verify", json={"text": ARTICLE, "summary": BACKED})
        metrics = c.get("/metrics").text
    assert [x["status"] for x in r.json()["results"]] == [422, 504, 504]
    assert r.json()["results"][1]["error"]["type"] == "/problems/deadline-exceeded"
    assert after.status_code == 200
    assert "analyzer_queue_depth 0.0" in metrics


def _samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name:
                out[tuple(sorted(s.labels.items()))] = s.value
    return out


def test_requests_and_documents_are_counted(client: TestClient[Any]) -> None:
    """The batch counts as one request of its route; each checked document as an input and a
    checker call; a document in another language as a rejection."""
    docs = [{"text": ARTICLE, "summary": BACKED}] * 3 + [
        {"text": ARTICLE, "summary": ""},
        {"text": GERMAN, "summary": "Der Stadtrat tagte."},
    ]
    assert batch(client, *docs).status_code == 200
    text = client.get("/metrics").text
    requests = _samples(text, "analyzer_requests_total")
    assert requests[(("method", "POST"), ("route", "/v1/verify/batch"), ("status", "200"))] == 1
    inputs = _samples(text, "analyzer_input_chars_count")
    assert inputs[(("route", "/v1/verify/batch"),)] == 4
    calls = _samples(text, "analyzer_inference_duration_seconds_count")
    assert calls[(("engine", "verify"), ("model", "fake-checker"))] == 3
    rejected = _samples(text, "analyzer_rejected_total")
    assert rejected[(("reason", "unsupported_language"),)] == 1


def test_the_batch_is_in_the_openapi_document(client: TestClient[Any]) -> None:
    """/v1/verify/batch is documented: its documents are VerifyRequests, its 200 example decodes
    as the response type, and its errors include 422, 429 and 503."""
    doc = client.get("/schema/openapi.json").json()
    op = doc["paths"]["/v1/verify/batch"]["post"]
    assert op["operationId"] == "verifyBatch"
    assert {"200", "422", "429", "503"} <= set(op["responses"])
    schemas = doc["components"]["schemas"]
    documents = schemas["VerifyBatchRequest"]["properties"]["documents"]
    assert documents["items"] == {"$ref": "#/components/schemas/VerifyRequest"}
    assert documents["maxItems"] == MAX_BATCH_DOCUMENTS
    example = op["responses"]["200"]["content"]["application/json"]["examples"]["ok"]["value"]
    decoded = msgspec.convert(example, VerifyBatchResponse)
    assert [x.status for x in decoded.results] == [200, 422]


def test_the_documented_requests_answer_as_documented(client: TestClient[Any]) -> None:
    """The OpenAPI request examples of /v1/verify and /v1/verify/batch, sent as they are, answer
    the statuses of their 200 examples."""
    paths = client.get("/schema/openapi.json").json()["paths"]
    for path in ("/v1/verify", "/v1/verify/batch"):
        op = paths[path]["post"]
        (sent,) = op["requestBody"]["content"]["application/json"]["examples"].values()
        r = client.post(path, json=sent["value"])
        assert r.status_code == 200, path
        documented = op["responses"]["200"]["content"]["application/json"]["examples"]["ok"]["value"]
        if path.endswith("batch"):
            assert [x["status"] for x in r.json()["results"]] == [x["status"] for x in documented["results"]]
            assert r.json()["results"][1]["error"]["errors"] == documented["results"][1]["error"]["errors"]
        else:
            assert r.json()["supported"] == documented["supported"]

"""Typed errors end to end: an engine's ServiceError keeps its status, options the models cannot
honour are refused before admission, and each invalid field is listed in the 422 body."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from service.engines.fakes import FakeSummaryEngine
from service.errors import InvalidInput, Overloaded
from tests.conftest import ARTICLE, app_with, wait_ready

ABSTRACTIVE = {"text": ARTICLE, "summary": {"method": "abstractive"}}


class Counting(FakeSummaryEngine):
    """Counts documents the engine is asked to summarise."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def summarize_batch(self, items: Any) -> Any:
        self.seen += len(items)
        return super().summarize_batch(items)


def test_abstractive_without_a_model_is_422_before_any_work() -> None:
    """`method: abstractive` with no abstractive model: 422 naming the field; the engine never runs."""
    engine = Counting()
    with TestClient(app_with(summary=engine)) as c:
        wait_ready(c)
        r = c.post("/v1/analyze", json=ABSTRACTIVE)
        s = c.post("/v1/summarize", json=ABSTRACTIVE)
    assert r.status_code == s.status_code == 422
    body = r.json()
    assert body["type"] == "/problems/invalid-input"
    assert body["errors"][0]["pointer"] == "/summary/method"
    assert engine.seen == 0


def test_abstractive_in_a_batch_fails_only_its_own_item() -> None:
    """In a batch, the abstractive item answers 422 in its slot, the others 200."""
    engine = Counting()
    with TestClient(app_with(summary=engine)) as c:
        wait_ready(c)
        r = c.post("/v1/analyze/batch", json={"documents": [{"text": ARTICLE}, ABSTRACTIVE]})
    assert r.status_code == 200
    first, second = r.json()["results"]
    assert first["status"] == 200
    assert second["status"] == 422
    assert second["error"]["errors"][0]["pointer"] == "/documents/1/summary/method"
    assert engine.seen == 1


def test_refused_batch_items_take_no_admission_slot() -> None:
    """A batch of refused documents is answered even when the queue has room for none of them."""
    with TestClient(app_with(queue_size=1)) as c:
        wait_ready(c)
        r = c.post("/v1/analyze/batch", json={"documents": [ABSTRACTIVE, ABSTRACTIVE]})
    assert r.status_code == 200
    assert [x["status"] for x in r.json()["results"]] == [422, 422]


@pytest.mark.parametrize(("error", "status"), [(InvalidInput("bad option"), 422), (Overloaded("busy"), 429)])
def test_a_service_error_raised_in_an_engine_keeps_its_status(error: Exception, status: int) -> None:
    """A ServiceError from inside an engine reaches the client as its own status, single and batch."""

    class Raising(FakeSummaryEngine):
        def summarize_batch(self, items: Any) -> Any:
            raise error

    with TestClient(app_with(summary=Raising())) as c:
        wait_ready(c)
        single = c.post("/v1/analyze", json={"text": ARTICLE})
        batch = c.post("/v1/analyze/batch", json={"documents": [{"text": ARTICLE}]})
    assert single.status_code == status
    assert single.json()["detail"] == str(error)
    assert batch.json()["results"][0]["status"] == status


def test_a_bug_is_a_500_that_echoes_nothing_single_and_batch() -> None:
    """A genuine bug answers 500 with a generic body, alone and inside a batch."""

    class Buggy(FakeSummaryEngine):
        def summarize_batch(self, items: Any) -> Any:
            raise KeyError("/opt/secret/path")

    with TestClient(app_with(summary=Buggy())) as c:
        wait_ready(c)
        single = c.post("/v1/analyze", json={"text": ARTICLE})
        batch = c.post("/v1/analyze/batch", json={"documents": [{"text": ARTICLE}]})
    assert single.status_code == 500
    assert single.json()["type"] == "/problems/internal"
    assert batch.json()["results"][0]["status"] == 500
    for r in (single, batch):
        assert "secret" not in r.text
        assert "KeyError" not in r.text


def test_422_lists_each_invalid_field_with_a_pointer(client: TestClient[Any]) -> None:
    """Every invalid field of a body gets its own `{pointer, detail}` entry (RFC 9457 extension)."""
    r = client.post("/v1/analyze/batch", json={"documents": [{"text": "ok"}, {"text": ""}]})
    assert r.status_code == 200, "a document breaking the schema fails its slot only"
    slot = r.json()["results"][1]
    assert slot["error"]["errors"] == [
        {"pointer": "/documents/1/text", "detail": "Expected `str` of length >= 1"}
    ]
    assert slot["error"]["detail"] == "`/documents/1/text`: Expected `str` of length >= 1"
    r = client.post("/v1/analyze", json={"text": "ok", "colour": "red"})
    assert r.json()["errors"][0]["pointer"] == "/colour"
    r = client.post("/v1/analyze", json={"text": "ok", "summary": {"max_sentences": 0}})
    assert r.json()["errors"][0]["pointer"] == "/summary/max_sentences"


def test_a_batch_slot_names_its_field_in_its_detail_as_a_single_request_does(client: TestClient[Any]) -> None:
    """A schema problem's detail leads with the field's pointer, alone and in a batch slot."""
    bad = {"text": "ok", "summary": {"max_sentences": 0}}
    single = client.post("/v1/analyze", json=bad).json()
    slot = client.post("/v1/analyze/batch", json={"documents": [bad]}).json()["results"][0]["error"]
    assert single["detail"].startswith("`/summary/max_sentences`: ")
    assert slot["detail"] == single["detail"].replace("`/summary", "`/documents/0/summary")


def test_text_over_the_configured_limit_points_at_text() -> None:
    """The service's own checks name the field too."""
    with TestClient(app_with(max_text_chars=100)) as c:
        wait_ready(c)
        r = c.post("/v1/analyze", json={"text": "word " * 50})
    assert r.status_code == 422
    assert r.json()["errors"][0]["pointer"] == "/text"

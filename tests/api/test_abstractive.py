"""`summary.method: abstractive` through the HTTP API with an OpenAI-compatible endpoint (a fake on
127.0.0.1) and a word-overlap checker: supported sentences are kept with evidence, made-up ones are
dropped, and every way the endpoint fails gives the extractive summary and a reason, never a 5xx."""

from __future__ import annotations

import dataclasses
import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from service.app import create_app
from service.engines.factory import Engines, build_generator
from service.engines.fakes import FakeQuoteEngine, FakeSummaryEngine
from service.engines.verify.types import Verdict
from service.schemas import Summary, SummaryOptions
from tests.conftest import ARTICLE, make_settings, wait_ready
from tests.fake_llm import MODES, FakeLLM, WordChecker, serve_fake_llm

SUPPORTED = "The city council approved a new tram line on Tuesday."
MADE_UP = "The mayor resigned in protest over the budget."


def _client(url: str, checker: Any = None, **settings: Any) -> TestClient[Litestar]:
    s = make_settings(llm_url=url, llm_model="tiny-llm", **settings)
    engines = Engines(
        summary=FakeSummaryEngine(),
        quotes=FakeQuoteEngine(),
        checker=checker or WordChecker(),
        generator=build_generator(s),
        summary_methods=frozenset({"auto", "extractive", "abstractive"}),
    )
    return TestClient(create_app(s, engines))


@pytest.fixture
def llm() -> Iterator[FakeLLM]:
    """A fake endpoint answering one supported and one made-up sentence."""
    with serve_fake_llm(FakeLLM(content=f"{SUPPORTED} {MADE_UP}")) as fake:
        yield fake


def _summarize(c: TestClient[Litestar], **summary: Any) -> dict[str, Any]:
    r = c.post("/v1/summarize", json={"text": ARTICLE, "summary": {"method": "abstractive", **summary}})
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()["summary"]
    return out


def _metric(c: TestClient[Litestar], name: str, **labels: str) -> float:
    text = c.get("/metrics").text
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        m = re.match(rf"^{name}(?:{{(.*)}})? (\S+)$", line)
        if m and ",".join(sorted((m.group(1) or "").split(","))) == want:
            return float(m.group(2))
    return 0.0


def test_made_up_sentences_are_dropped_and_supported_ones_kept(llm: FakeLLM) -> None:
    """The answer keeps the supported sentence with its evidence and lists the refused one."""
    with _client(llm.url, abstractive_min_kept=0.5) as c:
        wait_ready(c)
        summary = _summarize(c)
        assert summary["method"] == "abstractive"
        assert summary["generator"] == "openai-chat"
        assert summary["model"] == "tiny-llm"
        assert summary["text"] == SUPPORTED
        (sent,) = summary["sentences"]
        assert sent["evidence"]
        assert "start" not in sent  # generated text is no span of the article
        assert [r["text"] for r in summary["refused"]] == [MADE_UP]
        assert "reason" not in summary
        sentences = "analyzer_abstractive_sentences_total"
        assert _metric(c, sentences, generator="openai-chat", verdict="kept") == 1
        assert _metric(c, sentences, generator="openai-chat", verdict="refused") == 1
        assert _metric(c, "analyzer_generator_calls_total", generator="openai-chat") == 1


def test_too_little_supported_falls_back_to_the_extractive_summary(llm: FakeLLM) -> None:
    """With fewer supported sentences than the share asked for, the extractive summary answers."""
    with _client(llm.url, abstractive_min_kept=0.75) as c:
        wait_ready(c)
        summary = _summarize(c)
        assert summary.get("method", "extractive") == "extractive"
        assert "generator" not in summary
        assert summary["reason"].startswith("only 1 of the 2 generated sentences are supported")
        assert summary["reason"].endswith("this is the extractive summary")
        assert summary["sentences"][0]["start"] == 0
        assert [r["text"] for r in summary["refused"]] == [MADE_UP]
        assert _metric(c, "analyzer_abstractive_fallbacks_total", reason="unsupported") == 1


@pytest.mark.parametrize("mode", [m for m in MODES if m != "ok"])
def test_every_endpoint_failure_answers_the_extractive_summary(mode: str) -> None:
    """500, non-JSON, wrong shape, blank text, too slow: 200 with the extractive summary and why."""
    with serve_fake_llm(FakeLLM(mode=mode, slow_s=2.0)) as fake, _client(fake.url, llm_timeout_s=0.5) as c:
        wait_ready(c)
        summary = _summarize(c)
        assert summary.get("method", "extractive") == "extractive"
        assert summary["reason"].startswith("the abstractive generator (openai-chat) failed: ")
        assert summary["text"]
        assert (
            sum(
                _metric(c, "analyzer_generator_failures_total", generator="openai-chat", reason=k)
                for k in ("http_status", "bad_response", "empty", "timeout")
            )
            == 1
        )


def test_an_endpoint_that_is_down_answers_the_extractive_summary() -> None:
    """No server on the port: 200, the extractive summary, and a reason naming the failure."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with _client(f"http://127.0.0.1:{port}/v1") as c:
        wait_ready(c)
        summary = _summarize(c)
        assert summary.get("method", "extractive") == "extractive"
        assert "could not be reached" in summary["reason"]
        failures = "analyzer_generator_failures_total"
        assert _metric(c, failures, generator="openai-chat", reason="unreachable") == 1


def test_the_endpoint_gets_only_the_deadline_left_less_the_reserve() -> None:
    """A request deadline shorter than the endpoint's timeout bounds the call; the answer is 200."""
    slow = serve_fake_llm(FakeLLM(mode="slow", slow_s=3.0))
    with slow as fake, _client(fake.url, llm_timeout_s=60, request_timeout_s=2.0, llm_reserve_s=1.5) as c:
        wait_ready(c)
        summary = _summarize(c)
    assert summary.get("method", "extractive") == "extractive"
    assert "failed" in summary["reason"]


def test_a_checker_that_fails_means_the_extractive_summary() -> None:
    """A generated summary that could not be checked is never answered."""

    class Broken(WordChecker):
        def verify(self, article: str, summary: str) -> Any:
            raise RuntimeError("checker broke")

    with serve_fake_llm(FakeLLM(content=SUPPORTED)) as fake, _client(fake.url, checker=Broken()) as c:
        wait_ready(c)
        summary = _summarize(c)
    assert summary.get("method", "extractive") == "extractive"
    assert summary["reason"].startswith("the generated summary could not be checked")


def test_the_endpoints_model_is_listed(llm: FakeLLM) -> None:
    """/v1/models names the endpoint's model, with the endpoint as its source."""
    with _client(llm.url) as c:
        wait_ready(c)
        models = {m["id"]: m for m in c.get("/v1/models").json()["models"]}
    assert models["tiny-llm"]["source"] == f"{llm.url}/chat/completions"
    assert models["tiny-llm"]["task"] == "summarization"


def test_auto_and_analyze_use_the_generator_and_extractive_does_not(llm: FakeLLM) -> None:
    """`auto` is abstractive when an endpoint is configured; `extractive` never calls it."""
    with _client(llm.url) as c:
        wait_ready(c)
        r = c.post("/v1/analyze", json={"text": ARTICLE})
        assert r.status_code == 200
        assert r.json()["summary"]["generator"] == "openai-chat"
        assert r.json()["quotes"]
        calls = len(llm.requests)
        r = c.post("/v1/summarize", json={"text": ARTICLE, "summary": {"method": "extractive"}})
        assert r.json()["summary"].get("method", "extractive") == "extractive"
        assert len(llm.requests) == calls


def test_batch_documents_each_get_a_checked_summary(llm: FakeLLM) -> None:
    """The batch endpoint runs the same path for each document."""
    with _client(llm.url) as c:
        wait_ready(c)
        docs = [{"text": ARTICLE, "summary": {"method": "abstractive"}}] * 2
        r = c.post("/v1/analyze/batch", json={"documents": docs})
        assert r.status_code == 200
        assert [i["result"]["summary"]["text"] for i in r.json()["results"]] == [SUPPORTED] * 2


class ContextChecker(WordChecker):
    """Like WordChecker, but a summary of one sentence is never supported (a stricter head)."""

    def verify(self, article: str, summary: str) -> Verdict:
        """WordChecker's verdict; a lone sentence refused."""
        verdict = super().verify(article, summary)
        if len(verdict.sentences) > 1:
            return verdict
        lone = [dataclasses.replace(c, supported=False, problems=[]) for c in verdict.sentences]
        return Verdict(supported=False, score=0.0, sentences=lone)


def test_what_is_left_is_checked_again_as_a_summary(llm: FakeLLM) -> None:
    """Dropping sentences changes what the checker sees: the rest is checked again before answering."""
    with _client(llm.url, checker=ContextChecker(), abstractive_min_kept=0.5) as c:
        wait_ready(c)
        summary = _summarize(c)
    assert summary.get("method", "extractive") == "extractive"
    assert [r["text"] for r in summary["refused"]] == [MADE_UP, SUPPORTED]
    assert summary["reason"].startswith("none of the 2 generated sentences")


class LocalSeq2Seq(FakeSummaryEngine):
    """The local-model path: abstractive requests get generated text (or an error), others lead-N."""

    def __init__(self, generated: str | None) -> None:
        super().__init__()
        self.generated = generated

    def summarize_batch(self, items: list[tuple[str, SummaryOptions]]) -> list[Summary]:
        """Generated text for abstractive items (raises when there is none), lead-N for the rest."""
        if items[0][1].method != "abstractive":
            return super().summarize_batch(items)
        if self.generated is None:
            raise RuntimeError("the local model broke")
        return [Summary(text=self.generated, sentences=[], method="abstractive", model="local:tiny")] * len(
            items
        )


@pytest.mark.parametrize("generated", [f"{SUPPORTED} {MADE_UP}", None])
def test_the_local_model_is_checked_too(generated: str | None) -> None:
    """A local seq2seq summary goes through the same check; a local failure falls back as well."""
    s = make_settings(abstractive_dir="/models/tiny")
    engines = Engines(
        summary=LocalSeq2Seq(generated),
        quotes=FakeQuoteEngine(),
        checker=WordChecker(),
        summary_methods=frozenset({"auto", "extractive", "abstractive"}),
    )
    with TestClient(create_app(s, engines)) as c:
        wait_ready(c)
        summary = _summarize(c)
    if generated is None:
        assert summary.get("method", "extractive") == "extractive"
        assert summary["reason"].startswith("the abstractive generator (seq2seq) failed")
    else:
        assert summary["generator"] == "seq2seq"
        assert summary["model"] == "local:tiny"
        assert summary["text"] == SUPPORTED
        assert [r["text"] for r in summary["refused"]] == [MADE_UP]

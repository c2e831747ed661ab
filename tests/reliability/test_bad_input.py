"""Hand-written bad and pathological inputs: documented 4xx problems, or a 200 in bounded time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from reliability import cases
from reliability.texts import pathological
from service.app import create_app
from service.engines.factory import Engines
from service.engines.fakes import FakeQuoteEngine, FakeSummaryEngine
from service.engines.text import split_sentences, story_sentences
from service.engines.verify.fake import FakeSummaryChecker
from tests.conftest import app_with, make_settings, wait_ready
from tests.fuzz_text import doubling_ratio

#: Cases the service gets wrong today (reported with reproductions in docs/reliability.md).
#: Cases the service is known to answer wrongly (each marked strict xfail until fixed).
KNOWN_WRONG: dict[str, str] = {}


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(app_with()) as c:
        wait_ready(c)
        yield c


@pytest.fixture(scope="module")
def checking_client() -> Any:
    """Fake engines and the word-overlap checker, so the verify routes answer."""
    engines = Engines(summary=FakeSummaryEngine(), quotes=FakeQuoteEngine(), checker=FakeSummaryChecker())
    with TestClient(create_app(make_settings(), engines)) as c:
        wait_ready(c)
        yield c


def _params() -> list[Any]:
    out = []
    for c in cases.bad_inputs():
        if c.in_api_tests:
            continue
        marks = [pytest.mark.xfail(reason=KNOWN_WRONG[c.name], strict=True)] if c.name in KNOWN_WRONG else []
        out.append(pytest.param(c, id=c.name, marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_bad_input_gets_its_documented_problem(
    client: Any, checking_client: Any, case: cases.BadInput
) -> None:
    """Each bad body gets its documented 4xx as problem+json whose detail says what is wrong."""
    if case.path.startswith("/v1/verify"):
        client = checking_client
    r = client.post(case.path, content=case.body, headers={k: v for k, v in case.headers.items() if v})
    assert r.status_code == case.status, r.text[:200]
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["status"] == case.status
    assert problem["title"]
    assert case.needle.lower() in problem["detail"].lower()


@pytest.mark.parametrize("name", list(cases.weird_but_valid()))
def test_weird_but_valid_text_is_analysed(client: Any, name: str) -> None:
    """Control characters, NUL, emoji, RTL marks and quote-mark soup are valid text: 200."""
    r = client.post(
        "/v1/analyze", content=cases.weird_but_valid()[name], headers={"content-type": "application/json"}
    )
    assert r.status_code == 200
    assert "summary" in r.json()


def _engine(name: str) -> Callable[[str], object]:
    if name == "quotes":
        quotes = pytest.importorskip(
            "service.engines.quotes", reason="the rule quote engine is not in this tree"
        )
        return quotes.RuleQuoteEngine().extract  # type: ignore[no-any-return]
    return split_sentences if name == "split" else story_sentences


#: Mark-only texts cost little per character; below 50,000 their fixed costs blur the ratio.
_SIZE = {"100k_straight_quote_marks": 50_000, "100k_curly_quote_marks": 50_000}


@pytest.mark.parametrize("engine", ["split", "story", "quotes"])
def test_text_engines_take_linear_work_on_pathological_text(engine: str) -> None:
    """Every pathological text costs a text engine linear work: at twice the length (50,000 or
    100,000 characters) about twice the CPU time (best of interleaved runs), never four times."""
    run = _engine(engine)

    def maker(case: str) -> Callable[[int], str]:
        return lambda n: pathological(limit=n)[case]

    ratios = {
        case: doubling_ratio(maker(case), run, _SIZE.get(case, 25_000), repeats=3, clock=time.thread_time)
        for case in pathological()
    }
    assert all(r < 3.0 for r in ratios.values()), {c: round(r, 2) for c, r in ratios.items() if r >= 3.0}

"""Hand-written bad and pathological inputs: documented 4xx problems, or a 200 in bounded time."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from reliability import cases
from reliability.checks import PATHOLOGICAL_LIMIT_S, Context, _time_engine
from reliability.texts import pathological
from tests.conftest import app_with, wait_ready

#: Cases the service gets wrong today (reported with reproductions in docs/reliability.md).
#: Cases the service is known to answer wrongly (each marked strict xfail until fixed).
KNOWN_WRONG: dict[str, str] = {}


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(app_with()) as c:
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
def test_bad_input_gets_its_documented_problem(client: Any, case: cases.BadInput) -> None:
    """Each bad body gets its documented 4xx as problem+json whose detail says what is wrong."""
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


#: Pathological texts on which a text engine is known to be slow (none since the linear-time fixes).
KNOWN_SLOW: dict[str, set[str]] = {"split": set(), "story": set(), "quotes": set()}


def _slow(ctx: Context, engine: str) -> set[str]:
    if engine == "quotes":
        pytest.importorskip("service.engines.quotes", reason="the rule quote engine is not in this tree")

    def over(names: list[str]) -> set[str]:
        timings = _time_engine(ctx, engine, names, PATHOLOGICAL_LIMIT_S, load_s=60)
        return {case for case, t in timings.items() if t is None or t > PATHOLOGICAL_LIMIT_S}

    # A case counts as slow when it is slow twice: a shared machine can stall one run, while a
    # quadratic case is slow every time.
    first = over(list(pathological()))
    return over(sorted(first)) if first else first


@pytest.mark.parametrize("engine", ["split", "story", "quotes"])
def test_text_engines_stay_fast_on_pathological_text(ctx: Context, engine: str) -> None:
    """No pathological text (200k chars) takes a text engine over 2 s, beyond the known slow cases."""
    slow = _slow(ctx, engine)
    # A regression guard: the known quadratic cases are reported; any new one fails here.
    assert slow <= KNOWN_SLOW[engine], f"newly slow: {sorted(slow - KNOWN_SLOW[engine])}"

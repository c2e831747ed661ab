"""Schemathesis against the running service's own OpenAPI document (200 cases here, 1,000+ in
`make reliability`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reliability import fuzz
from reliability.checks import python_of_repo
from reliability.server import HOST, Server

schemathesis = pytest.importorskip("schemathesis", reason="pip install -r reliability/requirements.txt")

UNDOCUMENTED = "Undocumented status code"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[fuzz.FuzzReport]:
    log = tmp_path_factory.mktemp("fuzz") / "server.log"
    with Server(log, python=python_of_repo(), engines="fake") as s:
        s.wait_ready(60)
        schema = schemathesis.openapi.from_url(f"http://{HOST}:{s.port}/schema/openapi.json")
        yield fuzz.run(schema, 50, call_kwargs={"base_url": f"http://{HOST}:{s.port}"})


def test_fuzzing_finds_no_server_error_and_no_body_outside_the_schema(report: fuzz.FuzzReport) -> None:
    """200 generated requests: no 5xx, every documented response's body and type match the schema."""
    assert report.total >= 200
    assert report.server_errors == 0, report.examples
    other = {k: v for k, v in report.failures.items() if not k.endswith(UNDOCUMENTED)}
    assert other == {}, {k: report.examples[k] for k in other}


def test_every_status_the_service_answers_is_documented(report: fuzz.FuzzReport) -> None:
    """Every status code the fuzzer saw is declared for its operation in the OpenAPI document."""
    assert report.failures == {}

"""The service as a real process: SIGTERM under load, log leaks, dependency pins, model faults."""

from __future__ import annotations

import pytest

from reliability import checks
from reliability.checks import Context


def test_sigterm_under_load_turns_unready_first_and_cuts_off_nothing(ctx: Context) -> None:
    """SIGTERM during load: readiness 503 before the listener closes, no response cut off, clean exit."""
    result = checks.check_shutdown(ctx)
    d = result.details
    assert d["503_before_refusal"], result.figure
    assert not d["ready_200_after_503"]
    assert d["partial"] == 0, d["statuses"]
    assert d["timeout"] == 0, d["statuses"]
    assert d["bad_status"] == 0, d["statuses"]
    assert d["statuses"].get("200", 0) > 0
    assert d["exit_code"] in (0, -15)
    # Requests reset before any response byte at the instant the listener closes are reported by
    # `make reliability` (see docs/reliability.md); they are too timing-dependent to gate CI on.


def test_no_text_quote_or_token_in_any_server_log_line(ctx: Context) -> None:
    """Articles with marker words, bad inputs and right/wrong tokens leave no trace in the JSON logs."""
    assert checks.check_auth(ctx).details["problems"] in ([], ["AUTH_OPS: /schema/openapi.json open"])
    checks.check_bad_inputs(ctx)  # traffic only: its verdict is pinned by test_bad_input.py
    result = checks.check_log_leak(ctx)
    assert result.details["hits"] == {}, result.details
    assert result.details["non_json_lines"] == 0
    text = ctx.log_path.read_text()
    assert '"status": 401' in text
    assert '"status": 422' in text


def test_auth_ops_closes_the_openapi_document(ctx: Context) -> None:
    """With ANALYZER_AUTH_OPS the OpenAPI document needs the token too, as service/config.py says."""
    assert checks.check_auth(ctx).details["problems"] == []


def test_every_dependency_is_pinned_exactly(ctx: Context) -> None:
    """requirements.lock, pyproject.toml and reliability/requirements.txt pin every package with ==."""
    result = checks.check_pins(ctx)
    assert result.details["loose"] == [], result.details


@pytest.mark.model
def test_missing_or_corrupt_weights_never_become_ready(ctx: Context) -> None:
    """Nonexistent, truncated or altered encoder weights: a clear log line, readiness never 200."""
    why = checks._real_available(ctx)
    if why is not None:
        pytest.skip(f"real engines not importable: {why}")
    result = checks.check_model_faults(ctx)
    assert result.result == "PASS", result.details

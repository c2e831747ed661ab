"""The in-process CPU breakdown's timing wrappers (bench/cpu_breakdown.py) and the start-up
script (bench/startup.py) against the fake engines."""

from __future__ import annotations

from typing import Any

import pytest

from bench import startup
from bench.cpu_breakdown import _Clock, _TimedTokenizer, _wrap_thread_cpu


class _Tok:
    pad_token_id = 7

    def __call__(self, texts: list[str], **kwargs: Any) -> dict[str, list[list[int]]]:
        return {"input_ids": [[len(t)] for t in texts]}


def test_timed_tokenizer_answers_like_the_tokenizer_and_is_counted() -> None:
    clock = _Clock()
    tok = _TimedTokenizer(_Tok(), clock)
    assert tok(["ab", "c"], truncation=True, max_length=4) == {"input_ids": [[2], [1]]}
    assert tok.pad_token_id == 7
    assert set(clock.cpu) == {"tokenise"}
    assert clock.cpu["tokenise"] >= 0


def test_wrapped_calls_accumulate_per_stage() -> None:
    clock = _Clock()
    double = _wrap_thread_cpu(clock, "work", lambda x: 2 * x)
    assert [double(i) for i in range(3)] == [0, 2, 4]
    with clock.process("other"):
        sum(range(1000))
    assert set(clock.cpu) == {"work", "other"}


def test_startup_reports_each_run_and_the_median(capsys: pytest.CaptureFixture[str]) -> None:
    assert startup.main(["--runs", "1", "--engines", "fake"]) == 0
    out = capsys.readouterr().out
    assert "run 1: ready in" in out
    assert "median: ready in" in out


def test_batch_balance_is_one_for_equal_batches_and_counts_padding() -> None:
    from bench.batch_balance import balance

    even = [[1] * 5 for _ in range(16)]  # 16 sentences of 5 tokens: two batches of 8
    ratios, total = balance([even])
    assert ratios == [1.0]
    assert total == 80
    uneven = [[1] * 3, [1] * 3, [1] * 30]  # one batch only (fewer than SPLIT_FROM sentences)
    ratios, total = balance([uneven])
    assert ratios == [2.0]
    assert total == 90

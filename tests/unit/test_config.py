"""Settings: read from the environment by a function, validated, with a CPU-aware thread count."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import Settings, SettingsError, _cgroup_quota, available_cpus, load_settings


def test_defaults_without_environment() -> None:
    """With no variables set, the documented defaults apply."""
    s = load_settings({})
    assert (s.host, s.port, s.queue_size, s.batch_size, s.engines) == ("127.0.0.1", 8000, 64, 8, "real")
    assert s.api_token is None


def test_values_are_parsed_by_type() -> None:
    """Numbers, booleans, literals and optional paths are parsed from their strings."""
    s = load_settings(
        {
            "ANALYZER_PORT": "9001",
            "ANALYZER_AUTH_OPS": "yes",
            "ANALYZER_LOG_FORMAT": "JSON",
            "ANALYZER_BATCH_WAIT_MS": "2.5",
            "ANALYZER_ENCODER_DIR": "/models/enc",
        }
    )
    assert (s.port, s.auth_ops, s.log_format, s.batch_wait_ms) == (9001, True, "json", 2.5)
    assert s.encoder_dir == "/models/enc"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ANALYZER_PORT": "eighty"}, "ANALYZER_PORT must be a number"),
        ({"ANALYZER_PORT": "70000"}, "ANALYZER_PORT"),
        ({"ANALYZER_QUEUE_SIZE": "0"}, "ANALYZER_QUEUE_SIZE"),
        ({"ANALYZER_LOG_LEVEL": "loud"}, "must be one of"),
        ({"ANALYZER_AUTH_OPS": "maybe"}, "true or false"),
        ({"ANALYZER_API_TOKEN": "short"}, "at least 16"),
    ],
)
def test_bad_values_are_refused_with_the_variable_name(env: dict[str, str], message: str) -> None:
    """An unusable value fails loudly, naming the variable."""
    with pytest.raises(SettingsError, match=message):
        load_settings(env)


def test_token_is_not_in_repr() -> None:
    """The API token never appears in the settings' repr (which may be logged)."""
    assert "0123456789abcdef" not in repr(Settings(api_token="0123456789abcdef"))


def test_cgroup_v2_quota_is_read(tmp_path: Path) -> None:
    """cpu.max '150000 100000' means 1.5 CPUs; 'max' means no quota."""
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    assert _cgroup_quota(tmp_path) == 1.5
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert _cgroup_quota(tmp_path) is None


def test_cgroup_v1_quota_is_read(tmp_path: Path) -> None:
    """cgroup v1 quota/period files give the CPU count when v2 is absent."""
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("200000")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000")
    assert _cgroup_quota(tmp_path) == 2.0


def test_threads_follow_setting_or_cpus() -> None:
    """An explicit thread count wins; 0 means the CPUs this process may use."""
    assert Settings(inference_threads=3).threads == 3
    assert Settings().threads == available_cpus() >= 1


def test_encoder_parallelism_decides_streams_and_torch_threads() -> None:
    """batches: one stream per thread, torch single-threaded; operators: one stream, all threads;
    auto: batches, unless an abstractive model is configured (its generation is sequential)."""
    batches = Settings(inference_threads=2, encoder_parallelism="batches")
    assert (batches.encoder_streams, batches.torch_threads) == (2, 1)
    ops = Settings(inference_threads=2, encoder_parallelism="operators")
    assert (ops.encoder_streams, ops.torch_threads) == (1, 2)
    assert Settings(inference_threads=2).encoder_streams == 2
    assert Settings(inference_threads=2, abstractive_dir="/models/bart").encoder_streams == 1
    one = Settings(inference_threads=1, encoder_parallelism="batches")
    assert (one.encoder_streams, one.torch_threads) == (1, 1)

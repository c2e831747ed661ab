"""The benchmark harness's own arithmetic: percentiles, FLOP counts, metrics parsing and targets."""

from __future__ import annotations

import math
import os

import pytest

from bench import flops
from bench.articles import generate_articles, load_articles
from bench.load import LevelResult, combine_naive
from bench.matrix import summarize_matrix
from bench.naive_baseline import quotes, split_sentences
from bench.procs import process_tree, tree_snapshot
from bench.report import evaluate_targets, limits_for
from bench.server import metric_sum, parse_prometheus
from bench.stats import latency_summary_ms, percentile

MINILM = flops.EncoderShape(hidden=384, layers=6, intermediate=1536, heads=12)


def test_percentile_interpolates_between_order_statistics() -> None:
    """Percentiles follow the linear-interpolation definition (numpy's default)."""
    xs = [4.0, 1.0, 3.0, 2.0]
    assert percentile(xs, 0) == 1.0
    assert percentile(xs, 100) == 4.0
    assert percentile(xs, 50) == pytest.approx(2.5)
    assert percentile(xs, 95) == pytest.approx(3.85)
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError, match="q must be"):
        percentile(xs, 101)


def test_latency_summary_converts_seconds_to_milliseconds() -> None:
    """The latency summary reports milliseconds for every statistic."""
    s = latency_summary_ms([0.1, 0.2, 0.3])
    assert s["p50_ms"] == pytest.approx(200)
    assert s["mean_ms"] == pytest.approx(200)
    assert s["max_ms"] == pytest.approx(300)


def test_minilm_parameter_counts_match_the_published_size() -> None:
    """Layer and embedding counts add up to all-MiniLM-L6-v2's 22.7M parameters (with the pooler)."""
    assert flops.layer_params(MINILM) == 1_774_464
    assert flops.non_embedding_params(MINILM) == 10_646_784
    pooler = 384 * 384 + 384
    total = flops.non_embedding_params(MINILM) + flops.embedding_params(MINILM) + pooler
    assert total == 22_713_216


def test_sequence_flops_is_twice_the_weights_per_token_plus_attention() -> None:
    """A sequence costs 2 x matmul weights per token plus 4 n^2 h per layer of attention."""
    per_token = 2 * 6 * (4 * 384 * 384 + 2 * 384 * 1536)
    assert flops.flops_per_token_linear(MINILM) == per_token
    n = 30
    assert flops.sequence_flops(n, MINILM) == per_token * n + 6 * 4 * n * n * 384
    assert flops.sequence_flops(0, MINILM) == 0
    assert flops.encoder_flops([10, 20], MINILM) == flops.sequence_flops(10, MINILM) + flops.sequence_flops(
        20, MINILM
    )


def test_padded_flops_pads_each_batch_to_its_longest_sequence() -> None:
    """Padding cost: every sequence in a batch is charged the batch's longest length."""
    lengths = [5, 40, 10, 12]
    expected = 2 * flops.sequence_flops(40, MINILM) + 2 * flops.sequence_flops(12, MINILM)
    assert flops.padded_flops(lengths, MINILM, 2) == expected
    assert flops.padded_flops(lengths, MINILM, 1) == flops.encoder_flops(lengths, MINILM)


def test_shape_from_config_reads_the_hugging_face_keys() -> None:
    """The shape comes from the standard BERT config keys."""
    cfg = {"hidden_size": 384, "num_hidden_layers": 6, "intermediate_size": 1536, "num_attention_heads": 12}
    assert flops.EncoderShape.from_config(cfg) == MINILM


def test_prometheus_parsing_and_label_filtered_sums() -> None:
    """Samples are parsed with their labels, and sums can filter on a label."""
    text = (
        "# HELP analyzer_batch_size Documents per model call.\n"
        "analyzer_batch_size_sum 42.0\n"
        "analyzer_batch_size_count 7.0\n"
        'analyzer_inference_duration_seconds_sum{engine="summary",model="m"} 1.5\n'
        'analyzer_inference_duration_seconds_sum{engine="quotes",model="rules"} 0.25\n'
        "garbage line\n"
    )
    samples = parse_prometheus(text)
    assert samples["analyzer_batch_size_sum"] == 42.0
    assert metric_sum(samples, "analyzer_batch_size_count") == 7.0
    assert metric_sum(samples, "analyzer_inference_duration_seconds_sum", 'engine="summary"') == 1.5
    assert metric_sum(samples, "analyzer_inference_duration_seconds_sum") == 1.75


def _level(c: int, throughput: float, p50: float, p99: float) -> LevelResult:
    return LevelResult(
        concurrency=c,
        duration_s=10,
        requests=10,
        ok=10,
        errors={},
        throughput=throughput,
        p50_ms=p50,
        p95_ms=p99,
        p99_ms=p99,
        mean_ms=p50,
        max_ms=p99,
        server_rss_mb=500,
        server_hwm_mb=600,
        server_peak_tree_rss_mb=600,
        server_cpu_s_per_article=0.1,
        client_cpu_s_per_request=0.001,
        mean_batch_size=4,
        summary_inference_ms_per_article=50,
        quotes_ms_per_article=5,
    )


def test_targets_pass_and_fail_on_the_right_side_of_each_limit() -> None:
    """Each target compares the run's figure with its AVX2-row limit in the right direction."""
    levels = {1: _level(1, 8, 150, 200), 8: _level(8, 20, 400, 700), 16: _level(16, 20, 800, 900)}
    targets = {
        t.name: t
        for t in evaluate_targets(levels, naive_throughput=5, startup_s=9, peak_rss_mb=1200, kind="avx2")
    }
    assert targets["throughput c=8 / naive"].value == pytest.approx(4)
    assert targets["throughput c=8 / naive"].passed
    assert targets["server CPU per article c=8"].value == pytest.approx(100)
    assert targets["server CPU per article c=8"].passed
    assert targets["p50 latency c=1"].passed
    assert targets["p99 / p50 c=8"].value == pytest.approx(700 / 400)
    assert targets["p99 / p50 c=8"].passed
    # The c=16 level's sampled peak (600 MB), not the whole run's.
    assert targets["peak server RSS c=16"].value == pytest.approx(600)
    assert targets["startup to ready"].passed
    assert "PASS" in targets["p99 / p50 c=8"].line()


def test_bf16_hosts_get_the_stricter_row() -> None:
    """The same figures fail on a native-bf16 host where its limits are tighter."""
    levels = {1: _level(1, 8, 150, 200), 8: _level(8, 20, 400, 700)}
    amx = {t.name: t for t in evaluate_targets(levels, 5, 9, 900, kind="amx")}
    avx2 = {t.name: t for t in evaluate_targets(levels, 5, 9, 900, kind="avx2")}
    assert amx["throughput c=8 / naive"].limit == 6
    assert not amx["throughput c=8 / naive"].passed
    assert not amx["p50 latency c=1"].passed
    assert not amx["startup to ready"].passed
    assert avx2["p50 latency c=1"].passed
    assert limits_for("avx512-bf16")[0] == "bf16"
    assert limits_for("avx512")[0] == "avx2"


def test_targets_fail_when_a_level_is_missing() -> None:
    """A level that did not run yields NaN, which never passes."""
    targets = evaluate_targets({}, naive_throughput=5, startup_s=1, peak_rss_mb=1)
    assert not targets[0].passed
    assert not targets[1].passed


def test_combine_naive_pools_articles_over_total_time() -> None:
    """Naive runs combine as total articles over total time, not a mean of rates."""
    parts = [
        {
            "articles": 10,
            "elapsed_s": 10.0,
            "throughput": 1.0,
            "latencies_s": [1.0] * 10,
            "cpu_s_per_article": 1.0,
            "vm_hwm_mb": 600,
            "torch_threads": 2,
        },
        {
            "articles": 30,
            "elapsed_s": 10.0,
            "throughput": 3.0,
            "latencies_s": [0.33] * 30,
            "cpu_s_per_article": 0.5,
            "vm_hwm_mb": 650,
            "torch_threads": 2,
        },
    ]
    out = combine_naive(parts)
    assert out["throughput"] == pytest.approx(2.0)
    assert out["vm_hwm_mb"] == 650
    assert out["throughput_per_run"] == [1.0, 3.0]
    assert "latencies_s" not in out["runs"][0]


def test_matrix_summary_takes_medians_and_relates_to_default() -> None:
    """Lever summaries are medians over rounds, with throughput relative to the default's median."""

    def run(tp: float) -> dict[str, object]:
        return {
            "levels": {1: _level(1, 5, 100, 150), 8: _level(8, tp, 300, 500)},
            "peak_rss_mb": 700.0,
            "startup_s": 8.0,
        }

    summary = summarize_matrix({"default": [run(10), run(12), run(30)], "batch1": [run(6)]})
    assert summary["default"]["c8_throughput"] == 12
    assert summary["batch1"]["vs_default"] == pytest.approx(0.5)
    assert summary["default"]["c8_cpu_ms_per_article"] == pytest.approx(100)


def test_generated_articles_are_deterministic_news_length_with_quotes() -> None:
    """Without the data file the bench writes its own articles: same every run, article-sized."""
    a, b = generate_articles(5), generate_articles(5)
    assert a == b
    assert all(1500 < len(t) < 8000 for t in a)
    assert any("“" in t and " said " in t for t in a)


def test_load_articles_falls_back_to_generated_texts(tmp_path: os.PathLike[str]) -> None:
    """A missing data file yields generated articles and says so."""
    texts, source = load_articles(os.path.join(tmp_path, "absent.jsonl"), limit=3)
    assert source == "generated"
    assert len(texts) == 3


def test_load_articles_keeps_only_unique_cnndm_rows(tmp_path: os.PathLike[str]) -> None:
    """Only CNN/DM rows are used, each article once."""
    path = os.path.join(tmp_path, "v.jsonl")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"dataset": "cnndm", "article": "One. Two."}\n')
        fh.write('{"dataset": "cnndm", "article": "One. Two."}\n')
        fh.write('{"dataset": "xsum", "article": "Other."}\n')
        fh.write('{"dataset": "cnndm", "article": "Three."}\n')
    texts, source = load_articles(path)
    assert texts == ["One. Two.", "Three."]
    assert source.startswith("frank-cnndm")


def test_naive_quote_step_attributes_said_name() -> None:
    """The naive quote regex finds a quote and the name after "said"."""
    text = "“We will build it,” said Jane Porter. Critics disagreed."
    found = quotes(text)
    assert len(found) == 1
    assert text[found[0]["start"] : found[0]["end"]] == "We will build it,"
    assert found[0]["speaker"] == "Jane Porter"
    assert split_sentences("First one. Second one!\nThird") == ["First one.", "Second one!", "Third"]


def test_tree_snapshot_reads_this_process() -> None:
    """Memory and CPU of the current process are read from /proc."""
    if not os.path.exists("/proc/self/status"):
        pytest.skip("needs Linux /proc")
    snap = tree_snapshot(os.getpid())
    assert os.getpid() in process_tree(os.getpid())
    assert snap.rss_mb > 1
    assert snap.hwm_mb >= snap.rss_mb * 0.5
    assert snap.cpu_s > 0

"""``make bench-profile``: where the time goes inside the engines, and the encoder's levers."""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
from collections.abc import Sequence
from typing import Any

from bench.articles import load_articles
from bench.report import git_commit, load_average, nan_to_none, write_results


class _EncoderLevers:
    """The bare encoder (tokenise + forward + mean pool + normalise) over the same articles under
    the engine-internal levers; quality as the cosine to the fp32 result."""

    def __init__(self, texts: Sequence[str], threads: int) -> None:
        import warnings

        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        import torch
        from transformers import AutoModel, AutoTokenizer

        from bench import flops

        # The int8 path goes through torch.ao.quantization, deprecated in this torch: measured anyway.
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=UserWarning)
        torch.set_num_threads(threads)
        self.torch = torch
        self.threads = threads
        self.dir = str(flops.model_dir())
        self.auto_model = AutoModel
        self.tok = AutoTokenizer.from_pretrained(self.dir)
        self.fp32 = AutoModel.from_pretrained(self.dir).eval()
        self.docs = [flops.sentences_of(t) for t in texts]

    def embed(self, model: Any, sents: list[str], dtype: Any = None) -> Any:
        """Unit-length pooled rows of one padded batch."""
        torch = self.torch
        enc = self.tok(sents, padding=True, truncation=True, max_length=256, return_tensors="pt")
        if dtype is None:
            out = model(**enc).last_hidden_state
        else:
            with torch.autocast("cpu", dtype=dtype):
                out = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).to(out.dtype)
        pooled = (out * mask).sum(1) / mask.sum(1).clamp(min=1)
        return torch.nn.functional.normalize(pooled.float(), dim=-1)

    def per_doc(
        self, model: Any, chunk: int | None, sort: bool, dtype: Any = None, pool_docs: int = 1
    ) -> list[Any]:
        """One tensor of rows per article; ``pool_docs`` articles share their batches."""
        docs, results = self.docs, []
        for k in range(0, len(docs), pool_docs):
            group = [s for doc in docs[k : k + pool_docs] for s in doc]
            order = (
                sorted(range(len(group)), key=lambda i: len(group[i])) if sort else list(range(len(group)))
            )
            size = chunk or len(group)
            embs: list[Any] = [None] * len(group)
            for c in range(0, len(order), size):
                idx = order[c : c + size]
                e = self.embed(model, [group[i] for i in idx], dtype)
                for j, i in enumerate(idx):
                    embs[i] = e[j]
            stacked = self.torch.stack(embs)
            # Back to one tensor per article, so every variant compares with the reference alike.
            at = 0
            for doc in docs[k : k + pool_docs]:
                results.append(stacked[at : at + len(doc)])
                at += len(doc)
        return results

    def tokenise_only(self, _: Any, *a: Any, **k: Any) -> list[Any]:
        """Tokenisation alone (no rows)."""
        for doc in self.docs:
            self.tok(doc, padding=True, truncation=True, max_length=256, return_tensors="pt")
        return []

    def variants(self) -> list[tuple[str, Any, Any, dict[str, Any]]]:
        """(name, function, model, options) of every lever measured."""
        from models.precision import quantize_int8

        torch, fp32, per_doc = self.torch, self.fp32, self.per_doc
        sorted16 = {"chunk": 16, "sort": True, "im": True}
        bf16 = self.auto_model.from_pretrained(self.dir, dtype=torch.bfloat16).eval()
        int8 = quantize_int8(self.auto_model.from_pretrained(self.dir).eval())
        return [
            ("tokenise only", self.tokenise_only, None, {}),
            ("fp32 no_grad, 1 padded batch/article", per_doc, fp32, {"chunk": None, "sort": False}),
            (
                "fp32 inference_mode, 1 batch/article",
                per_doc,
                fp32,
                {"chunk": None, "sort": False, "im": True},
            ),
            ("fp32 sorted, chunks of 16", per_doc, fp32, sorted16),
            (
                "fp32 8 articles pooled, sorted, chunks 64",
                per_doc,
                fp32,
                {**sorted16, "chunk": 64, "pool_docs": 8},
            ),
            ("bf16 autocast, sorted, chunks of 16", per_doc, fp32, {**sorted16, "dtype": torch.bfloat16}),
            ("bf16 weights, sorted, chunks of 16", per_doc, bf16, sorted16),
            ("int8 dynamic quant, sorted, chunks 16", per_doc, int8, sorted16),
        ]

    def run(self, repeats: int) -> list[dict[str, Any]]:
        """Median ms per article of each lever and its lowest cosine to fp32."""
        torch = self.torch
        with torch.inference_mode():
            reference = self.per_doc(self.fp32, None, False)
        rows = []
        for name, fn, model, options in self.variants():
            kw = dict(options)
            im = kw.pop("im", False)
            times = []
            out: list[Any] = []
            for _ in range(repeats):
                t = time.perf_counter()
                with torch.inference_mode() if im else torch.no_grad():
                    out = fn(model, **kw)
                times.append((time.perf_counter() - t) * 1000 / len(self.docs))
            pairs = zip(out, reference, strict=True)
            cos = min(float((a * b).sum(-1).min()) for a, b in pairs) if out else math.nan
            rows.append(
                {
                    "variant": name,
                    "threads": self.threads,
                    "ms_per_article": statistics.median(times),
                    "min_cosine_vs_fp32": cos,
                }
            )
        return rows


def _encoder_variants(texts: Sequence[str], threads: int, repeats: int) -> list[dict[str, Any]]:
    """ms per article of the bare encoder under the engine-internal levers (_EncoderLevers)."""
    return _EncoderLevers(texts, threads).run(repeats)


def profile_engines(args: argparse.Namespace) -> int:
    """Encoder lever table (1 and 2 threads), then cProfile and torch-profiler tables of the real
    engines on batches of 8 articles. Prints timings only, never text."""

    texts, source = load_articles(args.data, args.max_articles or 6)
    print(f"load at start: {load_average()['uptime']}; {len(texts)} articles from {source}")
    rows: list[dict[str, Any]] = []
    for threads in args.profile_threads:
        for r in _encoder_variants(texts, threads, repeats=args.profile_repeats):
            rows.append(r)
            print(
                f"encoder, {threads} thread(s): {r['variant']:<42} {r['ms_per_article']:7.1f} ms/article  "
                f"min cos vs fp32 {r['min_cosine_vs_fp32']:.4f}",
                flush=True,
            )
    result: dict[str, Any] = {"kind": "profile", "git": git_commit(), "encoder_levers": rows}
    try:
        import torch

        from service.config import load_settings
        from service.engines.factory import build_engines

        settings = load_settings({}, engines=args.engines)
        engines = build_engines(settings)
        torch.set_num_threads(settings.threads)
        engines.summary.load()
        engines.summary.warmup()
    except Exception as e:  # noqa: BLE001 - the engines may not be finished yet; the table above stands
        print(f"engines not profiled: {type(e).__name__}: {e}")
    else:
        result.update(_profile_loaded(engines, texts))
    out = args.out.with_name("bench-profile.json") if args.out.name == "bench.json" else args.out
    write_results(nan_to_none(result), out)
    print(f"results: {out}")
    return 0


def _profile_loaded(engines: Any, texts: Sequence[str]) -> dict[str, Any]:
    """Timings, cProfile and torch-profiler tables of loaded engines on batches of 8 articles."""
    import cProfile
    import io
    import pstats

    from torch.profiler import ProfilerActivity, profile

    from service.schemas import SummaryOptions

    opts = SummaryOptions()
    batches = [texts[k : k + 8] for k in range(0, len(texts), 8)]
    t = time.perf_counter()
    for b in batches:
        engines.summary.summarize_batch([(x, opts) for x in b])
    summary_ms = (time.perf_counter() - t) * 1000 / len(texts)
    t = time.perf_counter()
    for x in texts:
        engines.quotes.extract(x)
    quotes_ms = (time.perf_counter() - t) * 1000 / len(texts)
    print(
        f"\nengines in-process, batches of 8: summary {summary_ms:.1f} ms/article, "
        f"quotes {quotes_ms:.1f} ms/article"
    )
    prof = cProfile.Profile()
    prof.enable()
    for b in batches:
        engines.summary.summarize_batch([(x, opts) for x in b])
        for x in b:
            engines.quotes.extract(x)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("tottime").print_stats(25)
    print("\ncProfile, both engines, sorted by own time (top 25):")
    print("\n".join(buf.getvalue().splitlines()[4:40]))
    with profile(activities=[ProfilerActivity.CPU]) as tp:
        for b in batches[:2]:
            engines.summary.summarize_batch([(x, opts) for x in b])
    table = tp.key_averages().table(sort_by="self_cpu_time_total", row_limit=15)
    print("\ntorch profiler, summary engine, 2 batches of 8:")
    print(table)
    return {
        "summary_ms_per_article": summary_ms,
        "quotes_ms_per_article": quotes_ms,
        "cprofile_top": buf.getvalue(),
        "torch_profile": table,
    }

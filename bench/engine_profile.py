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


def _encoder_variants(texts: Sequence[str], threads: int, repeats: int) -> list[dict[str, Any]]:
    """ms per article of the bare encoder (tokenise + forward + mean pool + normalise) under the
    engine-internal levers, each run over the same articles; quality as cosine to the fp32 result."""
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
    d = str(flops.model_dir())
    tok = AutoTokenizer.from_pretrained(d)
    fp32 = AutoModel.from_pretrained(d).eval()
    docs = [flops.sentences_of(t) for t in texts]

    def embed(model: Any, sents: list[str], dtype: Any = None) -> Any:
        enc = tok(sents, padding=True, truncation=True, max_length=256, return_tensors="pt")
        if dtype is None:
            out = model(**enc).last_hidden_state
        else:
            with torch.autocast("cpu", dtype=dtype):
                out = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).to(out.dtype)
        pooled = (out * mask).sum(1) / mask.sum(1).clamp(min=1)
        return torch.nn.functional.normalize(pooled.float(), dim=-1)

    def per_doc(
        model: Any, chunk: int | None, sort: bool, dtype: Any = None, pool_docs: int = 1
    ) -> list[Any]:
        results: list[Any] = []
        for k in range(0, len(docs), pool_docs):
            group = [s for doc in docs[k : k + pool_docs] for s in doc]
            order = (
                sorted(range(len(group)), key=lambda i: len(group[i])) if sort else list(range(len(group)))
            )
            size = chunk or len(group)
            embs: list[Any] = [None] * len(group)
            for c in range(0, len(order), size):
                idx = order[c : c + size]
                e = embed(model, [group[i] for i in idx], dtype)
                for j, i in enumerate(idx):
                    embs[i] = e[j]
            stacked = torch.stack(embs)
            # Back to one tensor per article, so every variant compares with the reference alike.
            at = 0
            for doc in docs[k : k + pool_docs]:
                results.append(stacked[at : at + len(doc)])
                at += len(doc)
        return results

    def tokenise_only(_: Any, *a: Any, **k: Any) -> list[Any]:
        for doc in docs:
            tok(doc, padding=True, truncation=True, max_length=256, return_tensors="pt")
        return []

    variants: list[tuple[str, Any, Any, dict[str, Any]]] = [
        ("tokenise only", tokenise_only, None, {}),
        ("fp32 no_grad, 1 padded batch/article", per_doc, fp32, {"chunk": None, "sort": False}),
        ("fp32 inference_mode, 1 batch/article", per_doc, fp32, {"chunk": None, "sort": False, "im": True}),
        ("fp32 sorted, chunks of 16", per_doc, fp32, {"chunk": 16, "sort": True, "im": True}),
        (
            "fp32 8 articles pooled, sorted, chunks 64",
            per_doc,
            fp32,
            {"chunk": 64, "sort": True, "im": True, "pool_docs": 8},
        ),
        (
            "bf16 autocast, sorted, chunks of 16",
            per_doc,
            fp32,
            {"chunk": 16, "sort": True, "im": True, "dtype": torch.bfloat16},
        ),
    ]
    bf16 = AutoModel.from_pretrained(d, dtype=torch.bfloat16).eval()
    variants.append(
        ("bf16 weights, sorted, chunks of 16", per_doc, bf16, {"chunk": 16, "sort": True, "im": True})
    )
    try:
        from torch.ao.quantization import quantize_dynamic

        int8 = quantize_dynamic(  # type: ignore[no-untyped-call]
            AutoModel.from_pretrained(d).eval(), {torch.nn.Linear}, dtype=torch.qint8
        )
        variants.append(
            ("int8 dynamic quant, sorted, chunks 16", per_doc, int8, {"chunk": 16, "sort": True, "im": True})
        )
    except Exception as e:  # noqa: BLE001 - the API is deprecated; report, do not fail the profile
        print(f"int8 dynamic quantisation unavailable: {type(e).__name__}: {e}")

    with torch.inference_mode():
        reference = per_doc(fp32, None, False)
    rows = []
    for name, fn, model, options in variants:
        kw = dict(options)
        im = kw.pop("im", False)
        times = []
        out: list[Any] = []
        for _ in range(repeats):
            t = time.perf_counter()
            ctx = torch.inference_mode() if im else torch.no_grad()
            with ctx:
                out = fn(model, **kw)
            times.append((time.perf_counter() - t) * 1000 / len(docs))
        cos = (
            min(float((a * b).sum(-1).min()) for a, b in zip(out, reference, strict=True))
            if out
            else math.nan
        )
        rows.append(
            {
                "variant": name,
                "threads": threads,
                "ms_per_article": statistics.median(times),
                "min_cosine_vs_fp32": cos,
            }
        )
    return rows


def profile_engines(args: argparse.Namespace) -> int:
    """Encoder lever table (1 and 2 threads), then cProfile and torch-profiler tables of the real
    engines on batches of 8 articles. Prints timings only, never text."""
    import cProfile
    import io
    import pstats

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
        from service.schemas import SummaryOptions

        settings = load_settings({}, engines=args.engines)
        engines = build_engines(settings)
        torch.set_num_threads(settings.threads)
        engines.summary.load()
        engines.summary.warmup()
    except Exception as e:  # noqa: BLE001 - the engines may not be finished yet; the table above stands
        print(f"engines not profiled: {type(e).__name__}: {e}")
    else:
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
        from torch.profiler import ProfilerActivity, profile

        with profile(activities=[ProfilerActivity.CPU]) as tp:
            for b in batches[:2]:
                engines.summary.summarize_batch([(x, opts) for x in b])
        table = tp.key_averages().table(sort_by="self_cpu_time_total", row_limit=15)
        print("\ntorch profiler, summary engine, 2 batches of 8:")
        print(table)
        result.update(
            {
                "summary_ms_per_article": summary_ms,
                "quotes_ms_per_article": quotes_ms,
                "cprofile_top": buf.getvalue(),
                "torch_profile": table,
            }
        )
    out = args.out.with_name("bench-profile.json") if args.out.name == "bench.json" else args.out
    write_results(nan_to_none(result), out)
    print(f"results: {out}")
    return 0

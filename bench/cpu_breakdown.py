"""Where an article's CPU goes, in-process, with the service's own settings and engines.

``python -m bench.cpu_breakdown [--data FRANK.jsonl] [--batch 4]`` loads the engines as the
server does (``Settings.from_env``, ``configure_threads``), then runs every FRANK CNN/DM article
once through language detection, quotes and the summary engine in micro-batches of ``--batch``
documents (4 is the mean batch at c=8), and prints CPU milliseconds per article (process CPU time,
all threads) for each stage, and inside the summary: tokenisation, the encoder's batches (CPU of
the stream threads themselves) and what the rest of ``summarize_batch`` costs. Every figure is a
CPU time of the same run; compare ratios, not milliseconds across runs.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.articles import DEFAULT_DATA, load_articles


class _Clock:
    """Accumulated CPU seconds per stage; thread-safe enough for ``+=`` under the GIL."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}

    def add(self, name: str, seconds: float) -> None:
        self.cpu[name] = self.cpu.get(name, 0.0) + seconds

    @contextmanager
    def process(self, name: str) -> Iterator[None]:
        t = time.process_time()
        try:
            yield
        finally:
            self.add(name, time.process_time() - t)


def _wrap_thread_cpu(clock: _Clock, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` timed with the calling thread's CPU (the stream threads run concurrently)."""

    def timed(*args: Any, **kwargs: Any) -> Any:
        t = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            clock.add(name, time.thread_time() - t)

    return timed


def _instrument(engines: Any, clock: _Clock) -> None:
    """Time the tokenizer and the encoder's batches inside the summary engine."""
    encoder = engines.summary.extractive._encoder  # the bench looks inside on purpose
    encoder._encode_rows = _wrap_thread_cpu(clock, "encoder batches (stream threads)", encoder._encode_rows)
    encoder.tokenizer = _TimedTokenizer(encoder.tokenizer, clock)


class _TimedTokenizer:
    """The tokenizer with its calls timed; every other attribute passes through."""

    def __init__(self, tok: Any, clock: _Clock) -> None:
        self._tok = tok
        self._call = _wrap_thread_cpu(clock, "tokenise", tok.__call__)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._call(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tok, name)


def run(texts: list[str], batch: int) -> dict[str, float]:
    """CPU ms per article per stage over ``texts``."""
    from service.config import load_settings
    from service.engines.factory import build_engines, configure_threads
    from service.schemas import SummaryOptions

    settings = load_settings()
    configure_threads(settings)
    engines = build_engines(settings)
    engines.summary.load()
    engines.quotes.load()
    engines.language.load()
    engines.summary.warmup()
    clock = _Clock()
    _instrument(engines, clock)
    options = SummaryOptions()
    for text in texts:
        with clock.process("language"):
            engines.language.detect(text)
        with clock.process("quotes"):
            engines.quotes.extract(text)
    for i in range(0, len(texts), batch):
        with clock.process("summary (summarize_batch, all threads)"):
            engines.summary.summarize_batch([(t, options) for t in texts[i : i + batch]])
    n = len(texts)
    return {k: 1000 * v / n for k, v in clock.cpu.items()}


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--batch", type=int, default=4, help="documents per summary call (default 4)")
    p.add_argument("--max-articles", type=int, default=None)
    args = p.parse_args(argv)
    texts, source = load_articles(args.data, args.max_articles)
    ms = run(texts, args.batch)
    wait = os.environ.get("OMP_WAIT_POLICY")
    print(f"{len(texts)} articles ({source}), batch {args.batch}, OMP_WAIT_POLICY={wait}")
    for name, v in ms.items():
        print(f"{v:8.1f} CPU ms/article  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

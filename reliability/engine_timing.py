"""Child process: time one text engine on the pathological texts (CPU seconds), one JSON line per case.

``python -m reliability.engine_timing ENGINE CASE...`` with ENGINE one of ``split`` (sentence
splitter), ``story`` (story sentences with page-noise removal), ``quotes`` (RuleQuoteEngine) or
``summary`` (the real summary engine, loaded first). The parent enforces the time limit per case by
killing this process, so a quadratic case costs the limit, not its full run time.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

import structlog

from reliability.texts import long_article, pathological

#: The case name of an ordinary article as long as the longest pathological text: what the same
#: engine costs on normal news of that size on this host, the yardstick for the model-backed engine.
ORDINARY = "ordinary_long_article"


def _engine(name: str) -> Callable[[str], object]:
    if name == "split":
        from service.engines.text import split_sentences

        return split_sentences
    if name == "story":
        from service.engines.text import story_sentences

        return story_sentences
    if name == "quotes":
        from service.engines.quotes import RuleQuoteEngine

        return RuleQuoteEngine().extract
    if name == "summary":
        from service.engines.summarizer import SummarizerConfig, create_summary_engine
        from service.schemas import SummaryOptions

        engine = create_summary_engine(SummarizerConfig())
        engine.load()
        engine.warmup()
        return lambda text: engine.summarize_batch([(text, SummaryOptions())])
    raise SystemExit(f"unknown engine {name}")


def main(argv: list[str]) -> int:
    """Time each named case and print ``{"case": ..., "seconds": ...}`` as it finishes."""
    # stdout carries the JSON protocol to the parent: engine logs go to stderr.
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))
    fn = _engine(argv[0])
    texts = pathological()
    texts[ORDINARY] = long_article(max(len(t) for t in texts.values()))
    print(json.dumps({"ready": True}), flush=True)
    # CPU time, not wall time: other jobs on a shared host stretch the wall clock, not the work.
    # The summariser computes on torch's threads too, so it is timed by the whole process's clock.
    clock = time.process_time if argv[0] == "summary" else time.thread_time
    for case in argv[1:]:
        t = clock()
        fn(texts[case])
        print(json.dumps({"case": case, "seconds": round(clock() - t, 3)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

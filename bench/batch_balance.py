"""How evenly one article's encoder batches split over two streams:
``python -m bench.batch_balance [--data FRANK.jsonl]``.

For every article (FRANK CNN/DM, or generated ones without the file) the candidates are tokenised
and cut by ``models.loaders._document_batches``; each batch costs its padded size (rows x longest)
and the batches go, largest first, to the less loaded of two streams. Prints the mean and median
of the larger stream's load over the mean (1.0: both finish together, what c=1 latency rests on)
and the padded tokens in all. Deterministic: no timing.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from bench.articles import DEFAULT_DATA, load_articles


def balance(ids_per_doc: list[list[list[int]]], batch_size: int = 16) -> tuple[list[float], int]:
    """Per document the larger of two streams' padded tokens over their mean; all padded tokens."""
    from models.loaders import _document_batches

    ratios, total = [], 0
    for ids in ids_per_doc:
        batches = _document_batches(ids, range(len(ids)), batch_size)
        costs = sorted((len(b) * max(len(ids[i]) for i in b) for b in batches), reverse=True)
        loads = [0, 0]
        for c in costs:
            loads[loads.index(min(loads))] += c
        total += sum(costs)
        if sum(loads):
            ratios.append(max(loads) / (sum(loads) / 2))
    return ratios, total


def main(argv: list[str] | None = None) -> int:
    """Print the balance of FRANK's articles."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = p.parse_args(argv)
    from models.loaders import load_encoder
    from service.engines.summarizer.candidates import candidate_sentences

    texts, source = load_articles(args.data)
    enc = load_encoder(dtype="float32")
    docs = []
    for text in texts:
        sents = [s.text for s in candidate_sentences(text)[0]]
        docs.append(enc.tokenizer(sents, truncation=True, max_length=enc.max_tokens)["input_ids"])
    ratios, total = balance(docs)
    print(
        f"{len(texts)} articles ({source}): larger stream / mean {statistics.mean(ratios):.3f} "
        f"(median {statistics.median(ratios):.3f}), padded tokens {total}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

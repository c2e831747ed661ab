"""How one document's sentences are cut into encoder batches (models.loaders._document_batches):
every sentence once, sorted by length, at most ``batch_size`` per batch, as few batches as that
allows (two from SPLIT_FROM sentences), and the cut that makes the padded sizes most even."""

from __future__ import annotations

import itertools
import random

import pytest

from models.loaders import SPLIT_FROM, _document_batches, _even_cuts


def _ids(lengths: list[int]) -> list[list[int]]:
    return [[1] * n for n in lengths]


def _padded(ids: list[list[int]], batch: list[int]) -> int:
    return len(batch) * max(len(ids[i]) for i in batch)


def _brute_force(lengths: list[int], count: int, size: int) -> int:
    """The smallest largest padded size over every way to cut ``lengths`` into ``count`` runs."""
    n, best = len(lengths), None
    for inner in itertools.combinations(range(1, n), count - 1):
        cuts = [0, *inner, n]
        runs = list(itertools.pairwise(cuts))
        if any(b - a > size for a, b in runs):
            continue
        worst = max((b - a) * lengths[b - 1] for a, b in runs)
        best = worst if best is None else min(best, worst)
    assert best is not None
    return best


@pytest.mark.parametrize("seed", range(20))
def test_cuts_are_optimal_and_every_sentence_is_kept_once(seed: int) -> None:
    rng = random.Random(seed)
    lengths = [rng.randint(3, 60) for _ in range(rng.randint(1, 14))]
    ids = _ids(lengths)
    size = rng.choice([4, 6, 16])
    batches = _document_batches(ids, range(len(ids)), size)
    assert sorted(i for b in batches for i in b) == list(range(len(ids)))
    assert all(0 < len(b) <= size for b in batches)
    flat = [len(ids[i]) for b in batches for i in b]
    assert flat == sorted(flat)
    count = max(-(-len(ids) // size), 2 if len(ids) >= SPLIT_FROM else 1)
    assert len(batches) == count
    assert max(_padded(ids, b) for b in batches) == _brute_force(sorted(lengths), count, size)


def test_long_sentences_get_the_smaller_batch() -> None:
    """Ten short sentences and four long ones: equal row counts would pad 7 rows to the longest;
    the even cut puts fewer, longer rows together, so neither stream waits for the other."""
    ids = _ids([10] * 10 + [40] * 4)
    batches = _document_batches(ids, range(len(ids)), 16)
    assert [len(b) for b in batches] == [10, 4]
    assert [_padded(ids, b) for b in batches] == [100, 160]


def test_short_documents_and_offsets() -> None:
    ids = _ids([5, 9, 7, 30, 2, 4, 8, 6, 3])
    assert _document_batches(ids, range(0, 0), 16) == []
    assert _document_batches(ids, range(2, 5), 16) == [[4, 2, 3]]
    two = _document_batches(ids, range(len(ids)), 16)
    assert len(two) == 2
    assert _even_cuts([1, 2, 3], 1, 16) == [0, 3]

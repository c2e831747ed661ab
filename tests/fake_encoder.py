"""A stand-in for the checker's encoder in unit tests."""

from __future__ import annotations

import numpy as np


class EvenEncoder:
    """Every sentence the same vector: the encoder's features carry no signal here."""

    dim = 4

    def encode_with_tokens(
        self, sentences: list[str]
    ) -> tuple[np.ndarray, list[np.ndarray], list[list[str]]]:
        rows = np.ones((len(sentences), 4), dtype=np.float32) / 2
        return (
            rows,
            [np.ones((2, 4), dtype=np.float32) / 2 for _ in sentences],
            [["a", "b"] for _ in sentences],
        )

"""``HashingEmbedder``: a small deterministic embedder for plumbing tests; it needs no model."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from docmine.embed.protocol import normalise


class HashingEmbedder:
    """Hashed character 3-5-grams of the lower-cased text (signed feature hashing); no model needed.

    Deterministic across processes and platforms (blake2b, not ``hash()``). Shares n-grams, so texts
    with common words land close together; it knows nothing about meaning.
    """

    def __init__(self, dim: int = 64, ngrams: tuple[int, ...] = (3, 4, 5)) -> None:
        if dim < 2:
            raise ValueError("dim must be at least 2")
        self.dim = dim
        self.ngrams = ngrams
        self.name = f"hashing:{dim}"

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        s = f" {' '.join(text.lower().split())} "
        for n in self.ngrams:
            for i in range(max(len(s) - n + 1, 0)):
                h = int.from_bytes(hashlib.blake2b(s[i : i + n].encode(), digest_size=8).digest(), "little")
                v[h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        if not v.any():
            v[0] = 1.0  # empty text: a fixed unit vector instead of NaN
        return v

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return normalise(np.stack([self._one(t) for t in texts]))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_passages(texts)

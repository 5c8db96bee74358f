"""The sentence-transformers backend: any model by name or path, run by torch on the CPU.

torch and sentence-transformers are imported on first use, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from docmine.config import DEFAULT_EMBEDDING_MODEL
from docmine.embed.sources import prompts_for, resolve_model_path
from docmine.errors import ModelNotFound


def quiet_transformers() -> None:
    """No weight-loading progress bars in docmine's own output (our progress bars say what happens)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or path, run by torch on the CPU; loads on first use."""

    def __init__(self, model: str = DEFAULT_EMBEDDING_MODEL, *, cache_dir: Path, batch_size: int = 16) -> None:
        self.model = model
        self.name = f"st:{model}"
        self.batch_size = batch_size
        self._cache_dir = cache_dir
        self._st: Any = None
        self._prompts: dict[str, str] = {}

    def _load(self) -> Any:
        if self._st is None:
            path = resolve_model_path(self.model, self._cache_dir)
            try:
                from sentence_transformers import SentenceTransformer

                quiet_transformers()
                st = SentenceTransformer(path, device="cpu", local_files_only=True)
            except (OSError, ValueError) as exc:
                raise ModelNotFound(
                    f"Could not load embedding model {self.model!r}: {exc}",
                    hint="Check that the folder is a complete sentence-transformers model.",
                ) from exc
            self._prompts = prompts_for(path, self.model)
            self._st = st
        return self._st

    @property
    def dim(self) -> int:
        st = self._load()
        get = getattr(st, "get_sentence_embedding_dimension", None) or st.get_embedding_dimension
        return int(get())

    def _encode(self, texts: Sequence[str], kind: str) -> np.ndarray:
        st = self._load()
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        prefix = self._prompts.get(kind, "")
        out = st.encode(
            [prefix + t for t in texts],
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(out, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "passage")

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query")

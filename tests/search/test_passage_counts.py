"""Passages per document, as the hybrid prior against documents of many passages reads them: a document split
out of a Woo bundle counts the passages on its own pages, the bundle the rest."""

from __future__ import annotations

from pathlib import Path

from woo_release import make_release

from docmine.config import Settings
from docmine.service import Docmine


def test_split_out_documents_count_their_own_passages(tmp_path: Path) -> None:
    release = make_release(tmp_path / "release", seed=3)
    settings = Settings(db=tmp_path / "case.db", jobs=1, embed=False, extract=False, cache_dir=tmp_path / "cache")
    with Docmine(settings) as dm:
        dm.ingest([release.folder])
        children = dm.woo_children()
        assert len(children) >= 3  # the premise: the bundle was split
        owners: dict[str, int] = {}
        for row in dm.store.passages(dm.store.all_passage_ids()).values():
            owners[row.ref.doc_id] = owners.get(row.ref.doc_id, 0) + 1
        assert set(children) <= set(owners)
        assert dm.store.passages_per_document(owners) == owners
        assert sum(dm.store.passages_per_document(children).values()) == sum(owners[c] for c in children)

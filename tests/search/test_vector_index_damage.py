"""A damaged vector index is set aside and made again from the vectors the case file stores (nothing re-embedded)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hashing_case import hashing_case

from docmine.config import Settings
from docmine.search.vectors import index_path_for
from docmine.service import Docmine

DOCS = {
    "inkoop.txt": "De gemeente koopt specialistische jeugdhulp in via het Open House model.",
    "wachtlijst.txt": "De wachtlijsten in de jeugd-ggz zijn opgelopen tot veertien weken.",
    "begroting.txt": "De begroting voor jeugdzorg stijgt in 2022 met 4 miljoen euro.",
}


@pytest.mark.parametrize("damage", ["garbage", "not ours"])
def test_a_damaged_index_is_rebuilt_from_the_case_file(tmp_path: Path, damage: str) -> None:
    with hashing_case(tmp_path, DOCS) as dm:
        before = [h.passage_id for h in dm.search("wachtlijsten jeugd-ggz", mode="semantic")]
    folder = index_path_for(tmp_path / "case.db")
    meta = folder / "meta.json"
    broken = "{not json" if damage == "garbage" else '{"format": "something-else"}'
    meta.write_text(broken, encoding="utf-8")
    settings = Settings(db=tmp_path / "case.db", jobs=1, embed=True, extract=False, embedding_model="hashing:64")
    with Docmine(settings) as dm:
        after = dm.search("wachtlijsten jeugd-ggz", mode="semantic")
        assert [h.passage_id for h in after] == before
    aside = folder.with_name(folder.name + ".damaged")
    assert (aside / "meta.json").read_text(encoding="utf-8") == broken  # kept aside, as it was
    assert meta.read_text(encoding="utf-8") != broken  # a new index in its place
    with sqlite3.connect(tmp_path / "case.db") as conn:  # the stored vectors were used, not made again
        assert conn.execute("SELECT count(*) FROM embeddings").fetchone()[0] >= len(DOCS)

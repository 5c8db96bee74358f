"""A file name that is not UTF-8 (Latin-1 names from old Windows shares) is stored byte for byte, shown with
replacement characters, and found again as the same file."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docmine.cli import app
from docmine.config import Settings
from docmine.service import Docmine

NAME = b"besluit caf\xe9 \xbd.txt"  # Latin-1: e-acute and one-half, not UTF-8


@pytest.fixture
def latin1(tmp_path: Path) -> Path:
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse names that are not UTF-8")
    folder = tmp_path / "woo"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), NAME), "wb") as fh:
        fh.write(b"Het college besluit de subsidie aan het buurthuis in Groningen te verlengen.")
    return folder


def test_a_latin1_file_name_is_stored_losslessly(tmp_path: Path, latin1: Path) -> None:
    settings = Settings(db=tmp_path / "case.db", jobs=1, embed=False, extract=True, ner_model="none")
    with Docmine(settings) as dm:
        report = dm.ingest([latin1])
        assert [Path(d.path).name for d in report.ingested] == [os.fsdecode(NAME)] and not report.failed
        (info,) = dm.documents()
        assert info.path == str(latin1 / "besluit caf\ufffd \ufffd.txt")
        assert info.raw_path == os.fsencode(latin1) + b"/" + NAME
        assert os.path.isfile(info.fs_path) and os.fsencode(info.fs_path) == info.raw_path
        assert dm.document(info.doc_id[:10]).fs_path == info.fs_path
        hits = dm.search("buurthuis", mode="text")
        assert [h.path for h in hits] == [info.path]
        again = dm.ingest([latin1])  # the same name is recognised as stored
        assert not again.ingested and [Path(p).name for p, _ in again.duplicates] == [os.fsdecode(NAME)]
        rows = list(dm.table_rows("documents"))
        assert [r["path"] for r in rows] == [info.path]

    result = CliRunner().invoke(app, ["--db", str(settings.db), "docs", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["path"].endswith("besluit caf\ufffd \ufffd.txt")


def test_a_copy_under_a_latin1_name_is_listed_as_a_duplicate(tmp_path: Path, latin1: Path) -> None:
    other = tmp_path / "elders"
    other.mkdir()
    data = (latin1 / os.fsdecode(NAME)).read_bytes()
    (other / "kopie.txt").write_bytes(data)
    settings = Settings(db=tmp_path / "case.db", jobs=1, embed=False, extract=False)
    with Docmine(settings) as dm:
        dm.ingest([other])
        dm.ingest([latin1])
        dups = dm.documents("duplicate")
    assert len(dups) == 1 and dups[0].fs_path == str(latin1 / os.fsdecode(NAME))
    assert dups[0].error == f"same bytes as {other / 'kopie.txt'}"

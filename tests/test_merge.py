"""docmine merge: case files built apart become one, as if the folder had been ingested in one go."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from casedump import dump_tables
from docfactory import LETTER, make_pdf
from typer.testing import CliRunner

from docmine.cli import app
from docmine.config import Settings
from docmine.service import Docmine

# Columns that say when, not what.
TABLES = {
    "documents": "doc_id",
    "pages": "doc_id, number",
    "passages": "id",
    "mentions": "id",
    "claims": "id",
    "embeddings": "content_hash, model",
}


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    return dump_tables(db, TABLES)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    for part, n in (("a", 2), ("b", 2)):
        (root / part).mkdir(parents=True)
        for i in range(n):
            text = f"{LETTER}\n\nHet budget voor jeugdhulp bedraagt {i + 1},5 miljoen euro. Deel {part}{i}."
            make_pdf(root / part / f"brief{i}.pdf", [text, f"Wethouder Jansen zegt dat het tekort {i}00.000 euro is."])
    (root / "b" / "kapot.pdf").write_bytes(b"\x89\x01\x02" * 500)
    return root


def ingest(settings: Settings, db: Path, *paths: Path) -> None:
    with Docmine(settings.with_overrides(db=db)) as dm:
        dm.ingest(list(paths))


@pytest.fixture
def facts(settings: Settings) -> Settings:
    return settings.with_overrides(extract=True, embed=True, embedding_model="hashing:64")


def test_merged_shards_equal_one_ingest(tmp_path: Path, folder: Path, facts: Settings) -> None:
    ingest(facts, tmp_path / "a.db", folder / "a")
    ingest(facts, tmp_path / "b.db", folder / "b")
    ingest(facts, tmp_path / "whole.db", folder)
    with Docmine(facts.with_overrides(db=tmp_path / "out.db")) as dm:
        done = dm.merge([tmp_path / "a.db", tmp_path / "b.db"])
        assert [(c.documents, c.duplicates) for _, c in done] == [(2, 0), (3, 0)]
        # the full-text and vector indexes answer for documents of both shards
        hits = dm.search("jeugdhulp budget", limit=20, mode="text")
        assert {Path(h.path).parent.name for h in hits} == {"a", "b"}
        hybrid = dm.search("jeugdhulp budget", limit=20)
        assert hybrid.mode == "hybrid" and hybrid.notice is None
    expected, got = dump(tmp_path / "whole.db"), dump(tmp_path / "out.db")
    for table in TABLES:
        assert got[table] == expected[table], table
    assert len(got["claims"]) >= 4 and len(got["embeddings"]) > 0


def test_documents_once_and_a_failed_copy_replaced(tmp_path: Path, folder: Path, facts: Settings) -> None:
    ingest(facts, tmp_path / "a.db", folder / "a")
    ingest(facts, tmp_path / "ab.db", folder / "a", folder / "b")
    failed = tmp_path / "failed.db"
    ingest(facts, failed, folder / "b")
    conn = sqlite3.connect(failed)
    with conn:  # as if this machine had failed on one file that another machine read
        conn.execute("UPDATE documents SET status = 'failed' WHERE path LIKE '%brief0.pdf'")
        conn.execute("DELETE FROM pages WHERE doc_id IN (SELECT doc_id FROM documents WHERE status = 'failed')")
    conn.close()
    with Docmine(facts.with_overrides(db=tmp_path / "out.db")) as dm:
        done = dm.merge([failed, tmp_path / "a.db", tmp_path / "ab.db"])
        assert [(c.documents, c.duplicates) for _, c in done] == [(3, 0), (2, 0), (1, 4)]
        statuses = sorted((Path(d.path).parent.name, Path(d.path).name, d.status) for d in dm.documents())
    assert statuses == [
        ("a", "brief0.pdf", "ok"), ("a", "brief1.pdf", "ok"),
        ("b", "brief0.pdf", "ok"), ("b", "brief1.pdf", "ok"), ("b", "kapot.pdf", "failed"),
    ]  # fmt: skip
    out = dump(tmp_path / "out.db")
    assert len(out["pages"]) == 8
    assert len({(r[1], r[2], r[3]) for r in out["passages"]}) == len(out["passages"])  # no passage twice


def test_merge_command(tmp_path: Path, folder: Path, facts: Settings) -> None:
    ingest(facts, tmp_path / "a.db", folder / "a")
    ingest(facts, tmp_path / "b.db", folder / "b")
    out = tmp_path / "out.db"
    env = {"DOCMINE_EMBEDDING_MODEL": "hashing:64", "DOCMINE_CACHE_DIR": str(tmp_path / "cache")}
    result = CliRunner().invoke(app, ["merge", str(tmp_path / "a.db"), str(tmp_path / "b.db"), "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert "a.db: 2 documents added, 0 already present" in result.output
    assert f"{out}: 5 documents" in result.output.replace("\n", "")
    missing = CliRunner().invoke(app, ["merge", str(tmp_path / "nope.db"), "-o", str(tmp_path / "x.db")], env=env)
    assert missing.exit_code == 1 and "no case file at" in missing.output and "Traceback" not in missing.output
    assert not (tmp_path / "x.db").exists()
    into_itself = CliRunner().invoke(app, ["merge", str(out), "-o", str(out)], env=env)
    assert into_itself.exit_code == 1 and "is also the output" in into_itself.output


def test_a_source_that_is_not_a_case_file_stops_the_merge_before_it_starts(
    tmp_path: Path, folder: Path, facts: Settings
) -> None:
    """It was found in the middle: the sources before it were merged, the rest not."""
    import sqlite3

    ingest(facts, tmp_path / "a.db", folder / "a")
    notes = tmp_path / "notes.sqlite"
    with sqlite3.connect(notes) as conn:
        conn.execute("CREATE TABLE boodschappen (wat TEXT)")
    out = tmp_path / "out.db"
    env = {"DOCMINE_EMBEDDING_MODEL": "hashing:64", "DOCMINE_CACHE_DIR": str(tmp_path / "cache")}
    result = CliRunner().invoke(app, ["merge", str(tmp_path / "a.db"), str(notes), "-o", str(out)], env=env)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{notes} is a SQLite database of another program" in result.output
    assert "merge takes case files made by docmine" in result.output
    assert not out.exists()
    (tmp_path / "leeg.db").touch()
    empty = CliRunner().invoke(
        app, ["merge", str(tmp_path / "a.db"), str(tmp_path / "leeg.db"), "-o", str(out)], env=env
    )
    assert empty.exit_code == 1 and f"{tmp_path / 'leeg.db'} is empty" in empty.output.replace("\n", "")
    assert not out.exists()


def test_ray_flag_without_ray_says_how_to_install(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = "import sys; sys.modules['ray'] = None; from docmine.cli import run; sys.argv[0] = 'docmine'; run()"
    db = tmp_path / "case.db"
    result = subprocess.run(
        [sys.executable, "-c", code, "--db", str(db), "ingest", str(tmp_path), "--ray"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Ray is not installed" in result.stderr and "pip install 'docmine[ray]'" in result.stderr
    assert "Traceback" not in result.stderr and not db.exists()

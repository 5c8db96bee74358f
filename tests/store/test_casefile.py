"""What a file given as the case file is: new, ours, older (backed up, then upgraded), newer or another
program's (both refused and left byte for byte as they were)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from store.conftest import cli, old_schema_file

from docmine.errors import StoreError
from docmine.model import Filters
from docmine.store import Store
from docmine.store.casefile import APPLICATION_ID
from docmine.store.migrations import LATEST, MIGRATIONS


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def versions(path: Path) -> list[int]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]


def test_a_new_case_file_gets_every_migration_and_says_what_it_is(tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    store = Store.open(db)
    try:
        assert store.schema_version() == LATEST and not store.readonly and store.backup_path is None
    finally:
        store.close()
    assert versions(db) == sorted(v for v, _, _ in MIGRATIONS)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    Store.open(db).close()
    before = digest(db)
    store = Store.open(db)
    assert store.schema_version() == LATEST and store.backup_path is None
    store.close()
    assert digest(db) == before and versions(db) == sorted(v for v, _, _ in MIGRATIONS)
    assert not list(tmp_path.glob("*.bak-*"))


def test_an_empty_sqlite_file_becomes_a_case_file(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    sqlite3.connect(db).close()  # a zero-byte file
    store = Store.open(db)
    assert store.schema_version() == LATEST
    store.close()


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('boodschappen')")
    conn.close()


def test_another_programs_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite"
    _foreign(db)
    before = digest(db)
    with pytest.raises(StoreError) as caught:
        Store.open(db)
    assert (
        caught.value.message
        == f"{db} is a SQLite database of another program, not a docmine case file (it holds documents, notes)"
    )
    assert caught.value.hint == "choose another name for the case file; docmine leaves this one as it is"
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]  # no -wal, -shm or lock file


def test_ingest_into_another_programs_database_is_one_line_and_a_hint(tmp_path: Path, folder: Path) -> None:
    db = tmp_path / "notes.sqlite"
    _foreign(db)
    before = digest(db)
    result = cli("ingest", str(folder), "--jobs", "1", db=db)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"error: {db} is a SQLite database of another program") and lines[1].startswith("hint: ")
    assert len(lines) == 2 and digest(db) == before


def test_a_case_file_of_a_newer_docmine_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    Store.open(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', 'now')", (LATEST + 1,))
    conn.close()
    before = digest(db)
    with pytest.raises(StoreError) as caught:
        Store.open(db)
    assert (
        caught.value.message
        == f"{db} was written by a newer docmine (schema {LATEST + 1}; this one reads up to {LATEST})"
    )
    assert caught.value.hint.startswith("upgrade docmine")
    assert digest(db) == before and not (tmp_path / "case.db-wal").exists()


def test_an_older_case_file_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    old_schema_file(db, version=4)
    store = Store.open(db)
    try:
        assert store.backup_path == tmp_path / "case.db.bak-schema4"
        assert store.schema_version() == LATEST
        # the rebuilt full-text index finds what the old one held
        assert [pid for pid, _ in store.fts_candidates("jeugdzorg", Filters(), 10)] == [1]
    finally:
        store.close()
    assert versions(tmp_path / "case.db.bak-schema4") == [1, 2, 3, 4]
    with sqlite3.connect(tmp_path / "case.db.bak-schema4") as conn:
        assert conn.execute("SELECT text FROM passages").fetchall() == [("De oude jeugdzorg",)]
    conn.close()
    # a second upgrade of another schema-4 file beside it keeps the first backup
    (tmp_path / "case.db").unlink()
    old_schema_file(db, version=4)
    second = Store.open(db)
    second.close()
    assert second.backup_path == tmp_path / "case.db.bak-schema4-2"


def test_datasette_finds_the_full_text_index(tmp_path: Path) -> None:
    utils = pytest.importorskip("datasette.utils")
    fresh = tmp_path / "case.db"
    Store.open(fresh).close()
    old = tmp_path / "old.db"
    old_schema_file(old, version=4)
    with sqlite3.connect(old) as conn:
        assert utils.detect_fts(conn, "passages") is None  # the single-quoted content='passages' of schema 1
    conn.close()
    Store.open(old).close()
    for path in (fresh, old):
        with sqlite3.connect(path) as conn:
            assert utils.detect_fts(conn, "passages") == "passages_fts"
        conn.close()

"""A damaged case file (a copy cut short, a failing disk): one line and a hint from every command, never a traceback.

The damage is real: pages of a real case file are overwritten on disk, found with SQLite's ``dbstat`` table.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from docmine.config import Settings
from docmine.errors import CaseFileDamaged
from docmine.service import Docmine
from docmine.tui.app import unexpected


def _case_file(settings: Settings, tmp_path: Path) -> Path:
    folder = tmp_path / "brieven"
    folder.mkdir()
    for i in range(40):
        (folder / f"brief{i:02d}.txt").write_text(
            f"Brief {i}. De gemeente koopt jeugdhulp in via het Open House model. " * 30, encoding="utf-8"
        )
    with Docmine(settings) as dm:
        dm.ingest([folder])
    return settings.db


def _overwrite(db: Path, table: str) -> None:
    """Overwrite the pages of ``table`` with random bytes (page 1, the schema, stays whole)."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [p for (p,) in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,)) if p > 1]
    except sqlite3.OperationalError as exc:
        pytest.skip(f"this SQLite has no dbstat table: {exc}")
    finally:
        conn.close()
    assert pages, table
    rng = random.Random(7)
    with db.open("r+b") as fh:
        for page in pages:
            fh.seek((page - 1) * size)
            fh.write(bytes(rng.getrandbits(8) for _ in range(size)))


def _docmine(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0"}
    return subprocess.run(
        [sys.executable, "-m", "docmine.cli", "--db", str(db), *args],
        env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
    )  # fmt: skip


def test_a_damaged_index_gives_one_line_and_a_hint(settings: Settings, tmp_path: Path) -> None:
    db = _case_file(settings, tmp_path)
    _overwrite(db, "passages_fts_data")
    done = _docmine(db, "search", "jeugdhulp")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{db} is damaged" in done.stderr and "backup" in done.stderr


def test_a_damaged_schema_is_reported_as_damage_not_as_a_foreign_file(settings: Settings, tmp_path: Path) -> None:
    db = _case_file(settings, tmp_path)
    _overwrite(db, "schema_migrations")
    done = _docmine(db, "docs")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "is damaged" in done.stderr and "not a docmine case file" not in done.stderr
    with pytest.raises(CaseFileDamaged):
        Docmine(settings).close()


def test_the_tui_shows_damage_as_such_not_as_a_bug(settings: Settings, tmp_path: Path) -> None:
    db = _case_file(settings, tmp_path)
    _overwrite(db, "passages")
    conn = sqlite3.connect(db)
    with pytest.raises(sqlite3.DatabaseError) as raised:
        conn.execute("SELECT sum(length(text)) FROM passages").fetchone()
    conn.close()
    shown = unexpected(raised.value)
    assert isinstance(shown, CaseFileDamaged) and "bug" not in shown.hint
    assert "bug" in unexpected(ValueError("x")).hint

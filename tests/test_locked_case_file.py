"""Another program holding SQLite's write lock on the case file (a sqlite3 shell inside a transaction, a database
browser with unsaved changes): reading goes on, writing ends in one line and a hint after the wait, and nothing
stored is lost. It ended in a `sqlite3.OperationalError: database is locked` traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def _docmine(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0", "DOCMINE_JOBS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "docmine.cli", "--db", str(db), *args],
        env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=180,
    )  # fmt: skip


def test_a_write_lock_held_by_another_program(tmp_path: Path) -> None:
    first, second = tmp_path / "eerste", tmp_path / "tweede"
    first.mkdir()
    second.mkdir()
    (first / "brief.txt").write_text("De gemeente Groningen koopt jeugdhulp in via Open House.", encoding="utf-8")
    (second / "besluit.txt").write_text(
        "Het college besluit de wachtlijsten in de jeugdzorg aan te pakken.", encoding="utf-8"
    )
    db = tmp_path / "case.db"
    assert _docmine(db, "ingest", str(first)).returncode == 0
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # what `sqlite3 case.db` does at "BEGIN IMMEDIATE;", and keeps
        blocked = _docmine(db, "ingest", str(second))  # waits for the lock (SQLite's busy timeout), then gives up
        reading = _docmine(db, "search", "jeugdhulp", "--mode", "text")
    finally:
        other.rollback()
        other.close()
    assert blocked.returncode == 1
    assert "Traceback" not in blocked.stderr
    assert f"error: {db} is locked by another program that is writing to it" in blocked.stderr
    assert "run the same command again; nothing stored was lost" in blocked.stderr
    assert reading.returncode == 0 and "Open House" in reading.stdout  # readers are not held up (WAL)
    again = _docmine(db, "ingest", str(second))
    assert again.returncode == 0, again.stderr
    assert "1 ingested, 0 duplicates, 0 failed" in again.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2

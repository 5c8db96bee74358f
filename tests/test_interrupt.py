"""Ctrl-C in the middle of an ingest leaves a consistent case file, and running again resumes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from docfactory import LETTER, make_pdf

N_DOCS = 40


def _ingest_and_interrupt(cmd: list[str], db: Path) -> tuple[int, str]:
    """Start the ingest, send Ctrl-C once two documents are stored; the return code and stderr."""
    # a job started in the background by a non-interactive shell inherits SIGINT as ignored: give the
    # child the default disposition, so Python turns the signal into KeyboardInterrupt as in a terminal
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and stored < 2:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


def _stored(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])


def test_interrupted_ingest_resumes(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(N_DOCS):
        make_pdf(folder / f"brief{i:02d}.pdf", [LETTER + f"\n\nBijlage {i}."] * 6)
    db = tmp_path / "case.db"
    cmd = [sys.executable, "-m", "docmine.cli", "--db", str(db), "ingest", str(folder), "--jobs", "1"]
    # on a loaded machine the whole folder may be stored before the signal lands: then start over (the
    # interrupt must land mid-ingest for the test to mean anything)
    for _ in range(3):
        returncode, err = _ingest_and_interrupt(cmd, db)
        assert "Traceback" not in err
        if _stored(db) < N_DOCS:
            break
        for leftover in tmp_path.glob("case.db*"):
            leftover.unlink()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        # Every stored document is complete: its pages and passages are all there.
        incomplete = conn.execute(
            "SELECT count(*) FROM documents d WHERE page_count != (SELECT count(*) FROM pages p WHERE p.doc_id = d.doc_id)"
        ).fetchone()[0]
        fts = conn.execute("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH 'jeugdhulp'").fetchone()[0]
        passages = conn.execute("SELECT count(*) FROM passages").fetchone()[0]
    assert 0 < docs < N_DOCS and incomplete == 0 and fts > 0 and passages > 0
    if returncode == 130:
        assert "run the same command again to resume" in err
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"{N_DOCS - docs} ingested, {docs} duplicates, 0 failed" in again.stderr

"""Ctrl-C or SIGTERM (kill, timeout) in the middle of an ingest leaves a consistent case file and a message, and
running again resumes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docfactory import LETTER, make_pdf

N_DOCS = 40


def _ingest_and_interrupt(cmd: list[str], db: Path, sig: int, group: bool) -> tuple[int, str]:
    """Start the ingest, send ``sig`` once two documents are stored (to its whole process group when ``group``,
    as a terminal's Ctrl-C or ``timeout`` does); the return code and stderr."""
    # a job started in the background by a non-interactive shell inherits SIGINT as ignored: give the
    # child the default disposition, so Python turns the signal into KeyboardInterrupt as in a terminal
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        start_new_session=group,
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
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


def _stored(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])


@pytest.mark.parametrize(
    ("sig", "jobs", "group"),
    [(signal.SIGINT, 1, False), (signal.SIGTERM, 1, False), (signal.SIGTERM, 2, True)],
    ids=["ctrl-c", "sigterm", "sigterm-to-the-group-with-workers"],
)
def test_interrupted_ingest_resumes(tmp_path: Path, sig: int, jobs: int, group: bool) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(N_DOCS):
        make_pdf(folder / f"brief{i:02d}.pdf", [LETTER + f"\n\nBijlage {i}."] * 6)
    db = tmp_path / "case.db"
    cmd = [sys.executable, "-m", "docmine.cli", "--db", str(db), "ingest", str(folder), "--jobs", str(jobs)]
    # on a loaded machine the whole folder may be stored before the signal lands: then start over (the
    # interrupt must land mid-ingest for the test to mean anything)
    for _ in range(3):
        returncode, err = _ingest_and_interrupt(cmd, db, sig, group)
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
    if sig == signal.SIGTERM:  # the handler is in place long before two documents are stored
        assert returncode == 128 + signal.SIGTERM
    if returncode == 128 + sig:
        assert "run the same command again to resume" in err
        assert "leaked" not in err  # the worker pool was stopped, not abandoned to the resource tracker
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"{N_DOCS - docs} ingested, {docs} duplicates, 0 failed" in again.stderr

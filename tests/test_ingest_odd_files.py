"""Odd things in a folder being ingested: a named pipe is reported (reading it would wait forever), and the case
file with everything docmine keeps beside it is never read as a document."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def _docmine(db: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0"}
    return subprocess.run(
        [sys.executable, "-m", "docmine.cli", "--db", str(db), *args],
        env=env, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_is_reported_not_waited_on(tmp_path: Path) -> None:
    folder = tmp_path / "stukken"
    folder.mkdir()
    (folder / "brief.txt").write_text("De gemeente koopt jeugdhulp in via Open House.", encoding="utf-8")
    os.mkfifo(folder / "notulen.txt")
    done = _docmine(tmp_path / "case.db", "ingest", str(folder), cwd=tmp_path)  # hung until the timeout before
    assert done.returncode == 0, done.stderr
    assert "1 ingested" in done.stderr
    assert "notulen.txt: not a regular file" in done.stderr
    alone = _docmine(tmp_path / "case.db", "ingest", str(folder / "notulen.txt"), cwd=tmp_path)
    assert "not a regular file" in alone.stderr and "no such file" not in alone.stderr


def test_the_case_file_in_the_folder_is_not_ingested(tmp_path: Path) -> None:
    (tmp_path / "brief.txt").write_text("De gemeente koopt jeugdhulp in via Open House.", encoding="utf-8")
    first = _docmine(Path("case.db"), "ingest", ".", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "1 ingested, 0 duplicates, 0 failed" in first.stderr
    (tmp_path / "case.db.bak-schema4").write_bytes(b"SQLite format 3\x00")  # what docmine keeps beside it
    again = _docmine(Path("case.db"), "ingest", ".", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "0 ingested, 1 duplicates, 0 failed" in again.stderr
    assert "case.db" not in again.stderr.replace("-> case.db", "")


def test_standard_input_is_named_as_given(tmp_path: Path) -> None:
    """/dev/stdin resolves to a pipe's name under /proc that no path leads to: it was reported as
    "/proc/<pid>/fd/pipe:[...]: cannot read file (No such file or directory)"."""
    env = {**os.environ, "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "docmine.cli", "--db", str(tmp_path / "case.db"), "ingest", "/dev/stdin"],
        env=env, cwd=tmp_path, capture_output=True, text=True, input="jeugdhulp in Groningen", timeout=120,
    )  # fmt: skip
    assert "failed /dev/stdin: not a regular file" in done.stderr, done.stderr
    assert "/proc/" not in done.stderr


def _case_of_one_letter(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "stukken"
    folder.mkdir()
    (folder / "brief.txt").write_text(f"Brief over jeugdzorg\n\n{body}\n", encoding="utf-8")
    db = tmp_path / "case.db"
    assert _docmine(db, "ingest", str(folder), cwd=tmp_path).returncode == 0
    return db


def test_escape_sequences_in_a_document_never_reach_the_terminal(tmp_path: Path) -> None:
    """A text with terminal escapes (clear the screen, set the window title) printed them through show and
    search. Each control character is stored as U+FFFD, one for one, so every offset still points right."""
    body = "De gemeente Utrecht \x1b[2J\x1b]0;gehackt\x07 betaalt \x1b[31m5 miljoen\x1b[0m euro voor jeugdzorg."
    db = _case_of_one_letter(tmp_path, body)
    found = _docmine(db, "search", "jeugdzorg", "--json", cwd=tmp_path)
    hit = json.loads(found.stdout.splitlines()[0])
    shown = _docmine(db, "show", hit["doc_id"], "--start", str(hit["start"]), "--end", str(hit["end"]), cwd=tmp_path)
    printed = _docmine(db, "search", "jeugdzorg", cwd=tmp_path)
    for run in (found, shown, printed):
        assert run.returncode == 0, run.stderr
        assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    assert body.replace("\x1b", "\ufffd").replace("\x07", "\ufffd") in shown.stdout


def test_escape_sequences_stored_by_an_older_docmine_never_reach_the_terminal(tmp_path: Path) -> None:
    """A case file written before control characters were cleaned on the way in still holds them; they are
    cleaned on the way out too (page, passage, title, mention, claim and timeline text)."""
    import sqlite3

    db = _case_of_one_letter(
        tmp_path, "De gemeente Utrecht besloot op 1 maart 2021 tot inkoop van jeugdzorg voor 5 miljoen euro."
    )
    assert _docmine(db, "extract", "--all", cwd=tmp_path).returncode == 0
    hostile = "\x1b[2J\x1b]0;gehackt\x07"
    with sqlite3.connect(db) as con:  # what the older version stored: the same length, escapes in place
        for table, column in (("pages", "text"), ("passages", "text"), ("documents", "title"), ("claims", "sentence")):
            con.execute(f"UPDATE {table} SET {column} = replace({column}, 'De gemeente', ?)", ("De " + hostile,))
        con.execute("UPDATE mentions SET text = ? || text", (hostile,))
    found = _docmine(db, "search", "jeugdzorg", "--json", cwd=tmp_path)
    hit = json.loads(found.stdout.splitlines()[0])
    runs = [
        found,
        _docmine(db, "show", hit["doc_id"], "--page", "1", cwd=tmp_path),
        _docmine(db, "search", "jeugdzorg", cwd=tmp_path),
        _docmine(db, "docs", cwd=tmp_path),
        _docmine(db, "mentions", cwd=tmp_path),
        _docmine(db, "claims", cwd=tmp_path),
        _docmine(db, "timeline", cwd=tmp_path),
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "\x1b" not in run.stdout and "\x07" not in run.stdout, run.args
    assert "\ufffd[2J" in runs[1].stdout

"""The real command in a pseudo-terminal: type a query, open the first hit, read the page label, quit with q."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from docmine.config import Settings

DOWN = "\x1b[B"
F4 = "\x1bOS"


def test_tui_in_a_pseudo_terminal(case: Settings) -> None:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "24"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "docmine.tui.command", "--db", str(case.db)],
        env=env,
        dimensions=(24, 100),
        encoding="utf-8",
        timeout=15,
    )
    try:
        child.expect("type a query and press Enter")
        child.send("aanbesteding")
        time.sleep(0.2)
        child.send("\r")
        child.expect("2 hits for")
        time.sleep(0.2)
        child.send(DOWN)
        time.sleep(0.3)  # a person's pause: focus moves after the key is handled
        child.send("\r")
        child.expect("pagina 3 van 4")
        child.send("q")
        child.expect(pexpect.EOF)
    except pexpect.ExceptionPexpect as exc:  # pragma: no cover - shows what the screen held
        pytest.fail(f"{type(exc).__name__}; last output: {child.before!r}")
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_sigterm_quits_and_gives_the_terminal_back(case: Settings) -> None:
    """kill or timeout (SIGTERM): killed outright, the app left the terminal in its alternate screen
    with mouse reporting on (the shell behind it unusable until `reset`)."""
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "24"}
    child = pexpect.spawn(
        sys.executable, ["-m", "docmine.cli", "--db", str(case.db), "tui"], env=env, dimensions=(24, 100), timeout=15
    )
    try:
        child.expect("type a query and press Enter")
        child.kill(signal.SIGTERM)
        child.expect(pexpect.EOF)
    except pexpect.ExceptionPexpect as exc:  # pragma: no cover - shows what the screen held
        pytest.fail(f"{type(exc).__name__}; last output: {child.before!r}")
    finally:
        child.close(force=True)
    leaving = child.before
    assert b"\x1b[?1049l" in leaving  # back from the alternate screen
    assert b"\x1b[?1000l" in leaving or b"\x1b[?1003l" in leaving  # mouse reporting off
    assert b"Traceback" not in leaving
    assert child.exitstatus == 128 + signal.SIGTERM


def test_quitting_stops_a_running_ingest(tmp_path: Path) -> None:
    """ctrl+q while a long file was read waited for the whole ingest (59 s for a 2 MB text); now the ingest stops
    at once, the half-read file is not stored, and the next ingest stores it. With one job, as here, every TUI
    ingest failed ("bad value(s) in fds_to_keep": the worker pool's resource tracker started under Textual)."""
    folder = tmp_path / "post"
    folder.mkdir()
    line = "De gemeente Groningen betaalt Jeugdhulp Noord in 2023 EUR 1,2 miljoen voor jeugdhulp.\n"
    (folder / "mailbox.txt").write_text(line * 12_000, encoding="utf-8")  # ~1 MB: half a minute of reading
    db = tmp_path / "case.db"
    env = {**os.environ, "TERM": "xterm-256color", "DOCMINE_EMBED": "0", "DOCMINE_JOBS": "1"}
    child = pexpect.spawn(
        sys.executable, ["-m", "docmine.cli", "--db", str(db), "tui", "--new"], env=env, dimensions=(30, 110),
        timeout=60,
    )  # fmt: skip
    try:
        child.expect("type a query and press Enter")
        child.send(F4)
        child.expect("Ingest files or a folder")
        child.send(f"{folder}\r")
        child.expect("for entities")  # the stage line of a long file: reading has begun
        started = time.monotonic()
        child.send("\x11")  # ctrl+q
        child.expect(pexpect.EOF, timeout=20)
        waited = time.monotonic() - started
    except pexpect.ExceptionPexpect as exc:  # pragma: no cover - shows what the screen held
        pytest.fail(f"{type(exc).__name__}; last output: {child.before!r}")
    finally:
        child.close(force=True)
    assert child.exitstatus == 0 and b"Traceback" not in child.before
    assert waited < 15  # not the half minute the file needs
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    again = subprocess.run(  # without entities: a minute less, and what is checked is that the file is stored
        [sys.executable, "-m", "docmine.cli", "--db", str(db), "ingest", str(folder)],
        env={**env, "DOCMINE_EXTRACT": "0"}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert "1 ingested, 0 duplicates, 0 failed" in again.stderr, again.stderr

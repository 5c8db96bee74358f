"""The real command in a pseudo-terminal: type a query, open the first hit, read the page label, quit with q."""

from __future__ import annotations

import os
import signal
import sys
import time

import pexpect
import pytest

from docmine.config import Settings

DOWN = "\x1b[B"


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

"""The real command in a pseudo-terminal: type a query, open the first hit, read the page label, quit with q."""

from __future__ import annotations

import os
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

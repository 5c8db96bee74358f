"""Row-writing commands piped into a reader that goes away (``docmine mentions | head -1``): quiet, exit 0.

Real processes and real pipes on a real case file; the reader closes its end as ``head`` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from docfactory import LETTER, make_pdf
from typer.testing import CliRunner

from docmine.cli import app

ENV = {**os.environ, "DOCMINE_JOBS": "1", "DOCMINE_EMBED": "0", "NO_COLOR": "1"}
# Enough facts that the mentions outrun a pipe's buffer (64 KiB on Linux): the writer must meet the closed end.
LINES = 300
FACTS = "De gemeente Groningen betaalde op 1 januari 2020 € 1.000 aan Stichting Jeugdhulp Boven-Twente."

COMMANDS = [
    ("mentions",),
    ("mentions", "--json"),
    ("entities", "--json"),
    ("entities",),
    ("claims",),
    ("claims", "--json"),
    ("docs",),
    ("docs", "--json"),
    ("search", "gemeente"),
    ("search", "gemeente", "--json"),
    ("export", "mentions", "-o", "-"),
    ("export", "mentions", "-o", "-", "--format", "csv"),
    ("trace", "De gemeente Groningen betaalde € 1.000", "--json"),
]


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    (folder / "betalingen.txt").write_text("\n\n".join([FACTS] * LINES), encoding="utf-8")
    make_pdf(folder / "brief.pdf", [LETTER])
    db = folder.parent / "pipes.db"
    result = CliRunner().invoke(app, ["--db", str(db), "ingest", str(folder)], env=ENV)
    assert result.exit_code == 0, result.output
    return db


def _cli(db: Path, args: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", "docmine.cli", "--db", str(db), *args]


def _stderr_alone(db: Path, args: tuple[str, ...]) -> set[str]:
    """What the command says on stderr when nobody closes its output (a notice, a count)."""
    done = subprocess.run(_cli(db, args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.splitlines())


def test_mentions_into_head(case: Path) -> None:
    """The reported case: read one line, then close, while the command still has rows to write."""
    proc = subprocess.Popen(_cli(case, ("mentions",)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) in (0, 141)
    assert first.startswith(b"MUNICIPALITY ") or first.startswith(b"DATE ") or first.startswith(b"ORGANIZATION ")
    assert stderr == ""


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_reader_that_goes_away_ends_output_quietly(case: Path, args: tuple[str, ...]) -> None:
    alone = _stderr_alone(case, args)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first row is written
    proc = subprocess.run(_cli(case, args), stdout=write_end, stderr=subprocess.PIPE, text=True, env=ENV, timeout=120)
    os.close(write_end)
    assert proc.returncode in (0, 141), proc.stderr
    assert set(proc.stderr.splitlines()) <= alone, proc.stderr


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("args", [("search", "gemeente"), ("claims",), ("mentions", "--json")])
def test_output_in_a_locale_without_euro_escapes_it(case: Path, encoding: str, args: tuple[str, ...]) -> None:
    """A terminal or pipe in an ASCII or Latin-1 locale ended the command with a UnicodeEncodeError traceback
    at the first '€' or '…'. It is written as \\u20ac: in JSON the same string, in text still readable."""
    import json

    env = {**ENV, "PYTHONIOENCODING": encoding}
    done = subprocess.run(_cli(case, args), capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode(encoding)
    assert b"Traceback" not in done.stderr
    assert b"\\u20ac" in done.stdout or b"\\u2026" in done.stdout
    if "--json" in args:
        values = [json.loads(line)["text"] for line in done.stdout.decode(encoding).splitlines()]
        assert "€ 1.000" in values


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_json_beyond_the_basic_plane_in_such_a_locale_stays_json(tmp_path: Path, encoding: str) -> None:
    """The backslash fallback wrote U+1F600 as \\U0001f600, which is not a JSON escape: a reader of ``--json``
    in an ASCII locale failed on a file name with an emoji. JSON output there is escaped by JSON's own rules."""
    import json

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "verslag \U0001f600.txt").write_text(FACTS, encoding="utf-8")
    db = tmp_path / "emoji.db"
    result = CliRunner().invoke(app, ["--db", str(db), "ingest", str(folder)], env=ENV)
    assert result.exit_code == 0, result.output
    env = {**ENV, "PYTHONIOENCODING": encoding}
    for args in (
        ("docs", "--json"),
        ("search", "Groningen", "--json"),
        ("export", "documents", "-o", "-", "-f", "jsonl"),
    ):
        done = subprocess.run(_cli(db, args), capture_output=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr.decode(encoding)
        rows = [json.loads(line) for line in done.stdout.decode("ascii").splitlines()]
        assert rows and all(row["path"].endswith("verslag \U0001f600.txt") for row in rows), rows


FULL = Path("/dev/full")  # a device whose every write fails with "no space left on device"


@pytest.mark.skipif(not FULL.is_char_device(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("args", [("mentions",), ("search", "gemeente", "--json"), ("export", "mentions", "-o", "-")])
def test_output_to_a_full_disk_says_it_is_the_output(case: Path, args: tuple[str, ...]) -> None:
    """Standard output on a full disk was reported as the case file's disk being full, with the advice to run
    the command again to resume."""
    with FULL.open("w") as full:
        done = subprocess.run(_cli(case, args), stdout=full, stderr=subprocess.PIPE, text=True, env=ENV, timeout=120)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "error: cannot write the output: No space left on device",
        "hint: free some space where it goes, or send it elsewhere",
    ]

"""``docmine ner`` as users run it: a real process reading a file or its standard input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DOCMINE = Path(sys.executable).parent / "docmine"
TEXT = "Wethouder Jan de Vries (PvdA) zei dat Groningen dit jaar € 2 miljoen extra uitgeeft.\n"


def run(args: list[str], stdin: bytes = b"", tmp_path: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "DOCMINE_DB": str((tmp_path or Path.cwd()) / "none.db")}
    return subprocess.run(
        [str(DOCMINE), "ner", *args], input=stdin, capture_output=True, env=env, timeout=300, check=False
    )


def test_stdin_json_lines_with_offsets_into_the_text(tmp_path: Path) -> None:
    result = run(["-", "--json", "--date", "2017-03-05"], TEXT.encode(), tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [(r["label"], r["text"], r["value"]) for r in rows] == [
        ("PERSON", "Jan de Vries", "Jan de Vries"),
        ("ORGANIZATION", "PvdA", "PvdA"),
        ("MUNICIPALITY", "Groningen", "GM0014"),
        ("DATE", "dit jaar", "2017"),
        ("MONEY", "€ 2 miljoen", 2000000.0),
    ]
    assert all(TEXT[r["start"] : r["end"]] == r["text"] for r in rows)
    assert {"start", "end", "label", "text", "value"} <= set(rows[0])
    assert rows[3]["canonical"] == "2017 (afgeleid: 'dit jaar', document 2017-03-05)"
    assert not (tmp_path / "none.db").exists()  # no case file is made or needed


def test_file_and_plain_output_with_a_bom_and_crlf(tmp_path: Path) -> None:
    # offsets count the text as given: the BOM and the carriage returns are characters too
    path = tmp_path / "brief.txt"
    text = "\ufeffAan de raad\r\nDe gemeente Utrecht betaalt € 300.\r\n"
    path.write_bytes(text.encode("utf-8"))
    result = run([str(path)], tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    lines = [line.split("\t") for line in result.stdout.decode().splitlines()]
    start = text.index("Utrecht")
    assert lines[0] == [str(start), str(start + 7), "MUNICIPALITY", "Utrecht", "GM0344"]
    assert lines[1][2:] == ["MONEY", "€ 300", "300.0"]


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (b"", "standard input holds no text"),
        (b"  \n\t\n", "standard input holds no text"),
        (b"%PDF-1.4\n\x00\x01\x02binary", "standard input looks binary, not plain text"),
        ("Gemeente Zaanstad betaalt".encode("latin-1") + b" \xe9\xe9n euro", "standard input is not UTF-8"),
        (bytes(range(1, 9)) * 50, "standard input looks binary, not plain text"),
    ],
)
def test_bad_input_gets_one_error_line_and_a_hint(tmp_path: Path, stdin: bytes, message: str) -> None:
    result = run(["-"], stdin, tmp_path)
    assert result.returncode == 1
    err = result.stderr.decode().splitlines()
    assert err[0].startswith(f"error: {message}") and err[1].startswith("hint: ")
    assert len(err) == 2 and "Traceback" not in result.stderr.decode()
    assert result.stdout == b""


def test_missing_file_and_bad_date(tmp_path: Path) -> None:
    missing = run([str(tmp_path / "nope.txt")], tmp_path=tmp_path)
    assert missing.returncode == 1 and missing.stderr.decode().startswith(f"error: no file at {tmp_path / 'nope.txt'}")
    folder = run([str(tmp_path)], tmp_path=tmp_path)  # and /dev/zero, which would be read forever
    assert folder.returncode == 1 and folder.stderr.decode().startswith(f"error: {tmp_path} is not a regular file")
    bad = run(["-", "--date", "maart"], b"tekst", tmp_path)
    assert bad.returncode == 1 and bad.stderr.decode().startswith("error: --date 'maart' is not a date")


def test_a_long_text_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    """A text of many megabytes takes minutes: on a terminal a bar says how far it is; in a pipe stderr stays
    empty. (A 21 MB text ran for over ten minutes without a sign.)"""
    import pexpect

    path = tmp_path / "lang.txt"
    path.write_text(TEXT * 800, encoding="utf-8")  # ~70,000 characters: several chunks of the pipeline
    env = {**os.environ, "DOCMINE_DB": str(tmp_path / "none.db"), "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(str(DOCMINE), ["ner", str(path)], env=env, dimensions=(24, 100), timeout=240)
    child.expect(pexpect.EOF)
    child.close()
    shown = child.before.decode("utf-8", "replace")
    assert child.exitstatus == 0
    assert "ner" in shown and "%" in shown  # the bar, with the share read
    assert shown.count("MUNICIPALITY\tGroningen") == 800
    piped = run([str(path)], tmp_path=tmp_path)
    assert piped.returncode == 0 and piped.stderr == b""
    assert piped.stdout.decode().count("MUNICIPALITY\tGroningen") == 800

"""The rows behind export and the checks before the core writer, and the command module staying free of Textual."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from docmine.errors import DocmineError
from docmine.model import Hit, SourceRef
from docmine.tui.tables import export_rows, hit_rows

HITS = [
    Hit(
        SourceRef("a" * 64, 3, 10, 50),
        "/x/r.pdf",
        "Rapport",
        "rapport",
        "2023-09-15",
        1.5,
        "de aanbesteding",
        marks=((3, 15),),
        matched=("aanbesteding",),
        why=("matched: aanbesteding",),
    ),
    Hit(SourceRef("b" * 64, 1, 0, 20), "/x/w.txt", "Woo-besluit", "woo-besluit", None, 0.5, "jeugdhulp € 4,2 miljoen"),
]


def test_rows_follow_the_hits() -> None:
    rows = hit_rows(HITS)
    assert [(r["rank"], r["title"], r["page"], r["date"], r["matched"]) for r in rows] == [
        (1, "Rapport", 3, "2023-09-15", ["aanbesteding"]),
        (2, "Woo-besluit", 1, None, []),
    ]


def test_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "hits.xlsx"
    assert export_rows(hit_rows(HITS), path) == 2
    sheet = load_workbook(path).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("rank", "title", "doc_type")
    assert values[2][:2] == (2, "Woo-besluit")
    assert values[2][6] == "jeugdhulp € 4,2 miljoen"


def test_parquet(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "hits.parquet"
    assert export_rows(hit_rows(HITS), path) == 2
    table = pq.read_table(path)
    assert table.column("title").to_pylist() == ["Rapport", "Woo-besluit"]
    assert table.column("page").to_pylist() == [3, 1]  # typed by the core writer
    assert table.column("date").to_pylist() == [dt.date(2023, 9, 15), None]


@pytest.mark.parametrize(
    ("name", "rows", "hint"),
    [
        ("hits.txt", HITS, "end the name in .csv, .jsonl, .parquet or .xlsx"),
        ("hits.csv", [], "run a search with results first"),
        ("missing/hits.csv", HITS, "create it first or choose another path"),
    ],
)
def test_bad_exports_explain_themselves(tmp_path: Path, name: str, rows: list[Hit], hint: str) -> None:
    with pytest.raises(DocmineError) as info:
        export_rows(hit_rows(rows), tmp_path / name)
    assert info.value.hint == hint


def test_command_module_imports_without_textual() -> None:
    code = "import sys, docmine.tui.command, docmine.tui.tables; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_standalone_command_reports_a_bad_case_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("not a database", encoding="utf-8")
    cmd = [sys.executable, "-m", "docmine.tui.command", "--db", str(bad)]
    result = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=30, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {bad} is not a docmine case file\nhint: ")


@pytest.mark.parametrize("terminal", ["none", "input only"])
def test_the_tui_without_a_terminal_says_so_instead_of_waiting(case, terminal: str) -> None:
    """In a script or CI (no stdin) Textual drew into the pipe and waited for keys forever; with only the input
    a terminal (``docmine tui > log``) it drew into the file."""
    import os
    import pty

    cmd = [sys.executable, "-m", "docmine.cli", "--db", str(case.db), "tui"]
    main, side = pty.openpty()
    try:
        stdin = side if terminal == "input only" else subprocess.DEVNULL
        result = subprocess.run(cmd, capture_output=True, text=True, stdin=stdin, timeout=60)
    finally:
        os.close(main)
        os.close(side)
    assert result.returncode == 1
    assert result.stderr.startswith("error: docmine tui needs a terminal")
    assert "hint: run it in a terminal" in result.stderr
    assert result.stdout == ""

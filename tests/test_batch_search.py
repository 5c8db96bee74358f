"""`docmine search --batch` on a real case file: lines and CSV, accents, absent names, a hostile line, exports,
and bad batch files refused in one line with the case file untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from workbench_case import build, copy_case, run_cli, table_digest

run = run_cli


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("batch"))


@pytest.fixture
def case(built: Path, tmp_path: Path) -> Path:
    return copy_case(built, tmp_path)


def test_batch_of_lines_with_accents_absent_names_and_a_hostile_line(case: Path, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    hostile = '"NEAR(( OR * AND -- ; DROP TABLE passages'
    names.write_text(
        f"# aldermen and providers\nJosé Álvarez\n\nStichting Cordaan\nPietje Puk\n{hostile}\n{'x' * 600}\n",
        encoding="utf-8",
    )
    result = run(case, "search", "--batch", str(names), "--json", "--mode", "text")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    by_query: dict[str, list[dict]] = {}
    for row in rows:
        by_query.setdefault(row["query"], []).append(row)
    # the accented name finds both spellings; ids are the line numbers of the file
    alvarez = by_query["José Álvarez"]
    assert {Path(r["path"]).name for r in alvarez} == {"brief-2021.txt", "brief-2020.txt"}
    assert {r["query_id"] for r in alvarez} == {"2"} and [r["rank"] for r in alvarez] == [1, 2]
    assert all(r["mode"] == "text" and r["start"] < r["end"] and r["page"] == 1 for r in alvarez)
    assert [Path(r["path"]).name for r in by_query["Stichting Cordaan"]] == ["brief-2021.txt"]
    assert "Pietje Puk" not in by_query and hostile not in by_query
    assert "5 queries: 2 with hits, 2 without, 1 not run" in result.stderr
    assert "no hit: 5 'Pietje Puk'" in result.stderr
    assert "line 7 (7) not run: longer than 500 characters (600)" in result.stderr
    assert table_digest(case, "passages")  # the hostile line reached no SQL: the table is there


def test_batch_csv_with_ids_to_parquet_xlsx_and_table(case: Path, tmp_path: Path) -> None:
    import openpyxl
    import pyarrow.parquet as pq

    names = tmp_path / "names.csv"
    names.write_text("id,query,note\nP1,José Álvarez,wethouder\nP2,inkoopplan,\nP3,Onbekende BV,absent\n", "utf-8")
    result = run(case, "search", "--batch", str(names), "-o", str(tmp_path / "hits.parquet"), "--mode", "text")
    assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "hits.parquet").to_pylist()
    assert [(r["query_id"], r["rank"]) for r in table] == [("P1", 1), ("P1", 2), ("P2", 1)]
    assert table[2]["query"] == "inkoopplan" and Path(table[2]["path"]).name == "brief-2020.txt"
    assert isinstance(table[0]["score"], float) and isinstance(table[0]["page"], int)
    assert "no hit: P3 'Onbekende BV'" in result.stderr
    xlsx = run(case, "search", "--batch", str(names), "-o", str(tmp_path / "hits.xlsx"), "--mode", "text")
    assert xlsx.exit_code == 0, xlsx.output
    sheet = openpyxl.load_workbook(tmp_path / "hits.xlsx").active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["query_id", "query", "rank"] and sheet.max_row == 4
    shown = run(case, "search", "--batch", str(names), "--mode", "text")
    assert shown.exit_code == 0 and "P3" in shown.stdout and "Onbekende BV" in shown.stdout


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"\n  \n\t\n", "is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not a text file"),
        ("comments.txt", b"# only a comment\n", "holds no queries"),
        ("names.csv", b"id,naam\n1,Jan Jansen\n", "has no 'query' column (its columns: id, naam)"),
    ],
)
def test_bad_batch_files_are_refused_in_one_line(
    case: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    before = [table_digest(case, t) for t in ("documents", "mentions", "saved_searches")]
    path = tmp_path / name
    path.write_bytes(content)
    result = run(case, "search", "--batch", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr.splitlines()[0]
    assert "Traceback" not in result.output and result.stdout == ""
    assert [table_digest(case, t) for t in ("documents", "mentions", "saved_searches")] == before


def test_query_and_batch_are_exclusive(case: Path, tmp_path: Path) -> None:
    assert "give a query or --batch FILE" in run(case, "search").stderr
    missing = run(case, "search", "--batch", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 1 and "no such batch file" in missing.stderr

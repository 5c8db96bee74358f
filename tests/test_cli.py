"""The docmine command end to end with CliRunner on a real case file; --json output is a public contract."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from docfactory import LETTER, make_pdf
from typer.testing import CliRunner

from docmine.cli import app

runner = CliRunner()
SEARCH_KEYS = {"doc_id", "path", "title", "doc_type", "date", "page", "start", "end", "score", "snippet"}


def run(*args: str, db: Path | None = None):
    argv = (["--db", str(db)] if db else []) + list(args)
    return runner.invoke(app, argv, env={"DOCMINE_JOBS": "1", "DOCMINE_EMBED": "0", "NO_COLOR": "1"})


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "brief.pdf", ["Inleiding.", LETTER])
    (folder / "kapot.pdf").write_bytes(b"%PDF-1.4 afgebroken")
    db = tmp_path / "case.db"
    result = run("ingest", str(folder), db=db)
    assert result.exit_code == 0, result.output
    return db


def test_ingest_summary_lists_failures(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "brief.pdf", [LETTER])
    (folder / "leeg.txt").write_bytes(b"")
    result = run("ingest", str(folder), db=tmp_path / "c.db")
    assert result.exit_code == 0
    assert "1 ingested, 0 duplicates, 1 failed" in result.stderr
    assert "leeg.txt: empty file (0 bytes)" in result.stderr
    again = run("ingest", str(folder), db=tmp_path / "c.db")
    assert "0 ingested, 1 duplicates, 1 failed" in again.stderr


def test_search_json_contract(case: Path) -> None:
    result = run("search", "wanneer gaat de nieuwe inkoop in", "--json", db=case)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows, result.output
    first = rows[0]
    assert set(first) >= SEARCH_KEYS
    assert Path(first["path"]).name == "brief.pdf" and first["page"] == 2 and first["doc_type"] == "raadsbrief"
    assert first["date"] == "2020-12-02" and len(first["doc_id"]) == 64
    assert "<mark>inkoop</mark>" in first["snippet"]
    assert isinstance(first["score"], float) and first["start"] < first["end"]


def test_search_human_output_and_show(case: Path) -> None:
    result = run("search", "jeugdzorgaanbieders", db=case)
    assert result.exit_code == 0
    assert "raadsbrief · 2020-12-02 · p. 2" in result.stdout
    doc_id = json.loads(run("search", "jeugdzorgaanbieders", "--json", db=case).stdout.splitlines()[0])["doc_id"]
    shown = run("show", doc_id[:10], "--page", "2", "--start", "0", "--end", "20", db=case)
    assert shown.exit_code == 0
    assert "pagina 2 van 2" in shown.stdout and "Aan de gemeenteraad van Groningen" in shown.stdout
    assert "[raadsbrief · 2020-12-02]" in shown.stdout


def test_docs_json_lists_failures_with_reasons(case: Path) -> None:
    rows = [json.loads(line) for line in run("docs", "--json", db=case).stdout.splitlines()]
    by_name = {Path(r["path"]).name: r for r in rows}
    assert by_name["brief.pdf"]["status"] == "ok" and by_name["brief.pdf"]["pages"] == 2
    assert by_name["kapot.pdf"]["status"] == "failed"
    assert by_name["kapot.pdf"]["error"].startswith("corrupt or truncated PDF")


def test_stats(case: Path) -> None:
    result = run("stats", "--json", db=case)
    data = json.loads(result.stdout)
    assert data["documents"] == 2 and data["by_status"] == {"failed": 1, "ok": 1} and data["pages"] == 2


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (("search", "--", "-alles"), "the query has nothing to search for", "type at least one word"),
        (("search", "inkoop", "--since", "gisteren"), "--since 'gisteren' is not a date", "YYYY"),
        (("search", "inkoop", "--type", "brief"), "unknown document type 'brief'", "raadsbrief"),
        (("show", "zzzz"), "no document 'zzzz'", "docmine docs"),
        (("ingest", "/nonexistent/folder"), "no such file or folder", "check the path"),
        (("ingest", ".", "--ocr", "soms"), "unknown OCR mode 'soms'", "auto, always or never"),
        # limits that let no file through failed every file as if each were bad; nan broke the arithmetic
        (("ingest", ".", "--max-pages", "0"), "--max-pages 0: must be at least 1", "--max-pages 2000"),
        (("ingest", ".", "--max-file-mb", "0"), "--max-file-mb 0: must be more than 0", "--max-file-mb 200"),
        (("ingest", ".", "--max-file-mb", "nan"), "--max-file-mb nan: must be a number", "--max-file-mb 200"),
        (("ingest", ".", "--file-timeout", "-1"), "--file-timeout -1: must be more than 0", "DOCMINE_FILE_TIMEOUT_S"),
        (("ingest", ".", "--jobs", "-2"), "--jobs -2: must be at least 0", "--jobs 0 uses every core"),
    ],
)
def test_bad_input_is_one_line_and_a_hint(case: Path, args: tuple[str, ...], message: str, hint: str) -> None:
    result = run(*args, db=case)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"error: {message}" or lines[0].startswith(f"error: {message}")
    assert lines[1].startswith("hint:") and hint in lines[1]


def test_a_setting_that_is_not_a_yes_or_no_is_refused(case: Path) -> None:
    """DOCMINE_EMBED=maybe used to mean no."""
    result = runner.invoke(app, ["--db", str(case), "stats"], env={"DOCMINE_EMBED": "maybe", "NO_COLOR": "1"})
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: setting embed has a bad value 'maybe'",
        "hint: expected 1 or 0 (true/false, yes/no, on/off)",
    ]


def test_a_bad_span_is_refused_before_the_page_is_printed(case: Path) -> None:
    doc_id = json.loads(run("docs", "--json", db=case).stdout.splitlines()[0])["doc_id"]
    result = run("show", doc_id, "--start", "50", "--end", "20", db=case)
    assert result.exit_code == 1
    assert result.stdout == ""  # the header used to come first, the error after it
    assert result.stderr.splitlines()[0] == "error: empty span 50-20"


@pytest.mark.parametrize("args", [("mentions", "--limit", "-5"), ("trace", "gemeente", "--limit", "0")])
def test_a_limit_below_its_least_is_a_usage_error(case: Path, args: tuple[str, ...]) -> None:
    """A negative listing limit listed every row (SQLite's LIMIT -5); trace with 0 printed an empty list."""
    result = run(*args, db=case)
    assert result.exit_code == 2
    assert "Invalid value for '--limit'" in result.output


HUGE = str(2**64)  # beyond SQLite's INTEGER: an OverflowError traceback before


@pytest.mark.parametrize(
    "args",
    [("search", "gemeente", "--limit", HUGE), ("mentions", "--limit", HUGE), ("trace", "--claim", HUGE)],
)
def test_a_limit_beyond_what_sqlite_holds_is_a_usage_error(case: Path, args: tuple[str, ...]) -> None:
    result = run(*args, db=case)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Invalid value for '--" in result.output


def test_a_number_beyond_what_sqlite_holds_is_one_line_where_no_bound_catches_it(case: Path) -> None:
    doc_id = json.loads(run("docs", "--json", db=case).stdout.splitlines()[0])["doc_id"]
    result = run("entity", "split", "Groningen", "--as", "X", "--doc", doc_id, "--start", HUGE, db=case)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: a number given is too large",
        f"hint: numbers up to {2**63 - 1} can be looked up",
    ]


def test_a_start_past_the_page_names_the_span_it_made(case: Path) -> None:
    doc_id = json.loads(run("docs", "--json", db=case).stdout.splitlines()[0])["doc_id"]
    result = run("show", doc_id, "--start", "999999", db=case)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("error: empty span 999999-")  # it said "999999-None"
    assert "None" not in result.stderr


@pytest.mark.parametrize("args", [("open",), ("show", "--png", "p.png")])
def test_an_original_that_is_gone_says_how_to_find_it_again(case: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    doc = next(json.loads(line) for line in run("docs", "--json", db=case).stdout.splitlines() if "brief" in line)
    (tmp_path / "docs" / "brief.pdf").unlink()
    result = run(args[0], doc["doc_id"], *args[1:], db=case)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: the original file is gone: {doc['path']}",
        "hint: it was moved or deleted after ingest; if moved, ingest its new folder and the stored path follows it",
    ]


def test_page_out_of_range(case: Path) -> None:
    doc_id = json.loads(run("docs", "--json", db=case).stdout.splitlines()[0])["doc_id"]
    result = run("show", doc_id, "--page", "9", db=case)
    assert result.exit_code == 1 and "page 9 is out of range" in result.stderr


def test_not_a_case_file(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("dit is geen database")
    result = run("stats", db=bogus)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"error: {bogus} is not a docmine case file"
    assert bogus.read_text() == "dit is geen database"


@pytest.mark.parametrize("kind", ["null", "pipe"])
@pytest.mark.parametrize("command", [("stats",), ("ingest", "."), ("merge", "-o")])
def test_a_device_or_pipe_as_case_file_is_refused(tmp_path: Path, kind: str, command: tuple[str, ...]) -> None:
    """--db /dev/null ended in a traceback (SQLite fails there, and rolling back then failed again)."""
    if kind == "null":
        target = Path(os.devnull)
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("named pipes are a POSIX thing")
        target = tmp_path / "case.db"
        os.mkfifo(target)
    if command[0] == "merge":
        other = tmp_path / "other.db"
        (tmp_path / "leeg").mkdir()
        assert run("ingest", str(tmp_path / "leeg"), db=other).exit_code == 0  # an empty case file to merge from
        result = run("merge", "-o", str(target), str(other))
    else:
        result = run(*command, db=target)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines()[0] == f"error: {target} is not a regular file, so it cannot be a case file"
    assert not target.is_file()


def test_help_is_fast_and_lists_commands() -> None:
    result = run("--help")
    for command in ("ingest", "search", "docs", "show", "open", "stats", "demo"):
        assert command in result.stdout


def test_reading_a_missing_case_file_does_not_create_it(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    result = run("search", "inkoop", db=db)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: no case file at {db}",
        f"hint: create one with: docmine --db {db} ingest PATH...",
    ]
    assert not db.exists()


def test_a_query_that_starts_with_a_dash(case: Path) -> None:
    result = run("search", "-jeugd", db=case)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: '-jeugd' reads as an option",
        """hint: put -- before text that starts with '-': docmine search -- "-jeugd\"""",
    ]
    after_dashes = run("search", "--json", "--", "-kapot inkoop", db=case)
    assert after_dashes.exit_code == 0, after_dashes.output
    assert [Path(json.loads(line)["path"]).name for line in after_dashes.stdout.splitlines()] == ["brief.pdf"]
    # an option's value may itself start with '-': it is no query
    assert run("search", "inkoop", "--entity", "-x", db=case).exit_code == 0


def test_claims_limit_like_the_other_listings(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "uitgaven.txt").write_text(
        "De gemeente Groningen betaalde in 2020 € 160 miljoen aan jeugdzorg.\n\n"
        "In 2021 stegen de uitgaven aan jeugdzorg naar € 175 miljoen.\n\n"
        "De gemeente Hengelo gaf in 2021 € 12 miljoen uit aan jeugdhulp.",
        encoding="utf-8",
    )
    db = tmp_path / "claims.db"
    assert run("ingest", str(folder), db=db).exit_code == 0
    every = [json.loads(line) for line in run("claims", "--json", db=db).stdout.splitlines()]
    assert len(every) >= 2
    first = run("claims", "-n", "1", "--json", db=db)
    assert first.exit_code == 0, first.output
    assert [json.loads(line) for line in first.stdout.splitlines()] == every[:1]
    assert set(every[0]) == {
        "claim_id",
        "doc_id",
        "path",
        "page",
        "start",
        "end",
        "kind",
        "speaker",
        "sentence",
        "values",
    }
    assert Path(every[0]["path"]).name == "uitgaven.txt"
    assert len(run("claims", "--limit", "2", db=db).stdout.splitlines()) == 4  # two lines per claim


@pytest.mark.parametrize("name", ["exports", "entities.xlsx"])
def test_export_to_a_folder_says_so(case: Path, tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    folder.mkdir()  # "-o exports" was read as the export format ''
    result = run("export", "entities", "-o", str(folder), db=case)
    assert result.exit_code == 1
    assert f"error: {folder} is a folder" in result.output
    assert f"-o {folder / 'export.csv'}" in result.output
    assert list(folder.iterdir()) == []


def test_export_where_no_folder_can_be_made_is_one_line(case: Path, tmp_path: Path) -> None:
    """The temporary file was made outside the error handling: a traceback."""
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = run("export", "mentions", "-o", str(tmp_path / "notes.txt" / "mentions.csv"), db=case)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines()[0].startswith(f"error: cannot write {tmp_path / 'notes.txt' / 'mentions.csv'}")


def test_export_through_a_link_writes_its_target(case: Path, tmp_path: Path) -> None:
    (tmp_path / "mentions.csv").symlink_to(tmp_path / "real.csv")
    assert run("export", "mentions", "-o", str(tmp_path / "mentions.csv"), db=case).exit_code == 0
    assert (tmp_path / "mentions.csv").is_symlink()
    assert (tmp_path / "real.csv").read_text(encoding="utf-8").startswith("doc_id,")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_export_into_a_named_pipe_streams_into_it(case: Path, tmp_path: Path) -> None:
    """Renaming the finished file over the target replaced a pipe (or, run as root, a device such as /dev/full)
    with a regular file. A target that is not a regular file is written into, in a text format."""
    import stat
    import threading

    pipe = tmp_path / "mentions.pipe"
    os.mkfifo(pipe)
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    result = run("export", "mentions", "-o", str(pipe), "-f", "csv", db=case)
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert read and read[0].startswith("doc_id,") and len(read[0].splitlines()) > 1
    refused = run("export", "mentions", "-o", str(pipe), "-f", "xlsx", db=case)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == f"error: {pipe} is not a regular file, so xlsx cannot be written to it"
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_json_and_exports_share_the_columns_of_rows(case: Path, tmp_path: Path) -> None:
    from docmine import rows

    def keys(*args: str) -> list[list[str]]:
        result = run(*args, db=case)
        assert result.exit_code == 0, result.output
        return [list(json.loads(line)) for line in result.stdout.splitlines()]

    assert keys("search", "inkoop", "--json")[0] == list(rows.HIT_COLUMNS)
    assert keys("docs", "--json")[0] == list(rows.DOCUMENT_COLUMNS)
    for table, columns in (("mentions", rows.MENTION_COLUMNS), ("entities", rows.ENTITY_COLUMNS)):
        assert keys(table, "--json")[0] == list(columns)
        assert run("export", table, "-o", str(tmp_path / f"{table}.csv"), db=case).exit_code == 0
        header = (tmp_path / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == list(columns)
        assert keys("export", table, "-o", "-")[0] == list(columns)


def test_text_that_looks_like_a_formula_stays_text_in_xlsx(tmp_path: Path) -> None:
    """openpyxl stored a string that starts with '=' as a formula: a document's first line became a live
    =HYPERLINK in the researcher's sheet. The text is kept as it is, as text."""
    from openpyxl import load_workbook

    folder = tmp_path / "woo"
    folder.mkdir()
    title = '=HYPERLINK("http://example.org/x","klik hier")'
    (folder / "brief.txt").write_text(f"{title}\n\nDe gemeente Utrecht koopt jeugdhulp in.\n", encoding="utf-8")
    db = tmp_path / "case.db"
    assert run("ingest", str(folder), db=db).exit_code == 0
    out = tmp_path / "documents.xlsx"
    assert run("export", "documents", "-o", str(out), db=db).exit_code == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if c.value == title]
    assert [c.data_type for c in cells] == ["s"]

"""A small real case file for the workbench tests: letters with accented and unaccented spellings of one
alderman, dated decisions on two pages of a PDF, built once with the real extraction pipeline and copied per test.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

from docfactory import make_pdf

from docmine.config import Settings
from docmine.service import Docmine

BRIEF_2021 = (
    "Raadsbrief gemeente Groningen\n\n"
    "Datum: 3 maart 2021\n\n"
    "Het college heeft op 15 april 2021 besloten de jeugdzorg opnieuw aan te besteden. "
    "Zorgaanbieder Stichting Cordaan ontving 1,2 miljoen euro.\n"
    "Wethouder José Álvarez zegt dat de nieuwe contracten per 1 januari 2022 ingaan."
)
BRIEF_2020 = (
    "Raadsbrief gemeente Groningen\n\n"
    "Datum: 10 juni 2020\n\n"
    "De gemeenteraad heeft op 2 juli 2020 ingestemd met het inkoopplan. "
    "Wethouder Jose Alvarez presenteerde het plan aan de raad op 2 juli 2020."
)
VOORSTEL_PAGES = [
    "Raadsvoorstel gemeente Groningen\n\nGroningen, 12 november 2019\n\nOnderwerp: regionale inkoop.",
    "De raad heeft op 19 december 2019 besloten tot regionale inkoop van jeugdhulp met de regio.",
]
LATER = (
    "Raadsbrief gemeente Groningen\n\n"
    "Datum: 1 september 2021\n\n"
    "Het college meldt dat de aanbesteding jeugdzorg op 20 augustus 2021 is afgerond. "
    "Wethouder Jose Alvarez licht dit toe."
)
UNRELATED = "Raadsbrief gemeente Groningen\n\nDatum: 2 september 2021\n\nDe markt op de Vismarkt gaat weer open."


def build(folder: Path) -> Path:
    """The case file ``folder``/case.db with three documents; returns its path."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "brief-2021.txt").write_text(BRIEF_2021, encoding="utf-8")
    (docs / "brief-2020.txt").write_text(BRIEF_2020, encoding="utf-8")
    make_pdf(docs / "voorstel-2019.pdf", VOORSTEL_PAGES)
    db = folder / "case.db"
    with Docmine(settings_for(db)) as dm:
        report = dm.ingest([docs])
    assert len(report.ingested) == 3, report.failed
    with sqlite3.connect(db) as conn:  # one file to copy: the write-ahead log folded in
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def copy_case(built: Path, tmp_path: Path) -> Path:
    db = tmp_path / "case.db"
    shutil.copyfile(built, db)
    return db


def settings_for(db: Path) -> Settings:
    return Settings(db=db, jobs=1, embed=False, extract=True, cache_dir=db.parent / "cache")


def table_digest(db: Path, table: str) -> list[tuple[object, ...]]:
    """The rows of a table, sorted: to show that a refused command stored nothing."""
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)


def run_cli(db: Path, *args: str) -> Any:
    """``docmine --db DB ARGS`` in this process, one worker, no embeddings, no colour."""
    from typer.testing import CliRunner

    from docmine.cli import app

    env = {"DOCMINE_JOBS": "1", "DOCMINE_EMBED": "0", "NO_COLOR": "1"}
    return CliRunner().invoke(app, ["--db", str(db), *args], env=env)

"""Fixtures for the Store's tests: a folder of small Dutch text files and a case file made from it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from docmine.config import REPO_ROOT, Settings
from docmine.service import Docmine

TEXTS = {
    "jeugdzorg.txt": "De gemeente Groningen besteedde in 2020 € 160 miljoen aan jeugdzorg.\n\n"
    "Het college besloot op 1 juli 2021 de wachtlijsten in de jeugdzorg aan te pakken.",
    "zwembad.txt": "Het zwembad in Hengelo gaat in 2022 dicht voor renovatie, meldt wethouder Jan de Vries.",
    "bibliotheek.txt": "De bibliotheek van Assen krijgt € 2 miljoen voor een nieuw gebouw aan de Markt.",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "docs"
    out.mkdir()
    for name, text in TEXTS.items():
        (out / name).write_text(text, encoding="utf-8")
    return out


@pytest.fixture
def case(tmp_path: Path, folder: Path) -> Settings:
    """A case file with the three texts, facts extracted by the rules only (no NER model, no embeddings)."""
    settings = Settings(db=tmp_path / "case.db", jobs=1, embed=False, extract=True, ner_model="none")
    with Docmine(settings) as dm:
        report = dm.ingest([folder])
    assert len(report.ingested) == len(TEXTS)
    return settings


def cli(*args: str, db: Path, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The docmine command in a real subprocess."""
    full_env = {**os.environ, "DOCMINE_EMBED": "0", "DOCMINE_NER_MODEL": "none", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "docmine.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=REPO_ROOT,
        timeout=300,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


def old_schema_file(path: Path, version: int = 4) -> None:
    """A case file as docmine wrote it before migration ``version + 1``: the historical migration scripts
    run in order on a new file, with one document and one passage in it (the triggers fill the index)."""
    from docmine.store.casefile import _statements
    from docmine.store.migrations import MIGRATIONS

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for number, description, sql in MIGRATIONS:
        if number > version:
            break
        for statement in _statements(sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, '2024-01-01T00:00:00+00:00')", (number, description))
    conn.execute(
        "INSERT INTO documents (doc_id, path, size, format, status, ingested_at) "
        "VALUES ('ab' || printf('%062d', 1), 'oud.txt', 10, 'txt', 'ok', '2024-01-01')"
    )
    conn.execute(
        "INSERT INTO passages (doc_id, page, start_char, end_char, text, terms, content_hash) "
        "VALUES ('ab' || printf('%062d', 1), 1, 0, 20, 'De oude jeugdzorg', 'de oud jeugdzorg', 'h1')"
    )
    conn.close()

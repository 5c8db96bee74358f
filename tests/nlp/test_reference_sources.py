"""Every row of every reference table names its source: a file under ../shared, or a public identifier."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from docmine.nlp.gazetteer import default_reference_dir

REFERENCE = default_reference_dir()
SHARED = REFERENCE.parents[2] / "shared"
TABLES = sorted(REFERENCE.glob("*.csv"))
# a public document named by its identifier: an ISO standard, a BWB id, an ECLI, a web address
PUBLIC_ID = re.compile(r"^(?:ISO \d[\d-]*(?::[A-Z]{2})?|BWBR\d{7}|ECLI:[A-Z]{2}:\w+:\d{4}:\w+|https?://\S+)$")
FROM_MEMORY = re.compile(r"general knowledge|from memory|\bcurated\b|^MANUAL", re.IGNORECASE)


def _sources(source: str) -> list[str]:
    """The references in a source cell: ``path (note); ISO 3166-2:NL`` -> ``[path, "ISO 3166-2:NL"]``."""
    return [part.split(" (")[0].strip() for part in source.split(";") if part.strip()]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_there_are_tables() -> None:
    assert {p.name for p in TABLES} >= {"organizations.csv", "laws.csv", "municipalities.csv", "first_names.csv"}


@pytest.mark.parametrize("table", TABLES, ids=lambda p: p.name)
def test_every_row_names_a_source(table: Path) -> None:
    rows = _rows(table)
    assert rows, f"{table.name} is empty"
    missing = [i for i, row in enumerate(rows, start=2) if not (row.get("source") or "").strip()]
    assert missing == [], f"{table.name}: lines without a source: {missing[:10]}"
    memory = [row["source"] for row in rows if FROM_MEMORY.search(row["source"])]
    assert memory == [], f"{table.name}: sources that are no source: {sorted(set(memory))[:5]}"


@pytest.mark.parametrize("table", TABLES, ids=lambda p: p.name)
def test_sources_exist_or_are_public_identifiers(table: Path) -> None:
    shared_present = SHARED.is_dir()
    bad: set[str] = set()
    for row in _rows(table):
        for ref in _sources(row["source"]):
            if PUBLIC_ID.match(ref):
                continue
            if not ref.startswith("data/"):
                bad.add(ref)  # neither a path under ../shared nor a public identifier
            elif shared_present and not (SHARED / ref).is_file():
                bad.add(ref)
    assert sorted(bad) == []


def test_source_check_rejects_what_it_should() -> None:
    """The checks above are not vacuous: a note from memory and a loose file name fail them."""
    assert FROM_MEMORY.search("curated; general knowledge (public fact, not in ../shared)")
    assert _sources("gm.ts (@e32c09ef)") == ["gm.ts"] and not PUBLIC_ID.match("gm.ts")
    assert _sources("data/reference/gemeenten/regioatlas2016_provincies.csv; ISO 3166-2:NL") == [
        "data/reference/gemeenten/regioatlas2016_provincies.csv",
        "ISO 3166-2:NL",
    ]
    assert PUBLIC_ID.match("ISO 3166-2:NL") and PUBLIC_ID.match("BWBR0034925")


def test_no_table_expands_an_acronym_no_file_states() -> None:
    """RIGG was once expanded from memory to a name that is not the organisation's."""
    names = {row["name"] for row in _rows(REFERENCE / "organizations.csv")}
    aliases = {a for row in _rows(REFERENCE / "organizations.csv") for a in row["aliases"].split("|") if a}
    assert "Regionale Inkoop Gemeentelijke Gezondheidszorg" not in names
    assert "RIGG" not in aliases

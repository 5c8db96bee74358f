"""The committed reference tables and the gazetteer built from them (no ../shared needed unless marked)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from docmine.errors import DocmineError
from docmine.nlp.gazetteer import Gazetteer, default_reference_dir, province_context
from docmine.nlp.grounds import find_grounds

REF = default_reference_dir()
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def rows(name: str) -> list[dict[str, str]]:
    with (REF / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_tables_have_expected_sizes() -> None:
    assert len(rows("municipalities.csv")) == 342
    assert len(rows("provinces.csv")) == 12
    assert len(rows("youth_regions.csv")) == 42
    assert len(rows("former_municipalities.csv")) == 84


def test_every_municipality_has_a_province_code() -> None:
    isos = {r["iso"] for r in rows("provinces.csv")}
    assert {r["province_iso"] for r in rows("municipalities.csv")} == isos


def test_former_successors_resolve_to_current_municipalities() -> None:
    current = {r["gm_code"] for r in rows("municipalities.csv")}
    for row in rows("former_municipalities.csv"):
        assert row["gm_code"] not in current
        assert set(row["current_gm_codes"].split(";")) <= current, row["name"]
        # a merger date that no file under ../shared states is left empty, and the row says so
        assert len(row["end_date"]) == 10 or (row["end_date"] == "" and "end date in no file" in row["checked"])


def test_historic_municipalities_end_before_2015_and_resolve() -> None:
    current = {r["gm_code"]: r["name"] for r in rows("municipalities.csv")}
    later = {r["name"] for r in rows("former_municipalities.csv")} | set(current.values())
    historic = rows("historic_municipalities.csv")
    assert len(historic) > 1000  # Tabel 33 holds every municipality since 1811
    for row in historic:
        assert row["end_date"] < "2015-01-01" and row["name"] not in later, row["name"]
        codes = row["current_gm_codes"].split(";")
        assert set(codes) <= set(current) and row["current_names"].split(";") == [current[c] for c in codes]


def test_manual_rows_are_marked_and_checked() -> None:
    manual = {r["name"]: r for r in rows("former_municipalities.csv") if "marked MANUAL" in r["source"]}
    assert set(manual) == {"Appingedam", "Delfzijl", "Loppersum", "Haaren"}
    assert all(r["checked"].startswith("partly:") for r in manual.values())
    assert manual["Haaren"]["successor_gm_codes"] == "GM0757;GM0824;GM0855;GM0865"


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("Den Haag", "GM0518"),
        ("'s-Gravenhage", "GM0518"),
        ("Den Bosch", "GM0796"),
        ("'s-Hertogenbosch", "GM0796"),
        ("Hengelo", "GM0164"),
        ("Bergen (NH)", "GM0373"),
        ("Bergen (L)", "GM0893"),
        ("Súdwest-Fryslân", "GM1900"),
        ("Sudwest Fryslan", "GM1900"),
        ("Ljouwert", "GM0080"),
        ("Midden Groningen", "GM1952"),
        ("Ten Boer", "GM0009"),
    ],
)
def test_municipality_aliases(gaz: Gazetteer, alias: str, code: str) -> None:
    entry = gaz.lookup(alias)
    assert entry is not None and entry.label == "MUNICIPALITY" and entry.value == code


def test_bare_bergen_is_ambiguous_and_not_an_alias(gaz: Gazetteer) -> None:
    assert gaz.lookup("Bergen") is None


def test_former_municipality_canonical(gaz: Gazetteer) -> None:
    entry = gaz.lookup("Ten Boer")
    assert entry is not None
    assert entry.canonical == "Ten Boer (opgegaan in Groningen, 2019)"


@pytest.mark.parametrize(
    ("name", "label", "value"),
    [
        ("Friesland", "PROVINCE", "NL-FR"),
        ("Fryslân", "PROVINCE", "NL-FR"),
        ("provincie Groningen", "PROVINCE", "NL-GR"),
        ("regio Twente", "REGION", "Twente"),
        ("jeugdregio Rijnmond", "REGION", "Rijnmond"),
        ("Holland Rijnland", "REGION", "Holland-Rijnland"),
        ("VNG", "ORGANIZATION", "Vereniging van Nederlandse Gemeenten"),
        # "TAJ" is no alias any more: the file that names the body does not write it; a text that defines
        # "(TAJ)" is read by the acronym rule instead
        ("Transitie Autoriteit Jeugd", "ORGANIZATION", "Transitie Autoriteit Jeugd"),
        ("Partij voor de Dieren", "ORGANIZATION", "Partij voor de Dieren"),
        ("Wob", "LAW", "Wet openbaarheid van bestuur"),
        ("Wmo 2015", "LAW", "Wet maatschappelijke ondersteuning 2015"),
        ("Awb", "LAW", "Algemene wet bestuursrecht"),
        ("Youz", "PROVIDER", "Youz"),
        ("10.2e", "WOO_GROUND", "10.2.e"),
        ("5.1.2 e", "WOO_GROUND", "5.1.2e"),
    ],
)
def test_lookup(gaz: Gazetteer, name: str, label: str, value: str) -> None:
    entry = gaz.lookup(name)
    assert entry is not None and (entry.label, entry.value) == (label, value)


def test_groningen_is_the_municipality_by_default() -> None:
    text = "De gemeenteraad van Groningen besloot gisteren."
    start = text.index("Groningen")
    assert not province_context(text, start, start + 9)


@pytest.mark.parametrize(
    "text",
    [
        "De provincie Groningen betaalt mee.",
        "In heel Groningen stijgen de kosten.",
        "De 23 Groningse gemeenten kopen samen in, zegt Groningen.",
        "Alle gemeenten in Groningen doen mee.",
    ],
)
def test_groningen_as_province(text: str) -> None:
    start = text.rindex("Groningen")
    assert province_context(text, start, start + 9)


def test_groningen_after_gemeente_stays_municipality() -> None:
    text = "De 23 Groningse gemeenten en de gemeente Groningen."
    start = text.rindex("Groningen")
    assert not province_context(text, start, start + 9)


def test_woo_grounds_as_written(gaz: Gazetteer) -> None:
    known = {e.value for e in gaz.by_key.values() if e.label == "WOO_GROUND"}
    text = (
        "Geweigerd op grond van 10.2.e, 10.2.g en 11.1; verder artikel 5.1, tweede lid, aanhef en onder e, "
        "van de Woo en 5.1.2 i. Zie ook Artikel 10.2a van de Jeugdwet en artikel 10, eerste lid, onder a, "
        "van de wet."
    )
    assert [c for _, _, c in find_grounds(text, known)] == ["10.2.e", "10.2.g", "11.1", "5.1.2e", "5.1.2i"]


def test_missing_tables_raise_a_docmine_error(tmp_path: Path) -> None:
    with pytest.raises(DocmineError) as info:
        Gazetteer.load(tmp_path)
    assert "build_reference.py" in info.value.hint


@pytest.mark.skipif(not (SHARED / "data" / "reference").is_dir(), reason="../shared (reference data) is absent")
def test_tables_are_reproducible(tmp_path: Path) -> None:
    """Re-running the build over ../shared gives the committed municipality table byte for byte."""
    import subprocess
    import sys

    script = REF.parents[1] / "scripts" / "build_reference.py"
    command = [sys.executable, str(script), "--shared", str(SHARED / "data"), "--out", str(tmp_path)]
    subprocess.run(command, check=True, capture_output=True)
    for name in ("municipalities.csv", "former_municipalities.csv", "youth_regions.csv", "woo_grounds.csv"):
        assert (tmp_path / name).read_bytes() == (REF / name).read_bytes(), name


@pytest.mark.parametrize(
    ("text", "is_province"),
    [
        ("De Gedeputeerden van Groningen en Drenthe overleggen.", True),
        ("In Friesland, Groningen en Drenthe stijgen de kosten.", True),
        ("De gemeenten Groningen, Utrecht en Zeeland doen mee.", False),
        ("Utrecht en Groningen zijn grote steden.", False),
    ],
)
def test_groningen_coordinated_with_provinces(text: str, is_province: bool) -> None:
    start = text.index("Groningen")
    assert province_context(text, start, start + 9) is is_province

"""JSON and JSON Lines are read as data: string values under their key paths, not braces and keys."""

from __future__ import annotations

import json
from pathlib import Path

from docmine.service import Docmine

BESLUIT = {
    "besluit": {
        "titel": "Besluit op het Woo-verzoek over jeugdzorg",
        "datum": "2021-05-06",
        "kenmerk": "Z-2021-0042",
        "bedrag": 1200000,
        "openbaar": True,
        "alineas": ["De gemeente Utrecht maakt de stukken openbaar.", "Namen van medewerkers zijn gelakt."],
        "bron": "https://example.nl/woo/42",
    }
}


def _only(dm: Docmine, path: Path) -> tuple[str, list[str]]:
    report = dm.ingest([path])
    assert not report.failed, report.failed
    info = dm.documents()[0]
    return info.title, [dm.page(info.doc_id, n)[1].text for n in range(1, info.page_count + 1)]


def test_json_string_values_become_text_under_their_key_path(dm: Docmine, tmp_path: Path) -> None:
    path = tmp_path / "besluit.json"
    path.write_text(json.dumps(BESLUIT, indent=2), encoding="utf-8")
    title, pages = _only(dm, path)
    assert title == "Besluit op het Woo-verzoek over jeugdzorg"
    assert pages == [
        "besluit.titel: Besluit op het Woo-verzoek over jeugdzorg\n"
        "besluit.alineas: De gemeente Utrecht maakt de stukken openbaar.\n"
        "besluit.alineas: Namen van medewerkers zijn gelakt."
    ]


def test_jsonl_is_read_per_line_and_a_bad_line_is_noted(dm: Docmine, tmp_path: Path) -> None:
    path = tmp_path / "mails.jsonl"
    lines = [
        json.dumps({"onderwerp": "Inkoop jeugdhulp", "tekst": "Graag overleg over de inkoop."}),
        "{niet af",
        json.dumps({"onderwerp": "Begroting", "tekst": "De begroting volgt in mei."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = dm.ingest([path])
    info = dm.documents()[0]
    assert [d.notes for d in report.ingested] == [("1 line(s) that are not JSON were skipped (line 2)",)]
    assert dm.page(info.doc_id, 1)[1].text == (
        "onderwerp: Inkoop jeugdhulp\ntekst: Graag overleg over de inkoop.\n\n"
        "onderwerp: Begroting\ntekst: De begroting volgt in mei."
    )


def test_json_that_is_not_a_document_is_skipped_with_a_reason(dm: Docmine, tmp_path: Path) -> None:
    path = tmp_path / "meetwaarden.json"
    path.write_text(json.dumps({"id": "a1b2c3", "waarden": [1.5, 2, 3], "ok": True, "bijgewerkt": "2024-01-01"}))
    report = dm.ingest([path])
    assert report.failed == [
        (
            str(path),
            "JSON without text: no string values with words to read (only numbers, ids or keys) "
            "(hint: docmine reads documents; this file looks like data)",
        )
    ]
    assert dm.stats().passages == 0


def test_malformed_json_fails_with_where(dm: Docmine, tmp_path: Path) -> None:
    path = tmp_path / "kapot.json"
    path.write_text('{"titel": "Besluit over jeugdzorg", ', encoding="utf-8")
    report = dm.ingest([path])
    assert report.failed == [
        (
            str(path),
            "malformed JSON (Expecting property name enclosed in double quotes at line 1, column 37) "
            "(hint: check that the file is complete)",
        )
    ]

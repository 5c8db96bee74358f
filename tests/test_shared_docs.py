"""The real government documents in ../shared ingest completely and are searchable."""

from __future__ import annotations

from pathlib import Path

from docmine.service import Docmine


def test_all_shared_documents_ingest(dm: Docmine, shared: Path) -> None:
    report = dm.ingest([shared / "docs"])
    assert report.failed == []
    assert len(report.ingested) == len([p for p in (shared / "docs").rglob("*") if p.is_file()])
    infos = {Path(d.path).name: d for d in dm.documents()}
    besluiten = infos["Besluitenlijst-raadsvergadering-29-juni-2015.pdf"]
    assert (besluiten.doc_type, besluiten.date, besluiten.page_count) == ("besluitenlijst", "2015-06-29", 4)
    assert besluiten.title.startswith("Besluitenlijst raadsvergadering 29 juni 2015")
    ruling = infos["ECLI.NL.RVS.2015.231.xml"]
    assert (ruling.doc_type, ruling.date) == ("uitspraak", "2015-01-28")
    jeugdwet = infos["wet_jeugdwet_BWBR0034925.md"]
    assert jeugdwet.doc_type == "wet" and jeugdwet.page_count > 40
    hits = dm.search("jeugdhulpaanbieder accommodatie", limit=3)
    assert hits and Path(hits[0].path).name.startswith("wet_")
    inventory = dm.search("inventarislijst 10.2.e", limit=5)
    assert any(h.path.endswith(".pdf") and "inventaris" in h.path for h in inventory)

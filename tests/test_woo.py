"""Woo releases: inventories (real and generated), redactions (text layer and scans), bundles split and
corrected, the decision letter, the summary and export contracts, and bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner
from woo_release import make_release

from docmine.cli import app
from docmine.config import REPO_ROOT
from docmine.service import Docmine
from docmine.woo.inventory import read_inventory
from docmine.woo.redactions import iou

REF = str(REPO_ROOT / "corpora" / "reference")
WOB = "docs/wob-inventories"


# -- inventories ---------------------------------------------------------------------------------------------


def test_real_wob_inventories_every_row(shared: Path) -> None:
    # counted by hand once: 1..24 with 2.a and 2.b (26 rows); 210..263 over four pages (54 rows)
    lnv = next((shared / WOB).glob("2c4079*.pdf"))
    ocw = next((shared / WOB).glob("5d03dc*.pdf"))
    a, b = read_inventory(str(lnv), REF), read_inventory(str(ocw), REF)
    assert [r.number for r in a.rows] == ["1", "2", "2.a", "2.b", *map(str, range(3, 25))]
    assert [r.number for r in b.rows] == [str(n) for n in range(210, 264)]
    row = a.rows[3]
    assert (row.date, row.decision, row.grounds) == ("2020-03-09", "deels openbaar", ("10.2.a", "10.2.g"))
    assert a.rows[0].description == "MCCb n.a.v. COVID-19"
    assert (a.rows[11].number, a.rows[11].decision, a.rows[11].grounds) == ("10", "openbaar", ())
    assert (b.rows[0].decision, b.rows[0].grounds, b.rows[0].date) == ("niet openbaar", ("11.1",), "2020-03-05")
    assert {r.decision for r in b.rows} == {"niet openbaar", "buiten reikwijdte", "reeds openbaar"}
    assert [r.page for r in b.rows].count(4) == 10 and b.rows[29].page == 3
    assert a.notices == [] and b.notices == []


@pytest.mark.parametrize("kind", ["pdf", "xlsx", "csv"])
def test_generated_inventory_rows_match_truth(tmp_path: Path, kind: str) -> None:
    rel = make_release(tmp_path / "r", seed=5, inventory=kind)
    inv = read_inventory(str(rel.folder / rel.inventory), REF)
    got = [(r.number, r.date, r.decision, list(r.grounds)) for r in inv.rows]
    want = [(d.number, d.date, d.decision, sorted(d.grounds)) for d in rel.docs]
    assert [(n, dt, dc, sorted(g)) for n, dt, dc, g in got] == want


def test_inventory_with_merged_cells(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nr", "Datum", "Omschrijving", "Beoordeling", "Grond"])
    sheet.append([1, "3-3-2023", "Mail over de planning", "Deels openbaar", "5.1.2e"])
    sheet.append([2, "4-3-2023", "Bijlage bij de mail", None, "5.1.2e"])
    sheet.append([3, "5-3-2023", "Notitie", "Openbaar", None])
    sheet.merge_cells("D2:D3")  # one decision written across rows 1 and 2
    path = tmp_path / "inventarislijst.xlsx"
    book.save(path)
    inv = read_inventory(str(path), REF)
    assert [(r.number, r.decision) for r in inv.rows] == [
        ("1", "deels openbaar"),
        ("2", "deels openbaar"),
        ("3", "openbaar"),
    ]
    # a merged cell left empty in the PDF sense (no value at all) is filled from above, with a notice
    from docmine.woo.inventory import rows_from_tables

    table = [["Nr", "Datum", "Omschrijving", "Beoordeling"], ["1", "", "a", "Niet openbaar"], ["2", "", "b", None]]
    filled = rows_from_tables("x.pdf", [(1, table)], REF)
    assert filled.rows[1].decision == "niet openbaar"
    assert filled.notices == ["x.pdf row 2: empty decision cell, taken from the row above (merged cells)"]


def test_unreadable_inventory_is_a_notice(tmp_path: Path) -> None:
    from docmine.errors import IngestError

    bad = tmp_path / "inventarislijst.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(IngestError, match="cannot read the inventory"):
        read_inventory(str(bad), REF)


# -- a release ingested -----------------------------------------------------------------------------------


def _ingest(dm: Docmine, folder: Path) -> None:
    report = dm.ingest([folder])
    assert report.failed == [] or all(p.endswith(".pdf") for p, _ in report.failed)


def _matched(found: list, truth: list, doc_of: dict[str, str]) -> tuple[int, int]:
    boxes = sum(
        1
        for b in truth
        if any(r.doc_id == doc_of[b.file] and r.page == b.page and iou(r.bbox, b.bbox) >= 0.5 for r in found)
    )
    grounds = sum(
        1
        for b in truth
        if any(
            r.doc_id == doc_of[b.file] and r.page == b.page and iou(r.bbox, b.bbox) >= 0.5 and r.ground == b.ground
            for r in found
        )
    )
    return boxes, grounds


def test_text_release_redactions_bundles_links_decision(dm: Docmine, tmp_path: Path) -> None:
    rel = make_release(tmp_path / "release", seed=3)
    _ingest(dm, rel.folder)
    [summary] = dm.woo_summary(str(rel.folder))
    doc_of = {Path(d.path).name: d.doc_id for d in dm.documents() if d.parent is None}  # files, not their parts
    found = list(dm.store.woo.redactions())
    assert len(found) == len(rel.boxes) == 45
    assert _matched(found, rel.boxes, doc_of) == (45, 45)
    assert {r.source for r in found} == {"vector"}
    assert summary["pages_removed"] == sum(b.full_page for b in rel.boxes) == 1
    assert summary["redactions_by_ground"]["5.1.2e"] == sum(b.ground == "5.1.2e" for b in rel.boxes)
    # the bundle split exactly, the unstamped document named from the inventory
    parts = dm.store.woo.parts()
    truth = [(d.number, d.first_page, d.last_page) for d in rel.docs if d.file == "bundel.pdf"]
    assert [(p.number, p.first_page, p.last_page) for p in parts] == truth
    assert [p.origin for p in parts].count("inventory") == 1
    # every inventory row linked to its document and first page
    rows = {r.number: r for _, r in dm.store.woo.inventory()}
    for d in rel.docs:
        assert (rows[d.number].doc_id, rows[d.number].first_page) == (doc_of[d.file], d.first_page)
    letter = summary["decision_letter"]
    assert (letter["request_date"], letter["decision_date"]) == (rel.request_date, rel.decision_date)
    assert letter["days"] == 27 and letter["term_days"] == 28 and letter["exceeded"] is False
    assert letter["grounds"] == ["5.1.2e", "5.2"]
    assert summary["unlinked"] == []


def test_corrections_survive_a_new_analysis(dm: Docmine, tmp_path: Path) -> None:
    rel = make_release(tmp_path / "release", seed=3)
    _ingest(dm, rel.folder)
    dm.woo_analyse()
    bundle = next(d for d in dm.documents() if d.path.endswith("bundel.pdf"))
    before = [(p.first_page, p.last_page) for p in dm.store.woo.parts()]
    dm.woo_correct(bundle.doc_id, 2, "split")
    dm.woo_correct(bundle.doc_id, 4, "merge")
    dm.woo_analyse()
    dm.woo_analyse()  # again: corrections are inputs, not results
    after = [(p.first_page, p.last_page, p.origin) for p in dm.store.woo.parts()]
    assert before[:3] == [(1, 3), (4, 5), (6, 7)]
    assert after[:3] == [(1, 1, "stamp"), (2, 5, "correction"), (6, 7, "stamp")]
    with pytest.raises(Exception, match="cannot start a document"):
        dm.woo_correct(bundle.doc_id, 99, "split")


def test_an_unchanged_release_is_not_read_again(dm: Docmine, tmp_path: Path) -> None:
    """A release whose inputs did not change since its last analysis is summarised from what that analysis
    stored: its pages are not read again (here they are emptied behind docmine's back, and nothing changes)."""
    rel = make_release(tmp_path / "release", seed=3)
    _ingest(dm, rel.folder)
    [first] = dm.woo_summary(str(rel.folder))
    with sqlite3.connect(dm.settings.db) as conn:
        conn.execute("UPDATE pages SET text = ''")
    conn.close()
    assert dm.woo_summary(str(rel.folder)) == [first]
    assert dm.woo_summary() == [first]  # all releases: the same stored analysis


def test_a_stored_analysis_that_lost_rows_is_made_anew(dm: Docmine, tmp_path: Path) -> None:
    """Reading a bundle again drops its parts (in the same second its inputs look the same): a stored analysis
    is used only while all it stored is there."""
    rel = make_release(tmp_path / "release", seed=3)
    _ingest(dm, rel.folder)
    [first] = dm.woo_summary(str(rel.folder))
    parts = dm.store.woo.parts()
    assert parts
    with sqlite3.connect(dm.settings.db) as conn:
        conn.execute("DELETE FROM woo_parts")
    conn.close()
    assert dm.woo_summary(str(rel.folder)) == [first]
    assert dm.store.woo.parts() == parts


def test_a_changed_inventory_file_makes_a_new_analysis(dm: Docmine, tmp_path: Path) -> None:
    rel = make_release(tmp_path / "release", seed=5, inventory="csv")
    _ingest(dm, rel.folder)
    [first] = dm.woo_summary(str(rel.folder))
    assert first["documents"] == len(rel.docs)
    table = rel.folder / rel.inventory
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    table.write_text("".join(lines[:-1]), encoding="utf-8")  # the last row removed
    [again] = dm.woo_summary(str(rel.folder))
    assert again["documents"] == len(rel.docs) - 1


def test_scanned_release_redactions_from_the_image(dm: Docmine, tmp_path: Path) -> None:
    from docmine.ingest.ocr import available_languages

    if "nld" not in available_languages():
        pytest.skip("Tesseract with Dutch is not installed")
    rel = make_release(tmp_path / "release", seed=8, scanned=True, n_docs=3)
    _ingest(dm, rel.folder)
    assert dm.woo_notices == []
    doc_of = {Path(d.path).name: d.doc_id for d in dm.documents() if d.parent is None}  # files, not their parts
    found = [r for r in dm.store.woo.redactions() if r.doc_id == doc_of["bundel.pdf"]]
    truth = [b for b in rel.boxes if b.file == "bundel.pdf"]
    assert {r.source for r in found} == {"image"}
    boxes, grounds = _matched(found, truth, doc_of)
    assert len(found) == len(truth) and boxes == len(truth)
    assert grounds >= len(truth) - 1  # a ground printed 8 pt high in a 150 dpi scan: OCR may miss one
    dm.woo_analyse()
    parts = dm.store.woo.parts()
    assert [(p.number, p.first_page) for p in parts] == [(d.number, d.first_page) for d in rel.docs[:2]]


def test_photo_on_a_scan_is_no_redaction(dm: Docmine, tmp_path: Path) -> None:
    import io

    import numpy as np
    from fpdf import FPDF
    from PIL import Image

    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:400, 0:600]
    photo = np.stack([(x * 0.4 + rng.normal(0, 25, x.shape)), (y * 0.5 + 40), (x + y) * 0.2], axis=2)
    buf = io.BytesIO()
    Image.fromarray(np.clip(photo, 0, 255).astype("uint8")).save(buf, format="PNG")
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.image(buf, x=60, y=100, w=400, h=267)
    folder = tmp_path / "release"
    folder.mkdir()
    pdf.output(str(folder / "foto.pdf"))
    _ingest(dm, folder)
    assert list(dm.store.woo.redactions()) == []


def test_bundle_without_stamps_and_an_encrypted_file(dm: Docmine, tmp_path: Path) -> None:
    from docfactory import make_pdf

    folder = tmp_path / "release"
    rel = make_release(folder, seed=11, inventory="csv")
    (folder / "bundel.pdf").unlink()
    make_pdf(folder / "bundel.pdf", ["de gemeente het overleg " * 20, "het project wordt besproken " * 20])
    make_pdf(folder / "geheim.pdf", ["Document 1"], password="geheim")
    report = dm.ingest([folder])
    assert [Path(p).name for p, _ in report.failed] == ["geheim.pdf"]
    assert "encrypted" in report.failed[0][1]
    [summary] = dm.woo_summary(str(folder))
    unlinked = {u["number"] for u in summary["unlinked"]}
    assert unlinked == {d.number for d in rel.docs if d.file == "bundel.pdf"}
    assert summary["bundles"] == {}
    assert "bundel.pdf: 2 pages without stamped document numbers, kept as one document" in summary["notices"][0]
    # the loose document is still linked by its file name
    loose = rel.docs[-1]
    assert loose.number not in unlinked


# -- command line --------------------------------------------------------------------------------------------


def test_cli_summary_exports_and_docs(tmp_path: Path) -> None:
    rel = make_release(tmp_path / "release", seed=3, inventory="xlsx")
    db = str(tmp_path / "case.db")
    runner = CliRunner(env={"DOCMINE_JOBS": "1", "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0", "NO_COLOR": "1"})
    result = runner.invoke(app, ["--db", db, "ingest", str(rel.folder)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["--db", db, "woo", str(rel.folder), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["documents"] == len(rel.docs) and summary["redactions"] == len(rel.boxes)
    assert summary["decisions"] == {"deels openbaar": len(rel.docs)}
    assert summary["archive"] is None  # a folder of its own, not unpacked from a zip
    result = runner.invoke(app, ["--db", db, "export", "inventory", "-o", "-", "-f", "jsonl"])
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == len(rel.docs)
    assert set(lines[0]) >= {"release", "number", "date", "description", "decision", "grounds", "doc_id", "page"}
    result = runner.invoke(app, ["--db", db, "export", "redactions", "-o", "-", "-f", "jsonl"])
    reds = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(reds) == len(rel.boxes)
    assert set(reds[0]) >= {"doc_id", "path", "page", "x0", "y0", "x1", "y1", "ground", "source"}
    result = runner.invoke(app, ["--db", db, "docs", "--json"])
    parts = [r for r in map(json.loads, result.stdout.splitlines()) if "parent" in r]
    bundle_docs = [d for d in rel.docs if d.file == "bundel.pdf"]
    assert [(r["number"], r["first_page"], r["last_page"]) for r in parts] == [
        (d.number, d.first_page, d.last_page) for d in bundle_docs
    ]
    bundle = parts[0]["parent"]
    result = runner.invoke(app, ["--db", db, "woo", "split", bundle[:12], "--at", "99"])
    assert result.exit_code == 1 and "cannot start a document" in result.output
    result = runner.invoke(app, ["--db", db, "woo", "split", bundle[:12], "--at", "2"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["--db", db, "woo", "--json"])
    assert json.loads(result.stdout)["bundles"] == {"bundel.pdf": len(bundle_docs) + 1}


def test_search_filters_decision_and_ground(dm: Docmine, tmp_path: Path) -> None:
    from docmine.errors import QueryError

    rel = make_release(tmp_path / "release", seed=3)
    _ingest(dm, rel.folder)
    dm.woo_analyse()
    everything = dm.woo_search("overleg", limit=200)
    assert everything
    by_ground = dm.woo_search("overleg", limit=200, ground="5.1.1d")
    parts = {p.first_page: p for p in dm.store.woo.parts()}
    allowed = {d.first_page for d in rel.docs if d.file == "bundel.pdf" and "5.1.1d" in d.grounds}
    redacted = {b.page for b in rel.boxes if b.ground == "5.1.1d" and b.file == "bundel.pdf"}
    for hit in by_ground:
        in_doc = any(parts[f].first_page <= hit.ref.page <= parts[f].last_page for f in allowed)
        assert in_doc or hit.ref.page in redacted
    assert 0 < len(by_ground) < len(everything)
    assert dm.woo_search("overleg", limit=200, decision="openbaar") == []  # every document here is deels openbaar
    assert len(dm.woo_search("overleg", limit=200, decision="deels")) > 0
    with pytest.raises(QueryError, match="unknown decision"):
        dm.woo_search("overleg", decision="misschien")
    with pytest.raises(QueryError, match="not a Woo or Wob ground"):
        dm.woo_search("overleg", ground="99.9")

"""Pilot tests of export from the results and ingest from the TUI."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from textual.widgets import Input, Static
from tui_corpus import make_pdf
from tui_pilot import REPORT, WOO, search, settle

from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.screens.dialogs import ErrorModal, PromptDialog
from docmine.tui.screens.ingest import IngestScreen

pytestmark = pytest.mark.anyio


async def test_export_writes_the_rows_as_csv(dm: Docmine, tmp_path: Path) -> None:
    target = tmp_path / "hits.csv"
    app = DocmineApp(dm)
    async with app.run_test(notifications=True) as pilot:
        await search(pilot, "aanbesteding")
        await pilot.press("down", "e")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert any(n.message == f"wrote 2 rows to {target}" for n in app._notifications)
    with target.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["rank"], r["title"], r["page"], r["doc_type"]) for r in rows] == [
        ("1", REPORT, "3", "rapport"),
        ("2", WOO, "1", "woo-besluit"),
    ]


async def test_export_to_a_missing_folder_shows_the_error(dm: Docmine, tmp_path: Path) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await search(pilot, "aanbesteding")
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "nope" / "hits.csv")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal)
        assert app.screen.error.hint == "create it first or choose another path"


async def test_ingest_from_the_tui_adds_a_document(dm: Docmine, tmp_path: Path) -> None:
    (tmp_path / "nieuw").mkdir()
    new = make_pdf(
        tmp_path / "nieuw" / "besluitenlijst.pdf", ["Besluitenlijst raad 2024\n\nDe raad stemt in met de zorgbonus."]
    )
    broken = tmp_path / "nieuw" / "kapot.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, IngestScreen)
        app.screen.query_one("#paths", Input).value = str(new.parent)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IngestScreen)
        assert str(screen.query_one("#ingest-status", Static).render()).startswith("1 ingested, 0 duplicates, 1 failed")
        assert [Path(p).name for p, _ in screen.failures] == ["kapot.pdf"]
        assert screen.query_one("#failures", Static).render().plain.startswith("kapot.pdf: ")
        assert screen.query_one("ProgressBar").percentage == 1.0
        await pilot.press("escape")
        await search(pilot, "zorgbonus")
        assert [h.doc_type for h in app.screen.shown] == ["besluitenlijst"]
    assert len(dm.documents()) == 10

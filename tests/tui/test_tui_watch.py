"""Pilot test: an ingest from the TUI reports the new hits of the saved searches."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, RichLog
from tui_corpus import make_pdf
from tui_pilot import settle

from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.screens.ingest import IngestScreen

pytestmark = pytest.mark.anyio


async def test_ingest_in_the_tui_reports_new_hits_of_saved_searches(dm: Docmine, tmp_path: Path) -> None:
    dm.watch_add("zorgbonus")
    dm.watch_add("kermis")
    (tmp_path / "nieuw").mkdir()
    make_pdf(
        tmp_path / "nieuw" / "besluitenlijst.pdf", ["Besluitenlijst raad 2024\n\nDe raad stemt in met de zorgbonus."]
    )
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IngestScreen)
        screen.query_one("#paths", Input).value = str(tmp_path / "nieuw")
        await pilot.press("enter")
        await settle(pilot)
        log = "\n".join(line.text for line in screen.query_one("#ingest-log", RichLog).lines)
    assert "saved search 'zorgbonus': 1 new hits in 1 documents" in log
    assert "kermis" not in log

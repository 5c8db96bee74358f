"""Pilot test of the batch screen: a list of queries, hits per query, an absent name, open a hit at its page."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static
from tui_pilot import settle

from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.screens.batch import BatchScreen
from docmine.tui.screens.dialogs import ErrorModal
from docmine.tui.screens.document import DocumentScreen

pytestmark = pytest.mark.anyio


async def test_batch_screen_browses_hits_per_query_and_opens_one(dm: Docmine, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("jeugdhulp\nPietje Puk\n", encoding="utf-8")
    expected = dm.search_batch(dm.read_batch(names))
    assert expected[0].hits and not expected[1].hits
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await pilot.press("f10")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BatchScreen)
        box = screen.query_one("#batch-path", Input)
        box.value = str(tmp_path / "empty.txt")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen, app.screen_stack
        assert "is empty" in str(screen.query_one("#batch-status", Static).render())

        box.value = str(names)
        box.focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert str(screen.query_one("#batch-status", Static).render()) == "2 queries: 1 with hits, 1 without, 0 not run"
        queries = screen.query_one("#batch-queries", DataTable)
        assert [str(queries.get_row_at(i)[2]) for i in range(2)] == [str(len(expected[0].hits)), "0"]
        hits = screen.query_one("#batch-hits", DataTable)
        assert hits.row_count == len(expected[0].hits)
        await pilot.press("down")  # the absent name: no hits shown
        await pilot.pause()
        assert hits.row_count == 0
        await pilot.press("up", "enter")  # to the hits of the first query
        await pilot.pause()
        assert app.focused is hits
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        assert app.screen.doc_id == expected[0].hits[0].ref.doc_id

"""Pilot test of the timeline screen: dated facts in order, narrowed to an entity, Enter opens the fact's page."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Static
from tui_pilot import page_label, settle

from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.screens.document import DocumentScreen
from docmine.tui.screens.timeline import TimelineScreen

pytestmark = pytest.mark.anyio


async def test_timeline_lists_dated_facts_in_order_and_opens_their_page(dm: Docmine) -> None:
    expected = dm.timeline()
    assert expected, "the TUI corpus has dated facts"
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await pilot.press("f8")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        table = screen.query_one("#timeline-table", DataTable)
        dates = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert dates == [e.date for e in expected] == sorted(dates)
        assert str(screen.query_one("#timeline-status", Static).render()) == f"{len(expected)} dated facts"

        bad = screen.query_one("#timeline-entity", Input)
        bad.value = "Niemand Bestaatniet"
        bad.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "no entity named 'Niemand Bestaatniet'" in str(screen.query_one("#timeline-status", Static).render())
        await pilot.press("escape")  # the error modal
        bad.value = ""
        bad.focus()
        await pilot.press("enter")
        await settle(pilot)

        target = expected[-1]
        table.focus()
        table.move_cursor(row=len(expected) - 1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        pages = dm.document(target.ref.doc_id).page_count
        assert page_label(app) == f"pagina {target.ref.page} van {pages}"
        assert app.screen.doc_id == target.ref.doc_id

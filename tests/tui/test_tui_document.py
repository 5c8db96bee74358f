"""Pilot tests of the document screen: opening a hit at its page, paging, the back stack, panels, the viewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Label, OptionList, Static
from tui_pilot import REPORT, WOO, open_first, page_label, search, settle, titles

from docmine.errors import DocmineError
from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.screens.dialogs import ErrorModal, PromptDialog
from docmine.tui.screens.search import SearchScreen
from docmine.tui.widgets.facets import FacetList
from docmine.tui.widgets.page_view import PageView
from docmine.tui.widgets.results import ResultsList

pytestmark = pytest.mark.anyio


async def test_down_enter_opens_the_hit_page_and_escape_restores_the_selection(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        doc = await open_first(pilot, "aanbesteding")
        assert page_label(app) == "pagina 3 van 4"
        assert str(app.screen.query_one("#doc-title", Label).render()) == REPORT
        marked = doc.query(".para.hit")
        # the passage is the whole page body: the heading and its paragraph, whose last line ("rechtbank.")
        # the PDF's line spacing had split off, reflowed into it
        assert len(marked) == 2
        assert "aanbestedingsprocedure" in str(marked[1].render())

        await pilot.press("escape")
        await pilot.press("down", "enter")  # the second hit
        await settle(pilot)
        assert page_label(app) == "pagina 1 van 1"
        assert str(app.screen.query_one("#doc-title", Label).render()) == WOO

        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        results = screen.query_one(ResultsList)
        assert app.focused is results
        assert results.highlighted == 1
        assert titles(screen) == [REPORT, WOO]


async def test_a_hit_far_down_a_long_page_is_scrolled_into_view(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        doc = await open_first(pilot, "zwembadsubsidie")
        await pilot.pause()
        view = doc.query_one(PageView)
        target = doc.query(".para.hit").last()
        assert "zwembadsubsidie" in str(target.render())
        assert view.scroll_y > 0
        assert view.scrollable_content_region.contains_region(target.region)


async def test_next_previous_and_go_to_page(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await open_first(pilot, "aanbesteding")
        await pilot.press("n")
        await settle(pilot)
        assert page_label(app) == "pagina 4 van 4"
        await pilot.press("n")  # past the end: stays
        await settle(pilot)
        assert page_label(app) == "pagina 4 van 4"
        await pilot.press("p", "left")
        await settle(pilot)
        assert page_label(app) == "pagina 2 van 4"
        assert "Inleiding" in str(app.screen.query(".para").first().render())
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("ctrl+a", "ctrl+k", "1", "enter")  # clear the box, then 1
        await settle(pilot)
        assert page_label(app) == "pagina 1 van 4"
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", "9", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal)
        assert app.screen.error.message == "page 9 is out of range"


async def test_entities_and_claims_panels_say_not_available(dm: Docmine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(Docmine, "mentions", raising=False)
    monkeypatch.delattr(Docmine, "claims", raising=False)
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await open_first(pilot, "aanbesteding")
        assert str(app.screen.query_one("#entities", Static).render()) == "entities not available yet"
        assert str(app.screen.query_one("#claims", Static).render()) == "claims not available yet"


async def test_entities_claims_and_entity_facets_from_the_service(dm: Docmine, monkeypatch: pytest.MonkeyPatch) -> None:
    from docmine.model import Claim, MentionRow, SourceRef

    def mentions(doc_id: str) -> list[MentionRow]:
        rows = [
            (3, 0, 9, "ORGANIZATION", "Hoofdstuk"),
            (3, 30, 52, "LAW", "aanbestedingsprocedure"),
            (1, 0, 7, "PERSON", "Rapport"),
        ]
        return [
            MentionRow(SourceRef(doc_id, p, s, e), label, text, None, None, text.lower(), "", "", None)
            for p, s, e, label, text in rows
        ]

    def claims(doc_id: str) -> list[Claim]:
        return [Claim(SourceRef(doc_id, 3, 0, 10), "De aanbestedingsprocedure liep vertraging op.", "decision")]

    monkeypatch.setattr(dm, "mentions", mentions)
    monkeypatch.setattr(dm, "claims", claims)
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = await search(pilot, "aanbesteding")
        counts = screen.query_one(FacetList).counts
        assert counts[("entity", "LAW")] == 1  # only the report's hit is on page 3, where the fake LAW is
        await pilot.press("down", "enter")
        await settle(pilot)
        entities = str(app.screen.query_one("#entities", Static).render()).splitlines()
        assert entities == ["ORGANIZATION", "  Hoofdstuk", "LAW", "  aanbestedingsprocedure"]
        assert str(app.screen.query_one("#claims", Static).render()) == "1 on this page; t traces"
        claims = app.screen.query_one("#claim-list", OptionList)
        assert claims.option_count == 1
        assert str(claims.get_option_at_index(0).prompt) == "[decision] De aanbestedingsprocedure liep vertraging op."


async def test_open_original_without_a_viewer_shows_the_hint(dm: Docmine, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_viewer(path: Path, page: int, is_pdf: bool) -> list[str]:
        raise DocmineError("no document viewer found on this system", f"open it yourself: {path} (page {page})")

    monkeypatch.setattr("docmine.viewer.open_at_page", no_viewer)
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await open_first(pilot, "aanbesteding")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ErrorModal)
        assert app.screen.error.hint.endswith("rapport-evaluatie.pdf (page 3)")

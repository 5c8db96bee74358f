"""Pilot tests of the search screen: focus, typing, Enter, stale results, modes, facets, errors, quitting."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input, Static
from tui_pilot import REPORT, WOO, search, settle, status, titles, until

from docmine.errors import DocmineError
from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.screens.dialogs import ErrorModal, HelpScreen
from docmine.tui.screens.search import SearchScreen
from docmine.tui.widgets.facets import FacetList
from docmine.tui.widgets.results import ResultsList

pytestmark = pytest.mark.anyio


async def test_query_box_has_focus_and_enter_shows_hits(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        assert isinstance(app.focused, Input) and app.focused.id == "query"
        screen = await search(pilot, "aanbesteding")
        assert titles(screen) == [REPORT, WOO]
        assert status(screen) == "2 hits for 'aanbesteding' (text)"
        assert screen.query_one(ResultsList).option_count == 2
        assert [h.ref.page for h in screen.shown] == [3, 1]


async def test_typing_searches_after_a_pause(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await pilot.press(*"inkoop")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await until(pilot, lambda: screen.last_query == "inkoop")
        assert titles(screen) == ["Aan de gemeenteraad van Groningen", "Motie wachtlijsten jeugdzorg"]


async def test_only_the_latest_query_wins(dm: Docmine, monkeypatch: pytest.MonkeyPatch) -> None:
    real = dm.search

    def slow_first(query: str, filters: object = None, limit: int = 10, mode: str = "text") -> list[object]:
        if query == "aanbesteding":
            time.sleep(0.4)  # answers after the next query has been asked
        return real(query, None, limit, mode)

    monkeypatch.setattr(dm, "search", slow_first)
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        box = app.screen.query_one("#query", Input)
        box.value = "aanbesteding"
        await pilot.press("enter")
        box.value = "inkoop"
        await pilot.press("enter")
        await pilot.pause(0.5)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.last_query == "inkoop"
        assert titles(screen) == ["Aan de gemeenteraad van Groningen", "Motie wachtlijsten jeugdzorg"]


async def test_up_from_the_first_hit_returns_to_the_query(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await search(pilot, "aanbesteding")
        await pilot.press("down")
        await pilot.pause()
        assert isinstance(app.focused, ResultsList)
        await pilot.press("up")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press("down", "down", "escape")
        await pilot.pause()
        assert isinstance(app.focused, Input)


async def test_help_opens_and_closes(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "open the original file at this page" in str(app.screen.query_one("#help-text", Static).render())
        await pilot.press("escape")
        await search(pilot, "inkoop")
        await pilot.press("down")  # leave the query box: now ? and q are keys, not text
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_a_bad_query_shows_the_error_and_its_hint(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await pilot.press(*"-word", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal)
        assert str(app.screen.query_one("#error-message", Static).render()) == "the query has nothing to search for"
        assert str(app.screen.query_one("#error-hint", Static).render()) == (
            "hint: type at least one word that is not excluded"
        )
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


async def test_typing_a_bad_query_only_shows_a_status_line(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await pilot.press(*"-word")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await until(pilot, lambda: status(screen).startswith("the query has nothing"))
        assert isinstance(app.screen, SearchScreen)  # no modal while typing
        assert status(screen).startswith("the query has nothing to search for")


async def test_a_bug_in_a_worker_shows_a_modal_not_a_crash(dm: Docmine, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("index exploded")

    monkeypatch.setattr(dm, "search", broken)
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        app.screen.query_one("#query", Input).value = "inkoop"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal)
        assert app.screen.error.message == "unexpected error: RuntimeError: index exploded"
        await pilot.press("escape")
        await pilot.pause()
        assert [type(s).__name__ for s in app.screen_stack] == ["Screen", "SearchScreen"], app.screen_stack


async def test_an_unavailable_mode_falls_back_to_text(dm: Docmine, monkeypatch: pytest.MonkeyPatch) -> None:
    real = dm.search

    def fake_search(query: str, filters: object = None, limit: int = 10, mode: str = "text") -> list[object]:
        if mode != "text":
            raise DocmineError(f"{mode} search is not available yet", "run docmine embed first")
        return real(query, None, limit, mode)

    monkeypatch.setattr(dm, "search", fake_search)
    app = DocmineApp(dm, mode="hybrid")
    async with app.run_test(notifications=True) as pilot:
        screen = await search(pilot, "aanbesteding")
        assert titles(screen) == [REPORT, WOO]
        assert status(screen) == "2 hits for 'aanbesteding' (text; hybrid not available)"
        assert [n.message for n in app._notifications] == [
            "hybrid unavailable, showing text results: hybrid search is not available yet (run docmine embed first)"
        ]
        await search(pilot, "inkoop")
        assert len(app._notifications) == 1  # said once, not at every search


async def test_mode_switch_cycles(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.mode == "auto"
        await pilot.press("f2")
        await pilot.pause()
        assert screen.mode == "hybrid"
        await pilot.press("f2", "f2", "f2")
        await pilot.pause()
        assert screen.mode == "auto"


async def test_facets_count_and_filter(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = await search(pilot, "jeugdhulp")
        facets = screen.query_one(FacetList)
        assert facets.counts[("type", "rapport")] == 2
        assert facets.counts[("year", "2021")] == 1
        assert facets.counts[("place", "Zwolle")] == 1  # the name, not the CBS code
        assert len(screen.shown) == 5
        await pilot.press("down", "f")
        await pilot.pause()
        assert app.focused is facets
        await pilot.press("down", "space")  # the first value under TYPE: rapport
        await pilot.pause()
        assert facets.chosen == {("type", "rapport")}
        assert titles(screen) == [REPORT, REPORT]
        assert status(screen) == "2 of 5 hits for 'jeugdhulp' (text) - filters: type=rapport (x clears)"


async def test_q_types_in_the_query_box_and_quits_elsewhere(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one("#query", Input).value == "q"
        await search(pilot, "inkoop")
        await pilot.press("down", "q")
        await pilot.pause()
        assert not app.is_running

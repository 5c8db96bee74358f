"""Pilot helpers shared by the TUI tests: run a search, open the first hit, read labels, let workers settle."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from docmine.tui.app import DocmineApp
from docmine.tui.screens.document import DocumentScreen
from docmine.tui.screens.search import SearchScreen

REPORT = "Rapport evaluatie jeugdhulp regio Noord"
WOO = "Besluit op uw Woo-verzoek"


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and their messages land."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot[None], done: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for what a timer (the typing debounce) sets off; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)
    await settle(pilot)


async def search(pilot: Pilot[None], query: str) -> SearchScreen:
    """Put the query in the box (typing key by key is tested once, and is slow) and press Enter."""
    box = pilot.app.screen.query_one("#query", Input)
    box.value = query
    box.focus()
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    return screen


def titles(screen: SearchScreen) -> list[str]:
    return [h.title for h in screen.shown]


def status(screen: SearchScreen) -> str:
    return str(screen.query_one("#status", Static).render())


def page_label(app: DocmineApp) -> str:
    return str(app.screen.query_one("#page-label", Label).render())


async def open_first(pilot: Pilot[None], query: str) -> DocumentScreen:
    await search(pilot, query)
    await pilot.press("down", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DocumentScreen)
    return screen

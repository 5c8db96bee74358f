"""A spinner while a model loads: over the results of a semantic search and over the sources of a trace."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, LoadingIndicator, Static
from tui_pilot import settle, titles, until

from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.screens.dialogs import ErrorModal
from docmine.tui.screens.search import SearchScreen
from docmine.tui.screens.trace import SourceList, TraceScreen
from docmine.tui.widgets.results import ResultsList

pytestmark = pytest.mark.anyio


def gated(call: Callable[..., Any], gate: threading.Event, entered: threading.Event) -> Callable[..., Any]:
    """The real service call, held until the test opens the gate: as long as a model takes to load."""

    def held(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        assert gate.wait(10)
        return call(*args, **kwargs)

    return held


async def entered_worker(pilot: Pilot[None], entered: threading.Event) -> None:
    """Wait until the worker is inside the held call (``until`` would wait for the worker to finish)."""
    deadline = time.monotonic() + 10
    while not entered.is_set():
        assert time.monotonic() < deadline, "the worker never called the service"
        await pilot.pause(0.02)
    await pilot.pause()


def spinning(widget: Widget) -> bool:
    """The widget is covered by Textual's LoadingIndicator (drawn over it, so not found by a DOM query)."""
    return widget.loading and isinstance(widget._cover_widget, LoadingIndicator)


async def test_a_trace_shows_a_spinner_until_its_sources_arrive(dm: Docmine, monkeypatch: pytest.MonkeyPatch) -> None:
    gate, entered = threading.Event(), threading.Event()
    monkeypatch.setattr(dm, "trace", gated(dm.trace, gate, entered))
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        app.open_trace(statement="de wachtlijsten in de jeugdzorg lopen op")
        await entered_worker(pilot, entered)
        screen = app.screen
        assert isinstance(screen, TraceScreen)
        assert spinning(screen.query_one(SourceList))
        gate.set()
        await until(pilot, lambda: not screen.query_one(SourceList).loading)
        assert not spinning(screen.query_one(SourceList))
        assert "sources" in str(screen.query_one("#trace-status", Static).render())


async def test_a_failed_trace_takes_the_spinner_away(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        app.open_trace(claim_id=987654)  # no such claim
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TraceScreen)
        assert not spinning(app.screen.query_one(SourceList))


async def test_a_semantic_search_shows_a_spinner_until_the_hits_arrive(
    dm: Docmine, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate, entered = threading.Event(), threading.Event()
    monkeypatch.setattr(dm, "search", gated(dm.search, gate, entered))
    app = DocmineApp(dm, mode="semantic")
    async with app.run_test() as pilot:
        app.screen.query_one("#query", Input).value = "aanbesteding"
        await pilot.press("enter")
        await entered_worker(pilot, entered)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert spinning(screen.query_one(ResultsList))
        gate.set()
        await until(pilot, lambda: not screen.query_one(ResultsList).loading)
        assert not spinning(screen.query_one(ResultsList)) and titles(screen)


async def test_a_started_tui_loads_the_models_of_the_first_search_and_trace(dm: Docmine) -> None:
    """``docmine tui`` warms up: the entity pipeline (and the embedding model, when passages are embedded) load in
    a thread while the search screen waits for the first key, so the first trace does not wait for them."""
    assert dm._extractor is None
    app = DocmineApp(dm, warm=True)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert dm._extractor is not None
        assert (dm._embedder is not None) == (dm.settings.embed and dm.searcher.semantic_unavailable() is None)
        app.open_trace(statement="De uitgaven aan jeugdzorg bedragen in 2020 € 160 miljoen")
        await until(pilot, lambda: isinstance(app.screen, TraceScreen) and bool(app.screen.sources), timeout=30)

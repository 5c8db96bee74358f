"""How the TUI looks at 80x24, from a fixed case file: search results, a document, entities, a trace."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from docmine.service import Docmine
from docmine.tui.app import DocmineApp

SIZE = (80, 24)


async def _search(pilot: Pilot[None]) -> None:
    box = pilot.app.screen.query_one("#query", Input)
    box.value = "aanbesteding"
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open_hit(pilot: Pilot[None]) -> None:
    await _search(pilot)
    await pilot.press("down", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def _entities(pilot: Pilot[None]) -> None:
    await pilot.press("f5")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.screen.query_one("#entity-filter", Input).value = "miljoen"
    await pilot.pause()
    await pilot.press("enter")  # the mentions of the first: € 160 miljoen, in two documents
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _trace(pilot: Pilot[None]) -> None:
    box = pilot.app.screen.query_one("#query", Input)
    box.value = "jaarverslag"
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("down", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("t")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_search_screen_with_results(dm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(dm), terminal_size=SIZE, run_before=_search)


def test_document_screen_at_the_hit(dm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(dm), terminal_size=SIZE, run_before=_open_hit)


def test_search_screen_without_colour(dm: Docmine, snap_compare: Any, monkeypatch: Any) -> None:
    """NO_COLOR: marks stay visible as bold reverse, facets as [x]."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(DocmineApp(dm), terminal_size=SIZE, run_before=_search)


def test_entities_screen_with_mentions(dm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(dm), terminal_size=SIZE, run_before=_entities)


def test_trace_screen_of_a_claim(dm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(dm), terminal_size=SIZE, run_before=_trace)


# -- issue 16: the claims view, the palette, the page image; 80x24 and 120x40 --------------------------------

BIG = (120, 40)


async def _claims(pilot: Pilot[None]) -> None:
    await pilot.press("f7")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.screen.query_one("#claim-low", Input).value = "150 mln"
    await pilot.pause()
    await pilot.press("tab")  # out of the box: the cursor does not blink in the picture
    await pilot.pause()


async def _palette(pilot: Pilot[None]) -> None:
    from textual.command import CommandList
    from textual.widgets import Input

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"go to claims")
    # the palette searches in the background: wait for the one view that matches, then for it to settle
    for _ in range(100):
        found = pilot.app.screen.query(CommandList)
        if found and found.first().option_count == 1:
            break
        await pilot.pause(0.05)
    await pilot.pause(0.5)
    # the input's cursor blinks: hold it steady (shown) so the picture does not depend on when it is taken
    pilot.app.screen.query_one(Input).cursor_blink = False
    await pilot.pause()


async def _image(pilot: Pilot[None]) -> None:
    await _open_hit(pilot)
    await pilot.press("i")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def test_claims_view_filtered(dm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(dm), terminal_size=SIZE, run_before=_claims)


def test_claims_view_filtered_large(dm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(dm), terminal_size=BIG, run_before=_claims)


def test_command_palette(dm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(dm), terminal_size=SIZE, run_before=_palette)


def test_command_palette_large(dm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(dm), terminal_size=BIG, run_before=_palette)


def test_page_image_with_the_hit_boxed(dm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(dm), terminal_size=SIZE, run_before=_image)


def test_page_image_with_the_hit_boxed_large(dm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(dm), terminal_size=BIG, run_before=_image)


def test_search_screen_with_results_large(dm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(dm), terminal_size=BIG, run_before=_search)


def test_entities_screen_with_mentions_large(dm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(dm), terminal_size=BIG, run_before=_entities)

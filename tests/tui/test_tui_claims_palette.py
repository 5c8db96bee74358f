"""The claims view (filters, open, trace, export) and the command palette, with help made from the bindings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Select, Static
from tui_pilot import settle

from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.claimfilter import parse_euros
from docmine.tui.screens.claims import ClaimsScreen
from docmine.tui.screens.dialogs import HelpScreen
from docmine.tui.screens.document import DocumentScreen
from docmine.tui.screens.entities import EntitiesScreen
from docmine.tui.screens.search import SearchScreen
from docmine.tui.screens.trace import TraceScreen
from docmine.tui.views import VIEWS

pytestmark = pytest.mark.anyio


def claim_status(app: DocmineApp) -> str:
    return str(app.screen.query_one("#claim-status", Static).render())


async def open_claims(pilot: object) -> ClaimsScreen:
    await pilot.press("f7")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    screen = pilot.app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, ClaimsScreen)
    return screen


@pytest.mark.parametrize(
    ("text", "euros"), [("160 mln", 160e6), ("€ 4,2 miljoen", 4.2e6), ("20.000", 20e3), ("1,5 mld", 1.5e9), ("", None)]
)
def test_amounts_are_read_as_people_write_them(text: str, euros: float | None) -> None:
    assert parse_euros(text) == euros


async def test_the_claims_view_lists_filters_and_says_so(dm: Docmine) -> None:
    every = dm.claims()
    app = DocmineApp(dm)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_claims(pilot)
        assert len(screen.shown) == len(every) > 3
        assert claim_status(app).startswith(f"{len(every)} claims")
        screen.query_one("#claim-low", Input).value = "150 mln"
        screen.query_one("#claim-high", Input).value = "170 mln"
        await settle(pilot)
        assert {c.ref.doc_id for c in screen.shown} == {
            d.doc_id for d in dm.documents() if d.title.startswith(("Jaarverslag", "Raadsvoorstel"))
        }
        assert "filters: min €=€ 150 mln, max €=€ 170 mln (x clears)" in claim_status(app)
        table = screen.query_one("#claim-table", DataTable)
        assert "€ 160 mln" in str(table.render_line(1).text)
        screen.query_one("#claim-table", DataTable).focus()
        await pilot.press("x")
        await settle(pilot)
        assert len(screen.shown) == len(every)
        assert "filters" not in claim_status(app)


async def test_kind_and_date_filters(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_claims(pilot)
        kinds = sorted({c.kind for c in screen.claims})
        screen.query_one("#claim-kind", Select).value = kinds[0]
        await settle(pilot)
        assert screen.shown and {c.kind for c in screen.shown} == {kinds[0]}
        screen.query_one("#claim-kind", Select).clear()
        screen.query_one("#claim-since", Input).value = "2021-05"
        screen.query_one("#claim-until", Input).value = "2021"
        await settle(pilot)
        dates = {screen.docs[c.ref.doc_id].date for c in screen.shown}
        assert dates and all(d is not None and "2021-05" <= d <= "2021-12-31" for d in dates)


async def test_a_bad_amount_is_said_not_raised(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = await open_claims(pilot)
        screen.query_one("#claim-low", Input).value = "veel"
        await settle(pilot)
        assert claim_status(app) == "'veel' is not an amount - write it as 160 mln, 4,2 miljoen or 20.000"
        screen.query_one("#claim-low", Input).value = ""
        screen.query_one("#claim-until", Input).value = "175 mln"
        await settle(pilot)
        assert claim_status(app) == "'175 mln' is not a date - use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021-03"


async def test_enter_opens_the_sentence_and_t_traces_it(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_claims(pilot)
        screen.query_one("#claim-low", Input).value = "175 mln"
        await settle(pilot)
        assert len(screen.shown) == 1
        claim = screen.shown[0]
        screen.query_one("#claim-table", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        doc = app.screen
        assert isinstance(doc, DocumentScreen)
        assert (doc.doc_id, doc.number, doc.hit, doc.exact) == (
            claim.ref.doc_id,
            claim.ref.page,
            (claim.ref.start, claim.ref.end),
            True,
        )
        await pilot.press("escape", "t")
        await settle(pilot)
        trace = app.screen
        assert isinstance(trace, TraceScreen)
        assert trace.claim_id == claim.claim_id
        assert len(trace.sources) >= 2


async def test_claims_export_with_anchors(dm: Docmine, tmp_path: Path) -> None:
    app = DocmineApp(dm)
    out = tmp_path / "claims.csv"
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_claims(pilot)
        screen.query_one("#claim-low", Input).value = "150 mln"
        await settle(pilot)
        screen.query_one("#claim-table", DataTable).focus()
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot)
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 3
    for row in rows:
        _, page = dm.page(row["doc_id"], int(row["page"]))
        assert "miljoen" in page.text[int(row["start"]) : int(row["end"])]


# -- the palette and the help -------------------------------------------------------------------------------


async def test_every_view_is_one_key_away_from_every_screen(dm: Docmine) -> None:
    app = DocmineApp(dm)
    keyed = [v for v in VIEWS if v.key and v.name != "Help"]
    assert {v.name for v in keyed} >= {"Search", "Entities", "Claims", "Ingest"}
    async with app.run_test(size=(120, 40)) as pilot:
        for here in keyed:
            for there in keyed:
                await pilot.press(here.key)
                await settle(pilot)
                await pilot.press(there.key)
                await settle(pilot)
                assert type(app.screen).__name__.lower().startswith(there.name.lower()), (here.name, there.name)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen) and len(app.screen_stack) == 2


async def test_the_palette_finds_views_and_the_screens_actions(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"go to claims")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        await pilot.press("ctrl+p")
        await pilot.press(*"clear filters")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        await pilot.press("ctrl+p")
        await pilot.press(*"go to entities")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EntitiesScreen)


async def test_the_help_lists_every_binding(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f7", "f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text
        for owner in (SearchScreen, DocumentScreen, ClaimsScreen, EntitiesScreen, TraceScreen):
            for binding in owner.BINDINGS:
                said = binding.tooltip or binding.description  # type: ignore[union-attr]
                assert said in text, (owner.__name__, binding)
        for view in VIEWS:
            assert view.help in text
        assert "F7" in text and "Claims" in text

"""Pilot tests of the entities screen (filter, mentions, open at the mention) and of claims -> trace -> source."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label, OptionList, Select, Static
from tui_pilot import open_first, page_label, search, settle, status

from docmine.model import Hit, SourceRef
from docmine.service import Docmine, SearchResults
from docmine.tui.app import DocmineApp
from docmine.tui.screens.dialogs import ErrorModal, PromptDialog
from docmine.tui.screens.document import DocumentScreen
from docmine.tui.screens.entities import EntitiesScreen
from docmine.tui.screens.search import SearchScreen
from docmine.tui.screens.trace import DIFFERS, TraceScreen
from docmine.tui.widgets.page_view import PageView

pytestmark = pytest.mark.anyio

ANNUAL = "Jaarverslag sociaal domein 2020"
PROPOSAL = "Raadsvoorstel begroting jeugdzorg"
PRESS = "Persbericht jeugdzorg"


def cells(table: DataTable[object], column: int) -> list[str]:
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


def marked(doc: DocumentScreen) -> list[str]:
    """The text under the bold-reverse mark on the page shown."""
    out = []
    for para in doc.query(".para.hit"):
        text = para.render()
        out += [text.plain[s.start : s.end] for s in text.spans if getattr(s.style, "reverse", False)]
    return out


async def open_entities(pilot: object, app: DocmineApp) -> EntitiesScreen:
    await pilot.press("f5")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, EntitiesScreen)
    return screen


async def test_entities_filter_select_and_open_a_mention_at_its_page(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = await open_entities(pilot, app)
        table = screen.query_one("#entity-table", DataTable)
        assert table.row_count == len(dm.entities()) == 17
        assert app.focused is table

        screen.query_one("#entity-label", Select).value = "MONEY"
        await pilot.pause()
        assert cells(table, 1) == ["€ 160 miljoen", "€ 175 miljoen", "€ 20.000", "€ 4,2 miljoen"]
        await pilot.press("slash", *"20.0")
        await pilot.pause()
        assert cells(table, 1) == ["€ 20.000"]
        assert str(screen.query_one("#entity-status", Static).render()).startswith("1 of 17 entities")

        await pilot.press("enter")  # from the filter box to the table
        assert app.focused is table
        await pilot.press("enter")  # list the mentions
        await settle(pilot)
        mentions = screen.query_one("#mention-table", DataTable)
        assert app.focused is mentions
        assert cells(mentions, 0) == ["Notitie openbare ruimte"]
        assert cells(mentions, 2) == ["1"]
        assert cells(mentions, 3) == ["…wordt verhoogd met € 20.000."]
        assert str(screen.query_one("#mentions-title", Label).render()) == "Mentions of € 20.000: 1"

        await pilot.press("enter")  # open the mention
        await settle(pilot)
        doc = app.screen
        assert isinstance(doc, DocumentScreen)
        assert page_label(app) == "pagina 1 van 1"
        assert marked(doc) == ["€ 20.000"]
        await pilot.pause()
        view = doc.query_one(PageView)
        target = doc.query(".para.hit").last()
        assert view.scroll_y > 0  # the mention is in the last paragraph of a long page
        assert view.scrollable_content_region.contains_region(target.region)

        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert app.focused is mentions
        assert screen.query_one("#entity-filter", Input).value == "20.0"
        assert cells(table, 1) == ["€ 20.000"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


async def test_an_entity_in_two_documents_lists_both(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = await open_entities(pilot, app)
        screen.query_one("#entity-filter", Input).value = "160"
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        mentions = screen.query_one("#mention-table", DataTable)
        assert sorted(m.title for m in screen.mentions) == [ANNUAL, PROPOSAL]
        assert sorted(cells(mentions, 0)) == ["Jaarverslag sociaal dom…", "Raadsvoorstel begroting…"]
        assert sorted(cells(mentions, 1)) == ["2021-03-01", "2021-05-12"]


async def test_no_entities_says_how_to_get_them(dm: Docmine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dm, "entities", lambda: [])
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = await open_entities(pilot, app)
        status_line = str(screen.query_one("#entity-status", Static).render())
        assert status_line == "no entities in this case file yet - run docmine extract"
        await pilot.press("e")  # nothing to export: the error modal, with its hint
        await pilot.pause()
        assert isinstance(app.screen, ErrorModal)
        assert app.screen.error.hint == "run an entity filter with results first"


async def test_export_the_entities_table(dm: Docmine, tmp_path: Path) -> None:
    target = tmp_path / "entities.csv"
    app = DocmineApp(dm)
    async with app.run_test(notifications=True) as pilot:
        screen = await open_entities(pilot, app)
        screen.query_one("#entity-label", Select).value = "MUNICIPALITY"
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert any(n.message == f"wrote 3 rows to {target}" for n in app._notifications)
    with target.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["label"], r["name"], r["mentions"], r["documents"]) for r in rows] == [
        ("MUNICIPALITY", "Zwolle", "4", "4"),
        ("MUNICIPALITY", "Groningen", "2", "1"),
        ("MUNICIPALITY", "Utrecht", "1", "1"),
    ]


async def test_claim_to_trace_to_source_and_back(dm: Docmine, tmp_path: Path) -> None:
    app = DocmineApp(dm)
    async with app.run_test(notifications=True) as pilot:
        doc = await open_first(pilot, "jaarverslag")
        claims = doc.query_one("#claim-list", OptionList)
        assert claims.option_count == 1
        assert "€ 160 miljoen" in str(claims.get_option_at_index(0).prompt)

        await pilot.press("c")
        await pilot.pause()
        assert app.focused is claims
        await pilot.press("enter")
        await settle(pilot)
        trace = app.screen
        assert isinstance(trace, TraceScreen)
        assert [s.title for s in trace.sources[:2]] == [PRESS, PROPOSAL]
        assert trace.sources[0].conflicts and not trace.sources[1].conflicts
        sources = trace.query_one("#sources", OptionList)
        first = sources.get_option_at_index(0).prompt.columns[1]._cells[0].plain  # type: ignore[union-attr]
        assert f"{DIFFERS}: € 160 mln vs € 175 mln" in first  # as people write them
        assert "2021-06-20 · p. 1" in first
        second = sources.get_option_at_index(1).prompt.columns[1]._cells[0].plain  # type: ignore[union-attr]
        assert DIFFERS not in second and "= same: 2020, € 160 mln" in second  # as people write them
        await pilot.press("v")  # the normalised values, as stored
        await pilot.pause()
        second = sources.get_option_at_index(1).prompt.columns[1]._cells[0].plain  # type: ignore[union-attr]
        assert DIFFERS not in second and "= same: DATE=2020, MONEY=160000000.00" in second
        first = sources.get_option_at_index(0).prompt.columns[1]._cells[0].plain  # type: ignore[union-attr]
        assert f"{DIFFERS}: MONEY: 160000000.00 vs 175000000.00" in first  # the conflict as the trace keeps it
        assert str(trace.query_one("#trace-status", Static).render()).startswith(
            f"{len(trace.sources)} sources, 1 states a different value - lexical similarity only"
        )

        await pilot.press("e")  # export the trace table
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "trace.jsonl")
        await pilot.press("enter")
        await settle(pilot)
        rows = [json.loads(line) for line in (tmp_path / "trace.jsonl").read_text(encoding="utf-8").splitlines()]
        assert (rows[0]["title"], rows[0]["differs"], rows[0]["page"]) == (PRESS, True, 1)

        await pilot.press("enter")  # the first source: the one that differs
        await settle(pilot)
        source = app.screen
        assert isinstance(source, DocumentScreen)
        assert str(source.query_one("#doc-title", Label).render()) == PRESS
        assert marked(source) == ["De uitgaven aan jeugdzorg bedragen in 2020 € 175 miljoen."]

        names = []
        for _ in range(3):
            await pilot.press("escape")
            await pilot.pause()
            names.append(type(app.screen).__name__)
        assert names == ["TraceScreen", "DocumentScreen", "SearchScreen"]
        assert app.screen.query_one("#query", Input).value == "jaarverslag"


async def test_trace_the_statement_in_the_query_box(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        app.screen.query_one("#query", Input).value = "De uitgaven aan jeugdzorg bedragen in 2020 € 175 miljoen"
        await pilot.press("f6")
        await settle(pilot)
        trace = app.screen
        assert isinstance(trace, TraceScreen)
        top = trace.sources[:3]
        assert [s.title for s in top][0] == PRESS
        assert sorted(s.title for s in top if s.conflicts) == [ANNUAL, PROPOSAL]


async def test_trace_with_an_empty_query_explains(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, ErrorModal)
        assert app.screen.error.hint == "type a statement in the query box first"


async def test_the_default_mode_is_the_service_s_and_its_notice_shows(
    dm: Docmine, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str | None] = []

    def fake_search(query: str, filters: object = None, limit: int = 10, mode: str | None = None) -> SearchResults:
        asked.append(mode)
        hit = Hit(SourceRef(dm.documents()[0].doc_id, 1, 0, 5), "/x.txt", "X", "brief", None, 1.0, "x")
        return SearchResults([hit], "text", "text mode: 3 of 9 passages are not embedded yet; run docmine embed")

    monkeypatch.setattr(dm, "search", fake_search)
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = await search(pilot, "x")
        assert asked == [None]
        assert status(screen) == (
            "1 hits for 'x' (text) - text mode: 3 of 9 passages are not embedded yet; run docmine embed"
        )

"""The rough edges of issue 16, one test each, numbered as the issue numbers them."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static, Tabs
from tui_pilot import open_first, search, settle, status, titles
from typer.testing import CliRunner

from docmine.cli import app as cli_app
from docmine.config import Settings
from docmine.model import EntityRow
from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.messages import EntitiesLoaded
from docmine.tui.screens.dialogs import ErrorModal, PromptDialog
from docmine.tui.screens.entities import EntitiesScreen
from docmine.tui.screens.ingest import IngestScreen, PostingProgress
from docmine.tui.screens.search import SearchScreen
from docmine.tui.screens.trace import TraceScreen
from docmine.tui.widgets.facets import FacetList
from docmine.tui.widgets.results import ResultsList

pytestmark = pytest.mark.anyio


def modals(app: DocmineApp) -> int:
    return sum(isinstance(s, ErrorModal) for s in app.screen_stack)


def facet_prompts(app: DocmineApp) -> list[str]:
    """The facet options as the terminal shows them (rendered, so markup in a label would be lost here too)."""
    from rich.console import Console

    facets = app.screen.query_one(FacetList)
    console = Console(width=60, no_color=True)
    out = []
    for i in range(facets.option_count):
        option = facets.get_option_at_index(i)
        if not option.disabled:
            lines = console.render_lines(option.prompt, console.options.update_width(60))  # type: ignore[arg-type]
            out.append(" ".join("".join(seg.text for seg in line).strip() for line in lines))
    return out


# 1 -------------------------------------------------------------------------------------------------------


async def test_1_a_page_out_of_range_shows_one_error(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await open_first(pilot, "aanbesteding")
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        app.screen.query_one(Input).value = "9"
        await pilot.press("enter")
        await settle(pilot)
        assert modals(app) == 1
        assert "page 9 is out of range" in str(app.screen.query_one("#error-message", Static).render())


async def test_1_an_ingest_of_a_missing_path_shows_one_error(dm: Docmine, tmp_path: Path) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, IngestScreen)
        app.screen.query_one("#paths", Input).value = str(tmp_path / "nowhere")
        await pilot.press("enter")
        await settle(pilot)
        assert modals(app) == 1


# 2, 3 ----------------------------------------------------------------------------------------------------


async def test_2_a_chosen_facet_keeps_its_mark(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await search(pilot, "jeugdzorg")
        facets = app.screen.query_one(FacetList)
        facets.focus()
        facets.highlighted = 1  # the first value under the TYPE heading
        await pilot.press("enter")
        await settle(pilot)
        chosen = [p for p in facet_prompts(app) if p.startswith("[x]")]
        assert len(chosen) == 1, facet_prompts(app)


async def test_3_undated_is_a_whole_word_and_names_are_not_cut(dm: Docmine, tmp_path: Path) -> None:
    note = tmp_path / "nieuwsartikel-jeugdhulp.txt"
    note.write_text("Nieuwsartikel\n\nDe jeugdhulp in de regio krijgt meer geld.\n", encoding="utf-8")
    assert not dm.ingest([note]).failed
    app = DocmineApp(dm, mode="text")
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "jeugdhulp")
        prompts = facet_prompts(app)
        assert any(p.startswith("[ ] undated") for p in prompts), prompts
        facets = app.screen.query_one(FacetList)
        lines = "\n".join(str(line.text) for line in [facets.render_line(y) for y in range(facets.size.height)])
        assert "…" not in lines


# 4 -------------------------------------------------------------------------------------------------------


async def test_4_a_new_search_starts_unfiltered_and_active_filters_show(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = await search(pilot, "jeugdzorg")
        facets = screen.query_one(FacetList)
        facets.focus()
        facets.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert len(screen.shown) < len(screen.hits)
        assert "filters: type=" in status(screen) and "(x clears)" in status(screen)
        await search(pilot, "aanbesteding")
        assert len(screen.shown) == len(screen.hits) == 2
        assert "filters" not in status(screen)


async def test_4_x_clears_the_filters(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = await search(pilot, "jeugdzorg")
        facets = screen.query_one(FacetList)
        facets.focus()
        facets.highlighted = 1
        await pilot.press("enter", "x")
        await settle(pilot)
        assert facets.chosen == set()
        assert len(screen.shown) == len(screen.hits)


# 5 -------------------------------------------------------------------------------------------------------


async def test_5_a_long_name_leaves_the_counts_on_screen(dm: Docmine) -> None:
    long_name = "Artikel 5.1 lid 2 onder e Woo: eerbiediging van de persoonlijke levenssfeer " * 2
    rows = [EntityRow("WOO_GROUND", "k1", long_name.strip(), None, 3, 2, None, None)]
    app = DocmineApp(dm)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EntitiesScreen)
        screen.post_message(EntitiesLoaded(rows))
        await settle(pilot)
        table = screen.query_one("#entity-table", DataTable)
        assert table.virtual_size.width <= 120
        line = str(table.render_line(1).text)
        assert line.rstrip().endswith("2"), line  # the docs count is in sight


# 6 -------------------------------------------------------------------------------------------------------


async def test_6_a_quote_alone_is_not_traced(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        app.screen.query_one("#query", Input).value = '"'
        started = time.monotonic()
        await pilot.press("f6")
        await settle(pilot)
        assert time.monotonic() - started < 5
        assert not any(isinstance(s, TraceScreen) for s in app.screen_stack)
        assert modals(app) == 1
        assert str(app.screen.query_one("#error-message", Static).render()) == "nothing to trace"


# 7 -------------------------------------------------------------------------------------------------------


async def test_7_f2_twice_moves_the_mode_twice(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.action_next_mode()  # twice before the tabs' message arrives: a quick double press
        screen.action_next_mode()
        await settle(pilot)
        assert screen.query_one(Tabs).active == "mode-text"
        assert screen.mode == "text"


# 8 -------------------------------------------------------------------------------------------------------


async def test_8_the_ingest_names_its_stage_after_reading(dm: Docmine, tmp_path: Path) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "a.txt").write_text("Gemeente Zwolle besluit over de begroting.\n", encoding="utf-8")
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IngestScreen)
        progress = PostingProgress(screen)
        progress.start(1)
        progress.advance(str(folder / "a.txt"), 1, "ok")
        await settle(pilot)
        line = str(screen.query_one("#ingest-status", Static).render())
        assert line == "read and extracted 1/1 files"
        progress.embedding(3, 10)
        await settle(pilot)
        line = str(screen.query_one("#ingest-status", Static).render())
        assert line == "embedding passages for semantic search: 3/10"


# 9 -------------------------------------------------------------------------------------------------------


def test_9_a_typo_in_db_creates_no_case_file(tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    result = CliRunner().invoke(cli_app, ["--db", str(typo), "tui"])
    assert result.exit_code == 1
    assert f"no case file at {typo}" in result.output
    assert "tui --new" in result.output
    assert not typo.exists()


# 10 ------------------------------------------------------------------------------------------------------


async def test_10_an_entitys_mentions_export_with_anchors(dm: Docmine, tmp_path: Path) -> None:
    import csv

    app = DocmineApp(dm)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        app.screen.query_one("#entity-filter", Input).value = "miljoen"
        await pilot.pause()
        await pilot.press("enter")  # the mentions of € 160 miljoen
        await settle(pilot)
        assert isinstance(app.focused, DataTable) and app.focused.id == "mention-table"
        await pilot.press("f3")
        await pilot.pause()
        out = tmp_path / "mentions.csv"
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot)
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2
    assert {r["page"] for r in rows} == {"1"}
    assert all(int(r["end"]) > int(r["start"]) > 0 for r in rows)
    assert {r["value_num"] for r in rows} == {"160000000.0"}


# 11 ------------------------------------------------------------------------------------------------------


async def test_11_places_and_amounts_as_people_write_them(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot, "gemeenteraad")
        meta = str(app.screen.query_one("#meta", Static).render())
        assert "Groningen (GM0014)" in meta
        await pilot.press("escape", "f5")
        await settle(pilot)
        app.screen.query_one("#entity-filter", Input).value = "miljoen"
        await pilot.pause()
        table = app.screen.query_one("#entity-table", DataTable)
        assert "€ 160 mln" in str(table.render_line(1).text)
        await pilot.press("v")
        await pilot.pause()
        assert "160000000" in str(table.render_line(1).text)


# 12 ------------------------------------------------------------------------------------------------------


async def test_12_nonsense_by_meaning_alone_is_flagged(case: Settings) -> None:
    settings = replace(case, embed=True, embedding_model="hashing")
    with Docmine(settings) as dm:
        dm.embed()
        app = DocmineApp(dm, mode="semantic")
        async with app.run_test() as pilot:
            screen = await search(pilot, "xqzvw blorfk")
            assert screen.hits
            assert "no hit contains the query words" in status(screen)
            await search(pilot, "jeugdzorg")
            assert "no hit contains" not in status(screen)


# 13 ------------------------------------------------------------------------------------------------------


async def test_13_a_spinner_shows_while_searching(dm: Docmine, monkeypatch: pytest.MonkeyPatch) -> None:
    real = dm.search

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(0.5)  # as when the first search loads the language model
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dm, "search", slow)
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        app.screen.query_one("#query", Input).value = "aanbesteding"
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.screen.query_one(ResultsList).loading
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert not screen.query_one(ResultsList).loading
        assert len(titles(screen)) == 2


# 14: JSON is read as data (string values under their key paths, never keys and braces) since the ingest rework:
#     tests/test_ingest_json.py::test_json_string_values_become_text_under_their_key_path.

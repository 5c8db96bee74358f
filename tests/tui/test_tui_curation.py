"""Pilot tests of curation in the entities screen: merge, rename, reject and undo through the case file's rules."""

from __future__ import annotations

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import DataTable, Input
from tui_pilot import settle

from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.keys import screen_actions
from docmine.tui.screens.dialogs import ErrorModal
from docmine.tui.screens.entities import EntitiesScreen, NamePrompt

pytestmark = pytest.mark.anyio


async def open_entities(pilot: Pilot[None]) -> EntitiesScreen:
    await pilot.press("f5")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, EntitiesScreen)
    return screen


def counts(screen: EntitiesScreen) -> dict[tuple[str, str], int]:
    """(label, name) -> mentions, as the table shows them."""
    table = screen.query_one("#entity-table", DataTable)
    out = {}
    for i in range(table.row_count):
        label, name, _, mentions, _ = table.get_row_at(i)
        out[str(label), str(name)] = int(mentions)
    return out


async def select(pilot: Pilot[None], screen: EntitiesScreen, name: str) -> None:
    table = screen.query_one("#entity-table", DataTable)
    table.move_cursor(row=[r.name for r in screen.shown].index(name))
    table.focus()
    await pilot.pause()


async def answer(pilot: Pilot[None], text: str) -> None:
    """Type the answer into the name prompt and press Enter."""
    await settle(pilot)
    prompt = pilot.app.screen
    assert isinstance(prompt, NamePrompt)
    prompt.query_one("#prompt-input", Input).value = text
    await pilot.press("enter")
    await settle(pilot)


def errors(app: DocmineApp) -> list[ErrorModal]:
    return [s for s in app.screen_stack if isinstance(s, ErrorModal)]


async def test_merge_sums_the_mentions_and_undo_brings_both_back(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = await open_entities(pilot)
        before = counts(screen)
        assert before["MUNICIPALITY", "Groningen"] == 2 and before["MUNICIPALITY", "Zwolle"] == 4

        await select(pilot, screen, "Groningen")
        await pilot.press("m")
        await answer(pilot, "Zwolle")
        after = counts(screen)
        assert ("MUNICIPALITY", "Groningen") not in after
        assert after["MUNICIPALITY", "Zwolle"] == 6
        assert len(after) == len(before) - 1
        [rule] = dm.curation_rules()
        assert (rule.action, rule.name, rule.target) == ("merge", "Groningen", "Zwolle")
        assert not errors(app)

        await pilot.press("u")
        await settle(pilot)
        assert counts(screen) == before
        assert dm.curation_rules() == []

        await pilot.press("u")  # nothing left to undo from this screen
        await settle(pilot)
        assert len(errors(app)) == 1
        assert "nothing to undo" in errors(app)[0].error.message


async def test_rename_and_reject_then_undo_in_reverse_order(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = await open_entities(pilot)
        before = counts(screen)

        await select(pilot, screen, "Wet open overheid")
        await pilot.press("r")
        await answer(pilot, "Woo")
        renamed = counts(screen)
        assert renamed["LAW", "Woo"] == 1 and ("LAW", "Wet open overheid") not in renamed

        await select(pilot, screen, "€ 20.000")
        await pilot.press("x")
        await settle(pilot)
        rejected = counts(screen)
        assert ("MONEY", "€ 20.000") not in rejected
        assert len(rejected) == len(before) - 1
        assert [r.action for r in dm.curation_rules()] == ["rename", "reject"]
        assert all(e.name != "€ 20.000" for e in dm.entities(label="MONEY"))

        await pilot.press("u")  # the reject goes first
        await settle(pilot)
        assert counts(screen) == renamed
        await pilot.press("u")
        await settle(pilot)
        assert counts(screen) == before
        assert dm.curation_rules() == []
        assert not errors(app)


async def test_merge_into_itself_or_an_empty_name_is_one_error_and_changes_nothing(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        screen = await open_entities(pilot)
        before = counts(screen)

        await select(pilot, screen, "Zwolle")
        await pilot.press("m")
        await answer(pilot, "zwolle")
        [modal] = errors(app)
        assert "cannot be merged into itself" in modal.error.message
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("r")
        await answer(pilot, "  ")
        [modal] = errors(app)
        assert "needs a name" in modal.error.message
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("m")  # Escape in the prompt cancels: no rule, no error
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not errors(app)
        assert app.screen is screen
        assert counts(screen) == before
        assert dm.curation_rules() == []


def test_the_curation_keys_are_in_the_help_and_clash_with_nothing(dm: Docmine) -> None:
    app = DocmineApp(dm)
    actions = {action: (text, keys) for action, text, keys in screen_actions(EntitiesScreen, app)}
    assert [actions[a][1] for a in ("merge", "rename", "reject", "undo")] == ["m", "r", "x", "u"]
    assert all(actions[a][0] for a in ("merge", "rename", "reject", "undo"))
    bindings = [*EntitiesScreen.BINDINGS, *DocmineApp.BINDINGS, *DataTable.BINDINGS]
    keys = [b.key for b in bindings if isinstance(b, Binding)]
    assert len(keys) == len(set(keys))

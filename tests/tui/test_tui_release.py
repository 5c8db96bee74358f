"""The release view (F12): a generated Woo release's inventory rows, Enter to the linked document at its first
page, its redactions listed and drawn on the page image; 80x24 and 120x40 snapshots."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Label
from tui_pilot import page_label, settle
from woo_case import build_release_case
from woo_release import Release

from docmine.config import Settings
from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.screens.dialogs import ErrorModal
from docmine.tui.screens.document import DocumentScreen
from docmine.tui.screens.release import ReleaseScreen
from docmine.tui.widgets.page_image import PageImage
from docmine.viewer import REDACTION, SCALE, redaction_box, render_page


@pytest.fixture(scope="module")
def release_master(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Release]:
    return build_release_case(tmp_path_factory.mktemp("tui-release"))


@pytest.fixture
def release(release_master: tuple[Settings, Release]) -> Release:
    return release_master[1]


@pytest.fixture
def rdm(release_master: tuple[Settings, Release], tmp_path: Path) -> Iterator[Docmine]:
    db = tmp_path / "case.db"
    shutil.copy(release_master[0].db, db)
    with Docmine(replace(release_master[0], db=db)) as dm:
        yield dm


async def _open_releases(pilot: Pilot[None]) -> None:
    await pilot.press("f12")
    await settle(pilot)
    await settle(pilot)  # the release's rows load after the list of releases


def _table(app: DocmineApp, name: str) -> DataTable[Any]:
    return app.screen.query_one(f"#{name}", DataTable)


pytestmark = pytest.mark.anyio


async def test_f12_lists_the_release_its_inventory_and_redactions(rdm: Docmine, release: Release) -> None:
    app = DocmineApp(rdm)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_releases(pilot)
        assert isinstance(app.screen, ReleaseScreen)
        releases = _table(app, "releases")
        assert releases.row_count == 1 and releases.get_row_at(0)[0] == "release"
        inventory = _table(app, "inventory")
        rows = [inventory.get_row_at(i) for i in range(inventory.row_count)]
        assert [r[0] for r in rows] == [d.number for d in release.docs]
        assert [r[1] for r in rows] == [d.date for d in release.docs]
        assert [r[2] for r in rows] == [d.decision for d in release.docs]
        *linked, loose = release.docs  # the loose document was left out of the release
        assert [r[3] for r in rows[:-1]] == [f"{d.file} p. {d.first_page}" for d in linked]
        assert rows[-1][3].startswith("unlinked: ")
        assert [r[4] for r in rows] == [", ".join(d.grounds) for d in release.docs]
        title = str(app.screen.query_one("#inventory-title", Label).render())
        assert title == f"Inventory of release: {len(release.docs)} rows, 1 unlinked"
        boxes = [b for b in release.boxes if b.file != loose.file]
        redactions = _table(app, "redactions")
        assert redactions.row_count == len(boxes)
        pages = sorted((r[0], int(r[1])) for r in (redactions.get_row_at(i) for i in range(redactions.row_count)))
        assert pages == sorted((b.file, b.page) for b in boxes)
        title = str(app.screen.query_one("#redactions-title", Label).render())
        assert title.startswith(f"Redactions: {len(boxes)} · 5.1.2e ")


@pytest.mark.parametrize("index", [0, 2, 5])
async def test_enter_on_an_inventory_row_opens_its_document_at_its_first_page(
    rdm: Docmine, release: Release, index: int
) -> None:
    want = release.docs[index]
    app = DocmineApp(rdm)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_releases(pilot)
        await pilot.press("l")  # to the inventory
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentScreen)
        assert screen.info is not None and Path(screen.info.path).name == want.file
        assert screen.number == want.first_page
        assert page_label(app).startswith(f"pagina {want.first_page} van ")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReleaseScreen) and _table(app, "inventory").cursor_row == index


async def test_enter_on_a_redaction_draws_its_box_on_the_page_image(rdm: Docmine, release: Release) -> None:
    app = DocmineApp(rdm)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_releases(pilot)
        await pilot.press("x", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentScreen) and screen.info is not None
        assert app.screen.query_one(PageImage).display
        assert page_label(app).endswith("· redactions boxed")
        on_page = rdm.woo_redactions(doc_id=screen.info.doc_id, page=screen.number)
        assert on_page and (Path(screen.info.path).name, screen.number) in {(b.file, b.page) for b in release.boxes}
        # every redaction box of the page is framed in the redaction colour, not in the hit's red
        image = render_page(Path(screen.info.fs_path), screen.number, redactions=[r.bbox for r in on_page])
        for red in on_page:
            x0, y0, x1, y1 = redaction_box(red.bbox, SCALE)
            assert image.getpixel((x0, (y0 + y1) // 2)) == REDACTION[:3]
            assert image.getpixel((x1 - 1, (y0 + y1) // 2)) == REDACTION[:3]


async def test_enter_on_an_unlinked_row_says_why(rdm: Docmine, release: Release) -> None:
    app = DocmineApp(rdm)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_releases(pilot)
        screen = app.screen
        assert isinstance(screen, ReleaseScreen)
        await pilot.press("l", *["down"] * (len(release.docs) - 1), "enter")
        await pilot.pause()
        assert isinstance(app.screen, ErrorModal)
        assert app.screen.error.message == f"inventory row {release.docs[-1].number} is not linked to a document"
        assert app.screen.error.hint == screen.rows[-1].unlinked and screen.rows[-1].unlinked


async def test_a_case_file_without_releases_says_how_to_get_one(tmp_path: Path) -> None:
    with Docmine(Settings(db=tmp_path / "empty.db", embed=False, ner_model="none"), create=True) as empty:
        app = DocmineApp(empty)
        async with app.run_test(size=(80, 24)) as pilot:
            await _open_releases(pilot)
            status = str(app.screen.query_one("#release-status").render())
            assert status.startswith("no Woo release in this case file")
            assert _table(app, "inventory").row_count == 0


async def test_a_release_unpacked_from_a_zip_is_named_by_the_archive(tmp_path: Path) -> None:
    import zipfile

    from woo_release import make_release

    rel = make_release(tmp_path / "made", seed=5)
    zipped = tmp_path / "woo-besluit.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        for file in sorted(rel.folder.iterdir()):
            zf.write(file, f"stukken/{file.name}")
    settings = Settings(db=tmp_path / "case.db", jobs=1, embed=False, extract=False, cache_dir=tmp_path / "cache")
    with Docmine(settings, create=True) as dm:
        assert not dm.ingest([zipped]).failed
        app = DocmineApp(dm)
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_releases(pilot)
            assert _table(app, "releases").get_row_at(0)[0] == "woo-besluit.zip/stukken"


def test_release_view(rdm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(rdm), terminal_size=(80, 24), run_before=_open_releases)


def test_release_view_large(rdm: Docmine, snap_compare: Any) -> None:
    assert snap_compare(DocmineApp(rdm), terminal_size=(120, 40), run_before=_open_releases)


async def test_the_release_view_is_in_the_help_and_the_palette(rdm: Docmine) -> None:
    from docmine.tui.views import find  # the registry the palette, the keys and the help are made from

    app = DocmineApp(rdm)
    async with app.run_test(size=(120, 40)) as pilot:
        help_lines = app.help_text().splitlines()
        assert any(line.split()[:2] == ["F12", "Woo"] for line in help_lines), help_lines[:14]
        assert "Woo release" in help_lines and find("Releases").key == "f12"
        await pilot.press("f9")  # from any screen: here the search screen
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, ReleaseScreen)

"""The page image in terminal graphics: textual-image's own terminal query picks Sixel, Kitty's protocol or
(none) our half blocks, in a real pseudo-terminal that answers as such a terminal would; the TUI then shows
textual-image's widget, or half blocks, or shades under NO_COLOR."""

from __future__ import annotations

import sys

import pexpect
import pytest
from textual.widgets import Static
from textual_image import widget
from tui_pilot import open_first, page_label, settle

from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.widgets.page_image import SHADES, UPPER_HALF, PageImage

DETECT = (
    "from docmine.tui.widgets.page_image import detect_graphics, renderer_name;"
    "print('RENDERER', renderer_name(detect_graphics(), False))"
)
SIXEL = "\x1b[?62;4;22c"  # a device-attributes answer that lists 4: Sixel graphics
NO_SIXEL = "\x1b[?62;22c"
KITTY = "\x1b_Gi=1;OK\x1b\\"  # the answer to a Kitty graphics query


@pytest.mark.parametrize(
    ("answers", "env", "chosen"),
    [
        (SIXEL, {}, "sixel"),
        (NO_SIXEL + KITTY, {}, "kitty"),
        ("", {}, "half blocks"),  # a terminal that answers neither query
        (SIXEL, {"NO_COLOR": "1"}, "half blocks"),  # NO_COLOR: no graphics protocol, whatever the terminal says
    ],
)
def test_the_renderer_follows_the_terminals_answer(answers: str, env: dict[str, str], chosen: str) -> None:
    """The answers are typed ahead: textual-image reads them as the replies to its queries, in order."""
    child = pexpect.spawn(
        sys.executable, ["-c", DETECT], encoding="utf-8", timeout=60, env={"TERM": "xterm-256color", **env}
    )
    if answers:
        child.send(answers)
    child.expect(r"RENDERER ([a-z ]+)\r")
    assert child.match.group(1) == chosen
    assert "Traceback" not in child.before  # the unanswered cell-size query is no news to a user
    child.expect(pexpect.EOF)


@pytest.mark.anyio
@pytest.mark.parametrize(("graphics", "name"), [(widget.TGPImage, "kitty"), (widget.SixelImage, "sixel")])
async def test_i_shows_the_page_in_textual_images_widget(dm: Docmine, graphics: type, name: str) -> None:
    app = DocmineApp(dm, graphics=graphics)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot, "aanbesteding")
        await pilot.press("i")
        await settle(pilot)
        page_image = app.screen.query_one(PageImage)
        assert page_image.display and page_image.renderer == name
        [picture] = page_image.query("#page-graphic")
        assert type(picture) is graphics and picture.image is not None
        assert picture.image.size[0] > picture.image.size[1] / 2  # the page, not an empty picture
        assert not app.screen.query_one("#page-image-body", Static).display
        assert page_label(app) == "pagina 3 van 4 · the hit boxed"
        await pilot.press("n")  # the next page replaces the picture, never a second one
        await settle(pilot)
        assert len(page_image.query("#page-graphic")) == 1
        await pilot.press("i")
        await pilot.pause()
        assert not page_image.display


@pytest.mark.anyio
async def test_without_colour_the_page_is_drawn_in_shades(dm: Docmine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = DocmineApp(dm)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot, "aanbesteding")
        await pilot.press("i")
        await settle(pilot)
        assert app.screen.query_one(PageImage).renderer == "shades"
        picture = str(app.screen.query_one("#page-image-body", Static).render())
        assert UPPER_HALF not in picture
        assert set(picture) - {"\n"} <= set(SHADES) and SHADES[-1] in picture  # ink shows without colour

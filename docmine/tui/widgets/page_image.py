"""The page as an image in the terminal: real pixels through textual-image where the terminal speaks a graphics
protocol (Sixel, Kitty's), else Unicode half blocks (two pixels a cell; every terminal, tmux and the tests), and
shades without colour under NO_COLOR. The image itself comes from docmine.viewer.render_page."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any, cast

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:
    from PIL import Image

UPPER_HALF = "▀"
SHADES = " .:-=+*#%@"  # light paper to dark ink in ASCII, for a terminal asked not to use colour
HALF_BLOCKS, NO_COLOUR = "half blocks", "shades"


def detect_graphics() -> type[Widget] | None:
    """textual-image's widget for the terminal's graphics protocol, chosen by textual-image's own query of the
    terminal; None (half blocks) when it has none, textual-image is missing or its query fails. Call it before
    Textual starts: once it runs, Textual reads stdin and the terminal's answer never arrives."""
    if os.environ.get("NO_COLOR") is not None:  # a graphics protocol is colour; NO_COLOR asks for none
        return None
    quiet = logging.getLogger("textual_image")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # a terminal that does not answer its cell-size query is no news to a user
    try:
        from textual_image import renderable

        return graphics_for(renderable.Image)
    except Exception:  # not installed, or the terminal query itself broke: half blocks always work
        return None
    finally:
        quiet.setLevel(level)


def graphics_for(chosen: type) -> type[Widget] | None:
    """The widget for textual-image's chosen renderable: Sixel and Kitty (TGP) draw pixels; its own Unicode and
    half-cell fallbacks are left to ours, which scroll to the box and look the same in every test run."""
    from textual_image import renderable, widget

    if chosen is renderable.SixelImage:
        return widget.SixelImage
    if chosen is renderable.TGPImage:
        return widget.TGPImage
    return None


def renderer_name(graphics: type[Widget] | None, no_color: bool) -> str:
    if graphics is None:
        return NO_COLOUR if no_color else HALF_BLOCKS
    from textual_image import widget

    return {widget.SixelImage: "sixel", widget.TGPImage: "kitty"}.get(graphics, graphics.__name__)


def half_blocks(image: Image.Image, width: int) -> Text:
    """``image`` scaled to ``width`` cells; each cell shows the pixel above (foreground) and below (background)."""
    small, height = _cells(image, width, 2)
    pixels: Any = small.load()  # RGB: every pixel a 3-tuple
    text = Text(no_wrap=True, overflow="crop")
    for y in range(0, height, 2):
        for x in range(small.width):
            top, bottom = pixels[x, y], pixels[x, y + 1]
            text.append(UPPER_HALF, Style(color=f"rgb{tuple(top)}", bgcolor=f"rgb{tuple(bottom)}"))
        if y + 2 < height:
            text.append("\n")
    return text


def shades(image: Image.Image, width: int) -> Text:
    """``image`` scaled to ``width`` cells, one grey level a cell as an ASCII shade: readable without colour
    (the red frame of a box is darker than the paper, so it still shows), and one cell wide in every terminal."""
    from PIL import ImageOps

    small, height = _cells(image, width, 1)
    # a cell averages a few letters to a pale grey: stretch so the darkest cell is full ink
    grey: Any = ImageOps.autocontrast(small.convert("L"), cutoff=1).load()
    rows = []
    for y in range(height):
        rows.append("".join(SHADES[(255 - grey[x, y]) * len(SHADES) // 256] for x in range(small.width)))
    return Text("\n".join(rows), no_wrap=True, overflow="crop")


def _cells(image: Image.Image, width: int, per_cell: int) -> tuple[Image.Image, int]:
    width = max(8, width)
    height = max(per_cell, round(image.height * width / image.width / 2) * per_cell)  # cells are twice as tall
    return image.convert("RGB").resize((width, height)), height


class PageImage(VerticalScroll):
    """The rendered page, scrolled so the first box is in sight."""

    renderer = HALF_BLOCKS

    def compose(self) -> ComposeResult:
        yield Static("", id="page-image-body")

    def show(self, picture: Text, first_row: int | None) -> None:
        """Text cells (half blocks or shades)."""
        self.query("#page-graphic").remove()
        body = self.query_one("#page-image-body", Static)
        body.display = True
        body.update(picture)
        if first_row is not None:
            self.call_after_refresh(self.scroll_to, 0, max(0, first_row - 3), animate=False)

    async def show_graphic(self, graphics: type[Widget], image: Image.Image, first: float | None) -> None:
        """Real pixels in textual-image's widget; ``first``: where the first box starts, as a share of the height."""
        await self.query("#page-graphic").remove()
        self.query_one("#page-image-body", Static).display = False
        picture: Widget = cast(Any, graphics)(image, id="page-graphic")  # textual-image's Image(image, id=...)
        await self.mount(picture)
        if first is not None:
            # the widget's height in cells is known only after layout (it depends on the terminal's cell size)
            self.call_after_refresh(
                lambda: self.scroll_to(0, max(0, int(first * picture.size.height) - 3), animate=False)
            )

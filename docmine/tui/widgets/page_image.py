"""The page as an image in the terminal: Unicode half blocks, two pixels a cell, so it works in every terminal
(and in tmux) and looks the same in tests. The image itself comes from docmine.viewer.render_page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

if TYPE_CHECKING:
    from PIL import Image

UPPER_HALF = "▀"


def half_blocks(image: Image.Image, width: int) -> Text:
    """``image`` scaled to ``width`` cells; each cell shows the pixel above (foreground) and below (background)."""
    width = max(8, width)
    height = max(2, round(image.height * width / image.width / 2) * 2)  # terminal cells are about twice as tall
    small = image.convert("RGB").resize((width, height))
    pixels: Any = small.load()  # RGB: every pixel a 3-tuple
    text = Text(no_wrap=True, overflow="crop")
    for y in range(0, height, 2):
        for x in range(width):
            top, bottom = pixels[x, y], pixels[x, y + 1]
            text.append(UPPER_HALF, Style(color=f"rgb{tuple(top)}", bgcolor=f"rgb{tuple(bottom)}"))
        if y + 2 < height:
            text.append("\n")
    return text


class PageImage(VerticalScroll):
    """The rendered page, scrolled so the first box is in sight."""

    def compose(self) -> ComposeResult:
        yield Static("", id="page-image-body")

    def show(self, picture: Text, first_row: int | None) -> None:
        self.query_one("#page-image-body", Static).update(picture)
        if first_row is not None:
            self.call_after_refresh(self.scroll_to, 0, max(0, first_row - 3), animate=False)

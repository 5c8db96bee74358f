"""The real page: PDFium's rendering with the span's word boxes drawn, in the TUI, as a PNG and as a marked PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from textual.widgets import Static
from tui_pilot import open_first, page_label, settle
from typer.testing import CliRunner

from docmine.cli import app as cli_app
from docmine.config import Settings
from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.screens.dialogs import ErrorModal
from docmine.tui.widgets.page_image import PageImage
from docmine.tui.widgets.page_view import PageView
from docmine.viewer import SCALE, highlighted_copy, open_at_page, pixel_box, render_page, span_boxes

pytestmark = pytest.mark.anyio


def _report(dm: Docmine) -> tuple[Path, object]:
    info = next(d for d in dm.documents() if d.format == "pdf")
    return Path(info.path), info


def _ink(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """The bounding box of the dark (text) pixels of ``image`` inside ``box``."""
    crop = image.crop(box).convert("L").point(lambda v: 255 if v < 128 else 0)
    found = crop.getbbox()
    if found is None:
        return None
    return (box[0] + found[0], box[1] + found[1], box[0] + found[2], box[1] + found[3])


def test_the_drawn_box_covers_the_spans_words_on_the_rendered_page(dm: Docmine) -> None:
    path, info = _report(dm)
    _, page = dm.page(info.doc_id, 3)  # type: ignore[attr-defined]
    start = page.text.index("kort geding")
    words = span_boxes(page, start, start + len("kort geding"))
    assert [page.text[w.start : w.end] for w in words] == ["kort", "geding"]
    plain = render_page(path, 3)
    marked = render_page(path, 3, words)
    changed = ImageChops.difference(plain, marked).getbbox()
    assert changed is not None
    for word in words:
        # where the word's letters are on the rendered page (searched a little wider than its box) ...
        x0, top, x1, bottom = (int(v * SCALE) for v in (word.x0, word.top, word.x1, word.bottom))
        ink = _ink(plain, (x0 - 4, top - 4, x1 + 4, bottom + 4))
        assert ink is not None, "the word has no ink on the page: its box is in the wrong place"
        drawn = pixel_box(word)
        # ... lies inside the rectangle drawn for it, and that rectangle was drawn (its corner pixel is red)
        assert drawn[0] <= ink[0] and drawn[1] <= ink[1] and ink[2] <= drawn[2] and ink[3] <= drawn[3], (ink, drawn)
        assert marked.getpixel((drawn[0] + 1, drawn[1] + 1))[0] > 200  # type: ignore[index]
        assert marked.getpixel((drawn[0] + 1, drawn[1] + 1))[1] < 60  # type: ignore[index]
    assert changed[0] <= min(pixel_box(w)[0] for w in words)


def test_show_png_writes_the_same_image(dm: Docmine, case: Settings, tmp_path: Path) -> None:
    path, info = _report(dm)
    _, page = dm.page(info.doc_id, 3)  # type: ignore[attr-defined]
    start = page.text.index("kort geding")
    out = tmp_path / "p3.png"
    args = ["--db", str(case.db), "show", info.doc_id[:12], "--page", "3"]  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli_app, [*args, "--start", str(start), "--end", str(start + 11), "--png", str(out)])
    assert result.exit_code == 0, result.output
    expected = render_page(path, 3, span_boxes(page, start, start + 11))
    assert ImageChops.difference(Image.open(out).convert("RGB"), expected).getbbox() is None


def test_show_png_of_a_text_file_is_refused(dm: Docmine, case: Settings, tmp_path: Path) -> None:
    info = next(d for d in dm.documents() if d.format != "pdf")
    result = CliRunner().invoke(cli_app, ["--db", str(case.db), "show", info.doc_id, "--png", str(tmp_path / "x.png")])
    assert result.exit_code == 1
    assert "is not a PDF" in result.output
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("where", ["folder", "full"])
def test_show_png_where_it_cannot_be_written_is_one_line(
    dm: Docmine, case: Settings, tmp_path: Path, where: str
) -> None:
    """A folder given as the image, or a write that fails (a full disk), ended in a traceback."""
    out = tmp_path if where == "folder" else Path("/dev/full")
    if where == "full" and not out.is_char_device():
        pytest.skip("needs Linux's /dev/full")
    _, info = _report(dm)
    args = ["--db", str(case.db), "show", info.doc_id[:12], "--png", str(out)]  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 1 and "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert first == (
        f"error: {out} is a folder" if where == "folder" else f"error: cannot write {out}: No space left on device"
    )


def test_the_marked_copy_has_a_highlight_over_the_span(dm: Docmine, tmp_path: Path) -> None:
    path, info = _report(dm)
    _, page = dm.page(info.doc_id, 3)  # type: ignore[attr-defined]
    start = page.text.index("kort geding")
    words = span_boxes(page, start, start + 11)
    copy = highlighted_copy(path, 3, words, tmp_path / "marked.pdf")
    reader = PdfReader(str(copy))
    annots = [a.get_object() for a in reader.pages[2].get("/Annots", [])]
    assert [a["/Subtype"] for a in annots] == ["/Highlight"]
    height = float(reader.pages[2].mediabox.height)
    x0, y0, x1, y1 = (float(v) for v in annots[0]["/Rect"])
    assert x0 <= min(w.x0 for w in words) and x1 >= max(w.x1 for w in words)
    assert y0 <= height - max(w.bottom for w in words) and y1 >= height - min(w.top for w in words)
    assert PdfReader(str(path)).pages[2].get("/Annots") is None  # the original is untouched


def test_a_viewer_that_fails_at_once_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docmine.errors import DocmineError

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    viewer = bin_dir / "evince"
    viewer.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n")
    viewer.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(DocmineError) as caught:
        open_at_page(pdf, 2, True)
    assert caught.value.message == "evince failed (exit 1): cannot open display"


async def test_i_toggles_between_the_text_and_the_page_image(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot, "aanbesteding")
        assert page_label(app) == "pagina 3 van 4"
        await pilot.press("i")
        await settle(pilot)
        assert app.screen.query_one(PageImage).display and not app.screen.query_one(PageView).display
        assert page_label(app) == "pagina 3 van 4 · the hit boxed"
        picture = app.screen.query_one("#page-image-body", Static).render()
        assert "▀" in str(picture)
        await pilot.press("i")
        await pilot.pause()
        assert app.screen.query_one(PageView).display and not app.screen.query_one(PageImage).display


async def test_a_text_file_has_no_page_image(dm: Docmine) -> None:
    app = DocmineApp(dm)
    async with app.run_test() as pilot:
        await open_first(pilot, "gemeenteraad")
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal)


async def test_pdf_lines_are_reflowed_into_paragraphs(tmp_path: Path, case: Settings) -> None:
    from tui_corpus import make_pdf

    long = "De gemeenteraad besprak de begroting van de jeugdzorg uitvoerig. " * 4
    make_pdf(tmp_path / "lang.pdf", [long.strip()])
    with Docmine(case) as dm:
        assert not dm.ingest([tmp_path / "lang.pdf"]).failed
        info = next(d for d in dm.documents() if Path(d.path).name == "lang.pdf")
        _, page = dm.page(info.doc_id, 1)
        assert "\n" in page.text.strip()  # the PDF breaks the paragraph into lines
        app = DocmineApp(dm)
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_document(info.doc_id, 1)
            await settle(pilot)
            paras = [" ".join(str(w.render()).replace("\u200b", "").split()) for w in app.screen.query(".para")]
            assert paras == [" ".join(page.text.split())]

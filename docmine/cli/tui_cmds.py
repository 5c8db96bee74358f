"""The page as an image and the highlighted copy, for ``docmine show --png`` and ``docmine open``."""

from __future__ import annotations

from pathlib import Path

from docmine.errors import DocmineError
from docmine.model import DocInfo, Page, Word


def _boxes(page: Page, start: int | None, end: int | None) -> list[Word]:
    from docmine.viewer import span_boxes

    if start is None and end is None:
        return []
    return span_boxes(page, start or 0, end if end is not None else len(page.text))


def write_page_png(info: DocInfo, page: Page, start: int | None, end: int | None, out: Path) -> Path:
    from docmine.viewer import write_png

    if info.format != "pdf":
        raise DocmineError(f"{Path(info.path).name} is not a PDF: it has no page to draw", "leave out --png")
    return write_png(Path(info.fs_path), page.number, _boxes(page, start, end), out)


def open_page(info: DocInfo, page: Page, start: int | None, end: int | None) -> tuple[Path, list[str]]:
    """Open the original (a PDF with a span: a highlighted copy) at ``page``; returns what opened, and how."""
    from docmine.viewer import highlighted_copy, open_at_page

    path = Path(info.fs_path)
    is_pdf = info.format == "pdf"
    boxes = _boxes(page, start, end) if is_pdf else []
    if boxes:
        path = highlighted_copy(path, page.number, boxes)
    return path, open_at_page(path, page.number, is_pdf)

"""The real page: a PDF page rendered with PDFium and the span's word boxes drawn on it (Pillow); a copy of the
PDF with highlight annotations (pypdf); opening an original at a page in the system viewer, checking it started.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from docmine.errors import DocmineError
from docmine.model import Page, Word

if TYPE_CHECKING:
    from PIL import Image

# viewer executable -> arguments; {path} and {page} are filled in. Page-aware viewers first.
_PDF_VIEWERS = (
    ("evince", ["--page-label={page}", "{path}"]),
    ("okular", ["-p", "{page}", "{path}"]),
    ("zathura", ["-P", "{page}", "{path}"]),
    ("qpdfview", ["{path}#{page}"]),
    ("mupdf", ["{path}", "{page}"]),
    ("xdg-open", ["{path}"]),
)
SCALE = 2.0  # pixels per PDF point: 144 dpi, words stay legible in a PNG
PAD = 2.0  # points around each word, so the box frames the ink rather than cutting through it
OUTLINE = (220, 0, 0, 255)
FILL = (255, 220, 0, 80)
REDACTION = (0, 110, 255, 255)  # a blue frame with a hatch: apart from the red hit boxes, visible on black
STARTED_S = 0.6  # a viewer still running after this long has started; one that exits sooner is checked


def span_boxes(page: Page, start: int, end: int) -> list[Word]:
    """The page's words that overlap the character span [start, end)."""
    return [w for w in page.words if w.start < end and w.end > start]


def pixel_box(word: Word, scale: float = SCALE) -> tuple[int, int, int, int]:
    """The rectangle drawn for ``word`` on a page rendered at ``scale``."""
    return (
        int((word.x0 - PAD) * scale),
        int((word.top - PAD) * scale),
        int((word.x1 + PAD) * scale + 0.999),
        int((word.bottom + PAD) * scale + 0.999),
    )


def gone(path: Path) -> DocmineError:
    """The original of a stored document is not where it was ingested from."""
    return DocmineError(
        f"the original file is gone: {path}",
        "it was moved or deleted after ingest; if moved, ingest its new folder and the stored path follows it",
    )


def render_page(
    path: Path,
    number: int,
    boxes: Sequence[Word] = (),
    scale: float = SCALE,
    redactions: Sequence[tuple[float, float, float, float]] = (),
) -> Image.Image:
    """Page ``number`` of the PDF at ``path`` as an RGB image, with ``boxes`` framed in red over a yellow tint
    and ``redactions`` (x0, top, x1, bottom in points) framed and hatched in blue."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    if not path.exists():
        raise gone(path)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise DocmineError(
            f"cannot render {path.name}: {exc}", "the file may have changed since it was ingested"
        ) from exc
    try:
        if not 1 <= number <= len(pdf):
            raise DocmineError(f"page {number} is out of range", f"{path.name} has pages 1 to {len(pdf)}")
        image = pdf[number - 1].render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()
    draw = ImageDraw.Draw(image, "RGBA")
    for word in boxes:
        draw.rectangle(pixel_box(word, scale), fill=FILL, outline=OUTLINE, width=max(1, int(scale)))
    for bbox in redactions:
        x0, y0, x1, y1 = redaction_box(bbox, scale)
        step = max(6, int(6 * scale))
        for x in range(x0 - (y1 - y0), x1, step):  # a diagonal hatch, clipped to the box
            left, right = max(x, x0), min(x + (y1 - y0), x1)
            if left < right:
                draw.line((left, y1 - (left - x), right, y1 - (right - x)), fill=REDACTION, width=1)
        draw.rectangle((x0, y0, x1, y1), outline=REDACTION, width=max(2, int(1.5 * scale)))
    return image


def redaction_box(bbox: tuple[float, float, float, float], scale: float = SCALE) -> tuple[int, int, int, int]:
    """The rectangle drawn for a redaction's bbox (points from the top-left) on a page rendered at ``scale``."""
    x0, y0, x1, y1 = bbox
    return int(x0 * scale), int(y0 * scale), int(x1 * scale + 0.999), int(y1 * scale + 0.999)


def write_png(path: Path, number: int, boxes: Sequence[Word], out: Path) -> Path:
    if out.is_dir():
        raise DocmineError(f"{out} is a folder", f"give a file name in it, e.g. --png {out / 'page.png'}")
    if not out.parent.is_dir():
        raise DocmineError(f"the folder {out.parent} does not exist", "create it first or choose another path")
    image = render_page(path, number, boxes)
    try:
        image.save(out, format="PNG")
    except OSError as exc:  # a folder that cannot be written, a full disk
        raise DocmineError(
            f"cannot write {out}: {exc.strerror or exc}", "check that the folder can be written, and free space"
        ) from exc
    return out


def highlighted_copy(path: Path, number: int, boxes: Sequence[Word], out: Path | None = None) -> Path:
    """A copy of the PDF with one highlight annotation over ``boxes`` on page ``number``; the original is untouched."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Highlight
    from pypdf.generic import ArrayObject, FloatObject

    try:
        writer = PdfWriter(clone_from=PdfReader(str(path)))
    except Exception as exc:  # pypdf raises many types for damaged files; all mean the same to a person
        raise DocmineError(f"cannot read {path.name} to mark it: {exc}", f"open it yourself: {path}") from exc
    if boxes:
        height = float(writer.pages[number - 1].mediabox.height)
        quads: list[float] = []
        for w in boxes:  # PDF space counts y up from the bottom; word boxes count it down from the top
            x0, x1 = w.x0 - PAD, w.x1 + PAD
            y_top, y_bottom = height - w.top + PAD, height - w.bottom - PAD
            quads += [x0, y_top, x1, y_top, x0, y_bottom, x1, y_bottom]
        rect = (min(quads[0::2]), min(quads[1::2]), max(quads[0::2]), max(quads[1::2]))
        annotation = Highlight(
            rect=rect, quad_points=ArrayObject(FloatObject(q) for q in quads), highlight_color="ffdc00"
        )
        writer.add_annotation(page_number=number - 1, annotation=annotation)
    if out is None:
        # the original's name, in a folder of its own: the viewer's title shows the name a person knows
        out = Path(tempfile.mkdtemp(prefix="docmine-marked-")) / path.name
    with out.open("wb") as f:
        writer.write(f)
    return out


def viewer_command(path: Path, page: int, is_pdf: bool) -> list[str]:
    if not path.exists():
        raise gone(path)
    if sys.platform == "darwin":
        return ["open", str(path)]
    candidates = _PDF_VIEWERS if is_pdf else (("xdg-open", ["{path}"]),)
    for exe, args in candidates:
        found = shutil.which(exe)
        if found:
            return [found, *(a.format(path=path, page=page) for a in args)]
    raise DocmineError(
        "no document viewer found on this system",
        f"open it yourself: {path} (page {page}); install evince or okular for page jumps",
    )


def open_at_page(path: Path, page: int, is_pdf: bool) -> list[str]:
    """Start the viewer; one that exits with an error at once (no display, a bad argument) is reported."""
    cmd = viewer_command(path, page, is_pdf)
    # stderr to a file, not a pipe: a viewer that keeps running must never block on a full pipe
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True)
        except OSError as exc:
            raise DocmineError(f"could not start {cmd[0]}: {exc.strerror}", f"open it yourself: {path}") from exc
        try:
            proc.wait(timeout=STARTED_S)
        except subprocess.TimeoutExpired:
            return cmd  # still running: it has opened
        errors.seek(0)
        stderr = errors.read()
    if proc.returncode != 0:
        said = stderr.decode(errors="replace").strip().splitlines()
        reason = f": {said[-1]}" if said else ""
        raise DocmineError(
            f"{Path(cmd[0]).name} failed (exit {proc.returncode}){reason}", f"open it yourself: {path} (page {page})"
        )
    return cmd

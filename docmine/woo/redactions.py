"""Redaction boxes on PDF pages: drawn boxes in the text layer (vector) and dark or coloured blocks in scans (image).

Vector: filled path objects (black, grey, coloured) and outlined boxes, kept when no readable text sits inside
them other than a ground code. Image: the page is rendered small and large uniform non-white rectangles are
kept; photos (many colours, soft edges) are not. The ground is read from words inside the box, else beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from docmine.model import BBox, Page, Redaction, Word
from docmine.woo.codes import grounds_in

_MIN_W, _MIN_H = 12.0, 6.0  # points: smaller boxes are bullets, rules and underlines
_RENDER_SCALE = 1.0  # 72 dpi is enough to find boxes of a text line's height
_BODY = re.compile(r"\w")
# what Tesseract makes of a ground's characters in a small box: '§.1.2e', '5,1.2e', 'S.l.2e'
_OCR_FIXES = str.maketrans({"§": "5", "S": "5", ",": ".", "l": "1", "I": "1", "|": "1", "O": "0", "o": "0"})


@dataclass(frozen=True)
class PageBoxes:
    """The candidate boxes of one page before grounds are read: (bbox, filled)."""

    boxes: list[tuple[BBox, bool]]


def vector_boxes(page: object, height: float) -> list[tuple[BBox, bool]]:
    """Filled or outlined rectangles of a pypdfium2 page, top-left coordinates, not white and not page-sized."""
    import ctypes

    import pypdfium2.raw as raw

    found: list[tuple[BBox, bool]] = []
    width = page.get_width()  # type: ignore[attr-defined]
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):  # type: ignore[attr-defined]
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        if w < _MIN_W or h < _MIN_H or (w > 0.95 * width and h > 0.95 * height):
            continue
        fillmode, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fillmode), ctypes.byref(stroke))
        filled = fillmode.value != 0
        if filled:
            r, g, b, a = (ctypes.c_uint() for _ in range(4))
            raw.FPDFPageObj_GetFillColor(obj.raw, *(ctypes.byref(c) for c in (r, g, b, a)))
            if a.value < 128 or min(r.value, g.value, b.value) > 235:
                continue  # white or transparent: a background, not a redaction
        elif not stroke.value:
            continue
        found.append(((left, height - top, right, height - bottom), filled))
    # an outlined box that shares an edge with another is a table cell, not a redaction
    return [(b, filled) for b, filled in found if filled or not any(_adjacent(b, o) for o, _ in found if o != b)]


def _adjacent(a: BBox, b: BBox, tol: float = 1.5) -> bool:
    overlap_y = min(a[3], b[3]) - max(a[1], b[1]) > 2
    overlap_x = min(a[2], b[2]) - max(a[0], b[0]) > 2
    return (overlap_y and (abs(a[2] - b[0]) < tol or abs(b[2] - a[0]) < tol)) or (
        overlap_x and (abs(a[3] - b[1]) < tol or abs(b[3] - a[1]) < tol)
    )


def image_boxes(page: object) -> list[tuple[BBox, bool]]:
    """Large uniform dark or coloured rectangles of a rendered (scanned) page, in PDF points."""
    import numpy as np
    from scipy import ndimage

    bitmap = page.render(scale=_RENDER_SCALE, grayscale=False)  # type: ignore[attr-defined]
    img = np.asarray(bitmap.to_pil().convert("RGB"), dtype=np.int16)
    grey = img.mean(axis=2)
    spread = img.max(axis=2) - img.min(axis=2)
    ink = (grey < 200) | (spread > 90)  # dark or grey, or strongly coloured
    labels, _ = ndimage.label(ink)
    found: list[tuple[BBox, bool]] = []
    for index, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        ys, xs = sl
        h, w = ys.stop - ys.start, xs.stop - xs.start
        if w < _MIN_W * _RENDER_SCALE or h < _MIN_H * _RENDER_SCALE:
            continue
        if w > 0.95 * img.shape[1] and h > 0.95 * img.shape[0]:
            continue
        # the component with the holes a printed ground leaves in it filled: a box is a full rectangle
        own = labels[sl] == index
        if ndimage.binary_fill_holes(own).mean() < 0.93:
            continue
        density = float(own.mean())
        filled = density >= 0.6
        if not filled and not _frame(own):
            continue
        patch = img[sl][own]
        # one fill colour (a ground printed in it aside); a photo has many tones
        close = (np.abs(patch - np.median(patch, axis=0)).max(axis=1) < 40).mean()
        if filled and close < 0.75:
            continue
        s = 1 / _RENDER_SCALE
        found.append(((xs.start * s, ys.start * s, xs.stop * s, ys.stop * s), filled))
    return found


def _frame(own: object) -> bool:
    """An outlined box: ink along all four edges of its bounding box."""
    import numpy as np

    a = np.asarray(own)
    if min(a.shape) < 4:
        return False
    edges = (
        a[:2].any(axis=0).mean(),
        a[-2:].any(axis=0).mean(),
        a[:, :2].any(axis=1).mean(),
        a[:, -2:].any(axis=1).mean(),
    )
    return bool(min(edges) > 0.85)


def redactions(
    doc_id: str,
    page: Page,
    boxes: Sequence[tuple[BBox, bool]],
    source: str,
    reference_dir: str,
    read_ground: Callable[[BBox], str | None] | None = None,
) -> list[Redaction]:
    """Boxes that hide content, each with the ground read from the words inside or beside it (or, on a scan,
    by ``read_ground``: OCR of the box itself)."""
    out: list[Redaction] = []
    words = page.words
    for bbox, filled in boxes:
        inside = [w for w in words if _centre_in(w, bbox)]
        inside_text = " ".join(page.text[w.start : w.end] for w in inside)
        ground = _first(grounds_in(inside_text, reference_dir)) if inside_text else None
        rest = inside_text
        if ground:
            rest = re.sub(r"[\d.\s]+[a-i]?\b|art(ikel)?\.?|woo|wob|lid|sub|onder", " ", inside_text, flags=re.I)
        if source == "vector" and _BODY.search(rest):
            continue  # readable text inside: a table cell, a text frame or a shaded heading, not a redaction
        if ground is None and read_ground is not None:
            ground = read_ground(bbox)
        if not filled and not ground:
            continue  # an empty outlined box is a frame or a form field unless it names a ground
        if ground is None:
            ground = _beside(page, words, bbox, reference_dir)
        out.append(Redaction(doc_id, page.number, _round(bbox), ground, source, _whole_body(page, bbox)))
    return _dedupe(out)


def _centre_in(w: Word, b: BBox) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1


def _beside(page: Page, words: Sequence[Word], b: BBox, ref: str) -> str | None:
    """A ground printed just right of, left of, or just under the box (within a line's height)."""
    h = max(8.0, b[3] - b[1])
    near = [
        w
        for w in words
        if (abs((w.top + w.bottom) / 2 - (b[1] + b[3]) / 2) < h and -2 < w.x0 - b[2] < 60)
        or (abs((w.top + w.bottom) / 2 - (b[1] + b[3]) / 2) < h and -2 < b[0] - w.x1 < 60)
        or (0 <= w.top - b[3] < 12 and w.x0 < b[2] and w.x1 > b[0])
    ]
    for w in sorted(near, key=lambda w: abs(w.x0 - b[2])):
        code = _first(grounds_in(page.text[w.start : w.end], ref))
        if code:
            return code
    return None


def _whole_body(page: Page, b: BBox) -> bool:
    """The box covers the page's body: most of its width and height (margins, header and footer aside)."""
    if not page.width or not page.height:
        return False
    return (b[2] - b[0]) > 0.7 * page.width and (b[3] - b[1]) > 0.6 * page.height


def _first(codes: tuple[str, ...]) -> str | None:
    return codes[0] if codes else None


def _round(b: BBox) -> BBox:
    return (round(b[0], 1), round(b[1], 1), round(b[2], 1), round(b[3], 1))


def _dedupe(found: list[Redaction]) -> list[Redaction]:
    """A box drawn twice (fill and outline as two objects) counts once."""
    kept: list[Redaction] = []
    for r in sorted(found, key=lambda r: (r.ground is None, -(r.bbox[2] - r.bbox[0]) * (r.bbox[3] - r.bbox[1]))):
        if not any(iou(r.bbox, k.bbox) > 0.8 for k in kept):
            kept.append(r)
    return sorted(kept, key=lambda r: (r.page, r.bbox[1], r.bbox[0]))


def iou(a: BBox, b: BBox) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def detect(
    path: str, doc_id: str, pages: Sequence[Page], reference_dir: str, max_pages: int, ocr_lang: str | None = None
) -> list[Redaction]:
    """Every redaction of the PDF at ``path``: vector boxes on pages with text, image boxes on scanned pages."""
    import pypdfium2 as pdfium

    found: list[Redaction] = []
    by_number = {p.number: p for p in pages}
    pdf = pdfium.PdfDocument(path)
    try:
        for index in range(min(len(pdf), max_pages)):
            stored = by_number.get(index + 1)
            if stored is None:
                continue
            page = pdf[index]
            try:
                height = page.get_height()
                if stored.ocr or stored.needs_ocr or not stored.text.strip():
                    reader = _box_reader(page, reference_dir) if ocr_lang else None
                    found.extend(redactions(doc_id, stored, image_boxes(page), "image", reference_dir, reader))
                else:
                    found.extend(redactions(doc_id, stored, vector_boxes(page, height), "vector", reference_dir))
            finally:
                page.close()
    finally:
        pdf.close()
    return found


def _box_reader(page: object, reference_dir: str) -> Callable[[BBox], str | None]:
    """OCR of one box of a scan, inverted when dark (grounds are printed light on dark), for its ground."""

    def read(bbox: BBox) -> str | None:
        import io

        from PIL import ImageOps, ImageStat

        # inside the box only: paper around it would turn into a black rule once inverted
        x0, top, x1, bottom = bbox[0] + 1.5, bbox[1] + 1.5, bbox[2] - 1.5, bbox[3] - 1.5
        width, height = page.get_size()  # type: ignore[attr-defined]
        # a second, larger rendering when the first reads no code (measured: 3x and 6x miss different ones)
        for scale in (3.0, 6.0, 4.0) if bottom - top < 60 else (3.0, 6.0):
            crop = page.render(scale=scale, crop=(x0, height - bottom, width - x1, top)).to_pil().convert("L")  # type: ignore[attr-defined]
            if ImageStat.Stat(crop).mean[0] < 128:
                crop = ImageOps.invert(crop)
            # only the printed code: a page-sized box is mostly empty fill
            ink = ImageOps.invert(crop).point(lambda v: 255 if v > 100 else 0).getbbox()
            if ink is not None:
                crop = crop.crop(ink)
            buf = io.BytesIO()
            ImageOps.expand(ImageOps.autocontrast(crop), border=20, fill=255).save(buf, format="PNG")
            code = _first(grounds_in(_ocr_line(buf.getvalue()).translate(_OCR_FIXES), reference_dir))
            if code is not None:
                return code
        return None

    return read


def _ocr_line(png: bytes) -> str:
    """Tesseract on one line of a ground code: a single text line, only the characters a code has."""
    import os
    import shutil
    import subprocess

    exe = shutil.which("tesseract")
    if exe is None:
        return ""
    try:
        proc = subprocess.run(
            [exe, "stdin", "stdout", "--psm", "7", "-l", "eng", "-c", "tessedit_char_whitelist=0123456789.abcdefghi"],
            input=png,
            capture_output=True,
            timeout=10,
            env=dict(os.environ, OMP_THREAD_LIMIT="1"),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return proc.stdout.decode("utf-8", errors="replace").strip()

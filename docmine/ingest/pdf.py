"""PDF pages: text and word boxes from PDFium (fast), pdfplumber as the fallback for files PDFium rejects.

The page text is rebuilt from lines (a blank line at paragraph gaps) and every word keeps its box, so any
span can be drawn on its page. Pages without text but with images go to OCR.
"""

from __future__ import annotations

import io
import re
import statistics
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from docmine.errors import IngestError
from docmine.ingest import ocr
from docmine.ingest.limits import Deadline, Limits
from docmine.ingest.parsed import Parsed
from docmine.model import Page, Word

DECRYPT_HINT = "remove the password first, e.g. qpdf --decrypt --password=... in.pdf out.pdf"
REPAIR_HINT = "the file may be damaged; try re-downloading it or repairing it with qpdf or mutool clean"
_PDFIUM_PASSWORD = 4
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_WORD = re.compile(r"\S+")

# (line text, [(start, end, x0, top, x1, bottom) per word, offsets within the line]) per line, top to bottom
Line = tuple[str, list[tuple[int, int, float, float, float, float]], float, float]


def parse_pdf(path: str, data: bytes, limits: Limits, deadline: Deadline) -> Parsed:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PDFIUM_PASSWORD:
            raise IngestError(path, "PDF is encrypted with a password", DECRYPT_HINT) from exc
        return _parse_with_pdfplumber(path, data, limits, deadline)
    try:
        return _parse_pdfium(pdf, limits, deadline)
    finally:
        pdf.close()


def _parse_pdfium(pdf: Any, limits: Limits, deadline: Deadline) -> Parsed:
    import pypdfium2.raw as raw

    total = len(pdf)
    parsed = Parsed(pages=[], page_count=total)
    meta = pdf.get_metadata_dict()
    parsed.title = (meta.get("Title") or "").strip()
    parsed.publisher = (meta.get("Author") or "").strip() or None
    scans: list[tuple[int, bytes, float]] = []
    for index in range(min(total, limits.max_pages)):
        if deadline.expired:
            parsed.notes.append(f"time limit of {deadline.seconds:.0f} s reached after {index} of {total} pages")
            parsed.truncated = True
            break
        page = pdf[index]
        try:
            width, height = page.get_size()
            textpage = page.get_textpage()
            lines = list(_pdfium_lines(textpage, height))
            built = _assemble(index + 1, lines, width, height)
            if index == 0:
                parsed.heading = _largest_line(lines)
            scanned = not built.text.strip() and any(
                True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3)
            )
            if (scanned and limits.ocr != "never") or limits.ocr == "always":
                scans.append((len(parsed.pages), *_render_pdfium(page, limits.ocr_dpi)))
            elif scanned:
                built = replace(built, needs_ocr=True)
            parsed.pages.append(built)
        finally:
            page.close()
    if total > limits.max_pages:
        parsed.truncated = True
        parsed.notes.append(f"only the first {limits.max_pages} of {total} pages ingested (--max-pages)")
    if scans:
        _run_ocr(parsed, scans, limits, deadline)
    return parsed


def _pdfium_lines(textpage: Any, page_height: float) -> Iterator[Line]:
    """Lines as PDFium reads them (it separates lines with generated CR LF), with word boxes."""
    count = textpage.count_chars()
    if count <= 0:
        return
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # never seen, but offsets must be exact or not at all
        text = text[:count].ljust(count)
    pos = 0
    for raw_line in re.split(r"(\r\n|\r|\n)", text):
        if raw_line in ("\r\n", "\r", "\n"):
            pos += len(raw_line)
            continue
        line = _CONTROL.sub(" ", raw_line)
        words = []
        tops, bottoms = [], []
        for match in _WORD.finditer(line):
            first = textpage.get_charbox(pos + match.start())
            last = textpage.get_charbox(pos + match.end() - 1)
            x0, x1 = min(first[0], last[0]), max(first[2], last[2])
            top = page_height - max(first[3], last[3])
            bottom = page_height - min(first[1], last[1])
            words.append((match.start(), match.end(), x0, top, x1, bottom))
            tops.append(top)
            bottoms.append(bottom)
        if words:
            yield line.rstrip(), words, statistics.median(tops), statistics.median(bottoms)
        pos += len(raw_line)


def _largest_line(lines: list[Line]) -> str:
    """The line set in the largest type, when it stands out (a title), else ""."""
    sized = [(b - t, text) for text, _, t, b in lines if len(text.strip()) >= 4]
    if len(sized) < 3:
        return ""
    typical = statistics.median(h for h, _ in sized)
    height, text = max(sized, key=lambda x: x[0])
    return text.strip() if height >= 1.3 * typical else ""


def _assemble(number: int, lines: list[Line], width: float | None, height: float | None) -> Page:
    """Join lines with newlines and put a blank line where the vertical gap says a paragraph ends."""
    heights = [max(b - t, 1.0) for _, _, t, b in lines] or [10.0]
    line_height = statistics.median(heights)
    parts: list[str] = []
    boxes: list[Word] = []
    pos = 0
    prev_bottom: float | None = None
    for text, words, top, bottom in lines:
        if prev_bottom is not None:
            sep = "\n\n" if top - prev_bottom > 0.9 * line_height else "\n"
            parts.append(sep)
            pos += len(sep)
        prev_bottom = bottom
        boxes.extend(Word(pos + s, pos + e, x0, t, x1, b) for s, e, x0, t, x1, b in words)
        parts.append(text)
        pos += len(text)
    return Page(number=number, text="".join(parts), width=width, height=height, words=tuple(boxes))


def _render_pdfium(page: Any, dpi: int) -> tuple[bytes, float]:
    """Render at the scan's own resolution when it is known (150-300 dpi), else at ``dpi``."""
    import pypdfium2.raw as raw

    resolution = dpi
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        try:
            px_width = obj.get_px_size()[0]
            left, _, right, _ = obj.get_pos()
            resolution = int(min(max(px_width / ((right - left) / 72.0), 150), 300))
        except Exception:  # an image without size information: keep the default
            pass
        break
    image = page.render(scale=resolution / 72.0, grayscale=True).to_pil()
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue(), 72.0 / resolution


def _run_ocr(parsed: Parsed, scans: list[tuple[int, bytes, float]], limits: Limits, deadline: Deadline) -> None:
    try:
        ocr.check_available(limits.ocr_lang)
    except ocr.OcrUnavailable as exc:
        for slot, _, _ in scans:
            if not parsed.pages[slot].text.strip():
                parsed.pages[slot] = replace(parsed.pages[slot], needs_ocr=True)
        parsed.notes.append(f"{len(scans)} page(s) need OCR: {exc}")
        return

    def run(job: tuple[int, bytes, float]) -> tuple[int, ocr.OcrResult | str]:
        slot, png, scale = job
        if deadline.expired:
            return slot, "time limit reached before OCR"
        try:
            return slot, ocr.ocr_png(png, limits.ocr_lang, scale, limits.timeout_s)
        except ocr.OcrUnavailable as exc:
            return slot, str(exc)

    with ThreadPoolExecutor(max_workers=max(1, limits.ocr_threads)) as pool:
        for slot, result in pool.map(run, scans):
            page = parsed.pages[slot]
            if isinstance(result, str):
                parsed.pages[slot] = replace(page, needs_ocr=not page.text.strip())
                parsed.notes.append(f"page {page.number}: {result}")
            elif result.text.strip() or not page.text.strip():
                parsed.pages[slot] = replace(
                    page, text=result.text, words=result.words, ocr=True, ocr_confidence=result.confidence
                )


# -- fallback: pdfminer through pdfplumber recovers some files PDFium refuses -------------------------------


def _parse_with_pdfplumber(path: str, data: bytes, limits: Limits, deadline: Deadline) -> Parsed:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        total = len(pdf.pages)
    except PdfminerException as exc:
        if isinstance(exc.args[0] if exc.args else None, PDFPasswordIncorrect):
            raise IngestError(path, "PDF is encrypted with a password", DECRYPT_HINT) from exc
        raise IngestError(path, f"corrupt or truncated PDF ({_describe(exc)})", REPAIR_HINT) from exc
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise IngestError(path, f"corrupt or truncated PDF ({_describe(exc)})", REPAIR_HINT) from exc
    with pdf:
        parsed = Parsed(pages=[], page_count=total, notes=["read with the pdfminer fallback (PDFium refused it)"])
        for index, page in enumerate(pdf.pages[: limits.max_pages]):
            if deadline.expired:
                parsed.truncated = True
                break
            try:
                lines = _plumber_lines(page)
            except Exception as exc:
                parsed.notes.append(f"page {index + 1} unreadable ({_describe(exc)})")
                lines = []
            built = _assemble(index + 1, lines, float(page.width), float(page.height))
            parsed.pages.append(replace(built, needs_ocr=not built.text.strip() and bool(page.images)))
        if total > limits.max_pages:
            parsed.truncated = True
            parsed.notes.append(f"only the first {limits.max_pages} of {total} pages ingested (--max-pages)")
    if not any(p.text.strip() for p in parsed.pages) and not any(p.needs_ocr for p in parsed.pages):
        raise IngestError(path, "corrupt or truncated PDF (no readable pages)", REPAIR_HINT)
    return parsed


def _plumber_lines(page: Any) -> list[Line]:
    words = page.extract_words(keep_blank_chars=False, x_tolerance=1.5, y_tolerance=3)
    grouped: list[list[dict[str, Any]]] = []
    for w in words:
        if grouped and abs(w["top"] - grouped[-1][-1]["top"]) <= 3 and w["x0"] >= grouped[-1][-1]["x0"]:
            grouped[-1].append(w)
        else:
            grouped.append([w])
    lines: list[Line] = []
    for group in grouped:
        text, boxes = "", []
        for w in group:
            if text:
                text += " "
            token = _CONTROL.sub(" ", w["text"])
            boxes.append((len(text), len(text) + len(token), w["x0"], w["top"], w["x1"], w["bottom"]))
            text += token
        lines.append((text, boxes, min(w["top"] for w in group), max(w["bottom"] for w in group)))
    return lines


def _describe(exc: BaseException) -> str:
    cause = exc.args[0] if isinstance(exc.args[0] if exc.args else None, BaseException) else exc
    text = str(cause).strip().splitlines()[0][:120] if str(cause).strip() else ""
    return f"{type(cause).__name__}: {text}" if text else type(cause).__name__

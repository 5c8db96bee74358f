"""PDF pages with pdfplumber: text rebuilt from word boxes (so every span can be drawn), OCR for scans."""

from __future__ import annotations

import io
import statistics
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from docmine.errors import IngestError
from docmine.ingest import ocr
from docmine.ingest.limits import Deadline, Limits
from docmine.ingest.parsed import Parsed
from docmine.model import Page, Word

DECRYPT_HINT = "remove the password first, e.g. qpdf --decrypt --password=... in.pdf out.pdf"


def parse_pdf(path: str, data: bytes, limits: Limits, deadline: Deadline) -> Parsed:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise IngestError(path, "PDF is encrypted with a password", DECRYPT_HINT) from exc
        raise IngestError(path, f"corrupt or truncated PDF ({_describe(cause)})", _REPAIR_HINT) from exc
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise IngestError(path, f"corrupt or truncated PDF ({_describe(exc)})", _REPAIR_HINT) from exc
    with pdf:
        try:
            total = len(pdf.pages)
        except Exception as exc:
            raise IngestError(path, f"corrupt or truncated PDF ({_describe(exc)})", _REPAIR_HINT) from exc
        parsed = Parsed(pages=[], page_count=total)
        meta = pdf.metadata or {}
        parsed.title = _meta_str(meta.get("Title"))
        parsed.publisher = _meta_str(meta.get("Author")) or None
        pending_ocr: list[tuple[int, Any]] = []
        for index, page in enumerate(pdf.pages[: limits.max_pages]):
            if deadline.expired:
                parsed.notes.append(
                    f"time limit of {deadline.seconds:.0f} s reached after {index} of {total} pages (--file-timeout)"
                )
                parsed.truncated = True
                break
            try:
                built = _page_from_words(index + 1, page)
            except Exception as exc:
                parsed.notes.append(f"page {index + 1} unreadable ({_describe(exc)})")
                built = Page(number=index + 1, text="", width=_num(page, "width"), height=_num(page, "height"))
            if not built.text.strip() and _has_images(page) and limits.ocr != "never":
                pending_ocr.append((len(parsed.pages), page))
            elif not built.text.strip() and _has_images(page):
                built = _with(built, needs_ocr=True)
            elif limits.ocr == "always":
                pending_ocr.append((len(parsed.pages), page))
            parsed.pages.append(built)
        if total > limits.max_pages:
            parsed.truncated = True
            parsed.notes.append(f"only the first {limits.max_pages} of {total} pages ingested (--max-pages)")
        if pending_ocr:
            _run_ocr(parsed, pending_ocr, limits, deadline)
    return parsed


_REPAIR_HINT = "the file may be damaged; try re-downloading it or repairing it with qpdf or mutool clean"


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _meta_str(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return str(value).strip() if value else ""


def _num(page: Any, attr: str) -> float | None:
    try:
        return float(getattr(page, attr))
    except Exception:
        return None


def _has_images(page: Any) -> bool:
    try:
        return bool(page.images)
    except Exception:
        return False


def _with(page: Page, **changes: Any) -> Page:
    from dataclasses import replace

    return replace(page, **changes)


def _page_from_words(number: int, page: Any) -> Page:
    """Rebuild the page text from words: lines joined by newlines, a blank line at paragraph gaps."""
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5, y_tolerance=3)
    lines: list[list[dict[str, Any]]] = []
    for w in words:
        if lines and abs(w["top"] - lines[-1][-1]["top"]) <= 3 and w["x0"] >= lines[-1][-1]["x0"]:
            lines[-1].append(w)
        else:
            lines.append([w])
    heights = [ln[0]["bottom"] - ln[0]["top"] for ln in lines] or [10.0]
    line_height = statistics.median(heights)
    parts: list[str] = []
    boxes: list[Word] = []
    pos = 0
    prev_bottom: float | None = None
    for line in lines:
        top = min(w["top"] for w in line)
        if prev_bottom is not None:
            sep = "\n\n" if top - prev_bottom > 0.9 * line_height else "\n"
            parts.append(sep)
            pos += len(sep)
        prev_bottom = max(w["bottom"] for w in line)
        for i, w in enumerate(line):
            if i:
                parts.append(" ")
                pos += 1
            text = w["text"].replace("\x00", "")
            boxes.append(Word(pos, pos + len(text), w["x0"], w["top"], w["x1"], w["bottom"]))
            parts.append(text)
            pos += len(text)
    return Page(
        number=number, text="".join(parts), width=_num(page, "width"), height=_num(page, "height"), words=tuple(boxes)
    )


def _run_ocr(parsed: Parsed, pending: list[tuple[int, Any]], limits: Limits, deadline: Deadline) -> None:
    try:
        ocr.check_available(limits.ocr_lang)
    except ocr.OcrUnavailable as exc:
        for slot, _ in pending:
            if not parsed.pages[slot].text.strip():
                parsed.pages[slot] = _with(parsed.pages[slot], needs_ocr=True)
        parsed.notes.append(f"{len(pending)} page(s) need OCR: {exc}")
        return
    # Render in this thread (pdfium is not thread-safe), recognise in parallel subprocesses.
    jobs: list[tuple[int, bytes, float]] = []
    for slot, page in pending:
        png, scale = _render(page, limits.ocr_dpi)
        jobs.append((slot, png, scale))

    def run(job: tuple[int, bytes, float]) -> tuple[int, ocr.OcrResult | str]:
        slot, png, scale = job
        if deadline.expired:
            return slot, "time limit reached before OCR"
        try:
            return slot, ocr.ocr_png(png, limits.ocr_lang, scale, limits.timeout_s)
        except ocr.OcrUnavailable as exc:
            return slot, str(exc)

    with ThreadPoolExecutor(max_workers=max(1, limits.ocr_threads)) as pool:
        for slot, result in pool.map(run, jobs):
            page = parsed.pages[slot]
            if isinstance(result, str):
                parsed.pages[slot] = _with(page, needs_ocr=not page.text.strip())
                parsed.notes.append(f"page {page.number}: {result}")
            elif result.text.strip() or not page.text.strip():
                parsed.pages[slot] = _with(
                    page, text=result.text, words=result.words, ocr=True, ocr_confidence=result.confidence
                )


def _render(page: Any, dpi: int) -> tuple[bytes, float]:
    """Render at the scan's own resolution when it is known (between 150 and 300 dpi), else at ``dpi``."""
    resolution = dpi
    try:
        img = page.images[0]
        native = float(img["srcsize"][0]) / (float(img["width"]) / 72.0)
        resolution = int(min(max(native, 150), 300))
    except Exception:
        pass
    image = page.to_image(resolution=resolution).original
    buf = io.BytesIO()
    image.convert("L").save(buf, format="PNG")
    return buf.getvalue(), 72.0 / resolution

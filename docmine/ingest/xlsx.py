"""Spreadsheets (.xlsx): every sheet a page (longer ones cut into logical pages), every row a line of its cells.

A Woo release's inventory often comes as a spreadsheet: stored as text its rows are searchable and citable
like any page, while ``docmine woo`` reads the same file as a table.
"""

from __future__ import annotations

import datetime as dt
import io

from docmine.errors import IngestError
from docmine.ingest.limits import Deadline, Limits
from docmine.ingest.parsed import LOGICAL_PAGE_CHARS, Parsed

_CHECK_EVERY = 500  # rows between looks at the clock


def parse_xlsx(path: str, data: bytes, limits: Limits | None = None, deadline: Deadline | None = None) -> Parsed:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    limits = limits or Limits()
    try:
        # read-only streams the rows: a sheet of a million rows is never held whole
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise IngestError(
            path, "corrupt, encrypted or not a real .xlsx file", "open it in a spreadsheet and save it again as .xlsx"
        ) from exc
    budget = limits.max_pages * LOGICAL_PAGE_CHARS  # text past what --max-pages keeps is not read at all
    sheets: list[str] = []
    size = 0
    cut = ""
    try:
        for sheet in book.worksheets:
            lines = [sheet.title]
            for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell(v) for v in row]
                if any(cells):
                    lines.append(" | ".join(cells).rstrip(" |"))
                    size += len(lines[-1]) + 1
                if size > budget:
                    cut = f"only the first {limits.max_pages} pages ingested (--max-pages)"
                    break
                if n % _CHECK_EVERY == 0 and deadline is not None and deadline.expired:
                    cut = f"time limit of {deadline.seconds:.0f} s reached in sheet {sheet.title!r}"
                    break
            if len(lines) > 1:
                sheets.append("\n".join(lines))
            if cut:
                break
    finally:
        book.close()
    title = (book.properties.title or "").strip() if book.properties else ""
    parsed = Parsed(pages=[], title=title).paginate("\n\f".join(sheets), limits, deadline)
    if cut:
        parsed.truncated = True
        parsed.notes.append(cut)
    return parsed


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()  # a date typed into a cell: Excel keeps it as midnight
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a document number 12 typed as 12.0
    return str(value).strip()

"""Inventory lists (inventarislijsten) read into rows: from PDF tables, XLSX sheets and CSV files.

A header row names the columns (number, date, description, decision, grounds); rows below it become
InventoryRows. Merged cells (a decision written once for several rows) are filled from the row above, and said so.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docmine.errors import IngestError
from docmine.model import InventoryRow
from docmine.nlp.dates import parse_date
from docmine.woo.codes import decision_of, grounds_in

# header words per column, tried in this order so "documentnummer" is the number and not the description
_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("documentnummer", "document nr", "documentnr", "doc nr", "docnr", "nummer", "nr", "id", "volgnummer")),
    (
        "grounds",
        (
            "weigeringsgrond",
            "weigeringsgronden",
            "beoordelingsgrond",
            "uitzonderingsgrond",
            "grond",
            "gronden",
            "wob-grond",
            "woo-grond",
            "artikel",
            "lakcode",
            "weigergrond",
            "wob",
            "woo",
            "conform",
        ),
    ),
    ("decision", ("beoordeling", "besluit", "openbaarmaking", "openbaar", "status", "oordeel")),
    ("date", ("datum", "date", "06 datum")),
    (
        "description",
        (
            "omschrijving",
            "beschrijving",
            "onderwerp",
            "titel document",
            "titel",
            "documentnaam",
            "01 document",
            "document",
            "naam",
            "toelichting",
        ),
    ),
)
_SUFFIXES = {".pdf", ".xlsx", ".csv", ".tsv"}


@dataclass
class Inventory:
    rows: list[InventoryRow] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def looks_like_inventory(path: str, first_text: str) -> bool:
    """An inventory by its name or by its first page's words."""
    name = Path(path).name.lower()
    if any(w in name for w in ("inventaris", "inventory", "productierapport", "documentenlijst")):
        return True
    head = first_text[:600].lower()
    return "inventaris" in head or ("omschrijving" in head and ("beoordeling" in head or "grond" in head))


def read_inventory(path: str, reference_dir: str) -> Inventory:
    """The rows of the inventory at ``path`` (PDF, XLSX or CSV); IngestError when it cannot be read at all."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise IngestError(path, f"an inventory must be PDF, XLSX or CSV, not {suffix or 'without extension'}")
    try:
        if suffix == ".pdf":
            tables = list(_pdf_tables(path))
        elif suffix == ".xlsx":
            tables = list(_xlsx_tables(path))
        else:
            tables = [(1, _csv_rows(path))]
    except IngestError:
        raise
    except Exception as exc:  # a damaged file: one notice, the release goes on
        raise IngestError(path, f"cannot read the inventory ({type(exc).__name__}: {exc})") from exc
    return rows_from_tables(path, tables, reference_dir)


def rows_from_tables(
    path: str, tables: Iterable[tuple[int, Sequence[Sequence[str | None]]]], reference_dir: str
) -> Inventory:
    """Rows from (page, table) pairs: a header row fixes the columns, later tables on later pages reuse them."""
    inv = Inventory()
    columns: dict[str, int] | None = None
    line = 0
    for page, table in tables:
        for raw in table:
            cells = [_clean(c) for c in raw]
            line += 1
            if not any(cells):
                continue
            header = _header(cells)
            if header is not None:
                columns = header
                continue
            if columns is None:
                continue
            row = _row(path, page, line, cells, columns, reference_dir, inv)
            if row is not None:
                inv.rows.append(row)
    if columns is None:
        inv.notices.append(f"{Path(path).name}: no header row with a number and a description column")
    return inv


def _row(
    path: str, page: int, line: int, cells: list[str], columns: dict[str, int], ref: str, inv: Inventory
) -> InventoryRow | None:
    def cell(name: str) -> str:
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    number = cell("number")
    if not re.search(r"\w", number):
        if inv.rows and any(cells):
            # a description running on into the next table row (a row split across a page break)
            last = inv.rows[-1]
            more = cell("description")
            if more and last.page == page:
                inv.rows[-1] = _replace(last, description=f"{last.description} {more}".strip())
        return None
    number = re.sub(r"\s+", "", number).rstrip(".")
    decision_text = cell("decision")
    grounds_text = cell("grounds")
    decision = decision_of(decision_text)
    if decision is None and "decision" in columns and inv.rows:
        decision = inv.rows[-1].decision  # a merged decision cell spans this row
        inv.notices.append(
            f"{Path(path).name} row {number}: empty decision cell, taken from the row above (merged cells)"
        )
    grounds = grounds_in(grounds_text or decision_text, ref)
    if not grounds and decision in ("deels openbaar", "niet openbaar") and not grounds_text:
        grounds = grounds_in(" ".join(cells), ref)
    date = parse_date(cell("date")) if cell("date") else None
    return InventoryRow(number, date, cell("description"), decision, grounds, path, page, line)


def _replace(row: InventoryRow, **changes: object) -> InventoryRow:
    from dataclasses import replace

    return replace(row, **changes)  # type: ignore[arg-type]


def _clean(cell: object) -> str:
    return re.sub(r"\s+", " ", str(cell)).strip() if cell is not None else ""


def _header(cells: list[str]) -> dict[str, int] | None:
    """column name -> index, when this row is a header (it names at least a number and two other columns)."""
    found: dict[str, int] = {}
    for name, words in _COLUMNS:
        # words in order of preference: "Onderwerp" is the description before "Soort document" is
        for word in words:
            hit = next(
                (
                    i
                    for i, cell in enumerate(cells)
                    if i not in found.values() and 0 < len(cell) <= 40 and _names(cell.lower().strip(" :.#"), (word,))
                ),
                None,
            )
            if hit is not None:
                found[name] = hit
                break
    if "number" in found and len(found) >= 3:
        return found
    return None


def _names(text: str, words: tuple[str, ...]) -> bool:
    """A header cell names one of ``words``: exactly, as its first or last word, inside it, or misspelt
    ('Beroordeling'), also when a line break split a word ('Volgnum mer')."""
    squashed = text.replace(" ", "").replace("-", "")
    for w in words:
        if text == w or squashed == w.replace(" ", "") or text.startswith(w + " ") or text.endswith(" " + w):
            return True
        if len(w) > 5 and (w in text or w in squashed):
            return True
    return bool(difflib.get_close_matches(squashed, [w for w in words if len(w) > 6], n=1, cutoff=0.88))


def _pdf_tables(path: str) -> Iterable[tuple[int, list[list[str | None]]]]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables = page.extract_tables()
            if not tables:
                # no ruling lines: columns from the words' positions
                tables = page.extract_tables({"vertical_strategy": "text", "horizontal_strategy": "text"})
            for table in tables:
                yield page.page_number, table


def _xlsx_tables(path: str) -> Iterable[tuple[int, list[list[str | None]]]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=False, data_only=True)
    try:
        for sheet in book.worksheets:
            grid = [[_xlsx_value(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            # a merged block keeps its value in the top-left cell only: give it to every cell of the block
            for block in sheet.merged_cells.ranges:
                top = grid[block.min_row - 1][block.min_col - 1] if block.min_row - 1 < len(grid) else None
                for r in range(block.min_row - 1, min(block.max_row, len(grid))):
                    for c in range(block.min_col - 1, min(block.max_col, len(grid[r]))):
                        grid[r][c] = top
            yield 1, grid
    finally:
        book.close()


def _xlsx_value(value: object) -> str | None:
    import datetime as dt

    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return None if value is None else str(value)


def _csv_rows(path: str) -> list[list[str | None]]:
    data = Path(path).read_bytes()
    text = data.decode("utf-8-sig", errors="replace")
    # the separator the header line uses most (csv.Sniffer guesses wrong on short files with quoted codes)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]

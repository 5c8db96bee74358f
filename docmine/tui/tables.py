"""Writing a table of rows to CSV, XLSX or Parquet, chosen by the file suffix. No Textual here.

Kept free of the UI so it can move to ``docmine/export.py`` unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from docmine.errors import DocmineError
from docmine.model import Hit

FORMATS = (".csv", ".xlsx", ".parquet")


def hit_rows(hits: Sequence[Hit]) -> list[dict[str, Any]]:
    """One flat row per hit, in the order shown."""
    return [
        {
            "rank": i,
            "title": h.title,
            "doc_type": h.doc_type,
            "date": h.date or "",
            "page": h.ref.page,
            "score": h.score,
            "snippet": h.snippet,
            "matched": ", ".join(h.matched),
            "why": "; ".join(h.why),
            "doc_id": h.ref.doc_id,
            "start": h.ref.start,
            "end": h.ref.end,
            "path": h.path,
        }
        for i, h in enumerate(hits, 1)
    ]


def write_table(rows: Sequence[Mapping[str, Any]], path: Path) -> int:
    """Write ``rows`` (dicts sharing the first row's keys) to ``path``; returns the number of rows written."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DocmineError(
            f"cannot write {path.name!r}: unknown table format", "end the name in .csv, .xlsx or .parquet"
        )
    if not rows:
        raise DocmineError("there is nothing to export", "run a search with results first")
    if not path.parent.is_dir():
        raise DocmineError(f"the folder {path.parent} does not exist", "create it first or choose another path")
    columns = list(rows[0])
    try:
        if suffix == ".csv":
            with path.open("w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
        elif suffix == ".xlsx":
            _write_xlsx(rows, columns, path)
        else:
            _write_parquet(rows, columns, path)
    except OSError as exc:
        raise DocmineError(f"cannot write {path}: {exc.strerror or exc}", "check the path and its permissions") from exc
    return len(rows)


def _write_xlsx(rows: Sequence[Mapping[str, Any]], columns: list[str], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    book.save(path)


def _write_parquet(rows: Sequence[Mapping[str, Any]], columns: list[str], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([dict(r) for r in rows], schema=None)
    pq.write_table(table.select(columns), path)

"""Tables out: documents, pages, passages, mentions, entities and claims as CSV, JSONL, Parquet or XLSX.

Rows stream from the Store in batches, so there is no row cap and memory stays flat. Parquet and XLSX get
real types: counts and amounts as numbers, complete ISO dates as dates.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from docmine.errors import DocmineError

FORMATS = ("csv", "jsonl", "parquet", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # per sheet, after the header; more rows continue on the next sheet
_BATCH = 5000

# Column types beyond text: int, float, bool, date (ISO YYYY-MM-DD when complete), json (lists).
TYPES: dict[str, str] = {
    "size": "int",
    "page_count": "int",
    "page": "int",
    "start": "int",
    "end": "int",
    "characters": "int",
    "passage_id": "int",
    "claim_id": "int",
    "mentions": "int",
    "documents": "int",
    "ocr": "bool",
    "needs_ocr": "bool",
    "ocr_confidence": "float",
    "value_num": "float",
    "date": "date",
    "doc_date": "date",
    "first_date": "date",
    "last_date": "date",
    "values": "json",
    # the columns of docmine.rows beyond the stored tables
    "rank": "int",
    "pages": "int",
    "score": "float",
    "similarity": "float",
    "differs": "bool",
    "matched": "json",
    "why": "json",
    "shared": "json",
    "conflicts": "json",
    "notes": "json",
}


STDOUT = Path("-")  # the conventional name for standard output
STREAMABLE = ("csv", "jsonl")


def guess_format(path: Path, fmt: str | None) -> str:
    if path == STDOUT and fmt is None:
        return "jsonl"
    if path.is_dir():  # "-o exports": the name would be taken for a format ('') or the write fail late
        raise DocmineError(f"{path} is a folder", f"give a file name in it, e.g. -o {path / 'export.csv'}")
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise DocmineError(f"unknown export format {fmt!r}", "use --format csv, jsonl, parquet or xlsx")
    return fmt


def write_table(
    rows: Iterable[dict[str, Any]], path: Path, fmt: str, progress: Callable[[int], None] | None = None
) -> int:
    """Write rows to ``path`` atomically (a temp file renamed at the end). Returns the number of rows.

    A link is written through to its target. A target that is not a regular file (``/dev/stdout``, a named pipe)
    is written into as a stream, since renaming over it would replace the device or pipe itself."""
    if path.exists() and not path.is_file():
        if fmt not in STREAMABLE:
            raise DocmineError(f"{path} is not a regular file, so {fmt} cannot be written to it", "write to a file")
        try:
            with path.open("w", newline="", encoding="utf-8") as fh:
                return {"csv": _csv_to, "jsonl": _jsonl_to}[fmt](_counted(rows, progress), fh)
        except OSError as exc:
            raise DocmineError(f"cannot write {path}: {exc.strerror}", "check that it can take the output") from exc
    writer = {"csv": _csv, "jsonl": _jsonl, "parquet": _parquet, "xlsx": _xlsx}[fmt]
    path = Path(os.path.realpath(path))
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".export-", suffix="." + fmt, dir=path.parent)
        os.close(fd)
        count = writer(_counted(rows, progress), Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; an export is an ordinary file
        os.replace(tmp, path)
    except OSError as exc:
        raise DocmineError(
            f"cannot write {path}: {exc.strerror}", "check that the folder exists and can be written, and free space"
        ) from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return count


def write_stream(rows: Iterable[dict[str, Any]], stream: TextIO, fmt: str) -> int:
    """Write rows to an open text stream (standard output); only the text formats can be streamed."""
    if fmt not in STREAMABLE:
        raise DocmineError(f"{fmt} cannot be written to standard output", "write it to a file instead")
    return {"csv": _csv_to, "jsonl": _jsonl_to}[fmt](iter(rows), stream)


def _counted(rows: Iterable[dict[str, Any]], progress: Callable[[int], None] | None) -> Iterator[dict[str, Any]]:
    for i, row in enumerate(rows, 1):
        if progress and i % 1000 == 0:
            progress(i)
        yield row


def typed(column: str, value: Any) -> Any:
    kind = TYPES.get(column)
    if value is None or kind is None:
        return value
    if kind == "date":
        return _date(value)
    if kind == "json":
        return json.loads(value) if isinstance(value, str) else value
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return value


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if len(str(value)) == 10 else None
    except ValueError:
        return None


def _plain(column: str, value: Any) -> Any:
    """For text formats: dates stay ISO strings (also incomplete ones like 2021-02), lists as JSON."""
    if TYPES.get(column) == "json" and isinstance(value, str):
        return json.loads(value)
    return value


def _csv(rows: Iterator[dict[str, Any]], path: Path) -> int:
    with path.open("w", newline="", encoding="utf-8") as fh:
        return _csv_to(rows, fh)


def _csv_to(rows: Iterator[dict[str, Any]], fh: TextIO) -> int:
    count = 0
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(fh, fieldnames=list(row))
            writer.writeheader()
        writer.writerow(
            {k: json.dumps(v, ensure_ascii=False) if isinstance(v := _plain(k, x), list) else v for k, x in row.items()}
        )
        count += 1
    return count


def _jsonl(rows: Iterator[dict[str, Any]], path: Path) -> int:
    with path.open("w", encoding="utf-8") as fh:
        return _jsonl_to(rows, fh)


def ascii_only(stream: TextIO) -> bool:
    """Whether JSON for ``stream`` must escape every character beyond ASCII: standard output in an ASCII or
    Latin-1 locale, where the CLI's backslash fallback would write U+1F600 as ``\\U0001f600``, not JSON."""
    return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name != "utf-8"


def _jsonl_to(rows: Iterator[dict[str, Any]], fh: TextIO) -> int:
    count = 0
    escape = ascii_only(fh)
    for row in rows:
        fh.write(json.dumps({k: _plain(k, v) for k, v in row.items()}, ensure_ascii=escape, default=str) + "\n")
        count += 1
    return count


def _arrow_type(column: str) -> Any:
    import pyarrow as pa

    return {
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "json": pa.list_(pa.string()),
    }.get(TYPES.get(column, ""), pa.string())


def _parquet(rows: Iterator[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer: pq.ParquetWriter | None = None
    schema: pa.Schema | None = None
    count = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal writer
        assert schema is not None
        columns = {name: [typed(name, r.get(name)) for r in batch] for name in schema.names}
        for name in columns:
            if TYPES.get(name) == "json":
                columns[name] = [[str(x) for x in v] if v is not None else None for v in columns[name]]
            elif TYPES.get(name) is None:
                columns[name] = [None if v is None else str(v) for v in columns[name]]
        table = pa.table(columns, schema=schema)
        if writer is None:
            writer = pq.ParquetWriter(path, schema)
        writer.write_table(table)
        batch.clear()

    for row in rows:
        if schema is None:
            schema = pa.schema([(name, _arrow_type(name)) for name in row])
        batch.append(row)
        count += 1
        if len(batch) >= _BATCH:
            flush()
    if schema is None:
        pq.write_table(pa.table({"empty": pa.array([], pa.string())}), path)
        return 0
    if batch or writer is None:
        flush()
    if writer is not None:
        writer.close()
    return count


def _xlsx(rows: Iterator[dict[str, Any]], path: Path) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    sheet = None
    header: list[str] = []
    count = 0
    in_sheet = XLSX_MAX_ROWS
    for row in rows:
        if in_sheet >= XLSX_MAX_ROWS:
            sheet = wb.create_sheet(f"data{len(wb.worksheets) + 1}" if wb.worksheets else "data")
            header = list(row)
            sheet.append(header)
            in_sheet = 0
        assert sheet is not None
        cells = []
        for name in header:
            value = typed(name, row.get(name))
            if isinstance(value, list):
                value = json.dumps(value, ensure_ascii=False)
            elif isinstance(value, str) and len(value) > 32_000:
                value = value[:32_000]  # Excel's cell limit; the full text is in the other formats
            cell = WriteOnlyCell(sheet, value=_xlsx_safe(value))
            if isinstance(value, str):
                # openpyxl stores a string that starts with "=" as a formula: a title such as =HYPERLINK(...) in
                # a third party's document would run when the sheet is opened. Text stays text, unchanged.
                cell.data_type = "s"
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
        in_sheet += 1
        count += 1
    if not wb.worksheets:
        wb.create_sheet("data")
    wb.save(path)
    return count


def _xlsx_safe(value: Any) -> Any:
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value

"""Batch search: a file of queries (one a line, or CSV with id,query) read safely, and the results per query.

A batch file is user input: an empty or binary file, or a CSV without a query column, is refused whole with a
one-line error; a single bad line (too long, not searchable) becomes an error of that query and the batch goes on.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from docmine.errors import QueryError
from docmine.model import BatchQuery, Hit

MAX_QUERY_CHARS = 500  # a line longer than this is not a name or a question: it is reported, not searched
MAX_QUERIES = 100_000
MAX_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The hits of one query, or why it could not be run."""

    query: BatchQuery
    hits: tuple[Hit, ...] = ()
    mode: str | None = None
    error: str | None = None


def read_batch(path: Path) -> list[BatchQuery]:
    """The queries of ``path``: CSV (``.csv``, a header naming a ``query`` column and optionally ``id``) or
    plain text, one query a line; blank lines and lines starting with ``#`` are skipped."""
    text = _text_of(path)
    queries = _csv_queries(path, text) if path.suffix.lower() == ".csv" else _line_queries(text)
    if not queries:
        raise QueryError(f"{path} holds no queries", "write one query a line, or a CSV with columns id,query")
    if len(queries) > MAX_QUERIES:
        raise QueryError(f"{path} holds {len(queries)} queries, more than {MAX_QUERIES}", "split the file")
    return queries


def _text_of(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise QueryError(f"{path} is {size:,} bytes, too large for a batch file", "split the file")
        data = path.read_bytes()
    except FileNotFoundError:
        raise QueryError(f"no such batch file: {path}", "check the path") from None
    except IsADirectoryError:
        raise QueryError(f"{path} is a folder, not a batch file", "give a text or CSV file") from None
    except OSError as exc:
        raise QueryError(f"cannot read {path}: {exc.strerror or exc}", "check the file") from exc
    if not data.strip():
        raise QueryError(f"{path} is empty", "write one query a line, or a CSV with columns id,query")
    if b"\x00" in data:
        raise QueryError(f"{path} is not a text file (it holds binary data)", "give a text or CSV file in UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")  # Excel's CSV on Windows; every byte but five decodes
        except UnicodeDecodeError:
            raise QueryError(f"{path} is not a text file in UTF-8", "save it as UTF-8 text or CSV") from None


def _line_queries(text: str) -> list[BatchQuery]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        query = line.strip()
        if query and not query.startswith("#"):
            found.append(BatchQuery(str(number), query, number))
    return found


def _csv_queries(path: Path, text: str) -> list[BatchQuery]:
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip().lower() for h in next(reader, [])]
    if "query" not in header:
        raise QueryError(
            f"{path} has no 'query' column (its columns: {', '.join(header) or 'none'})",
            "the first line must name the columns, e.g. id,query",
        )
    q_col = header.index("query")
    id_col = header.index("id") if "id" in header else None
    found = []
    for number, row in enumerate(reader, 2):
        query = row[q_col].strip() if q_col < len(row) else ""
        if not query:
            continue
        query_id = row[id_col].strip() if id_col is not None and id_col < len(row) and row[id_col].strip() else ""
        found.append(BatchQuery(query_id or str(number), query, number))
    return found


def problem_of(query: str) -> str | None:
    """Why a line cannot be searched as it is, or None."""
    if len(query) > MAX_QUERY_CHARS:
        return f"longer than {MAX_QUERY_CHARS} characters ({len(query)})"
    if any(ord(c) < 32 and c not in "\t" for c in query):
        return "holds control characters"
    return None

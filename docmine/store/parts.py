"""Documents split out of Woo bundles as the reads see them: a passage, mention or claim on pages first..last of a
bundle belongs to that child document (``<bundle[:16]>#<first_page>``), while its anchor stays the bundle's page.

The facts are stored once, under the bundle (the file they were read from); ``woo_parts`` says which pages form
which child, so a boundary correction re-attributes at once and re-extraction cannot undo it. Here: the SQL the
reads join with, and child ids turned back into the file that holds their pages.
"""

from __future__ import annotations

import re
import sqlite3

from docmine.model import DocInfo, WooPart

# A stand-in for woo_parts on a case file older than the Woo schema (opened read-only, not upgraded).
_NO_PARTS = "(SELECT NULL AS parent, NULL AS number, NULL AS first_page, NULL AS last_page, NULL AS title, NULL AS date WHERE 0)"
_CHILD_ID = re.compile(r"^([0-9a-f]{4,64})#(\d{1,6})$")


def table(has_parts: bool) -> str:
    """``woo_parts``, or an empty stand-in on a case file that has none."""
    return "woo_parts" if has_parts else _NO_PARTS


def join(alias: str, has_parts: bool) -> str:
    """LEFT JOIN the part (alias ``w``) whose page range holds the row ``alias`` of ``table``."""
    return f"LEFT JOIN {table(has_parts)} w ON w.parent = {alias}.doc_id AND {alias}.page BETWEEN w.first_page AND w.last_page"


def owner(alias: str) -> str:
    """The document a joined row belongs to: the child's id, else the file's."""
    return f"coalesce(substr(w.parent, 1, 16) || '#' || w.first_page, {alias}.doc_id)"


OWNER_TITLE = "coalesce(nullif(w.title, ''), d.title)"
# a split-out document without a date of its own has none: the bundle's date is another document's
OWNER_DATE = "CASE WHEN w.parent IS NULL THEN d.date ELSE w.date END"


def of_row(alias: str, column: str, has_parts: bool) -> str:
    """A correlated subquery: ``column`` (an expression over ``w``) of the part holding row ``alias``; NULL when
    its page is in no part. For WHERE clauses that cannot add a join (search filters)."""
    return (
        f"(SELECT {column} FROM {table(has_parts)} w WHERE w.parent = {alias}.doc_id"
        f" AND {alias}.page BETWEEN w.first_page AND w.last_page)"
    )


def owner_of_row(alias: str, has_parts: bool) -> str:
    """The document row ``alias`` belongs to, as a subquery (see ``owner``)."""
    child_id = of_row(alias, "substr(w.parent, 1, 16) || '#' || w.first_page", has_parts)
    return f"coalesce({child_id}, {alias}.doc_id)"


def date_of_row(alias: str, has_parts: bool) -> str:
    """The date of the document row ``alias`` belongs to (``OWNER_DATE``, as a subquery): a split-out document's
    own date, else its file's."""
    own = of_row(alias, "coalesce(w.date, '')", has_parts)  # '' marks a split-out document without a date
    return f"nullif(coalesce({own}, d.date), '')"


def owner_at(conn: sqlite3.Connection, doc_id: str, page: int) -> str:
    """The document page ``page`` of the file ``doc_id`` belongs to: a split-out document's id, else ``doc_id``."""
    if page < 1 or not has_parts(conn):
        return doc_id
    row = conn.execute(
        "SELECT parent, first_page FROM woo_parts WHERE parent = :d AND :p BETWEEN first_page AND last_page",
        {"d": doc_id, "p": page},
    ).fetchone()
    return doc_id if row is None else f"{row[0][:16]}#{row[1]}"


def has_parts(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'woo_parts'").fetchone()
    return row is not None


def child_key(doc_id: str) -> tuple[str, int] | None:
    """(bundle id prefix, first page) of a child id such as ``3f2a...#4``; None for any other id."""
    m = _CHILD_ID.match(doc_id.strip().lower())
    return (m.group(1), int(m.group(2))) if m else None


def child(conn: sqlite3.Connection, doc_id: str) -> WooPart | None:
    """The part a child id names (its bundle id may be shortened to a unique prefix); None when none does."""
    key = child_key(doc_id)
    if key is None or not has_parts(conn):
        return None
    prefix, first = key
    rows = conn.execute(
        """SELECT * FROM woo_parts WHERE parent >= :lo AND parent < :hi AND first_page = :f LIMIT 2""",
        {"lo": prefix, "hi": prefix + "g", "f": first},
    ).fetchall()
    if len(rows) != 1:
        return None
    return _part(rows[0])


def physical(conn: sqlite3.Connection, doc_id: str) -> str:
    """The id of the file that holds a document's pages: a child's bundle, else the id itself."""
    if "#" not in doc_id:
        return doc_id
    part = child(conn, doc_id)
    return part.parent if part is not None else doc_id


def info(bundle: DocInfo, part: WooPart) -> DocInfo:
    """The metadata of a document split out of ``bundle``: its own id, title, date and number, the bundle's file
    and page numbering (``page_count`` stays the file's, as its pages are pages of that file)."""
    fields = {f: getattr(bundle, f) for f in DocInfo.__slots__}
    return DocInfo(
        **{
            **fields,
            "doc_id": part.doc_id,
            "title": part.title or bundle.title,
            "date": part.date,
            "parent": part.parent,
            "number": part.number,
            "first_page": part.first_page,
            "last_page": part.last_page,
            "split_by": part.origin,
        }
    )


def all_parts(conn: sqlite3.Connection) -> dict[str, list[WooPart]]:
    """Every split-out document by its bundle's id, in page order."""
    if not has_parts(conn):
        return {}
    found: dict[str, list[WooPart]] = {}
    for r in conn.execute("SELECT * FROM woo_parts ORDER BY parent, first_page"):
        found.setdefault(r["parent"], []).append(_part(r))
    return found


def _part(r: sqlite3.Row) -> WooPart:
    return WooPart(r["parent"], r["number"], r["first_page"], r["last_page"], r["title"], r["date"], r["origin"])

"""Tags and notes on documents (page 0) and on passage spans, kept in the case file beside what they mark.

Tags hold the document's content hash, not a row id, so they survive re-ingesting and re-extracting.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from docmine.model import Tag
from docmine.store import casefile, parts

if TYPE_CHECKING:
    from docmine.store.store import Store


def passage_at(store: Store, passage_id: int) -> tuple[str, int, int, int] | None:
    """(doc_id, page, start, end) of a passage by its id; doc_id names the document split out of a Woo bundle
    that holds the page, if any (a tag on the span is a tag in that document)."""
    row = (
        store._read()
        .execute("SELECT doc_id, page, start_char, end_char FROM passages WHERE id = :id", {"id": passage_id})
        .fetchone()
    )
    return None if row is None else (owner(store, row[0], row[1]), row[1], row[2], row[3])


def owner(store: Store, doc_id: str, page: int) -> str:
    """The document that page ``page`` of ``doc_id`` (a file, or a document split out of one) belongs to."""
    conn = store._read()
    return parts.owner_at(conn, parts.physical(conn, doc_id), page)


def passage_around(store: Store, doc_id: str, page: int, start: int) -> tuple[int, int] | None:
    """(start, end) of the passage of ``doc_id`` whose span holds character ``start`` of ``page``."""
    doc_id = parts.physical(store._read(), doc_id)
    row = (
        store._read()
        .execute(
            """SELECT start_char, end_char FROM passages WHERE doc_id = :d AND page = :p
           AND start_char <= :s AND end_char > :s ORDER BY start_char LIMIT 1""",
            {"d": doc_id, "p": page, "s": start},
        )
        .fetchone()
    )
    return None if row is None else (row[0], row[1])


def add_tag(store: Store, doc_id: str, page: int, start: int, end: int, name: str, note: str | None) -> Tag:
    """Tag a document or a span; tagging it again with the same name replaces the note."""
    with store._transaction() as conn:
        conn.execute(
            """INSERT INTO tags (doc_id, page, start_char, end_char, name, note, created_at)
               VALUES (:d, :p, :s, :e, :n, :note, :at)
               ON CONFLICT (doc_id, page, start_char, name) DO UPDATE SET note = coalesce(:note, note)""",
            {"d": doc_id, "p": page, "s": start, "e": end, "n": name, "note": note, "at": casefile.now()},
        )
        row = conn.execute(
            "SELECT * FROM tags WHERE doc_id = :d AND page = :p AND start_char = :s AND name = :n",
            {"d": doc_id, "p": page, "s": start, "n": name},
        ).fetchone()
    return _tag(row)


def remove_tag(store: Store, doc_id: str, page: int, start: int, name: str) -> int:
    with store._transaction() as conn:
        cursor = conn.execute(
            "DELETE FROM tags WHERE doc_id = :d AND page = :p AND start_char = :s AND name = :n",
            {"d": doc_id, "p": page, "s": start, "n": name},
        )
    return cursor.rowcount


def tags(store: Store, name: str | None = None, doc_id: str | None = None) -> list[Tag]:
    try:
        rows = store._read().execute(
            """SELECT * FROM tags WHERE (:n IS NULL OR name = :n) AND (:d IS NULL OR doc_id = :d)
               ORDER BY name, doc_id, page, start_char""",
            {"n": name, "d": doc_id},
        )
        return [_tag(r) for r in rows]
    except sqlite3.OperationalError:  # a read-only case file from before the workbench
        return []


def tag_names(store: Store) -> list[str]:
    return sorted({t.name for t in tags(store)})


def _tag(r: sqlite3.Row) -> Tag:
    return Tag(r["id"], r["doc_id"], r["page"], r["start_char"], r["end_char"], r["name"], r["note"], r["created_at"])

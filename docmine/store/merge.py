"""Merging case files: the SQL that copies another case file's documents into this one.

Documents are deduplicated by id (a hash of the file's bytes); passages, mentions and claims get new ids in
the source's order, sources taken in the order given, so merging the case files of a folder's parts numbers
claims as one ingest of the folder would. Embeddings are kept (keyed by content hash and model).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from docmine.errors import CaseFileDamaged, StoreError
from docmine.store import casefile
from docmine.store.migrations import READABLE_FROM

# A stored copy in one of these states is replaced by a better one from a later case file.
RETRIED = ("failed", "needs_ocr")
RENUMBERED = ("passages", "mentions", "claims")


@dataclass(frozen=True)
class MergeCounts:
    documents: int
    duplicates: int
    passages: int
    embeddings: int


def check_source(source: Path) -> None:
    """Refuse a file this store cannot merge: another program's database, an empty file, an old case file."""
    hint = "merge takes case files made by docmine: leave this one out"
    try:
        version = casefile.inspect(source)
    except CaseFileDamaged:
        raise
    except StoreError as exc:
        raise StoreError(exc.message, hint) from None
    if version == 0:
        raise StoreError(f"{source} is empty", hint)
    if version < READABLE_FROM:
        raise StoreError(f"{source} is not a case file docmine can merge", "open it once with docmine to upgrade it")


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")]


def merge_into(conn: sqlite3.Connection, source: Path) -> MergeCounts:
    """Copy ``source``'s documents that ``conn``'s case file lacks (or holds as failed), in one transaction."""
    conn.execute("ATTACH DATABASE :path AS src", {"path": str(source)})  # not allowed inside a transaction
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            counts = _merge(conn)
        except BaseException:
            if conn.in_transaction:  # SQLite ends the transaction itself on some errors (a full disk, I/O)
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.execute("DROP TABLE IF EXISTS temp.taken")
        conn.execute("DETACH DATABASE src")
    return counts


def _merge(conn: sqlite3.Connection) -> MergeCounts:
    retried = ", ".join(f"'{s}'" for s in RETRIED)
    conn.execute(  # cascades to the stored copy's pages, passages and facts
        f"""DELETE FROM main.documents WHERE status IN ({retried})
            AND doc_id IN (SELECT doc_id FROM src.documents WHERE status NOT IN ({retried}))"""
    )
    conn.execute(
        """CREATE TEMP TABLE taken AS SELECT doc_id FROM src.documents
           WHERE doc_id NOT IN (SELECT doc_id FROM main.documents) ORDER BY rowid"""
    )
    documents = conn.execute("SELECT count(*) FROM temp.taken").fetchone()[0]
    duplicates = conn.execute("SELECT count(*) FROM src.documents").fetchone()[0] - documents
    # The other machine's path of a document stored here already: a copy, as a second ingest records it.
    conn.execute(
        """INSERT OR IGNORE INTO main.copies (path, doc_id, seen_at)
           SELECT s.path, s.doc_id, s.ingested_at FROM src.documents s JOIN main.documents m USING (doc_id)
           WHERE s.doc_id NOT IN (SELECT doc_id FROM temp.taken) AND s.path != m.path"""
    )
    for table in ("documents", "pages", *RENUMBERED):
        cols = ", ".join(c for c in columns(conn, table) if not (table in RENUMBERED and c == "id"))
        order = "id" if table in RENUMBERED else "rowid"
        conn.execute(
            f"""INSERT INTO main.{table} ({cols}) SELECT {cols} FROM src.{table}
                WHERE doc_id IN (SELECT doc_id FROM temp.taken) ORDER BY {order}"""
        )
    passages = conn.execute(
        "SELECT count(*) FROM src.passages WHERE doc_id IN (SELECT doc_id FROM temp.taken)"
    ).fetchone()[0]
    conn.execute(
        """INSERT OR IGNORE INTO main.copies (path, doc_id, seen_at)
           SELECT path, doc_id, seen_at FROM src.copies WHERE doc_id IN (SELECT doc_id FROM main.documents)"""
    )
    before = conn.execute("SELECT count(*) FROM main.embeddings").fetchone()[0]
    conn.execute(
        """INSERT OR IGNORE INTO main.embeddings (content_hash, model, dim, vector)
           SELECT content_hash, model, dim, vector FROM src.embeddings
           WHERE content_hash IN (SELECT content_hash FROM main.passages)"""
    )
    embeddings = conn.execute("SELECT count(*) FROM main.embeddings").fetchone()[0] - before
    return MergeCounts(documents, duplicates, passages, embeddings)


def optimise_text_index(conn: sqlite3.Connection) -> None:
    """Merge the full-text index's segments, written row by row by its triggers, into one."""
    conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('optimize')")

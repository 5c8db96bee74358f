"""Saved searches and the hits each one has reported, so a re-run after an ingest tells only what is new."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from docmine.errors import QueryError
from docmine.model import SavedSearch, SourceRef
from docmine.store import casefile

if TYPE_CHECKING:
    from docmine.store.store import Store


def add_search(store: Store, query: str, filters: dict[str, str]) -> SavedSearch:
    with store._transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO saved_searches (query, filters, created_at) VALUES (:q, :f, :at)",
            {"q": query, "f": json.dumps(filters, ensure_ascii=False, sort_keys=True), "at": casefile.now()},
        )
        row = conn.execute("SELECT * FROM saved_searches WHERE id = :id", {"id": cursor.lastrowid}).fetchone()
    return _search(row)


def searches(store: Store) -> list[SavedSearch]:
    try:
        return [_search(r) for r in store._read().execute("SELECT * FROM saved_searches ORDER BY id")]
    except sqlite3.OperationalError:  # a read-only case file from before the workbench
        return []


def remove_search(store: Store, search_id: int) -> None:
    with store._transaction() as conn:
        cursor = conn.execute("DELETE FROM saved_searches WHERE id = :id", {"id": search_id})
        if cursor.rowcount == 0:
            raise QueryError(f"no saved search {search_id}", "list them with: docmine watch list")


def record_hits(store: Store, search_id: int, refs: Sequence[SourceRef]) -> list[SourceRef]:
    """Remember ``refs`` as reported by the search; returns those it had not reported before."""
    now = casefile.now()
    new: list[SourceRef] = []
    with store._transaction() as conn:
        # runs are numbered per search: the last report is the hits of the highest number
        run = conn.execute(
            "SELECT coalesce(max(run), 0) + 1 FROM saved_search_hits WHERE search_id = :id", {"id": search_id}
        ).fetchone()[0]
        for ref in refs:
            cursor = conn.execute(
                """INSERT OR IGNORE INTO saved_search_hits (search_id, doc_id, page, start_char, end_char, run, seen_at)
                   VALUES (:id, :d, :p, :s, :e, :run, :at)""",
                {"id": search_id, "d": ref.doc_id, "p": ref.page, "s": ref.start, "e": ref.end, "run": run, "at": now},
            )
            if cursor.rowcount:
                new.append(ref)
    return new


def last_reported(store: Store, search_id: int) -> list[SourceRef]:
    """The hits the search reported on its last run that found something new."""
    rows = store._read().execute(
        """SELECT doc_id, page, start_char, end_char FROM saved_search_hits WHERE search_id = :id
           AND run = (SELECT max(run) FROM saved_search_hits WHERE search_id = :id)
           ORDER BY doc_id, page, start_char""",
        {"id": search_id},
    )
    return [SourceRef(r[0], r[1], r[2], r[3]) for r in rows]


def _search(r: sqlite3.Row) -> SavedSearch:
    return SavedSearch(r["id"], r["query"], json.loads(r["filters"] or "{}"), r["created_at"])

"""The passage reads that search and embedding ask of the case file: passage rows by id, full-text candidates
with their term and passage counts, and passages with or without a vector (a mixin of ``StoreReader``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from docmine.errors import QueryError
from docmine.model import Filters, PassageRow
from docmine.store import codec
from docmine.store.filters import filter_sql
from docmine.store.memo import Memo


class PassageReader:
    # What these reads use of the rest of StoreReader (reader.py), declared for the type checker.
    if TYPE_CHECKING:

        def _read(self) -> sqlite3.Connection: ...

        def _parts(self) -> bool: ...

        def _facts(self, sql: str, **extra: str) -> str: ...

        def _scope(self, doc_id: str | None) -> dict[str, Any]: ...

    # -- passages and the full-text index -----------------------------------------------------------------

    def passages(self, ids: Iterable[int]) -> dict[int, PassageRow]:
        ids = list(ids)
        if not ids:
            return {}
        rows = self._read().execute(
            self._facts(
                """SELECT p.id, {owner_p} AS doc_id, p.page, p.start_char, p.end_char, p.text, p.terms,
                          d.path, {title} AS title, d.doc_type, {date} AS date
                   FROM passages p JOIN documents d ON d.doc_id = p.doc_id {join_p}
                   WHERE p.id IN ({ids})""",
                ids=",".join("?" * len(ids)),
            ),
            ids,
        )
        return {r["id"]: codec.passage_row(r) for r in rows}

    def _memo(self, name: str) -> dict[Any, Any]:
        """A table of values that holds until the case file changes (see store/memo.py)."""
        memo = getattr(self, "_memo_tables", None)
        if memo is None:
            memo = self._memo_tables = Memo()
        return memo.table(self._read(), name)

    def term_document_counts(self, terms: Iterable[str]) -> dict[str, int]:
        """How many passages hold each index term (FTS5's own statistics).

        fts5vocab stores no counts: it walks each term's postings, tens of milliseconds for the words of a long
        question at a million passages, and a search asks three times (key terms, candidate words, idf).
        """
        terms = list(dict.fromkeys(terms))
        known = self._memo("term documents")
        missing = [t for t in terms if t not in known]
        if missing:
            rows = self._read().execute(
                f"SELECT term, doc FROM passages_vocab WHERE term IN ({','.join('?' * len(missing))})", missing
            )
            found = {r[0]: r[1] for r in rows}
            known.update({t: found.get(t, 0) for t in missing})
        return {t: known[t] for t in terms}

    def passage_count(self) -> int:
        """Number of passages, from the largest id (constant time, unlike count(*))."""
        return int(self._read().execute("SELECT max(id) FROM passages").fetchone()[0] or 0)

    def passages_per_document(self, doc_ids: Iterable[str]) -> dict[str, int]:
        """How many passages each of these documents has (a split-out Woo document counts its own pages only)."""
        conn = self._read()
        wanted = list(dict.fromkeys(doc_ids))
        known = self._memo("document passages")
        files = [d for d in wanted if "#" not in d and d not in known]
        if files:
            known.update(dict.fromkeys(files, 0))
            rows = conn.execute(
                f"SELECT doc_id, count(*) FROM passages WHERE doc_id IN ({','.join('?' * len(files))}) GROUP BY doc_id",
                files,
            )
            known.update({r[0]: r[1] for r in rows})
        for doc in (d for d in wanted if d not in known):
            sql = "SELECT count(*) FROM passages WHERE doc_id = :doc AND page BETWEEN :lo AND :hi"
            known[doc] = conn.execute(sql, self._scope(doc)).fetchone()[0]
        return {d: known[d] for d in wanted}

    def fts_candidates(self, match: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """Passage ids and BM25 scores (higher is better) for an already-escaped FTS5 expression."""
        where, params = filter_sql(filters, self._parts())
        params.update({"match": match, "limit": limit})
        sql = f"""SELECT f.rowid AS id, -bm25(passages_fts) AS score FROM passages_fts f
                  {"JOIN passages p ON p.id = f.rowid JOIN documents d ON d.doc_id = p.doc_id" if where else ""}
                  WHERE passages_fts MATCH :match {where}
                  ORDER BY bm25(passages_fts) LIMIT :limit"""
        try:
            return [(r[0], r[1]) for r in self._read().execute(sql, params)]
        except sqlite3.OperationalError as exc:
            raise QueryError(f"the search index rejected the query ({exc})", "simplify the query") from exc

    def passage_ids(self, filters: Filters) -> list[int] | None:
        """Ids of passages the filters allow, or None when there are no filters (everything)."""
        where, params = filter_sql(filters, self._parts())
        if not where:
            return None
        sql = f"SELECT p.id FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE 1 {where}"
        return [r[0] for r in self._read().execute(sql, params)]

    def all_passage_ids(self) -> list[int]:
        return [r[0] for r in self._read().execute("SELECT id FROM passages ORDER BY id")]

    # -- embeddings ---------------------------------------------------------------------------------------

    def unembedded(self, model: str, limit: int) -> list[tuple[str, str]]:
        """(content hash, text) of passages with no embedding for ``model`` yet, each text once."""
        rows = self._read().execute(
            """SELECT p.content_hash, min(p.text) FROM passages p
               WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.content_hash = p.content_hash AND e.model = :m)
               GROUP BY p.content_hash LIMIT :n""",
            {"m": model, "n": limit},
        )
        return [(r[0], r[1]) for r in rows]

    def count_unembedded(self, model: str) -> tuple[int, int]:
        """(passages without an embedding for ``model``, all passages)."""
        embedded, total = self._embedded(model)
        return total - embedded, total

    def _embedded(self, model: str) -> tuple[int, int]:
        """(passages with a vector for ``model``, all passages). A scan of every passage (about 0.2 s at a million),
        asked before every search: kept until the case file changes."""
        known = self._memo("embedded")
        if model not in known:
            row = (
                self._read()
                .execute(
                    """SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM embeddings e
                          WHERE e.content_hash = p.content_hash AND e.model = :m)), count(*)
                   FROM passages p""",
                    {"m": model},
                )
                .fetchone()
            )
            known[model] = (int(row[0]), int(row[1]))
        return known[model]

    def passage_vectors(self, model: str, after_id: int = 0, batch: int = 5000) -> Iterator[tuple[int, bytes]]:
        """(passage id, float32 bytes) for every embedded passage, in id order."""
        last = after_id
        while True:
            rows = (
                self._read()
                .execute(
                    """SELECT p.id, e.vector FROM passages p JOIN embeddings e
                   ON e.content_hash = p.content_hash AND e.model = :m
                   WHERE p.id > :last ORDER BY p.id LIMIT :n""",
                    {"m": model, "last": last, "n": batch},
                )
                .fetchall()
            )
            if not rows:
                return
            yield from ((r[0], r[1]) for r in rows)
            last = rows[-1][0]

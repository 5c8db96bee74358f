"""Store: the one owner of the sqlite3 connection and of every SQL string in docmine.

WAL mode, foreign keys on, one ``with self._conn`` transaction per write, so Ctrl-C or a crash never leaves
half a document behind. Named parameters everywhere; user text reaches FTS5 only through search/query.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from docmine.errors import DocumentNotFound, QueryError, StoreError
from docmine.model import Claim, DocInfo, Document, Filters, Mention, Page, Passage, SourceRef, Word
from docmine.store.migrations import MIGRATIONS

_WORD_FIELDS = 6


def encode_words(words: Sequence[Word]) -> bytes | None:
    if not words:
        return None
    flat = array("f")
    for w in words:
        flat.extend((w.start, w.end, w.x0, w.top, w.x1, w.bottom))
    return flat.tobytes()


def decode_words(blob: bytes | None) -> tuple[Word, ...]:
    if not blob:
        return ()
    flat = array("f")
    flat.frombytes(blob)
    return tuple(
        Word(int(flat[i]), int(flat[i + 1]), flat[i + 2], flat[i + 3], flat[i + 4], flat[i + 5])
        for i in range(0, len(flat), _WORD_FIELDS)
    )


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path

    @classmethod
    def open(cls, path: Path | str) -> Store:
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a case file", "pass a file name, e.g. --db case.db")
        if path.exists() and path.stat().st_size > 0:
            with open(path, "rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise StoreError(f"{path} is not a docmine case file", "choose another --db path")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("PRAGMA cache_size=-65536")  # 64 MB of page cache: the FTS index stays warm
            conn.execute("PRAGMA mmap_size=268435456")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open case file {path}: {exc}", "check the path and its permissions") from exc
        store = cls(conn, path)
        store._migrate()
        return store

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- schema -------------------------------------------------------------------------------------------

    def _migrate(self) -> None:
        with self._lock:
            try:
                self._conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations "
                    "(version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
                done = {row[0] for row in self._conn.execute("SELECT version FROM schema_migrations")}
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path} is not a docmine case file ({exc})", "choose another --db path") from exc
            known = max((v for v, _, _ in MIGRATIONS), default=0)
            if done and max(done) > known:
                raise StoreError(f"{self.path} was written by a newer docmine (schema {max(done)})", "upgrade docmine")
            for version, description, sql in MIGRATIONS:
                if version in done:
                    continue
                self._conn.execute("BEGIN")
                try:
                    for statement in _statements(sql):
                        self._conn.execute(statement)
                    self._conn.execute(
                        "INSERT INTO schema_migrations (version, description, applied_at) VALUES (:v, :d, :t)",
                        {"v": version, "d": description, "t": _now()},
                    )
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise

    def schema_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] or 0)

    # -- writing ------------------------------------------------------------------------------------------

    def status_of(self, doc_id: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT status FROM documents WHERE doc_id = :d", {"d": doc_id}).fetchone()
        return row[0] if row else None

    def path_of(self, doc_id: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT path FROM documents WHERE doc_id = :d", {"d": doc_id}).fetchone()
        return row[0] if row else None

    def add_document(
        self,
        doc: Document,
        passages: Sequence[Passage],
        terms: Sequence[str],
        mentions: Sequence[Mention] = (),
        claims: Sequence[Claim] = (),
    ) -> None:
        """Insert (or replace) a document with its pages, passages, mentions and claims in one transaction."""
        with self._lock, _transaction(self._conn):
            self._conn.execute("DELETE FROM documents WHERE doc_id = :d", {"d": doc.doc_id})
            self._conn.execute(
                """INSERT INTO documents (doc_id, path, title, doc_type, date, publisher, municipality, size, format,
                       page_count, status, error, notes, ingested_at)
                   VALUES (:doc_id, :path, :title, :doc_type, :date, :publisher, :municipality, :size, :format,
                       :page_count, :status, :error, :notes, :ingested_at)""",
                {
                    "doc_id": doc.doc_id,
                    "path": doc.path,
                    "title": doc.title,
                    "doc_type": doc.doc_type,
                    "date": doc.date,
                    "publisher": doc.publisher,
                    "municipality": doc.municipality,
                    "size": doc.size,
                    "format": doc.format,
                    "page_count": doc.n_pages,
                    "status": doc.status,
                    "error": doc.error,
                    "notes": json.dumps(list(doc.notes), ensure_ascii=False),
                    "ingested_at": _now(),
                },
            )
            self._conn.executemany(
                """INSERT INTO pages (doc_id, number, text, width, height, ocr, ocr_confidence, needs_ocr, words)
                   VALUES (:doc_id, :number, :text, :width, :height, :ocr, :conf, :needs_ocr, :words)""",
                (
                    {
                        "doc_id": doc.doc_id,
                        "number": p.number,
                        "text": p.text,
                        "width": p.width,
                        "height": p.height,
                        "ocr": int(p.ocr),
                        "conf": p.ocr_confidence,
                        "needs_ocr": int(p.needs_ocr),
                        "words": encode_words(p.words),
                    }
                    for p in doc.pages
                ),
            )
            self._conn.executemany(
                """INSERT INTO passages (doc_id, page, start_char, end_char, text, terms, content_hash)
                   VALUES (:doc_id, :page, :start, :end, :text, :terms, :hash)""",
                (
                    {
                        "doc_id": p.doc_id,
                        "page": p.page,
                        "start": p.start,
                        "end": p.end,
                        "text": p.text,
                        "terms": t,
                        "hash": content_hash(p.text),
                    }
                    for p, t in zip(passages, terms, strict=True)
                ),
            )
            self._conn.execute(
                "INSERT OR REPLACE INTO copies (path, doc_id, seen_at) VALUES (:p, :d, :t)",
                {"p": doc.path, "d": doc.doc_id, "t": _now()},
            )
            self._insert_facts(mentions, claims)

    def replace_facts(self, doc_id: str, mentions: Sequence[Mention], claims: Sequence[Claim]) -> None:
        """Swap a document's mentions and claims (after the pipeline changed) in one transaction."""
        with self._lock, _transaction(self._conn):
            self._conn.execute("DELETE FROM mentions WHERE doc_id = :d", {"d": doc_id})
            self._conn.execute("DELETE FROM claims WHERE doc_id = :d", {"d": doc_id})
            self._insert_facts(mentions, claims)

    def _insert_facts(self, mentions: Sequence[Mention], claims: Sequence[Claim]) -> None:
        self._conn.executemany(
            """INSERT INTO mentions (doc_id, page, start_char, end_char, label, text, value, value_num, canonical,
                   entity_key)
               VALUES (:doc_id, :page, :start, :end, :label, :text, :value, :num, :canonical, :key)""",
            (
                {
                    "doc_id": m.ref.doc_id,
                    "page": m.ref.page,
                    "start": m.ref.start,
                    "end": m.ref.end,
                    "label": m.label,
                    "text": m.text,
                    "value": None if m.value is None else str(m.value),
                    "num": float(m.value) if isinstance(m.value, int | float) else None,
                    "canonical": m.canonical,
                    "key": entity_key(m),
                }
                for m in mentions
            ),
        )
        self._conn.executemany(
            """INSERT INTO claims (doc_id, page, start_char, end_char, sentence, kind, speaker, claim_values)
               VALUES (:doc_id, :page, :start, :end, :sentence, :kind, :speaker, :vals)""",
            (
                {
                    "doc_id": c.ref.doc_id,
                    "page": c.ref.page,
                    "start": c.ref.start,
                    "end": c.ref.end,
                    "sentence": c.sentence,
                    "kind": c.kind,
                    "speaker": c.speaker,
                    "vals": json.dumps(list(c.values), ensure_ascii=False),
                }
                for c in claims
            ),
        )

    def doc_ids(self, statuses: tuple[str, ...] = ("ok", "partial")) -> list[str]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT doc_id FROM documents WHERE status IN ({','.join('?' * len(statuses))}) ORDER BY ingested_at",
                statuses,
            ).fetchall()
        return [r[0] for r in rows]

    def mentions(
        self,
        label: str | None = None,
        doc_id: str | None = None,
        municipality: str | None = None,
        entity: str | None = None,
        limit: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Mentions with their anchors and documents, in document and page order."""
        sql = f"""SELECT m.doc_id, d.path, d.title, d.date AS doc_date, m.page, m.start_char AS start,
                        m.end_char AS end, m.label, m.text, m.value, m.value_num, m.canonical, m.entity_key
                 FROM mentions m JOIN documents d ON d.doc_id = m.doc_id
                 WHERE (:label IS NULL OR m.label = :label) AND (:doc IS NULL OR m.doc_id = :doc)
                   AND (:entity IS NULL OR m.entity_key = :entity OR m.canonical = :entity OR m.value = :entity)
                   {_MUNICIPALITY_DOCS if municipality else ""}
                 ORDER BY d.ingested_at, m.doc_id, m.page, m.start_char
                 {"LIMIT :limit" if limit else ""}"""
        params = {"label": label, "doc": doc_id, "muni": municipality, "entity": entity, "limit": limit}
        yield from self._stream(sql, params)

    def entities(
        self, label: str | None = None, doc_id: str | None = None, municipality: str | None = None
    ) -> list[dict[str, Any]]:
        """One row per entity: label, key, name, value, mention and document counts, most mentioned first."""
        sql = f"""SELECT m.label, m.entity_key, max(coalesce(m.canonical, m.text)) AS name, max(m.value) AS value,
                        max(m.value_num) AS value_num, count(*) AS mentions, count(DISTINCT m.doc_id) AS documents,
                        min(d.date) AS first_date, max(d.date) AS last_date
                 FROM mentions m JOIN documents d ON d.doc_id = m.doc_id
                 WHERE (:label IS NULL OR m.label = :label) AND (:doc IS NULL OR m.doc_id = :doc)
                   {_MUNICIPALITY_DOCS if municipality else ""}
                 GROUP BY m.label, m.entity_key ORDER BY mentions DESC, m.label, name"""
        with self._lock:
            rows = self._conn.execute(sql, {"label": label, "doc": doc_id, "muni": municipality}).fetchall()
        return [dict(r) for r in rows]

    def claims(self, doc_id: str | None = None, municipality: str | None = None) -> list[Claim]:
        sql = f"""SELECT m.id, m.doc_id, m.page, m.start_char, m.end_char, m.sentence, m.kind, m.speaker,
                        m.claim_values FROM claims m JOIN documents d ON d.doc_id = m.doc_id
                 WHERE (:doc IS NULL OR m.doc_id = :doc) {_MUNICIPALITY_DOCS if municipality else ""}
                 ORDER BY d.date, m.doc_id, m.page, m.start_char"""
        with self._lock:
            rows = self._conn.execute(sql, {"doc": doc_id, "muni": municipality}).fetchall()
        return [_claim(r) for r in rows]

    def claim(self, claim_id: int) -> Claim:
        with self._lock:
            row = self._conn.execute(
                "SELECT id, doc_id, page, start_char, end_char, sentence, kind, speaker, claim_values FROM claims "
                "WHERE id = :id",
                {"id": claim_id},
            ).fetchone()
        if row is None:
            raise DocumentNotFound(f"no claim {claim_id}", "list claims with `docmine claims`")
        return _claim(row)

    def iter_table(self, table: str) -> Iterator[dict[str, Any]]:
        """Rows of an exportable table, streamed in batches (no row cap, flat memory)."""
        if table == "mentions":
            yield from self.mentions()
            return
        if table == "entities":
            yield from self.entities()
            return
        sql = _EXPORT_SQL.get(table)
        if sql is None:
            raise QueryError(f"unknown table {table!r}", "one of: " + ", ".join(EXPORT_TABLES))
        yield from self._stream(sql, {})

    def _stream(self, sql: str, params: dict[str, Any], batch: int = 2000) -> Iterator[dict[str, Any]]:
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute(sql, params)
        try:
            while True:
                with self._lock:
                    rows = cursor.fetchmany(batch)
                if not rows:
                    return
                for row in rows:
                    yield dict(row)
        finally:
            cursor.close()

    def add_copy(self, path: str, doc_id: str) -> None:
        with self._lock, _transaction(self._conn):
            self._conn.execute(
                "INSERT OR REPLACE INTO copies (path, doc_id, seen_at) VALUES (:p, :d, :t)",
                {"p": path, "d": doc_id, "t": _now()},
            )

    # -- reading ------------------------------------------------------------------------------------------

    def resolve(self, doc_id: str) -> str:
        """A full document id from a unique prefix (people type the first 8-12 characters)."""
        prefix = doc_id.strip().lower()
        if len(prefix) < 4 or not all(c in "0123456789abcdef" for c in prefix):
            raise DocumentNotFound(
                f"no document {doc_id!r}", "use an id (or its first 8 characters) from `docmine docs`"
            )
        with self._lock:
            rows = self._conn.execute(
                "SELECT doc_id FROM documents WHERE doc_id >= :lo AND doc_id < :hi LIMIT 2",
                {"lo": prefix, "hi": prefix + "g"},
            ).fetchall()
        if not rows:
            raise DocumentNotFound(
                f"no document {doc_id!r}", "use an id (or its first 8 characters) from `docmine docs`"
            )
        if len(rows) > 1:
            raise DocumentNotFound(f"document id {doc_id!r} is ambiguous", "type more characters of the id")
        return str(rows[0][0])

    def document(self, doc_id: str) -> DocInfo:
        full = self.resolve(doc_id)
        with self._lock:
            row = self._conn.execute("SELECT * FROM documents WHERE doc_id = :d", {"d": full}).fetchone()
        return _docinfo(row)

    def documents(self, status: str | None = None) -> list[DocInfo]:
        """Documents in ingest order; copies of a document under another path are listed as 'duplicate'."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT * FROM documents WHERE (:s IS NULL OR status = :s) ORDER BY ingested_at, path", {"s": status}
            ).fetchall()
            out = [_docinfo(r) for r in rows]
            if status in (None, "duplicate"):
                dups = self._conn.execute(
                    """SELECT d.*, c.path AS copy_path, c.seen_at AS copy_seen FROM copies c
                       JOIN documents d ON d.doc_id = c.doc_id WHERE c.path != d.path ORDER BY c.seen_at, c.path"""
                ).fetchall()
                for r in dups:
                    info = _docinfo(r)
                    out.append(
                        DocInfo(
                            **{
                                **_asdict(info),
                                "path": r["copy_path"],
                                "status": "duplicate",
                                "error": f"same bytes as {info.path}",
                                "ingested_at": r["copy_seen"],
                            }
                        )
                    )
        return out

    def page(self, doc_id: str, number: int) -> Page:
        with self._lock:
            row = self._conn.execute(
                "SELECT * FROM pages WHERE doc_id = :d AND number = :n", {"d": doc_id, "n": number}
            ).fetchone()
        if row is None:
            raise DocumentNotFound(f"document {doc_id[:12]} has no page {number}", "see `docmine docs` for page counts")
        return Page(
            number=row["number"],
            text=row["text"],
            width=row["width"],
            height=row["height"],
            words=decode_words(row["words"]),
            ocr=bool(row["ocr"]),
            ocr_confidence=row["ocr_confidence"],
            needs_ocr=bool(row["needs_ocr"]),
        )

    def page_numbers(self, doc_id: str) -> list[int]:
        with self._lock:
            return [
                r[0]
                for r in self._conn.execute("SELECT number FROM pages WHERE doc_id = :d ORDER BY number", {"d": doc_id})
            ]

    def pages(self, doc_id: str) -> list[Page]:
        return [self.page(doc_id, n) for n in self.page_numbers(doc_id)]

    def passages(self, ids: Iterable[int]) -> dict[int, sqlite3.Row]:
        ids = list(ids)
        if not ids:
            return {}
        with self._lock:
            rows = self._conn.execute(
                f"""SELECT p.id, p.doc_id, p.page, p.start_char, p.end_char, p.text, p.terms,
                          d.path, d.title, d.doc_type, d.date
                   FROM passages p JOIN documents d ON d.doc_id = p.doc_id
                   WHERE p.id IN ({",".join("?" * len(ids))})""",
                ids,
            ).fetchall()
        return {r["id"]: r for r in rows}

    def iter_passages(self, batch: int = 1000) -> Iterator[sqlite3.Row]:
        last = 0
        while True:
            with self._lock:
                rows = self._conn.execute(
                    "SELECT id, doc_id, page, start_char, end_char, text FROM passages WHERE id > :last "
                    "ORDER BY id LIMIT :n",
                    {"last": last, "n": batch},
                ).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1]["id"]

    def term_document_counts(self, terms: Iterable[str]) -> dict[str, int]:
        """How many passages hold each index term (FTS5's own statistics)."""
        terms = list(dict.fromkeys(terms))
        if not terms:
            return {}
        with self._lock:
            rows = self._conn.execute(
                f"SELECT term, doc FROM passages_vocab WHERE term IN ({','.join('?' * len(terms))})", terms
            ).fetchall()
        found = {r[0]: r[1] for r in rows}
        return {t: found.get(t, 0) for t in terms}

    def passage_count(self) -> int:
        """Number of passages, from the index statistics (constant time, unlike count(*))."""
        with self._lock:
            row = self._conn.execute("SELECT max(id) FROM passages").fetchone()
        return int(row[0] or 0)

    def fts_candidates(self, match: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """Passage ids and BM25 scores (higher is better) for an already-escaped FTS5 expression."""
        where, params = _filter_sql(filters)
        params.update({"match": match, "limit": limit})
        sql = f"""SELECT f.rowid AS id, -bm25(passages_fts) AS score FROM passages_fts f
                  {"JOIN passages p ON p.id = f.rowid JOIN documents d ON d.doc_id = p.doc_id" if where else ""}
                  WHERE passages_fts MATCH :match {where}
                  ORDER BY bm25(passages_fts) LIMIT :limit"""
        try:
            with self._lock:
                return [(r[0], r[1]) for r in self._conn.execute(sql, params)]
        except sqlite3.OperationalError as exc:
            raise QueryError(f"the search index rejected the query ({exc})", "simplify the query") from exc

    # -- embeddings ---------------------------------------------------------------------------------------

    def unembedded(self, model: str, limit: int) -> list[tuple[str, str]]:
        """(content hash, text) of passages with no embedding for ``model`` yet, each text once."""
        with self._lock:
            rows = self._conn.execute(
                """SELECT p.content_hash, min(p.text) FROM passages p
                   WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.content_hash = p.content_hash
                                     AND e.model = :m)
                   GROUP BY p.content_hash LIMIT :n""",
                {"m": model, "n": limit},
            ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def count_unembedded(self, model: str) -> tuple[int, int]:
        """(passages without an embedding for ``model``, all passages)."""
        with self._lock:
            missing = self._conn.execute(
                """SELECT count(*) FROM passages p WHERE NOT EXISTS (SELECT 1 FROM embeddings e
                   WHERE e.content_hash = p.content_hash AND e.model = :m)""",
                {"m": model},
            ).fetchone()[0]
            total = self._conn.execute("SELECT count(*) FROM passages").fetchone()[0]
        return int(missing), int(total)

    def add_embeddings(self, model: str, hashes: Sequence[str], vectors: Any) -> None:
        """Store float32 vectors (rows of ``vectors``) under their content hashes, in one transaction."""
        with self._lock, _transaction(self._conn):
            self._conn.executemany(
                "INSERT OR REPLACE INTO embeddings (content_hash, model, dim, vector) VALUES (:h, :m, :d, :v)",
                (
                    {"h": h, "m": model, "d": int(v.shape[0]), "v": v.astype("<f4").tobytes()}
                    for h, v in zip(hashes, vectors, strict=True)
                ),
            )

    def passage_vectors(self, model: str, after_id: int = 0, batch: int = 5000) -> Iterator[tuple[int, bytes]]:
        """(passage id, float32 bytes) for every embedded passage, in id order."""
        last = after_id
        while True:
            with self._lock:
                rows = self._conn.execute(
                    """SELECT p.id, e.vector FROM passages p JOIN embeddings e
                       ON e.content_hash = p.content_hash AND e.model = :m
                       WHERE p.id > :last ORDER BY p.id LIMIT :n""",
                    {"m": model, "last": last, "n": batch},
                ).fetchall()
            if not rows:
                return
            yield from ((r[0], r[1]) for r in rows)
            last = rows[-1][0]

    def passage_ids(self, filters: Filters) -> list[int] | None:
        """Ids of passages the filters allow, or None when there are no filters (everything)."""
        where, params = _filter_sql(filters)
        if not where:
            return None
        with self._lock:
            rows = self._conn.execute(
                f"SELECT p.id FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE 1 {where}", params
            ).fetchall()
        return [r[0] for r in rows]

    def all_passage_ids(self) -> list[int]:
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT id FROM passages ORDER BY id")]

    def mentions_in(self, doc_id: str, page: int, start: int, end: int) -> list[dict[str, Any]]:
        """Mentions inside a span of a page."""
        with self._lock:
            rows = self._conn.execute(
                """SELECT label, text, value, value_num, canonical, entity_key, start_char, end_char FROM mentions
                   WHERE doc_id = :d AND page = :p AND start_char >= :s AND end_char <= :e ORDER BY start_char""",
                {"d": doc_id, "p": page, "s": start, "e": end},
            ).fetchall()
        return [dict(r) for r in rows]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            q = self._conn.execute
            by_status = dict(q("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
            dup = q("SELECT count(*) FROM copies c JOIN documents d USING (doc_id) WHERE c.path != d.path").fetchone()
            return {
                "documents": sum(by_status.values()),
                "by_status": by_status | ({"duplicate": dup[0]} if dup[0] else {}),
                "by_type": dict(
                    q(
                        "SELECT doc_type, count(*) FROM documents WHERE status != 'failed' "
                        "GROUP BY doc_type ORDER BY count(*) DESC"
                    ).fetchall()
                ),
                "pages": q("SELECT count(*) FROM pages").fetchone()[0],
                "ocr_pages": q("SELECT count(*) FROM pages WHERE ocr = 1").fetchone()[0],
                "passages": q("SELECT count(*) FROM passages").fetchone()[0],
                "mentions": q("SELECT count(*) FROM mentions").fetchone()[0],
                "entities": q("SELECT count(DISTINCT label || ':' || entity_key) FROM mentions").fetchone()[0],
                "claims": q("SELECT count(*) FROM claims").fetchone()[0],
                "characters": q("SELECT coalesce(sum(length(text)), 0) FROM pages").fetchone()[0],
                "date_range": tuple(q("SELECT min(date), max(date) FROM documents WHERE date IS NOT NULL").fetchone()),
                "schema": self.schema_version(),
                "size_bytes": self.path.stat().st_size if self.path.exists() else 0,
            }


_MUNICIPALITY_DOCS = """AND (d.municipality = :muni OR EXISTS (SELECT 1 FROM mentions mm WHERE mm.doc_id = d.doc_id
                         AND mm.label = 'MUNICIPALITY' AND mm.value = :muni))"""

EXPORT_TABLES = ("documents", "pages", "passages", "mentions", "entities", "claims")
_EXPORT_SQL = {
    "documents": """SELECT doc_id, path, title, doc_type, date, publisher, municipality, size, format,
                           page_count, status, error, ingested_at FROM documents ORDER BY ingested_at, doc_id""",
    "pages": """SELECT p.doc_id, d.path, p.number AS page, p.ocr, p.ocr_confidence, p.needs_ocr,
                       length(p.text) AS characters, p.text
                FROM pages p JOIN documents d USING (doc_id) ORDER BY d.ingested_at, p.doc_id, p.number""",
    "passages": """SELECT p.id AS passage_id, p.doc_id, d.path, p.page, p.start_char AS start, p.end_char AS end,
                          p.text FROM passages p JOIN documents d USING (doc_id) ORDER BY p.id""",
    "claims": """SELECT c.id AS claim_id, c.doc_id, d.path, d.date AS doc_date, c.page, c.start_char AS start,
                        c.end_char AS end, c.kind, c.speaker, c.sentence, c.claim_values AS "values"
                 FROM claims c JOIN documents d USING (doc_id) ORDER BY c.id""",
}


def entity_key(m: Mention) -> str:
    """What makes two mentions the same entity: the code or normalised value, else the canonical name."""
    if m.label in ("MUNICIPALITY", "PROVINCE", "WOO_GROUND", "MONEY", "DATE") and m.value is not None:
        return str(m.value)
    return (m.canonical or m.text).strip().lower()


def _claim(r: sqlite3.Row) -> Claim:
    return Claim(
        ref=SourceRef(r["doc_id"], r["page"], r["start_char"], r["end_char"]),
        sentence=r["sentence"],
        kind=r["kind"],
        speaker=r["speaker"],
        values=tuple(json.loads(r["claim_values"] or "[]")),
        claim_id=r["id"],
    )


def _filter_sql(filters: Filters) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if filters.doc_types:
        clauses.append(f"d.doc_type IN ({_placeholders('t', filters.doc_types, params)})")
    if filters.since:
        clauses.append("d.date >= :since")
        params["since"] = filters.since
    if filters.until:
        clauses.append("d.date <= :until")
        params["until"] = filters.until + "\uffff"
    if filters.municipality:
        clauses.append(_MUNICIPALITY_DOCS.removeprefix("AND "))
        params["muni"] = filters.municipality
    if filters.labels:
        clauses.append(
            f"""EXISTS (SELECT 1 FROM mentions fm WHERE fm.doc_id = p.doc_id AND fm.page = p.page
                AND fm.start_char >= p.start_char AND fm.end_char <= p.end_char
                AND fm.label IN ({_placeholders("l", filters.labels, params)}))"""
        )
    if filters.entity:
        params["entity"] = filters.entity
        params["entity_key"] = filters.entity.strip().lower()
        clauses.append(
            """EXISTS (SELECT 1 FROM mentions fe WHERE fe.doc_id = p.doc_id AND fe.page = p.page
               AND fe.start_char >= p.start_char AND fe.end_char <= p.end_char
               AND (fe.entity_key = :entity_key OR fe.value = :entity OR lower(fe.canonical) = :entity_key))"""
        )
    if filters.doc_ids:
        clauses.append(f"d.doc_id IN ({_placeholders('d', filters.doc_ids, params)})")
    return ("AND " + " AND ".join(clauses)) if clauses else "", params


def _placeholders(prefix: str, values: Sequence[str], params: dict[str, Any]) -> str:
    """Named parameters for an IN list: adds them to ``params`` and returns ":t0, :t1, ..."."""
    names = []
    for i, value in enumerate(values):
        params[f"{prefix}{i}"] = value
        names.append(f":{prefix}{i}")
    return ", ".join(names)


class _transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __enter__(self) -> None:
        self._conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self._conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _statements(sql: str) -> list[str]:
    """Split a migration script at statement ends, keeping trigger bodies whole."""
    out: list[str] = []
    buf = ""
    for line in sql.strip().splitlines():
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def _asdict(info: DocInfo) -> dict[str, Any]:
    return {f: getattr(info, f) for f in DocInfo.__slots__}


def _docinfo(row: sqlite3.Row) -> DocInfo:
    return DocInfo(
        doc_id=row["doc_id"],
        path=row["path"],
        title=row["title"],
        doc_type=row["doc_type"],
        date=row["date"],
        publisher=row["publisher"],
        municipality=row["municipality"],
        size=row["size"],
        format=row["format"],
        page_count=row["page_count"],
        status=row["status"],
        error=row["error"],
        ingested_at=row["ingested_at"],
        notes=tuple(json.loads(row["notes"] or "[]")),
    )

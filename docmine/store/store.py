"""Store: the one owner of the case file's connections and of every SQL string in docmine.

One writer connection (a lock serialises its transactions, one ``BEGIN IMMEDIATE`` per write, so Ctrl-C or a
crash never leaves half a document behind) and a read connection per thread: in WAL mode readers run beside
the writer. A read-only case file (a share, a disc) opens for reading only.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docmine.errors import DiskFull, StoreError, is_disk_full
from docmine.model import Claim, Document, Mention, Passage, mention_key
from docmine.store import casefile, codec, merge
from docmine.store.codec import clean, clean_opt
from docmine.store.lock import RunLock
from docmine.store.migrations import LATEST, READABLE_FROM
from docmine.store.reader import EXPORT_TABLES, StoreReader
from docmine.store.woo import WooStore

__all__ = ["EXPORT_TABLES", "Store"]


class Store(StoreReader):
    def __init__(self, path: Path, writer: sqlite3.Connection | None, reader_uri: str) -> None:
        self.path = path
        self.readonly = writer is None
        self.backup_path: Path | None = None  # the copy written before an upgrade of the schema
        self._writer = writer
        self._write_lock = threading.RLock()
        self._reader_uri = reader_uri
        self._local = threading.local()
        self._readers: dict[threading.Thread, sqlite3.Connection] = {}
        self._readers_lock = threading.Lock()
        self._run_lock = RunLock(path)

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (or create) the case file at ``path``.

        Refuses, leaving the file as it was: a folder, a file that is not SQLite, another program's SQLite
        database, a case file of a newer docmine. An older case file is backed up beside itself, then upgraded.
        """
        path = Path(path)
        version = casefile.inspect(path)
        if not casefile.writable(path):
            if version == 0:
                raise StoreError(
                    f"cannot create a case file at {path}: the folder is read-only", "choose a writable folder"
                )
            if version < READABLE_FROM:
                raise StoreError(
                    f"{path} is read-only and has an old schema ({version}) that must be upgraded first",
                    "copy the case file to a writable folder and open it there once",
                )
            return cls(path, None, casefile.reader_uri(path, readonly=True))
        backup = casefile.backup(path, version) if 0 < version < LATEST else None
        writer = casefile.connect_writer(path)
        if version < LATEST:  # an up-to-date file needs no write lock to open, even while a run writes
            try:
                casefile.migrate(writer)
            except BaseException:
                writer.close()
                raise
        store = cls(path, writer, casefile.reader_uri(path, readonly=False))
        store.backup_path = backup
        return store

    @property
    def woo(self) -> WooStore:
        """The tables of Woo releases (docmine.store.woo)."""
        return WooStore(self)

    def close(self) -> None:
        with self._readers_lock:
            for conn in self._readers.values():
                conn.close()
            self._readers.clear()
        self._local = threading.local()
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None

    # -- connections --------------------------------------------------------------------------------------

    def _read(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = casefile.connect_reader(self._reader_uri, self.readonly)
            with self._readers_lock:
                # A worker thread that ended leaves its connection here: close those now.
                for thread in [t for t in self._readers if not t.is_alive()]:
                    self._readers.pop(thread).close()
                self._readers[threading.current_thread()] = conn
            self._local.conn = conn
        return conn

    def check_writable(self) -> None:
        """Raise StoreError when the case file cannot be written (a read-only file or folder)."""
        if self.readonly or self._writer is None:
            raise StoreError(
                f"the case file {self.path} is read-only: it can be searched and read, not added to",
                "copy it to a writable folder to add documents, entities or embeddings",
            )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.check_writable()
        assert self._writer is not None
        with self._write_lock:
            self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
                self._writer.execute("COMMIT")
            except BaseException as exc:
                if self._writer.in_transaction:  # SQLite may already have rolled back (a full disk does)
                    self._writer.execute("ROLLBACK")
                if is_disk_full(exc):
                    raise DiskFull(str(self.path)) from exc
                raise

    @contextmanager
    def exclusive(self, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the case file's run lock: a second run that adds to it waits (``waiting`` says so) until
        this one is done, then finds what this one stored."""
        self.check_writable()
        with self._run_lock.hold(waiting):
            yield

    # -- writing ------------------------------------------------------------------------------------------

    def add_document(
        self,
        doc: Document,
        passages: Sequence[Passage],
        terms: Sequence[str],
        mentions: Sequence[Mention] = (),
        claims: Sequence[Claim] = (),
    ) -> None:
        """Insert (or replace) a document with its pages, passages, mentions and claims in one transaction."""
        path = codec.path_value(doc.path)
        now = casefile.now()
        with self._transaction() as conn:
            conn.execute("DELETE FROM documents WHERE doc_id = :d", {"d": doc.doc_id})
            conn.execute(
                """INSERT INTO documents (doc_id, path, title, doc_type, date, publisher, municipality, size, format,
                       page_count, status, error, notes, ingested_at)
                   VALUES (:doc_id, :path, :title, :doc_type, :date, :publisher, :municipality, :size, :format,
                       :page_count, :status, :error, :notes, :ingested_at)""",
                {
                    "doc_id": doc.doc_id,
                    "path": path,
                    "title": clean(doc.title),
                    "doc_type": doc.doc_type,
                    "date": doc.date,
                    "publisher": clean_opt(doc.publisher),
                    "municipality": clean_opt(doc.municipality),
                    "size": doc.size,
                    "format": doc.format,
                    "page_count": doc.n_pages,
                    "status": doc.status,
                    "error": clean_opt(doc.error),
                    "notes": json.dumps([clean(n) for n in doc.notes], ensure_ascii=False),
                    "ingested_at": now,
                },
            )
            conn.executemany(
                """INSERT INTO pages (doc_id, number, text, width, height, ocr, ocr_confidence, needs_ocr, words)
                   VALUES (:doc_id, :number, :text, :width, :height, :ocr, :conf, :needs_ocr, :words)""",
                (
                    {
                        "doc_id": doc.doc_id,
                        "number": p.number,
                        "text": clean(p.text),
                        "width": p.width,
                        "height": p.height,
                        "ocr": int(p.ocr),
                        "conf": p.ocr_confidence,
                        "needs_ocr": int(p.needs_ocr),
                        "words": codec.encode_words(p.words),
                    }
                    for p in doc.pages
                ),
            )
            conn.executemany(
                """INSERT INTO passages (doc_id, page, start_char, end_char, text, terms, content_hash)
                   VALUES (:doc_id, :page, :start, :end, :text, :terms, :hash)""",
                (
                    {
                        "doc_id": p.doc_id,
                        "page": p.page,
                        "start": p.start,
                        "end": p.end,
                        "text": (text := clean(p.text)),
                        "terms": clean(t),
                        "hash": codec.content_hash(text),
                    }
                    for p, t in zip(passages, terms, strict=True)
                ),
            )
            conn.execute(
                "INSERT OR REPLACE INTO copies (path, doc_id, seen_at) VALUES (:p, :d, :t)",
                {"p": path, "d": doc.doc_id, "t": now},
            )
            _insert_facts(conn, mentions, claims)

    def replace_facts(self, doc_id: str, mentions: Sequence[Mention], claims: Sequence[Claim]) -> None:
        """Swap a document's mentions and claims (after the pipeline changed) in one transaction."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM mentions WHERE doc_id = :d", {"d": doc_id})
            conn.execute("DELETE FROM claims WHERE doc_id = :d", {"d": doc_id})
            _insert_facts(conn, mentions, claims)

    def add_copy(self, path: str, doc_id: str) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO copies (path, doc_id, seen_at) VALUES (:p, :d, :t)",
                {"p": codec.path_value(path), "d": doc_id, "t": casefile.now()},
            )

    def move(self, doc_id: str, path: str) -> None:
        """The document's file is now at ``path`` (its stored path is gone): ``show``, ``open`` and the Woo
        release of its folder follow it."""
        with self._transaction() as conn:
            # the old place is no copy: listed, it would count the document twice
            conn.execute(
                "DELETE FROM copies WHERE doc_id = :d AND path = (SELECT path FROM documents WHERE doc_id = :d)",
                {"d": doc_id},
            )
            conn.execute("UPDATE documents SET path = :p WHERE doc_id = :d", {"p": codec.path_value(path), "d": doc_id})
            conn.execute(
                "INSERT OR REPLACE INTO copies (path, doc_id, seen_at) VALUES (:p, :d, :t)",
                {"p": codec.path_value(path), "d": doc_id, "t": casefile.now()},
            )

    def merge_from(self, source: Path) -> merge.MergeCounts:
        """Add the documents of the case file ``source`` that this one lacks (docmine/store/merge.py)."""
        merge.check_source(source)
        self.check_writable()
        assert self._writer is not None
        with self._write_lock:
            counts = merge.merge_into(self._writer, source)
            merge.optimise_text_index(self._writer)
        return counts

    def add_embeddings(self, model: str, hashes: Sequence[str], vectors: Any) -> None:
        """Store float32 vectors (rows of ``vectors``) under their content hashes, in one transaction."""
        with self._transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings (content_hash, model, dim, vector) VALUES (:h, :m, :d, :v)",
                (
                    {"h": h, "m": model, "d": int(v.shape[0]), "v": v.astype("<f4").tobytes()}
                    for h, v in zip(hashes, vectors, strict=True)
                ),
            )


def _insert_facts(conn: sqlite3.Connection, mentions: Sequence[Mention], claims: Sequence[Claim]) -> None:
    conn.executemany(
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
                "text": clean(m.text),
                "value": None if m.value is None else clean(str(m.value)),
                "num": float(m.value) if isinstance(m.value, int | float) else None,
                "canonical": clean_opt(m.canonical),
                "key": clean(mention_key(m)),
            }
            for m in mentions
        ),
    )
    conn.executemany(
        """INSERT INTO claims (doc_id, page, start_char, end_char, sentence, kind, speaker, claim_values)
           VALUES (:doc_id, :page, :start, :end, :sentence, :kind, :speaker, :vals)""",
        (
            {
                "doc_id": c.ref.doc_id,
                "page": c.ref.page,
                "start": c.ref.start,
                "end": c.ref.end,
                "sentence": clean(c.sentence),
                "kind": c.kind,
                "speaker": clean_opt(c.speaker),
                "vals": json.dumps([clean(v) for v in c.values], ensure_ascii=False),
            }
            for c in claims
        ),
    )

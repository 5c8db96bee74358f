"""The Store's reads: every query that turns case-file rows into docmine.model read models (the passage
reads of search and embedding are in store/passages.py).

Each thread reads through its own connection (``_read``); in WAL mode those run beside the writer, so a
search never waits for an ingest.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docmine.errors import DocumentNotFound, QueryError
from docmine.model import Claim, DocInfo, EntityRow, Mention, MentionRow, Page, SourceRef, Stats
from docmine.store import codec, parts
from docmine.store.filters import MUNICIPALITY_DOCS
from docmine.store.passages import PassageReader

EXPORT_TABLES = ("documents", "pages", "passages", "mentions", "entities", "claims")
# Rows on the pages of a document split out of a Woo bundle belong to that child (owner, see store/parts.py).
_MENTIONS_SQL = """SELECT {owner} AS doc_id, d.path, {title} AS title, {date} AS doc_date, m.page,
                          m.start_char AS start, m.end_char AS end, m.label, m.text, m.value, m.value_num,
                          m.canonical, m.entity_key
                   FROM mentions m JOIN documents d ON d.doc_id = m.doc_id {join}
                   WHERE (:label IS NULL OR m.label = :label) AND (:doc IS NULL OR (m.doc_id = :doc AND m.page BETWEEN :lo AND :hi))
                     AND (:entity IS NULL OR m.entity_key = :entity OR m.canonical = :entity OR m.value = :entity)
                     {municipality}
                   ORDER BY d.ingested_at, m.doc_id, m.page, m.start_char
                   {limit}"""
_ENTITIES_SQL = """SELECT m.label, m.entity_key, max(coalesce(m.canonical, m.text)) AS name, max(m.value) AS value,
                          max(m.value_num) AS value_num, count(*) AS mentions,
                          count(DISTINCT {owner}) AS documents, min({date}) AS first_date, max({date}) AS last_date
                   FROM mentions m JOIN documents d ON d.doc_id = m.doc_id {join}
                   WHERE (:label IS NULL OR m.label = :label) AND (:doc IS NULL OR (m.doc_id = :doc AND m.page BETWEEN :lo AND :hi))
                     {municipality}
                   GROUP BY m.label, m.entity_key ORDER BY mentions DESC, m.label, name"""
_EXPORT_SQL = {
    "documents": """SELECT doc_id, path, title, doc_type, date, publisher, municipality, size, format,
                           page_count, status, error, ingested_at FROM documents ORDER BY ingested_at, doc_id""",
    "pages": """SELECT p.doc_id, d.path, p.number AS page, p.ocr, p.ocr_confidence, p.needs_ocr,
                       length(p.text) AS characters, p.text
                FROM pages p JOIN documents d USING (doc_id) ORDER BY d.ingested_at, p.doc_id, p.number""",
    "passages": """SELECT p.id AS passage_id, {owner_p} AS doc_id, d.path, p.page, p.start_char AS start,
                          p.end_char AS end, p.text FROM passages p JOIN documents d USING (doc_id) {join_p}
                   ORDER BY p.id""",
    "mentions": _MENTIONS_SQL.replace("{municipality}", "").replace("{limit}", ""),
    "entities": _ENTITIES_SQL.replace("{municipality}", ""),
    "claims": """SELECT c.id AS claim_id, {owner_c} AS doc_id, d.path, {date} AS doc_date, c.page,
                        c.start_char AS start, c.end_char AS end, c.kind, c.speaker, c.sentence,
                        c.claim_values AS "values"
                 FROM claims c JOIN documents d USING (doc_id) {join_c} ORDER BY c.id""",
}
_CLAIM_COLUMNS = (
    "m.id, {owner} AS doc_id, m.page, m.start_char, m.end_char, m.sentence, m.kind, m.speaker, m.claim_values"
)
_NO_DOCUMENT_HINT = "use a document id (or its first 8 characters) from the list of documents"


class StoreReader(PassageReader):
    """Reads of the case file at ``path``; ``Store`` adds the writes."""

    path: Path

    def _read(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _parts(self) -> bool:
        """Whether the case file has Woo bundle parts (asked once)."""
        has = getattr(self, "_has_parts", None)
        if has is None:
            has = self._has_parts = parts.has_parts(self._read())
        return has

    def _facts(self, sql: str, **extra: str) -> str:
        """``sql`` with the owner of each row filled in: the split-out document its page falls in, else its file."""
        has = self._parts()
        return sql.format(
            owner=parts.owner("m"),
            title=parts.OWNER_TITLE,
            date=parts.OWNER_DATE,
            join=parts.join("m", has),
            owner_p=parts.owner("p"),
            join_p=parts.join("p", has),
            owner_c=parts.owner("c"),
            join_c=parts.join("c", has),
            **extra,
        )

    def _scope(self, doc_id: str | None) -> dict[str, Any]:
        """The :doc, :lo, :hi parameters that keep a document's rows: a split-out document is pages lo..hi of
        its bundle file, any other document all of its pages (kept as a range so the doc_id index serves)."""
        part = parts.child(self._read(), doc_id) if doc_id and "#" in doc_id else None
        if part is not None:
            return {"doc": part.parent, "lo": part.first_page, "hi": part.last_page}
        return {"doc": doc_id, "lo": 0, "hi": 1 << 62}

    def schema_version(self) -> int:
        return int(self._read().execute("SELECT max(version) FROM schema_migrations").fetchone()[0] or 0)

    # -- documents ----------------------------------------------------------------------------------------

    def status_of(self, doc_id: str) -> str | None:
        doc_id = parts.physical(self._read(), doc_id)
        row = self._read().execute("SELECT status FROM documents WHERE doc_id = :d", {"d": doc_id}).fetchone()
        return row[0] if row else None

    def path_of(self, doc_id: str) -> str | None:
        """The stored path as the OS names the file (for comparing with the paths a walk finds)."""
        doc_id = parts.physical(self._read(), doc_id)
        row = self._read().execute("SELECT path FROM documents WHERE doc_id = :d", {"d": doc_id}).fetchone()
        return codec.fs_path(row[0]) if row else None

    def doc_ids(self, statuses: tuple[str, ...] = ("ok", "partial")) -> list[str]:
        rows = self._read().execute(
            f"SELECT doc_id FROM documents WHERE status IN ({','.join('?' * len(statuses))}) ORDER BY ingested_at",
            statuses,
        )
        return [r[0] for r in rows]

    def resolve(self, doc_id: str) -> str:
        """A full document id from a unique prefix (people type the first 8-12 characters); a document split
        out of a bundle by its child id (``<bundle id or prefix>#<first page>``)."""
        if "#" in doc_id and (part := parts.child(self._read(), doc_id)) is not None:
            return part.doc_id
        prefix = doc_id.strip().lower()
        if len(prefix) < 4 or not all(c in "0123456789abcdef" for c in prefix):
            raise DocumentNotFound(f"no document {doc_id!r}", _NO_DOCUMENT_HINT, action="list-documents")
        rows = (
            self._read()
            .execute(
                "SELECT doc_id FROM documents WHERE doc_id >= :lo AND doc_id < :hi LIMIT 2",
                {"lo": prefix, "hi": prefix + "g"},
            )
            .fetchall()
        )
        if not rows:
            raise DocumentNotFound(f"no document {doc_id!r}", _NO_DOCUMENT_HINT, action="list-documents")
        if len(rows) > 1:
            raise DocumentNotFound(f"document id {doc_id!r} is ambiguous", "type more characters of the id")
        return str(rows[0][0])

    def document(self, doc_id: str) -> DocInfo:
        """A document's metadata; a split-out document has its own id, title and date, and its bundle's file and
        page numbering (its pages are pages first..last of that file)."""
        full = self.resolve(doc_id)
        part = parts.child(self._read(), full) if "#" in full else None
        physical = part.parent if part is not None else full
        info = codec.docinfo(
            self._read().execute("SELECT * FROM documents WHERE doc_id = :d", {"d": physical}).fetchone()
        )
        return info if part is None else parts.info(info, part)

    def documents(self, status: str | None = None, children: bool = False) -> list[DocInfo]:
        """Files in ingest order; copies of a document under another path are listed as 'duplicate'. With
        ``children``, the documents split out of a Woo bundle follow it (``parent``, ``number``, pages)."""
        conn = self._read()
        rows = conn.execute(
            "SELECT * FROM documents WHERE (:s IS NULL OR status = :s) ORDER BY ingested_at, path", {"s": status}
        ).fetchall()
        split = parts.all_parts(conn) if children else {}
        out = []
        for r in rows:
            info = codec.docinfo(r)
            out += [info, *(parts.info(info, p) for p in split.get(info.doc_id, ()))]
        if status in (None, "duplicate"):
            dups = conn.execute(
                """SELECT d.*, c.path AS copy_path, c.seen_at AS copy_seen FROM copies c
                   JOIN documents d ON d.doc_id = c.doc_id WHERE c.path != d.path ORDER BY c.seen_at, c.path"""
            ).fetchall()
            for r in dups:
                info = codec.docinfo(r)
                copy = r["copy_path"]
                out.append(
                    DocInfo(
                        **{
                            **{f: getattr(info, f) for f in DocInfo.__slots__},
                            "path": codec.path_text(copy),
                            "raw_path": copy if isinstance(copy, bytes) else None,
                            "status": "duplicate",
                            "error": f"same bytes as {info.path}",
                            "ingested_at": r["copy_seen"],
                        }
                    )
                )
        return out

    def page(self, doc_id: str, number: int) -> Page:
        doc_id = parts.physical(self._read(), doc_id)
        row = (
            self._read()
            .execute("SELECT * FROM pages WHERE doc_id = :d AND number = :n", {"d": doc_id, "n": number})
            .fetchone()
        )
        if row is None:
            raise DocumentNotFound(
                f"document {doc_id[:12]} has no page {number}",
                "the list of documents gives each one's page count",
                action="list-documents",
            )
        return codec.page(row)

    def page_numbers(self, doc_id: str) -> list[int]:
        """The page numbers of a document: of a split-out one, the pages of its bundle file that it holds."""
        scope = self._scope(doc_id)
        rows = self._read().execute(
            "SELECT number FROM pages WHERE doc_id = :doc AND number BETWEEN :lo AND :hi ORDER BY number", scope
        )
        return [r[0] for r in rows]

    def pages(self, doc_id: str) -> list[Page]:
        doc_id = parts.physical(self._read(), doc_id)
        rows = self._read().execute("SELECT * FROM pages WHERE doc_id = :d ORDER BY number", {"d": doc_id})
        return [codec.page(r) for r in rows]

    # -- mentions, entities, claims -----------------------------------------------------------------------

    def mentions(
        self,
        label: str | None = None,
        doc_id: str | None = None,
        municipality: str | None = None,
        entity: str | None = None,
        limit: int | None = None,
    ) -> Iterator[MentionRow]:
        """Mentions with their anchors and documents, in document and page order, streamed."""
        sql = self._facts(
            _MENTIONS_SQL, municipality=MUNICIPALITY_DOCS if municipality else "", limit="LIMIT :limit" if limit else ""
        )
        params = {"label": label, "muni": municipality, "entity": entity, "limit": limit, **self._scope(doc_id)}
        return (codec.mention_row(r) for r in self._stream(sql, params))

    def mentions_in(self, doc_id: str, page: int, start: int, end: int) -> list[Mention]:
        """Mentions inside a span of a page."""
        doc_id = parts.physical(self._read(), doc_id)
        rows = self._read().execute(
            """SELECT label, text, value, value_num, canonical, start_char, end_char FROM mentions
               WHERE doc_id = :d AND page = :p AND start_char >= :s AND end_char <= :e ORDER BY start_char""",
            {"d": doc_id, "p": page, "s": start, "e": end},
        )
        return [
            Mention(
                SourceRef(doc_id, page, r["start_char"], r["end_char"]),
                r["label"],
                codec.clean(r["text"]),
                codec.numeric_value(r["value"], r["value_num"]),
                r["canonical"],
            )
            for r in rows
        ]

    def entities(
        self, label: str | None = None, doc_id: str | None = None, municipality: str | None = None
    ) -> list[EntityRow]:
        """One row per entity: label, key, name, value, mention and document counts, most mentioned first."""
        sql = self._facts(_ENTITIES_SQL, municipality=MUNICIPALITY_DOCS if municipality else "")
        rows = self._read().execute(sql, {"label": label, "muni": municipality, **self._scope(doc_id)})
        return [codec.entity_row(r) for r in rows]

    def claims(self, doc_id: str | None = None, municipality: str | None = None) -> list[Claim]:
        sql = self._facts(
            f"""SELECT {_CLAIM_COLUMNS} FROM claims m JOIN documents d ON d.doc_id = m.doc_id {{join}}
                WHERE (:doc IS NULL OR (m.doc_id = :doc AND m.page BETWEEN :lo AND :hi)) {{municipality}}
                ORDER BY d.date, m.doc_id, m.page, m.start_char""",
            municipality=MUNICIPALITY_DOCS if municipality else "",
        )
        rows = self._read().execute(sql, {"muni": municipality, **self._scope(doc_id)})
        return [codec.claim(r) for r in rows]

    def claim(self, claim_id: int) -> Claim:
        sql = self._facts(f"SELECT {_CLAIM_COLUMNS} FROM claims m {{join}} WHERE m.id = :id")
        row = self._read().execute(sql, {"id": claim_id}).fetchone()
        if row is None:
            raise DocumentNotFound(
                f"no claim {claim_id}", "use a claim number from the list of claims", action="list-claims"
            )
        return codec.claim(row)

    # -- tables and totals --------------------------------------------------------------------------------

    def iter_table(self, table: str) -> Iterator[dict[str, Any]]:
        """Rows of an exportable table as plain dicts, streamed in batches (no row cap, flat memory)."""
        sql = _EXPORT_SQL.get(table)
        if sql is None:
            raise QueryError(f"unknown table {table!r}", "one of: " + ", ".join(EXPORT_TABLES))
        params = {"label": None, "entity": None, **self._scope(None)}
        return (codec.export_row(r) for r in self._stream(self._facts(sql), params))

    def _stream(self, sql: str, params: dict[str, Any], batch: int = 2000) -> Iterator[sqlite3.Row]:
        cursor = self._read().execute(sql, params)
        try:
            while rows := cursor.fetchmany(batch):
                yield from rows
        finally:
            # a stream abandoned after the case file closed (a closed pipe, a failed export) has nothing to free
            with contextlib.suppress(sqlite3.ProgrammingError):
                cursor.close()

    def stats(self, embedding_model: str | None = None) -> Stats:
        """Totals of the case file; with ``embedding_model``, how many passages have a vector for it."""
        q = self._read().execute
        by_status = dict(q("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
        dup = q("SELECT count(*) FROM copies c JOIN documents d USING (doc_id) WHERE c.path != d.path").fetchone()[0]
        embedded, passages = self._embedded(embedding_model) if embedding_model else (0, None)
        lo, hi = q("SELECT min(date), max(date) FROM documents WHERE date IS NOT NULL").fetchone()
        files = sum(by_status.values())
        split_out = q(f"SELECT count(*) FROM {parts.table(self._parts())}").fetchone()[0]
        return Stats(
            documents=files + split_out,
            files=files,
            split_out=split_out,
            by_status=by_status | ({"duplicate": dup} if dup else {}),
            by_type=dict(
                q(
                    "SELECT doc_type, count(*) FROM documents WHERE status != 'failed' "
                    "GROUP BY doc_type ORDER BY count(*) DESC"
                ).fetchall()
            ),
            pages=q("SELECT count(*) FROM pages").fetchone()[0],
            ocr_pages=q("SELECT count(*) FROM pages WHERE ocr = 1").fetchone()[0],
            passages=passages if passages is not None else q("SELECT count(*) FROM passages").fetchone()[0],
            mentions=q("SELECT count(*) FROM mentions").fetchone()[0],
            entities=q("SELECT count(DISTINCT label || ':' || entity_key) FROM mentions").fetchone()[0],
            claims=q("SELECT count(*) FROM claims").fetchone()[0],
            characters=q("SELECT coalesce(sum(length(text)), 0) FROM pages").fetchone()[0],
            date_range=(lo, hi),
            schema=self.schema_version(),
            size_bytes=self.path.stat().st_size if self.path.exists() else 0,
            embedded=embedded,
            embedding_model=embedding_model,
        )

"""Timeline reads: claims with their date (a DATE value they state, else their document's date for decisions)
and dated documents, each with its page anchor, for a timeline of a name, a query or a municipality.
A document split out of a Woo bundle is a dated document of its own; the bundle file itself is not listed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docmine.model import SourceRef, TimelineEvent
from docmine.store import codec, parts
from docmine.store.filters import MUNICIPALITY_DOCS, placeholders

if TYPE_CHECKING:
    from docmine.store.store import Store

# A claim about the entity: a mention of it lies inside the claim's sentence.
_CLAIM_ENTITY = """AND EXISTS (SELECT 1 FROM mentions me WHERE me.doc_id = c.doc_id AND me.page = c.page
                   AND me.start_char >= c.start_char AND me.end_char <= c.end_char
                   AND me.entity_key IN ({keys}))"""
_DOC_ENTITY = """AND EXISTS (SELECT 1 FROM mentions me WHERE me.doc_id = d.doc_id
                 AND me.entity_key IN ({keys}))"""
_PART_ENTITY = """AND EXISTS (SELECT 1 FROM mentions me WHERE me.doc_id = w.parent
                  AND me.page BETWEEN w.first_page AND w.last_page AND me.entity_key IN ({keys}))"""


def events(
    store: Store,
    keys: Sequence[str] | None = None,
    municipality: str | None = None,
    spans: Sequence[SourceRef] | None = None,
) -> list[TimelineEvent]:
    """Dated facts, unsorted; ``keys``: about the entity with these keys. ``spans`` (passages a query found) keeps the claims inside them and their documents."""
    params: dict[str, Any] = {"muni": municipality}
    about = placeholders("k", keys, params) if keys else ""
    conn = store._read()
    docs_in = ""
    if spans is not None:
        if not spans:
            return []
        # the files that hold the spans (a span in a split-out document is on a page of its bundle)
        files = sorted({parts.physical(conn, s.doc_id) for s in spans})
        docs_in = f"AND d.doc_id IN ({placeholders('sd', files, params)})"
    muni = MUNICIPALITY_DOCS if municipality else ""
    has = parts.has_parts(conn)
    found: list[TimelineEvent] = []
    claim_sql = f"""SELECT {parts.owner("c")} AS owner, c.doc_id, c.page, c.start_char, c.end_char, c.sentence,
                           c.kind, c.claim_values, {parts.OWNER_DATE} AS date, {parts.OWNER_TITLE} AS title, d.path
                    FROM claims c JOIN documents d ON d.doc_id = c.doc_id {parts.join("c", has)}
                    WHERE 1 {_CLAIM_ENTITY.format(keys=about) if keys else ""} {muni} {docs_in}"""
    for r in conn.execute(claim_sql, params):
        ref = SourceRef(r["owner"], r["page"], r["start_char"], r["end_char"])
        if spans is not None and not _inside(ref, r["doc_id"], spans):
            continue
        values = tuple(json.loads(r["claim_values"] or "[]"))
        dates = [v.split("=", 1)[1] for v in values if v.startswith("DATE=")]
        date = dates[0] if dates else (r["date"] if r["kind"] == "decision" else None)
        if date:
            found.append(
                TimelineEvent(
                    date,
                    r["kind"],
                    codec.clean(r["sentence"]),
                    ref,
                    codec.clean(r["title"]),
                    codec.path_text(r["path"]),
                    values,
                )
            )
    doc_sql = f"""SELECT d.doc_id, d.date, d.title, d.doc_type, d.path FROM documents d
                  WHERE d.date IS NOT NULL AND d.status IN ('ok', 'partial')
                  AND NOT EXISTS (SELECT 1 FROM {parts.table(has)} w WHERE w.parent = d.doc_id)
                  {_DOC_ENTITY.format(keys=about) if keys else ""} {muni} {docs_in}"""
    for r in conn.execute(doc_sql, params):
        ref = SourceRef(r["doc_id"], 1, 0, 0)
        title = codec.clean(r["title"])
        text = f"{r['doc_type']}: {title}"
        found.append(TimelineEvent(r["date"], "document", text, ref, title, codec.path_text(r["path"])))
    part_sql = f"""SELECT w.parent, w.number, w.first_page, w.last_page, w.date, {parts.OWNER_TITLE} AS title,
                          d.path FROM {parts.table(has)} w JOIN documents d ON d.doc_id = w.parent
                   WHERE w.date IS NOT NULL AND d.status IN ('ok', 'partial')
                   {_PART_ENTITY.format(keys=about) if keys else ""} {muni}"""
    for r in conn.execute(part_sql, params):
        ref = SourceRef(f"{r['parent'][:16]}#{r['first_page']}", r["first_page"], 0, 0)
        if spans is not None and not any(
            s.doc_id == ref.doc_id or (s.doc_id == r["parent"] and r["first_page"] <= s.page <= r["last_page"])
            for s in spans
        ):
            continue
        title = codec.clean(r["title"])
        text = f"document {r['number']}: {title}" if r["number"] else f"document: {title}"
        found.append(TimelineEvent(r["date"], "document", text, ref, title, codec.path_text(r["path"])))
    return found


def _inside(ref: SourceRef, file_id: str, spans: Sequence[SourceRef]) -> bool:
    """Whether ``ref`` (a row of the file ``file_id``) lies in a span, named by its document or by its file."""
    return any(
        s.doc_id in (ref.doc_id, file_id) and s.page == ref.page and s.start < ref.end and ref.start < s.end
        for s in spans
    )

"""Rows: hits, mentions, entities, claims, documents and trace sources as flat dicts with fixed column names.

The one shape that `--json`, the terminal UI's tables and exports all write, so a column means the same
thing wherever it appears. Lists stay lists (JSON arrays; the export writer encodes them per format).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from docmine.model import Claim, DocInfo, EntityRow, Hit, MentionRow, WooPart
from docmine.search.snippet import render_marked

Row = dict[str, Any]

HIT_COLUMNS = (
    "rank",
    "title",
    "doc_type",
    "date",
    "page",
    "score",
    "snippet",
    "matched",
    "why",
    "doc_id",
    "start",
    "end",
    "path",
    "mode",
    "notice",
    "parent",
    "number",
)
SOURCE_COLUMNS = (
    "rank",
    "title",
    "date",
    "page",
    "score",
    "similarity",
    "sentence",
    "shared",
    "conflicts",
    "differs",
    "doc_id",
    "start",
    "end",
    "path",
)
MENTION_COLUMNS = (
    "doc_id",
    "path",
    "title",
    "doc_date",
    "page",
    "start",
    "end",
    "label",
    "text",
    "value",
    "value_num",
    "canonical",
    "key",
)
ENTITY_COLUMNS = ("label", "name", "value", "value_num", "key", "mentions", "documents", "first_date", "last_date")
CLAIM_COLUMNS = ("claim_id", "doc_id", "path", "page", "start", "end", "kind", "speaker", "sentence", "values")
DOCUMENT_COLUMNS = (
    "doc_id",
    "path",
    "title",
    "doc_type",
    "date",
    "publisher",
    "municipality",
    "pages",
    "size",
    "format",
    "status",
    "error",
    "notes",
    "ingested_at",
)


def hit_row(
    hit: Hit, rank: int, mode: str | None = None, notice: str | None = None, part: WooPart | None = None
) -> Row:
    """A search hit; ``snippet`` carries its highlights as <mark>...</mark>; ``mode`` is what ranked it and
    ``notice`` why that is not the mode asked for (e.g. vectors still missing). A hit in a document split out of a
    Woo bundle (``part``) names the bundle (``parent``) and the document's ``number``; ``page`` is the bundle's."""
    return {
        "rank": rank,
        "title": hit.title,
        "doc_type": hit.doc_type,
        "date": hit.date,
        "page": hit.ref.page,
        "score": hit.score,
        "snippet": render_marked(hit.snippet, hit.marks),
        "matched": list(hit.matched),
        "why": list(hit.why),
        "doc_id": hit.ref.doc_id,
        "start": hit.ref.start,
        "end": hit.ref.end,
        "path": hit.path,
        "mode": mode,
        "notice": notice,
        "parent": part.parent if part else None,
        "number": part.number if part else None,
    }


def hit_rows(hits: Iterable[Hit]) -> list[Row]:
    """One row per hit, ranked in the order given; search results also say their mode and notice, and Woo search
    results the documents split out of bundles (``children``: doc_id -> WooPart)."""
    mode, notice = getattr(hits, "mode", None), getattr(hits, "notice", None)
    children = getattr(hits, "children", None) or {}
    return [hit_row(h, i, mode, notice, children.get(h.ref.doc_id)) for i, h in enumerate(hits, 1)]


def source_rows(sources: Iterable[Any]) -> list[Row]:
    """One row per trace source (``Source`` of search/trace), most likely origin first."""
    return [
        {
            "rank": i,
            "title": s.title,
            "date": s.date,
            "page": s.ref.page,
            "score": s.score,
            "similarity": s.similarity,
            "sentence": s.sentence,
            "shared": list(s.shared),
            "conflicts": list(s.conflicts),
            "differs": bool(s.conflicts),
            "doc_id": s.ref.doc_id,
            "start": s.ref.start,
            "end": s.ref.end,
            "path": s.path,
        }
        for i, s in enumerate(sources, 1)
    ]


def _number(value: Any) -> float | None:
    # The store hands euros back as numbers (see MentionRow): the one column a spreadsheet can sum.
    return value if isinstance(value, int | float) else None


def mention_row(m: MentionRow) -> Row:
    """A stored mention with its document and its place on the page."""
    return {
        "doc_id": m.ref.doc_id,
        "path": m.path,
        "title": m.title,
        "doc_date": m.doc_date,
        "page": m.ref.page,
        "start": m.ref.start,
        "end": m.ref.end,
        "label": m.label,
        "text": m.text,
        "value": m.value,
        "value_num": _number(m.value),
        "canonical": m.canonical,
        "key": m.entity_key,
    }


def mention_rows(mentions: Iterable[MentionRow]) -> Iterator[Row]:
    """Streamed: mentions can run to millions of rows."""
    return (mention_row(m) for m in mentions)


def entity_row(e: EntityRow) -> Row:
    """One entity: its mentions grouped by label and key."""
    return {
        "label": e.label,
        "name": e.name,
        "value": e.value,
        "value_num": _number(e.value),
        "key": e.entity_key,
        "mentions": e.mentions,
        "documents": e.documents,
        "first_date": e.first_date,
        "last_date": e.last_date,
    }


def entity_rows(entities: Iterable[EntityRow]) -> list[Row]:
    return [entity_row(e) for e in entities]


def claim_rows(claims: Iterable[Claim], documents: Iterable[DocInfo]) -> list[Row]:
    """Claims with the path of their document (a claim itself holds only the document id); a document split
    out of a Woo bundle (``<bundle[:16]>#<first page>``) has its bundle's path."""
    paths = {d.doc_id: d.path for d in documents}
    bundles = {d.doc_id[:16]: d.path for d in documents}
    return [
        {
            "claim_id": c.claim_id,
            "doc_id": c.ref.doc_id,
            "path": paths.get(c.ref.doc_id) or bundles.get(c.ref.doc_id.partition("#")[0]),
            "page": c.ref.page,
            "start": c.ref.start,
            "end": c.ref.end,
            "kind": c.kind,
            "speaker": c.speaker,
            "sentence": c.sentence,
            "values": list(c.values),
        }
        for c in claims
    ]


def document_rows(documents: Iterable[DocInfo]) -> list[Row]:
    return [
        {
            "doc_id": d.doc_id,
            "path": d.path,
            "title": d.title,
            "doc_type": d.doc_type,
            "date": d.date,
            "publisher": d.publisher,
            "municipality": d.municipality,
            "pages": d.page_count,
            "size": d.size,
            "format": d.format,
            "status": d.status,
            "error": d.error,
            "notes": list(d.notes),
            "ingested_at": d.ingested_at,
            **_part_fields(d),
        }
        for d in documents
    ]


def _part_fields(d: DocInfo) -> Row:
    """A document split out of a Woo bundle: ``parent``, ``number``, its pages ``first_page``..``last_page`` of the
    parent (``pages`` counts them) and what set the boundary (``split_by``); nothing for any other document."""
    if not d.parent:
        return {}
    pages = (d.last_page or 0) - (d.first_page or 0) + 1
    keys = ("parent", "number", "first_page", "last_page", "split_by")
    return {"pages": pages, **{k: getattr(d, k) for k in keys}}


def table_rows(table: str, rows: Iterable[Any]) -> Iterator[Row]:
    """An export table's rows: mentions and entities (typed rows) in the shape above, the plain tables as stored."""
    shape: Any = {"mentions": mention_row, "entities": entity_row}.get(table)
    return (shape(r) if shape else dict(r) for r in rows)


# -- workbench ------------------------------------------------------------------------------------------------

BATCH_COLUMNS = (
    "query_id", "query", "rank", "doc_id", "title", "page", "start", "end", "snippet", "score", "mode", "path",
)  # fmt: skip
TIMELINE_COLUMNS = ("date", "kind", "text", "title", "doc_id", "page", "start", "end", "path", "values")
RULE_COLUMNS = ("rule_id", "action", "label", "name", "target", "doc_id", "page", "start", "created_at")
TAG_COLUMNS = ("name", "note", "doc_id", "page", "start", "end", "created_at")


def batch_rows(results: Iterable[Any]) -> Iterator[Row]:
    """One row per query and hit (``BatchResult`` of search/batch), in the order of the batch file."""
    for result in results:
        q = result.query
        for rank, hit in enumerate(result.hits, 1):
            yield {
                "query_id": q.query_id,
                "query": q.query,
                "rank": rank,
                "doc_id": hit.ref.doc_id,
                "title": hit.title,
                "page": hit.ref.page,
                "start": hit.ref.start,
                "end": hit.ref.end,
                "snippet": render_marked(hit.snippet, hit.marks),
                "score": hit.score,
                "mode": result.mode,
                "path": hit.path,
            }


def timeline_rows(events: Iterable[Any]) -> list[Row]:
    """Dated facts (``TimelineEvent``) with their source anchors, in the order given."""
    return [
        {
            "date": e.date,
            "kind": e.kind,
            "text": e.text,
            "title": e.title,
            "doc_id": e.ref.doc_id,
            "page": e.ref.page,
            "start": e.ref.start,
            "end": e.ref.end,
            "path": e.path,
            "values": list(e.values),
        }
        for e in events
    ]


def rule_rows(rules: Iterable[Any]) -> list[Row]:
    """Curation rules (``CurationRule``), oldest first: the order they are applied in."""
    return [
        {
            "rule_id": r.rule_id,
            "action": r.action,
            "label": r.label,
            "name": r.name,
            "target": r.target,
            "doc_id": r.doc_id,
            "page": r.page,
            "start": r.start,
            "created_at": r.created_at,
        }
        for r in rules
    ]


def tag_rows(tags: Iterable[Any]) -> list[Row]:
    """Tags (``Tag``); page 0 marks a tag on a whole document."""
    return [
        {
            "name": t.name,
            "note": t.note,
            "doc_id": t.doc_id,
            "page": t.page,
            "start": t.start,
            "end": t.end,
            "created_at": t.created_at,
        }
        for t in tags
    ]

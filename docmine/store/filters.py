"""Search filters as SQL: the WHERE clauses over passages ``p`` and documents ``d`` that Filters ask for.
A passage on the pages of a document split out of a Woo bundle is filtered by that document's date and tags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docmine.model import Filters
from docmine.store import parts

# Documents from a municipality, or mentioning it.
MUNICIPALITY_DOCS = """AND (d.municipality = :muni OR EXISTS (SELECT 1 FROM mentions mm WHERE mm.doc_id = d.doc_id
                        AND mm.label = 'MUNICIPALITY' AND mm.value = :muni))"""

# A passage whose document (its file, or the document split out of it that holds its page) carries the tag,
# or that a tag on a span of its page falls in.
TAGGED = """EXISTS (SELECT 1 FROM tags tg WHERE tg.doc_id IN (p.doc_id, {owner}) AND tg.name IN ({names})
            AND (tg.page = 0 OR (tg.page = p.page AND tg.start_char < p.end_char AND tg.end_char > p.start_char)))"""


def filter_sql(filters: Filters, has_parts: bool = False) -> tuple[str, dict[str, Any]]:
    """(" AND ..." clauses, their named parameters); ("", {}) when the filters allow everything. ``has_parts``:
    the case file has Woo bundle parts (``woo_parts``)."""
    clauses: list[str] = []
    date = parts.date_of_row("p", has_parts) if has_parts else "d.date"
    params: dict[str, Any] = {}
    if filters.doc_types:
        clauses.append(f"d.doc_type IN ({placeholders('t', filters.doc_types, params)})")
    if filters.since:
        clauses.append(f"{date} >= :since")
        params["since"] = filters.since
    if filters.until:
        clauses.append(f"{date} <= :until")
        params["until"] = filters.until + "\uffff"  # "2021-03" holds every day of March
    if filters.municipality:
        clauses.append(MUNICIPALITY_DOCS.removeprefix("AND "))
        params["muni"] = filters.municipality
    if filters.labels:
        clauses.append(
            f"""EXISTS (SELECT 1 FROM mentions fm WHERE fm.doc_id = p.doc_id AND fm.page = p.page
                AND fm.start_char >= p.start_char AND fm.end_char <= p.end_char
                AND fm.label IN ({placeholders("l", filters.labels, params)}))"""
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
        ids = placeholders("d", filters.doc_ids, params)
        # a document split out of a Woo bundle is named by its own id: the passages on its pages
        split = has_parts and any("#" in d for d in filters.doc_ids)
        clauses.append(
            f"(d.doc_id IN ({ids}) OR {parts.owner_of_row('p', True)} IN ({ids}))" if split else f"d.doc_id IN ({ids})"
        )
    if filters.tags:
        owner = parts.owner_of_row("p", has_parts) if has_parts else "p.doc_id"
        clauses.append(TAGGED.format(names=placeholders("tag", filters.tags, params), owner=owner))
    return ("AND " + " AND ".join(clauses)) if clauses else "", params


def placeholders(prefix: str, values: Sequence[str], params: dict[str, Any]) -> str:
    """Named parameters for an IN list: adds them to ``params`` and returns ":t0, :t1, ..."."""
    names = []
    for i, value in enumerate(values):
        params[f"{prefix}{i}"] = value
        names.append(f":{prefix}{i}")
    return ", ".join(names)

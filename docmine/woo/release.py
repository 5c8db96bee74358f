"""A release put together: its inventory rows linked to the documents they describe, bundles split.

Links by the number stamped on a document (or a bundle part), else the number in a file name, else the title,
else the date; a row that matches nothing, or matches several documents equally, stays unlinked with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from docmine.model import InventoryRow, Page, WooPart
from docmine.woo.bundles import split, stamp_of


@dataclass(frozen=True)
class ReleaseDoc:
    """A stored document of a release, with the pages the analysis reads."""

    doc_id: str
    path: str
    title: str
    date: str | None
    pages: tuple[Page, ...]


def split_all(
    docs: Sequence[ReleaseDoc], known: Sequence[str], corrections: dict[str, list[tuple[int, str]]]
) -> dict[str, list[WooPart]]:
    """Parts of every document that holds more than one (a bundle), or that a person corrected."""
    out: dict[str, list[WooPart]] = {}
    for doc in docs:
        if not doc.pages:
            continue
        parts = split(doc.doc_id, doc.pages, known, corrections.get(doc.doc_id, ()))
        if len(parts) > 1 or doc.doc_id in corrections:
            out[doc.doc_id] = parts
    return out


def link(
    rows: Sequence[InventoryRow], docs: Sequence[ReleaseDoc], parts: dict[str, list[WooPart]]
) -> list[InventoryRow]:
    """Each row with the document (and first page) it describes, or the reason none was found."""
    by_stamp: dict[str, list[tuple[str, int]]] = {}
    for doc in docs:
        if doc.doc_id in parts:
            for part in parts[doc.doc_id]:
                if part.number:
                    by_stamp.setdefault(part.number, []).append((doc.doc_id, part.first_page))
        elif doc.pages and (stamp := stamp_of(doc.pages[0])) is not None:
            by_stamp.setdefault(stamp, []).append((doc.doc_id, doc.pages[0].number))
    by_name: dict[str, list[tuple[str, int]]] = {}
    for doc in docs:
        if doc.doc_id in parts:
            continue
        m = re.match(r"0*(\d+)(?:\D|$)", Path(doc.path).name)
        if m:
            by_name.setdefault(m.group(1), []).append((doc.doc_id, 1))
    linked = []
    for row in rows:
        key = row.number.lstrip("0") or row.number
        found = by_stamp.get(key) or by_name.get(key) or _by_title(row, docs) or _by_date(row, docs, parts)
        if not found:
            reason = "no document stamped or named with this number, and no title or date matches"
            linked.append(replace(row, unlinked=reason))
        elif len(set(found)) > 1:
            linked.append(replace(row, unlinked=f"{len(set(found))} documents match; none chosen"))
        else:
            doc_id, page = found[0]
            linked.append(replace(row, doc_id=doc_id, first_page=page))
    return linked


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _by_title(row: InventoryRow, docs: Sequence[ReleaseDoc]) -> list[tuple[str, int]]:
    want = _norm(row.description)
    if len(want) < 8:
        return []
    return [(d.doc_id, 1) for d in docs if _norm(d.title) == want]


def _by_date(row: InventoryRow, docs: Sequence[ReleaseDoc], parts: dict[str, list[WooPart]]) -> list[tuple[str, int]]:
    if not row.date or len(row.date) != 10:
        return []
    found = [(p.parent, p.first_page) for ps in parts.values() for p in ps if p.date == row.date and not p.number]
    found += [(d.doc_id, 1) for d in docs if d.doc_id not in parts and d.date == row.date]
    return found

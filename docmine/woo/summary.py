"""A release in numbers (documents per decision, redactions per ground, days taken, unlinked rows) and the
JSON-lines rows of ``docmine export inventory|redactions``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docmine.model import DocInfo, InventoryRow, Redaction
from docmine.woo.analysis import ReleaseAnalysis


def summarise(result: ReleaseAnalysis, infos: Sequence[DocInfo], reds: Sequence[Redaction]) -> dict[str, Any]:
    names = {i.doc_id: Path(i.path).name for i in infos}
    decision = result.decision
    per_doc: Counter[str] = Counter()
    for r in reds:
        per_doc[_owner(r, result)] += 1
    return {
        "release": result.release,
        "files": len(infos),
        "documents": len(result.rows) or sum(len(p) for p in result.parts.values()),
        "bundles": {names.get(k, k): len(v) for k, v in result.parts.items()},
        "decisions": dict(Counter(r.decision or "unknown" for r in result.rows).most_common()),
        "inventory_grounds": dict(Counter(g for r in result.rows for g in r.grounds).most_common()),
        "redactions": len(reds),
        "redactions_by_ground": dict(Counter(r.ground or "unknown" for r in reds).most_common()),
        "redactions_by_source": dict(Counter(r.source for r in reds).most_common()),
        "redactions_by_document": dict(per_doc.most_common()),
        "pages_removed": sum(1 for r in reds if r.full_page),
        "decision_letter": None
        if decision is None
        else {
            "file": names.get(decision.doc_id, decision.doc_id),
            "request_date": decision.request_date,
            "decision_date": decision.decision_date,
            "days": decision.days,
            "term_days": decision.term_days,
            "extended": decision.extended,
            "exceeded": decision.exceeded,
            "grounds": list(decision.grounds),
        },
        "unlinked": [{"number": r.number, "reason": r.unlinked} for r in result.rows if r.unlinked],
        "notices": result.notices,
    }


def _owner(r: Redaction, result: ReleaseAnalysis) -> str:
    """The document a redaction belongs to: the inventory number of its bundle part, else its file's doc_id."""
    for part in result.parts.get(r.doc_id, ()):
        if part.first_page <= r.page <= part.last_page:
            return part.number or part.doc_id
    for row in result.rows:
        if row.doc_id == r.doc_id:
            return row.number
    return r.doc_id[:12]


def inventory_row(release: str, r: InventoryRow, child: str | None = None) -> dict[str, Any]:
    """``doc_id`` is the document the row describes: the one split out of a bundle (``child``), or the file;
    ``parent`` the bundle it was split from."""
    return {
        "release": release,
        "number": r.number,
        "date": r.date,
        "description": r.description,
        "decision": r.decision,
        "grounds": list(r.grounds),
        "doc_id": child or r.doc_id,
        "page": r.page,  # the page of the inventory list the row is on
        "first_page": r.first_page,  # where the linked document starts in its file
        "unlinked": r.unlinked,
        "parent": r.doc_id if child else None,
    }


def redaction_row(r: Redaction, path: str) -> dict[str, Any]:
    x0, y0, x1, y1 = r.bbox
    return {
        "doc_id": r.doc_id,
        "path": path,
        "page": r.page,
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "ground": r.ground,
        "source": r.source,
        "full_page": r.full_page,
    }

"""One release analysed: which file is the decision letter, which the inventory, which the documents; rows read
and linked, bundles split. Pure over its inputs (stored pages, the release folder's files): the service stores it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from docmine.errors import IngestError
from docmine.model import DecisionLetter, InventoryRow, Page, WooPart
from docmine.woo.bundles import stamp_of
from docmine.woo.decision import looks_like_decision, read_decision
from docmine.woo.inventory import looks_like_inventory, read_inventory
from docmine.woo.release import ReleaseDoc, link, split_all

_TABLE_FILES = {".xlsx", ".csv", ".tsv"}


@dataclass
class ReleaseAnalysis:
    release: str
    rows: list[InventoryRow] = field(default_factory=list)
    parts: dict[str, list[WooPart]] = field(default_factory=dict)
    decision: DecisionLetter | None = None
    notices: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)


def release_of(path: str) -> str:
    """A release is the folder its files arrive in."""
    return os.path.dirname(path)


def fingerprint(
    release: str,
    docs: Sequence[tuple[str, ...]],
    corrections: Mapping[str, Sequence[tuple[int, str]]],
    reference_dir: str,
) -> str:
    """What an analysis of ``release`` is made from, as one hash: its documents (``docs``: id, path, title, date,
    pages, status, time ingested), their boundary corrections, the table files in its folder and the reference
    tables (name, size, time each), and the code of the analysis. Equal fingerprints give equal analyses, so a
    stored one can be shown without reading every page again."""
    ids = sorted(d[0] for d in docs)
    data = {
        "code": _code_key(),
        "docs": sorted(docs),
        "corrections": {d: list(corrections[d]) for d in ids if d in corrections},
        "tables": _files(release, _TABLE_FILES),
        "reference": [reference_dir, _files(reference_dir, None)],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=list).encode("utf-8", "surrogatepass")).hexdigest()


def _files(folder: str, suffixes: set[str] | None) -> list[tuple[str, int, int]]:
    if not os.path.isdir(folder):
        return []
    out = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_file() and (suffixes is None or Path(entry.name).suffix.lower() in suffixes):
            st = entry.stat()
            out.append((entry.name, st.st_size, st.st_mtime_ns))
    return out


@functools.cache
def _code_key() -> str:
    """A hash of docmine's Woo analysis code: an analysis stored by other code is made anew."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def looks_like_release(folder: str, heads: Sequence[tuple[str, str, Page]]) -> bool:
    """Whether a folder may hold a Woo release, from its files' (path, title, first page) and its table files:
    an inventory or a decision letter among them. A cheap look before the whole analysis."""
    for path, title, first in heads:
        if looks_like_inventory(path, first.text) or looks_like_decision(title, [first]):
            return True
    if os.path.isdir(folder):
        for name in os.listdir(folder):
            if Path(name).suffix.lower() in _TABLE_FILES and looks_like_inventory(name, ""):
                return True
    return False


def analyse(
    release: str,
    docs: Sequence[ReleaseDoc],
    reference_dir: str,
    corrections: dict[str, list[tuple[int, str]]],
) -> ReleaseAnalysis:
    out = ReleaseAnalysis(release, doc_ids=[d.doc_id for d in docs])
    inventories: list[str] = []
    documents: list[ReleaseDoc] = []
    for doc in docs:
        first = doc.pages[0].text if doc.pages else ""
        if Path(doc.path).suffix.lower() in {".pdf", *_TABLE_FILES} and looks_like_inventory(doc.path, first):
            inventories.append(doc.path)
        elif out.decision is None and looks_like_decision(doc.title, doc.pages):
            out.decision = read_decision(doc.doc_id, doc.pages, reference_dir)
        else:
            documents.append(doc)
    # a table file that was not ingested (a failure, or stored before spreadsheets were): read it from the folder
    if os.path.isdir(release):
        for name in sorted(os.listdir(release)):
            path = os.path.join(release, name)
            if Path(name).suffix.lower() in _TABLE_FILES and path not in inventories and looks_like_inventory(path, ""):
                inventories.append(path)
    for path in inventories:
        try:
            inv = read_inventory(path, reference_dir)
        except IngestError as exc:
            out.notices.append(f"{exc.message} ({Path(path).name})")
            continue
        out.rows.extend(inv.rows)
        out.notices.extend(inv.notices)
    # numbers a loose file carries in its name are not free for an unstamped document of a bundle
    named = {m.group(1) for d in documents if (m := re.match(r"0*(\d+)(?:\D|$)", Path(d.path).name))}
    known = [r.number for r in out.rows if r.number.lstrip("0") not in named]
    out.parts = split_all(documents, known, corrections)
    for doc in documents:
        if out.rows and len(doc.pages) > 1 and doc.doc_id not in out.parts and stamp_of(doc.pages[0]) is None:
            out.notices.append(
                f"{Path(doc.path).name}: {len(doc.pages)} pages without stamped document numbers, kept as one document"
                " (split it by hand: docmine woo split DOC --at PAGE)"
            )
    if out.rows:
        out.rows = link(out.rows, documents, out.parts)
        out.parts = _described(out.parts, out.rows)
    unstamped = [p for ps in out.parts.values() for p in ps if p.number is None]
    if unstamped:
        out.notices.append(f"{len(unstamped)} document(s) in bundles without a stamped or inferable number")
    return out


def _described(parts: dict[str, list[WooPart]], rows: Sequence[InventoryRow]) -> dict[str, list[WooPart]]:
    """A split-out document whose first page gives no title or date takes them from its inventory row."""
    by_start = {(r.doc_id, r.first_page): r for r in rows if r.doc_id}
    return {
        parent: [
            replace(p, title=p.title or row.description, date=p.date or row.date)
            if (row := by_start.get((parent, p.first_page))) is not None
            else p
            for p in ps
        ]
        for parent, ps in parts.items()
    }

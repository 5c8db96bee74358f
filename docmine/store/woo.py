"""The SQL of Woo releases: redactions, inventory rows, bundle parts, boundary corrections, decision letters.

Used through ``Store.woo``; writes go through the Store's one writer transaction, reads through its readers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docmine.model import DecisionLetter, InventoryRow, Redaction, WooPart
from docmine.store import casefile
from docmine.store.codec import clean

if TYPE_CHECKING:
    from docmine.store.store import Store


@dataclass(frozen=True)
class AnalysisRecord:
    """What a release's last analysis was made from (``fingerprint``) and found: 0 nothing, 1 bundle parts
    only, 2 inventory rows or a decision letter; whether its findings were stored, how many rows of each table
    they were (``outputs``, see ``WooStore.outputs``), and its notices."""

    fingerprint: str
    found: int
    stored: bool
    outputs: list[int]
    notices: list[str]
    doc_ids: list[str]


class WooStore:
    def __init__(self, store: Store) -> None:
        self._store = store

    def _read(self) -> sqlite3.Connection:
        return self._store._read()

    # -- writing ------------------------------------------------------------------------------------------

    def replace_redactions(self, doc_id: str, found: Sequence[Redaction], seconds: float) -> None:
        with self._store._transaction() as conn:
            conn.execute("DELETE FROM woo_redactions WHERE doc_id = :d", {"d": doc_id})
            conn.executemany(
                """INSERT INTO woo_redactions (doc_id, page, x0, y0, x1, y1, ground, source, full_page)
                   VALUES (:d, :p, :x0, :y0, :x1, :y1, :g, :s, :f)""",
                (
                    {
                        "d": r.doc_id,
                        "p": r.page,
                        "x0": r.bbox[0],
                        "y0": r.bbox[1],
                        "x1": r.bbox[2],
                        "y1": r.bbox[3],
                        "g": r.ground,
                        "s": r.source,
                        "f": int(r.full_page),
                    }
                    for r in found
                ),
            )
            conn.execute(
                "INSERT OR REPLACE INTO woo_scanned (doc_id, seconds) VALUES (:d, :s)", {"d": doc_id, "s": seconds}
            )

    def replace_release(
        self,
        release: str,
        rows: Sequence[InventoryRow],
        parts: dict[str, list[WooPart]],
        decision: DecisionLetter | None,
        doc_ids: Sequence[str],
    ) -> None:
        """Swap what a release's analysis found, in one transaction."""
        with self._store._transaction() as conn:
            conn.execute("DELETE FROM woo_inventory WHERE release = :r", {"r": release})
            conn.executemany(
                """INSERT INTO woo_inventory (release, number, date, description, decision, grounds, source, page,
                       line, doc_id, first_page, unlinked)
                   VALUES (:r, :n, :date, :desc, :dec, :g, :src, :p, :line, :doc, :fp, :u)""",
                (
                    {
                        "r": release,
                        "n": clean(x.number),
                        "date": x.date,
                        "desc": clean(x.description),
                        "dec": x.decision,
                        "g": json.dumps(list(x.grounds)),
                        "src": x.source,
                        "p": x.page,
                        "line": x.line,
                        "doc": x.doc_id,
                        "fp": x.first_page,
                        "u": x.unlinked,
                    }
                    for x in rows
                ),
            )
            for doc_id in doc_ids:
                conn.execute("DELETE FROM woo_parts WHERE parent = :d", {"d": doc_id})
            conn.executemany(
                """INSERT INTO woo_parts (parent, number, first_page, last_page, title, date, origin)
                   VALUES (:parent, :n, :f, :l, :t, :date, :o)""",
                (
                    {
                        "parent": p.parent,
                        "n": p.number,
                        "f": p.first_page,
                        "l": p.last_page,
                        "t": clean(p.title),
                        "date": p.date,
                        "o": p.origin,
                    }
                    for ps in parts.values()
                    for p in ps
                ),
            )
            conn.execute("DELETE FROM woo_decisions WHERE release = :r", {"r": release})
            if decision is not None:
                d = decision
                conn.execute(
                    """INSERT INTO woo_decisions (release, doc_id, request_date, decision_date, days, term_days,
                           extended, exceeded, grounds)
                       VALUES (:r, :doc, :rq, :dd, :days, :term, :ext, :exc, :g)""",
                    {
                        "r": release,
                        "doc": d.doc_id,
                        "rq": d.request_date,
                        "dd": d.decision_date,
                        "days": d.days,
                        "term": d.term_days,
                        "ext": int(d.extended),
                        "exc": None if d.exceeded is None else int(d.exceeded),
                        "g": json.dumps(list(d.grounds)),
                    },
                )

    def record_analysis(self, release: str, record: AnalysisRecord) -> None:
        with self._store._transaction() as conn:
            conn.execute(
                """INSERT OR REPLACE INTO woo_analyses (release, fingerprint, found, stored, outputs, notices, doc_ids)
                   VALUES (:r, :f, :found, :s, :o, :n, :d)""",
                {
                    "r": release,
                    "f": record.fingerprint,
                    "found": record.found,
                    "s": int(record.stored),
                    "o": json.dumps(record.outputs),
                    "n": json.dumps([clean(n) for n in record.notices]),
                    "d": json.dumps(record.doc_ids),
                },
            )

    def add_correction(self, parent: str, page: int, action: str) -> None:
        """Record a person's boundary correction; the opposite correction at the same page is replaced."""
        with self._store._transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO woo_corrections (parent, page, action, made_at) VALUES (:d, :p, :a, :t)",
                {"d": parent, "p": page, "a": action, "t": casefile.now()},
            )

    # -- reading ------------------------------------------------------------------------------------------

    def analysis(self, release: str) -> AnalysisRecord | None:
        """The record of the release's last analysis; None when there is none (or the case file predates them)."""
        try:
            r = self._read().execute("SELECT * FROM woo_analyses WHERE release = :r", {"r": release}).fetchone()
        except sqlite3.OperationalError:  # a read-only case file of an older schema has no such table
            return None
        if r is None:
            return None
        return AnalysisRecord(
            r["fingerprint"],
            r["found"],
            bool(r["stored"]),
            json.loads(r["outputs"]),
            json.loads(r["notices"]),
            json.loads(r["doc_ids"]),
        )

    def outputs(self, release: str, doc_ids: Sequence[str]) -> list[int]:
        """How many inventory rows, decision letters and bundle parts of the release are stored: a stored analysis
        is used again only while all of it is there (reading a bundle again drops its parts, for one)."""
        ids = json.dumps(list(doc_ids))
        row = (
            self._read()
            .execute(
                """SELECT (SELECT count(*) FROM woo_inventory WHERE release = :r),
                      (SELECT count(*) FROM woo_decisions WHERE release = :r),
                      (SELECT count(*) FROM woo_parts WHERE parent IN (SELECT value FROM json_each(:ids)))""",
                {"r": release, "ids": ids},
            )
            .fetchone()
        )
        return [int(row[0]), int(row[1]), int(row[2])]

    def scanned(self) -> set[str]:
        return {r[0] for r in self._read().execute("SELECT doc_id FROM woo_scanned")}

    def corrections(self) -> dict[str, list[tuple[int, str]]]:
        out: dict[str, list[tuple[int, str]]] = {}
        for r in self._read().execute("SELECT parent, page, action FROM woo_corrections ORDER BY made_at"):
            out.setdefault(r[0], []).append((r[1], r[2]))
        return out

    def redactions(self, doc_ids: Sequence[str] | None = None) -> Iterator[Redaction]:
        sql = "SELECT * FROM woo_redactions"
        params: dict[str, Any] = {}
        if doc_ids is not None:
            sql += " WHERE doc_id IN (SELECT value FROM json_each(:ids))"
            params["ids"] = json.dumps(list(doc_ids))
        for r in self._read().execute(sql + " ORDER BY doc_id, page, y0, x0", params):
            yield Redaction(
                r["doc_id"],
                r["page"],
                (r["x0"], r["y0"], r["x1"], r["y1"]),
                r["ground"],
                r["source"],
                bool(r["full_page"]),
            )

    def inventory(self, release: str | None = None) -> list[tuple[str, InventoryRow]]:
        sql = "SELECT * FROM woo_inventory"
        params: dict[str, Any] = {}
        if release is not None:
            sql += " WHERE release = :r"
            params["r"] = release
        return [
            (
                r["release"],
                InventoryRow(
                    r["number"],
                    r["date"],
                    r["description"],
                    r["decision"],
                    tuple(json.loads(r["grounds"])),
                    r["source"],
                    r["page"],
                    r["line"],
                    r["doc_id"],
                    r["first_page"],
                    r["unlinked"],
                ),
            )
            for r in self._read().execute(sql + " ORDER BY release, id", params)
        ]

    def parts(self, parents: Sequence[str] | None = None) -> list[WooPart]:
        rows = self._read().execute("SELECT * FROM woo_parts ORDER BY parent, first_page").fetchall()
        return [
            WooPart(r["parent"], r["number"], r["first_page"], r["last_page"], r["title"], r["date"], r["origin"])
            for r in rows
            if parents is None or r["parent"] in parents
        ]

    def decision(self, release: str) -> DecisionLetter | None:
        r = self._read().execute("SELECT * FROM woo_decisions WHERE release = :r", {"r": release}).fetchone()
        if r is None:
            return None
        return DecisionLetter(
            r["doc_id"],
            r["request_date"],
            r["decision_date"],
            r["days"],
            r["term_days"],
            bool(r["extended"]),
            None if r["exceeded"] is None else bool(r["exceeded"]),
            tuple(json.loads(r["grounds"])),
        )

    def releases(self) -> list[str]:
        return [
            r[0]
            for r in self._read().execute(
                "SELECT DISTINCT release FROM woo_inventory UNION SELECT release FROM woo_decisions ORDER BY 1"
            )
        ]

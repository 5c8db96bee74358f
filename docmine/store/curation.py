"""Entity curation rules: stored in the case file and applied to the mentions table, again after re-extraction.

The extracted mentions are the input; a rule rewrites their name and key (merge, rename, split) or deletes
them (reject). Rules run in the order they were made, so the same rules on the same mentions give the same
entities, whether the mentions are fresh from ``extract --all`` or already curated.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from docmine.errors import QueryError
from docmine.model import VALUED_LABELS, CurationRule
from docmine.store import casefile
from docmine.store.filters import placeholders

if TYPE_CHECKING:
    from docmine.store.store import Store

ACTIONS = ("merge", "rename", "reject", "split")
_MATCH = """label = :label AND (entity_key = :key OR canonical = :name OR text = :name OR value = :name)"""


def entity_key(name: str) -> str:
    """The key of a name as ``model.mention_key`` makes it (Python's case folding, not SQLite's ASCII one)."""
    return name.strip().lower()


def all_keys(store: Store, name: str) -> list[str]:
    """The entity keys ``name`` stands for under any label."""
    sql = "SELECT DISTINCT entity_key FROM mentions WHERE entity_key = :key OR canonical = :name OR text = :name OR value = :name"
    return sorted(r[0] for r in store._read().execute(sql, {"key": entity_key(name), "name": name}))


def labels_of(store: Store, name: str) -> list[str]:
    """The labels under which ``name`` is an entity of the case file."""
    sql = "SELECT DISTINCT label FROM mentions WHERE entity_key = :key OR canonical = :name OR text = :name OR value = :name"
    rows = store._read().execute(sql, {"key": entity_key(name), "name": name})
    return sorted(r[0] for r in rows)


def keys_of(conn: sqlite3.Connection, label: str, name: str, doc_id: str | None = None) -> list[str]:
    """The entity keys that ``name`` stands for under ``label`` (optionally within one document)."""
    sql = f"SELECT DISTINCT entity_key FROM mentions WHERE {_MATCH} AND (:doc IS NULL OR doc_id = :doc)"
    rows = conn.execute(sql, {"label": label, "key": entity_key(name), "name": name, "doc": doc_id})
    return sorted(r[0] for r in rows)


def representative(conn: sqlite3.Connection, label: str, keys: Sequence[str]) -> tuple[str, str | None, float | None]:
    """(name, value, value_num) that the entity of ``keys`` shows: its most frequent name."""
    params: dict[str, object] = {"label": label}
    row = conn.execute(
        f"""SELECT coalesce(canonical, text) AS name, max(value), max(value_num) FROM mentions
            WHERE label = :label AND entity_key IN ({placeholders("k", keys, params)})
            GROUP BY name ORDER BY count(*) DESC, name LIMIT 1""",
        params,
    ).fetchone()
    return row[0], row[1], row[2]


def add_rule(store: Store, rule: CurationRule) -> tuple[CurationRule, int]:
    """Store ``rule`` and apply it to the mentions at once, in one transaction; returns it with its id and
    the number of mentions it changed."""
    with store._transaction() as conn:
        cursor = conn.execute(
            """INSERT INTO curation_rules (action, label, name, target, doc_id, page, start_char, created_at)
               VALUES (:action, :label, :name, :target, :doc, :page, :start, :at)""",
            {
                "action": rule.action,
                "label": rule.label,
                "name": rule.name,
                "target": rule.target,
                "doc": rule.doc_id,
                "page": rule.page,
                "start": rule.start,
                "at": casefile.now(),
            },
        )
        rule_id = int(cursor.lastrowid or 0)
        stored = _rule(conn.execute("SELECT * FROM curation_rules WHERE id = :id", {"id": rule_id}).fetchone())
        changed = _apply(conn, stored)
    return stored, changed


def rules(store: Store) -> list[CurationRule]:
    try:
        rows = store._read().execute("SELECT * FROM curation_rules ORDER BY id").fetchall()
    except sqlite3.OperationalError:  # a read-only case file from before the workbench
        return []
    return [_rule(r) for r in rows]


def remove_rule(store: Store, rule_id: int) -> list[str]:
    """Delete a rule; returns the documents it changed (their mentions must be extracted again)."""
    with store._transaction() as conn:
        row = conn.execute("SELECT docs FROM curation_rules WHERE id = :id", {"id": rule_id}).fetchone()
        if row is None:
            raise QueryError(f"no curation rule {rule_id}", "list them with: docmine entity rules")
        conn.execute("DELETE FROM curation_rules WHERE id = :id", {"id": rule_id})
    return list(json.loads(row[0]))


def apply_rules(store: Store) -> int:
    """Apply every rule in order (after an ingest or ``extract --all``); returns the mentions changed."""
    changed = 0
    with store._transaction() as conn:
        for row in conn.execute("SELECT * FROM curation_rules ORDER BY id").fetchall():
            changed += _apply(conn, _rule(row))
    return changed


def _apply(conn: sqlite3.Connection, rule: CurationRule) -> int:
    """Apply one rule to the mentions; records which documents it touched. Returns the mentions changed."""
    keys = keys_of(conn, rule.label, rule.name, rule.doc_id)
    if not keys:
        return 0  # the name is not (or no longer) extracted: nothing to correct
    params: dict[str, object] = {"label": rule.label, "doc": rule.doc_id, "page": rule.page, "start": rule.start}
    scope = f"""label = :label AND entity_key IN ({placeholders("k", keys, params)})
                AND (:doc IS NULL OR doc_id = :doc) AND (:page IS NULL OR page = :page)
                AND (:start IS NULL OR start_char = :start)"""
    docs = [r[0] for r in conn.execute(f"SELECT DISTINCT doc_id FROM mentions WHERE {scope}", params)]
    if rule.action == "reject":
        cursor = conn.execute(f"DELETE FROM mentions WHERE {scope}", params)
    else:
        assert rule.target is not None
        name, value, value_num = rule.target, None, None
        target_keys = keys_of(conn, rule.label, rule.target) if rule.action == "merge" else []
        if target_keys:
            name, value, value_num = representative(conn, rule.label, target_keys)
        if rule.label in VALUED_LABELS:
            # the value is the identity of these entities: a merge takes the target's, a rename only the name
            key = target_keys[0] if target_keys else None
            params.update(name=name, key=key, value=value, num=value_num)
            sets = "canonical = :name" + (", entity_key = :key, value = :value, value_num = :num" if key else "")
        else:
            # a name is the identity: the mentions take the target's name, key and value (the bare name)
            key = target_keys[0] if target_keys else entity_key(name)
            params.update(name=name, key=key, value=value if target_keys else name)
            sets = "canonical = :name, entity_key = :key, value = :value"
        cursor = conn.execute(f"UPDATE mentions SET {sets} WHERE {scope}", params)
    known = json.loads(
        conn.execute("SELECT docs FROM curation_rules WHERE id = :id", {"id": rule.rule_id}).fetchone()[0]
    )
    conn.execute(
        "UPDATE curation_rules SET docs = :docs WHERE id = :id",
        {"docs": json.dumps(sorted(set(known) | set(docs))), "id": rule.rule_id},
    )
    return cursor.rowcount


def _rule(r: sqlite3.Row) -> CurationRule:
    return CurationRule(
        rule_id=r["id"],
        action=r["action"],
        label=r["label"],
        name=r["name"],
        target=r["target"],
        doc_id=r["doc_id"],
        page=r["page"],
        start=r["start_char"],
        created_at=r["created_at"],
    )

"""A case file's tables as plain rows, for comparing two case files that should hold the same (times left out)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path

WHEN = {"ingested_at", "seen_at"}  # when a row was written differs between two runs by design


def dump_tables(db: Path, tables: Mapping[str, str]) -> dict[str, list[tuple[object, ...]]]:
    """Every row of each table in ``tables`` (name -> ORDER BY columns), without the time columns."""
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table, order in tables.items():
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in WHEN]
            out[table] = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}").fetchall()
        return out
    finally:
        conn.close()

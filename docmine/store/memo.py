"""Values read from the case file, kept per reading connection until the file changes."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

MAX_KEYS = 100_000  # values kept per table and connection before that table starts afresh


class Memo:
    """Small tables of values read from the case file (a term's document count, a document's passage count)
    that hold until another connection commits (``PRAGMA data_version`` changes). Each thread reads through
    its own connection, so each keeps its own tables."""

    def __init__(self) -> None:
        self._local = threading.local()

    def table(self, conn: sqlite3.Connection, name: str) -> dict[Any, Any]:
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        state: tuple[sqlite3.Connection, int, dict[str, dict[Any, Any]]] | None = getattr(self._local, "state", None)
        if state is None or state[0] is not conn or state[1] != version:
            state = self._local.state = (conn, version, {})
        table = state[2].setdefault(name, {})
        if len(table) > MAX_KEYS:
            table.clear()
        return table

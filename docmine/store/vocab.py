"""How many passages hold each index term, kept per reading connection until the case file changes."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable

MAX_TERMS = 100_000  # counts kept per connection before the cache starts afresh


class TermCounts:
    """Document frequencies from FTS5's vocabulary table, cached.

    fts5vocab stores no counts: it walks each term's postings, which takes tens of milliseconds for the words
    of a long question on a case file of a million passages, and a search asks three times (key terms,
    candidate words, idf). The counts hold until another connection commits (``PRAGMA data_version``
    changes); each thread reads through its own connection, so each keeps its own counts.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def counts(self, conn: sqlite3.Connection, terms: Iterable[str]) -> dict[str, int]:
        terms = list(dict.fromkeys(terms))
        if not terms:
            return {}
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        state = getattr(self._local, "state", None)
        if state is None or state[0] is not conn or state[1] != version or len(state[2]) > MAX_TERMS:
            state = self._local.state = (conn, version, {})
        known: dict[str, int] = state[2]
        missing = [t for t in terms if t not in known]
        if missing:
            rows = conn.execute(
                f"SELECT term, doc FROM passages_vocab WHERE term IN ({','.join('?' * len(missing))})", missing
            )
            found = {r[0]: r[1] for r in rows}
            known.update({t: found.get(t, 0) for t in missing})
        return {t: known[t] for t in terms}

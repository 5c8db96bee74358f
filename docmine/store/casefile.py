"""The case file on disk: what a file given as the case file is (new, ours, older, newer, someone else's),
the backup before an upgrade, the migrations, and the connections the Store writes and reads with.

Everything that decides whether a file is ours reads it through a read-only connection first, so a file
docmine refuses is left byte for byte as it was (not even switched to WAL).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from docmine.errors import CaseFileDamaged, StoreError, is_damaged
from docmine.store.migrations import LATEST, MIGRATIONS

# Written into the SQLite header (PRAGMA application_id) so a case file says what it is: "dmn1".
APPLICATION_ID = 0x646D6E31
_MIGRATIONS_COLUMNS = {"version", "description", "applied_at"}
_PRAGMAS = (
    "PRAGMA cache_size=-65536",  # 64 MB of page cache: the FTS index stays warm
    "PRAGMA mmap_size=268435456",
)


# What docmine and SQLite keep beside the case file ``case.db``: each module names its own from here, and the
# ingest leaves all of them out when it walks the case file's folder.
LOCK = ".lock"  # store/lock.py: one writer at a time
VECTORS = ".vec"  # search/vectors.py: the vector index folder (a damaged one is renamed .vec.damaged)
BACKUP = ".bak-schema"  # backup(): the copy made before an upgrade
FILES = ".files"  # ingest/archive.py: archives unpacked, whose files are the documents
_SQLITE = ("-wal", "-shm", "-journal")


def beside(path: Path, suffix: str) -> Path:
    """``case.db`` + ``suffix`` in the same folder."""
    return path.with_name(path.name + suffix)


def companions(path: str) -> tuple[str, ...]:
    """The prefixes of every file the case file at ``path`` has beside it."""
    return tuple(path + suffix for suffix in (*_SQLITE, LOCK, VECTORS, BACKUP, FILES))


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def inspect(path: Path) -> int:
    """The schema version of the case file at ``path``: 0 for a new or empty file.

    Raises StoreError for a folder, a device or pipe, a file that is not SQLite, a SQLite database of another
    program, or a case file from a newer docmine. Only reads."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a case file", "give a file name for the case file, e.g. case.db")
    if path.exists() and not path.is_file():  # /dev/null, a named pipe: SQLite cannot keep a database there
        raise StoreError(
            f"{path} is not a regular file, so it cannot be a case file",
            "give a file name for the case file, e.g. case.db",
        )
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise StoreError(f"{path} is not a docmine case file", "choose another name for the case file")
    try:
        conn = _connect_to_look(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
            columns = {r[1] for r in conn.execute("PRAGMA table_info(schema_migrations)")}
            ours = app_id == APPLICATION_ID or (app_id == 0 and columns >= _MIGRATIONS_COLUMNS)
            if not ours:
                if app_id == 0 and not names:
                    return 0  # an empty SQLite file: a new case file
                shown = ", ".join(sorted(names)[:4]) + (", ..." if len(names) > 4 else "")
                raise StoreError(
                    f"{path} is a SQLite database of another program, not a docmine case file"
                    + (f" (it holds {shown})" if shown else ""),
                    "choose another name for the case file; docmine leaves this one as it is",
                )
            version = int(conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if is_damaged(exc):  # SQLite's header is there, the rest does not hold together
            raise CaseFileDamaged(str(exc), str(path)) from exc
        raise StoreError(f"{path} is not a docmine case file ({exc})", "choose another name for the case file") from exc
    if version > LATEST:
        raise StoreError(
            f"{path} was written by a newer docmine (schema {version}; this one reads up to {LATEST})",
            "upgrade docmine to open this case file; it was left as it is",
        )
    return version


def writable(path: Path) -> bool:
    """Whether docmine may write the case file: the file and its folder (WAL, shared-memory and lock files
    live beside it). A file that does not exist yet counts as writable; creating it says otherwise."""
    if not path.exists():
        return True
    return os.access(path, os.W_OK) and os.access(path.absolute().parent, os.W_OK)


def unused_name(path: Path, suffix: str) -> Path:
    """``path`` + ``suffix`` beside it, or + ``suffix-2``, ``-3``... where that is taken."""
    dest, n = beside(path, suffix), 1
    while dest.exists():
        n += 1
        dest = path.with_name(f"{path.name}{suffix}-{n}")
    return dest


def backup(path: Path, version: int) -> Path:
    """A consistent copy of the case file beside it (``case.db.bak-schema4``), made before an upgrade."""
    dest = unused_name(path, f"{BACKUP}{version}")  # never overwrite an earlier backup
    source = connect_readonly(path)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
        finally:
            target.close()
    except (OSError, sqlite3.Error) as exc:
        dest.unlink(missing_ok=True)
        raise StoreError(
            f"cannot back up {path} before upgrading it from schema {version}: {exc}",
            "free some disk space, or make the folder writable",
        ) from exc
    finally:
        source.close()
    return dest


def connect_writer(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout=15000")  # before WAL: another process may be creating the file too
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        for pragma in _PRAGMAS:
            conn.execute(pragma)
    except (OSError, sqlite3.DatabaseError) as exc:
        raise StoreError(f"cannot open case file {path}: {exc}", "check the path and its permissions") from exc
    return conn


def reader_uri(path: Path, readonly: bool) -> str:
    """The URI read connections open. Read-only: ``mode=ro``, or ``immutable=1`` where SQLite cannot
    create the WAL's shared-memory file beside the case file (a read-only share or disc)."""
    base = "file:" + quote(os.fsencode(path.absolute()))
    if not readonly:
        return base
    try:
        probe = sqlite3.connect(base + "?mode=ro", uri=True)
        try:
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            probe.close()
        return base + "?mode=ro"
    except sqlite3.OperationalError:
        return base + "?immutable=1"


def connect_reader(uri: str, readonly: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    if not readonly:
        conn.execute("PRAGMA query_only=1")  # reads only: the writer connection owns every write
    conn.execute("PRAGMA busy_timeout=5000")
    for pragma in _PRAGMAS:
        conn.execute(pragma)
    return conn


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file, for looking at it before it is trusted."""
    return sqlite3.connect(reader_uri(path, readonly=True), uri=True)


def _connect_to_look(path: Path) -> sqlite3.Connection:
    """Read-only, and leaving no trace: without a -wal file beside it the file holds everything committed,
    so it is read as immutable (a mode=ro connection to a WAL file would leave -wal and -shm files behind).
    Whatever this misses of a run writing right now, ``migrate`` checks again inside its transaction."""
    if Path(f"{path}-wal").exists():
        return connect_readonly(path)
    return sqlite3.connect("file:" + quote(os.fsencode(path.absolute())) + "?immutable=1", uri=True)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the missing migrations in one transaction; returns the schema version.

    BEGIN IMMEDIATE and reading the applied versions inside it: two processes creating the same case file
    at once apply each migration once."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        if done and max(done) > LATEST:
            raise StoreError(f"the case file was upgraded by a newer docmine (schema {max(done)})", "upgrade docmine")
        for version, description, sql in MIGRATIONS:
            if version in done:
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (:v, :d, :t)",
                {"v": version, "d": description, "t": now()},
            )
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite ends the transaction itself on some errors (a full disk, I/O)
            conn.execute("ROLLBACK")
        raise
    return LATEST


def _statements(sql: str) -> list[str]:
    """Split a migration script at statement ends, keeping trigger bodies whole."""
    out: list[str] = []
    buf = ""
    for line in sql.strip().splitlines():
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out

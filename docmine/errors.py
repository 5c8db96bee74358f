"""The error tree: every error a person can cause carries a one-line message and a hint.

Standard library only. Third-party exceptions are wrapped once, at the boundary that meets them.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

# What a person can do next, named once: each front end phrases it for its medium (the CLI as a command,
# the terminal UI as its own words), so the layers below never write CLI flags into their hints.
ACTIONS = ("list-documents", "list-claims", "embed", "set-limit", "trace-claim", "set-ocr")


class DocmineError(Exception):
    """Base class: ``message`` says what went wrong, ``hint`` what to do about it, in words that fit any front
    end; ``action`` (one of ACTIONS) names the next step that a front end may spell out in its own terms."""

    def __init__(self, message: str, hint: str = "", action: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.action = action

    def __str__(self) -> str:
        return self.message


class IngestError(DocmineError):
    """A file could not be parsed (corrupt, encrypted, empty, over a limit...)."""

    def __init__(self, path: str, message: str, hint: str = "", page: int | None = None) -> None:
        super().__init__(message, hint)
        self.path = path
        self.page = page


class UnsupportedFormat(IngestError):
    pass


class StoreError(DocmineError):
    """The case file cannot be opened or is not a docmine database."""


class VectorIndexDamaged(StoreError):
    """The vector index beside a case file cannot be read (its description is damaged or not docmine's)."""


class DiskFull(StoreError):
    """The disk that holds the case file (or its vector index) ran out of space while docmine wrote to it."""

    def __init__(self, where: str) -> None:
        super().__init__(
            f"the disk holding {where} is full: what was being written is not stored",
            "free some space (or move the case file to a disk with room) and run the same command again; "
            "everything stored before is kept and the run goes on from where it stopped",
        )


class CaseFileDamaged(StoreError):
    """SQLite finds the case file damaged (a copy cut short, a failing disk): some of it cannot be read."""

    def __init__(self, detail: str, where: str = "the case file") -> None:
        super().__init__(
            f"{where} is damaged ({detail}): the part that is damaged cannot be read",
            "restore it from a backup copy, or ingest the documents again into a new case file; the sqlite3 "
            "tool's .recover command may save part of it",
        )


class CaseFileBusy(StoreError):
    """Another program holds SQLite's write lock on the case file (a sqlite3 shell inside a transaction, a
    database browser with unsaved changes) for longer than docmine waits. docmine's own runs queue politely
    (``store/lock.py``); this is for programs that know nothing of that."""

    def __init__(self, where: str = "the case file") -> None:
        super().__init__(
            f"{where} is locked by another program that is writing to it",
            "close that program, or end its transaction (a sqlite3 shell, a database browser with unsaved "
            "changes), and run the same command again; nothing stored was lost",
        )


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite giving up on a lock another connection holds ("database is locked")."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in str(exc)


def is_damaged(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite saying the database file is corrupt or not a database."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in str(exc)


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's or the operating system's "no space left on the device"."""
    if isinstance(exc, sqlite3.OperationalError):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def known_error(exc: BaseException, where: str | None = None) -> DocmineError | None:
    """The DocmineError for an accident of the machine that a library reported (a full disk, a damaged case
    file, a lock another program holds), or None: front ends show it as they show any DocmineError.
    ``where``: the file concerned."""
    if is_disk_full(exc):
        return DiskFull(where or getattr(exc, "filename", None) or "the case file")
    if is_damaged(exc):
        return CaseFileDamaged(str(exc), where or "the case file")
    if is_busy(exc):
        return CaseFileBusy(where or "the case file")
    return None


class DocumentNotFound(DocmineError):
    pass


class ModelCacheUnusable(DocmineError):
    """The model cache cannot be written (a file in its place, a read-only home): models are built there once."""

    def __init__(self, where: Path, reason: str) -> None:
        super().__init__(
            f"cannot build the models in the cache at {where} ({reason})",
            "docmine converts its models there once; point DOCMINE_CACHE_DIR (or XDG_CACHE_HOME) at a folder "
            "you can write",
        )


class QueryError(DocmineError):
    """A search query or filter that cannot be run."""


class ModelNotFound(DocmineError):
    """A model (spaCy pipeline, embedding model) is missing."""

"""The model cache: folders named by a hash of what they were built from, published in one rename.

A published folder is complete and never changed or deleted afterwards, so any number of processes and
docmine installs can share one cache: a newer source gets a folder under its own key beside the old one.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from docmine.errors import ModelCacheUnusable

KEY_DIGITS = 16


def content_key(*parts: str | Path) -> str:
    """Hex sha256 over the given strings and the bytes of the given files, in order.

    File contents, not sizes and times: two installs that hold the same file with different modification
    times must find each other's conversion.
    """
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            with part.open("rb") as fh:
                h.update(hashlib.file_digest(fh, "sha256").digest())
        else:
            h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:KEY_DIGITS]


def publish(dest: Path, build: Callable[[Path], None], is_complete: Callable[[Path], bool]) -> Path:
    """Return ``dest``; unless it is already complete, run ``build(folder)`` and rename the folder to ``dest``.

    The build runs in a private sibling folder, so a reader never sees half a model. Builders of one key
    take turns on a lock file (the second finds the first's result and builds nothing); where the lock
    does not hold (some network file systems), the rename still decides: the loser keeps the winner's.
    """
    if is_complete(dest):
        return dest
    from filelock import FileLock

    locks = dest.parent / ".locks"
    try:
        locks.mkdir(parents=True, exist_ok=True)
        lock = FileLock(locks / f"{dest.name}.lock")
        lock.acquire()
    except OSError as exc:  # a file where the folder should be, a read-only home
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise  # a full disk: reported as such wherever it happens
        raise ModelCacheUnusable(dest.parent, exc.strerror or str(exc)) from exc
    try:
        if not is_complete(dest):  # another process may have built it while this one waited
            _build_and_rename(dest, build, is_complete)
    finally:
        lock.release()
    return dest


def _build_and_rename(dest: Path, build: Callable[[Path], None], is_complete: Callable[[Path], bool]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        build(tmp)
        tmp.chmod(0o755)  # mkdtemp makes it private; a model cache is ordinary user data
        if dest.exists() and not is_complete(dest):
            _set_aside(dest)  # damaged by hand (publishing is atomic): nobody can be using it
        try:
            os.rename(tmp, dest)
        except OSError:
            if not is_complete(dest):  # not another process's finished folder: a real failure
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _set_aside(folder: Path) -> None:
    trash = Path(tempfile.mkdtemp(prefix=f".{folder.name}.damaged.", dir=folder.parent))
    os.replace(folder, trash / "model")
    shutil.rmtree(trash, ignore_errors=True)

"""The run lock: one docmine run at a time adds to a case file, the next waits and says what it waits for.

An flock on ``<case file>.lock`` beside the case file (not on the case file itself: SQLite's own POSIX
locks live there, and on some network file systems flock and POSIX locks are the same lock). The kernel
drops it when the holder exits, kill -9 included, so a crashed run never leaves it stuck.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from docmine.store import casefile

try:
    import fcntl
except ImportError:  # Windows: no flock; runs there are not serialised
    fcntl = None  # type: ignore[assignment]


class RunLock:
    """Re-entrant within a process (an ingest that embeds takes it twice), exclusive between processes."""

    def __init__(self, case_file: Path) -> None:
        self.case_file = case_file
        self.path = casefile.beside(case_file, casefile.LOCK)
        self._guard = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def hold(self, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
        with self._guard:
            if self._depth == 0:
                self._acquire(waiting)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()

    def _acquire(self, waiting: Callable[[str], None] | None) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if waiting is not None:
                    waiting(f"waiting for another docmine run that is adding to {self.case_file}")
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
        self._fd = fd

    def _release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None

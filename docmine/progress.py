"""Rich progress for long work in the CLI: files and pages per second, ETA; rows written by an export."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from docmine.service import IngestProgress


def _columns() -> tuple[Any, ...]:
    """One layout for every task, narrow enough for 80 columns: what, bar, n/m unit, rate, ETA."""
    return (
        TextColumn("[bold]{task.description:<7}"),
        BarColumn(bar_width=24),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TextColumn("{task.fields[rate]}", style="cyan"),
        TimeRemainingColumn(),
    )


class RichIngestProgress(IngestProgress):
    """Files done of all, pages per second and ETA; a second bar for embedding the new passages."""

    def __init__(self, console: Console, label: str = "ingest") -> None:
        self._progress = Progress(
            *_columns(),
            console=console,
            transient=False,
            disable=not console.is_terminal,  # logs get the closing summary, not a squeezed bar
        )
        self._task = self._progress.add_task(label, total=0, unit="files", rate="")
        self._pages = 0
        self._started = 0.0
        self._embed_task: TaskID | None = None
        self._read_task: TaskID | None = None  # the entity pass over one long file, while it lasts

    def stage(self, message: str) -> None:
        self._progress.console.print(f"[yellow]{escape(message)}[/]")

    def start(self, total_files: int) -> None:
        self._started = time.perf_counter()
        self._progress.update(self._task, total=total_files)
        self._progress.start()

    def reading(self, path: str, done: int, total: int) -> None:
        """A second bar while one long file is read for entities: characters done of all (nothing while a worker
        has the file: how far it is cannot be known)."""
        if total == 0:
            return
        unit = f"chars of {escape(Path(path).name[:24])}"
        if self._read_task is None:
            self._read_task = self._progress.add_task("read", total=total, unit=unit, rate="")
        self._progress.update(self._read_task, completed=done, total=total, unit=unit)

    def advance(self, path: str, pages: int, status: str) -> None:
        if self._read_task is not None:
            self._progress.remove_task(self._read_task)
            self._read_task = None
        self._pages += pages
        elapsed = max(time.perf_counter() - self._started, 1e-6)
        self._progress.update(self._task, advance=1, rate=f"{self._pages / elapsed:.1f} pages/s")

    def embedding(self, done: int, total: int) -> None:
        if self._embed_task is None:
            self._embed_task = self._progress.add_task("embed", total=total, unit="passages", rate="")
        self._progress.update(self._embed_task, completed=done, total=total)

    def finish(self) -> None:
        self._progress.stop()


class RichEmbedProgress:
    """A bar for `docmine embed`: passages embedded, rate and ETA."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(*_columns(), console=console, disable=not console.is_terminal)
        self._task = self._progress.add_task("embed", total=None, unit="passages", rate="")
        self._progress.start()

    def update(self, done: int, total: int) -> None:
        self._progress.update(self._task, completed=done, total=total)

    def stop(self) -> None:
        self._progress.stop()


@contextmanager
def export_progress(console: Console) -> Iterator[Callable[[int], None]]:
    """A spinner with the rows written so far; yields the callback that the export writer calls."""
    columns = (SpinnerColumn(), TextColumn("export {task.fields[rows]:,} rows"))
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("export", total=None, rows=0)
        yield lambda n: bar.update(task, rows=n)


@contextmanager
def text_progress(console: Console, label: str = "ner") -> Iterator[Callable[[int, int], None]]:
    """A bar for reading one long text (``docmine ner``): share of its characters read, ETA; gone when done, so
    the output that follows stands alone."""
    columns = (TextColumn(f"[bold]{label}"), BarColumn(bar_width=24), TaskProgressColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)

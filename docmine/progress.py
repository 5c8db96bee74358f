"""Rich progress for long work in the CLI: files and pages per second, ETA."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from docmine.service import IngestProgress


class RichIngestProgress(IngestProgress):
    def __init__(self, console: Console, label: str = "ingest") -> None:
        self._progress = Progress(
            TextColumn(f"[bold]{label}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files · {task.fields[pages]} pages · {task.fields[rate]}"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[current]}", style="dim"),
            console=console,
            transient=False,
        )
        self._task = self._progress.add_task("ingest", total=0, pages=0, rate="", current="")
        self._pages = 0
        self._started = 0.0
        self._embed_task: TaskID | None = None

    def start(self, total_files: int) -> None:
        self._started = time.perf_counter()
        self._progress.update(self._task, total=total_files)
        self._progress.start()

    def advance(self, path: str, pages: int, status: str) -> None:
        self._pages += pages
        elapsed = max(time.perf_counter() - self._started, 1e-6)
        done = self._progress.tasks[0].completed + 1
        rate = f"{done / elapsed:.1f} files/s, {self._pages / elapsed:.1f} pages/s"
        name = path.rsplit("/", 1)[-1][:40]
        self._progress.update(self._task, advance=1, pages=self._pages, rate=rate, current=name)

    def embedding(self, done: int, total: int) -> None:
        if self._embed_task is None:
            self._embed_task = self._progress.add_task(
                "embed", total=total, pages=0, rate="passages embedded", current=""
            )
        self._progress.update(self._embed_task, completed=done, total=total)

    def finish(self) -> None:
        self._progress.stop()


class RichEmbedProgress:
    """A bar for `docmine embed`: passages embedded, rate and ETA."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("[bold]embed"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("passages"),
            TimeRemainingColumn(),
            console=console,
        )
        self._task = self._progress.add_task("embed", total=None)
        self._progress.start()

    def update(self, done: int, total: int) -> None:
        self._progress.update(self._task, completed=done, total=total)

    def stop(self) -> None:
        self._progress.stop()

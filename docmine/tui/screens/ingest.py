"""The ingest screen: a path box for files or folders, a progress bar, the files done and the failures."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Input, Label, ProgressBar, RichLog, Static
from textual.worker import Worker, WorkerState, get_current_worker

from docmine.errors import DocmineError
from docmine.ingest.paths import LINK_HINT
from docmine.service import IngestProgress, IngestStopped
from docmine.tui.messages import Failed, IngestAdvanced, IngestDone, IngestStage, IngestStarted
from docmine.tui.screens.base import DocmineScreen

if TYPE_CHECKING:
    from textual.message_pump import MessagePump


STATUS_STYLES = {
    "ok": "green",
    "failed": "bold red",
    "needs_ocr": "yellow",
    "partial": "yellow",
    "duplicate": "dim",
    "moved": "cyan",
}


class PostingProgress(IngestProgress):
    """Runs in the worker thread; ``post_message`` is thread-safe, so it only posts. Once ``cancelled()`` (the
    app is quitting) it stops the ingest at the next callback: quitting waited for a long file to be read."""

    def __init__(self, target: MessagePump, cancelled: Callable[[], bool] = lambda: False) -> None:
        self.target = target
        self.cancelled = cancelled

    def _post(self, message: Message) -> None:
        if self.cancelled():
            raise IngestStopped
        self.target.post_message(message)

    def start(self, total_files: int) -> None:
        self._post(IngestStarted(total_files))

    def advance(self, path: str, pages: int, status: str) -> None:
        self._post(IngestAdvanced(path, pages, status))

    def stage(self, message: str) -> None:
        self._post(IngestStage(message))

    def reading(self, path: str, done: int, total: int) -> None:
        name = Path(path).name  # a long file (work.LONG_TEXT_CHARS): say how far its entity pass is
        if total == 0:  # a worker process has it (a quit stops the ingest here rather than after the file)
            self._post(IngestStage(f"reading {name} in a worker process"))
        else:
            self._post(IngestStage(f"reading {name} for entities: {100 * done // total}%"))

    def embedding(self, done: int, total: int) -> None:
        self._post(IngestStage(f"embedding passages for semantic search: {done}/{total}"))


def split_paths(value: str) -> list[Path]:
    """Paths separated by spaces; quote a path that holds spaces. A single existing path is taken whole."""
    value = value.strip()
    if Path(value).expanduser().exists():
        return [Path(value).expanduser()]
    try:
        parts = shlex.split(value)
    except ValueError as exc:
        raise DocmineError(f"cannot read the paths: {exc}", "close the quote around a path with spaces") from exc
    return [Path(p).expanduser() for p in parts]


class IngestScreen(DocmineScreen):
    BINDINGS = [Binding("escape", "back", "Back")]

    HELP_NOTES = [("Enter", "start; paths with spaces go in quotes"), ("", "Escape leaves a running ingest going")]

    def __init__(self) -> None:
        super().__init__()
        self.running = False
        self.failures: list[tuple[str, str]] = []
        self.done = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="ingest"):
            yield Label("Ingest files or a folder (folders are read recursively)", classes="panel-title")
            yield Input(placeholder="/path/to/folder  or  file1.pdf file2.docx   (Enter starts)", id="paths")
            yield ProgressBar(id="ingest-progress", show_eta=False)
            yield Static("", id="ingest-status", markup=False)
            yield RichLog(id="ingest-log", markup=False, wrap=True, max_lines=500)
            yield Label("Failures", classes="panel-title")
            with VerticalScroll(id="failures-box"):
                yield Static("none", id="failures", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#paths", Input).focus()

    @on(Input.Submitted, "#paths")
    def _start(self, event: Input.Submitted) -> None:
        event.stop()
        if self.running or not event.value.strip():
            return
        try:
            paths = split_paths(event.value)
        except DocmineError as exc:
            self.app.show_error(exc)
            return
        self.running = True
        self.failures, self.done = [], 0
        self.query_one("#ingest-log", RichLog).clear()
        self.query_one("#failures", Static).update("none")
        self.query_one("#ingest-status", Static).update("reading " + ", ".join(str(p) for p in paths))
        self.run_ingest(paths)

    @work(thread=True, exclusive=True, group="ingest", exit_on_error=False)
    def run_ingest(self, paths: list[Path]) -> None:
        worker = get_current_worker()  # cancelled when the app quits
        try:
            report = self.app.dm.ingest(paths, PostingProgress(self, lambda: worker.is_cancelled))
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        self.post_message(IngestDone(report))

    def on_ingest_started(self, message: IngestStarted) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=0)

    def on_ingest_advanced(self, message: IngestAdvanced) -> None:
        self.done += 1
        bar = self.query_one(ProgressBar)
        bar.advance(1)
        # Parsing and entity extraction run per file; after the last one, embedding may still take minutes.
        stage = "read and extracted" if bar.total is not None and self.done >= bar.total else "reading and extracting"
        self.query_one("#ingest-status", Static).update(f"{stage} {self.done}/{bar.total or '?'} files")
        line = Text(f"{message.status:<9}", style=STATUS_STYLES.get(message.status, ""))
        line.append(f" {Path(message.path).name}  ({message.pages} page{'' if message.pages == 1 else 's'})")
        self.query_one("#ingest-log", RichLog).write(line)

    def on_ingest_stage(self, message: IngestStage) -> None:
        self.query_one("#ingest-status", Static).update(message.stage)

    def on_ingest_done(self, message: IngestDone) -> None:
        self.running = False
        report = message.report
        summary = (
            f"{len(report.ingested)} ingested, {len(report.duplicates)} duplicates, {len(report.failed)} failed; "
            + (f"{len(report.moved)} moved (stored from a path that is gone, found here); " if report.moved else "")
            + f"{report.pages} pages in {report.seconds:.1f} s"
        )
        self.query_one("#ingest-status", Static).update(summary)
        for archive, folder in report.unpacked:
            self.query_one("#ingest-log", RichLog).write(
                Text(f"unpacked {Path(archive).name} -> {folder}", style="cyan")
            )
        self.failures = list(report.failed) + [
            (link, f"a link to {target}: {LINK_HINT}") for link, target in report.links
        ]
        self.query_one("#failures", Static).update(
            "\n".join(f"{Path(p).name}: {reason}" for p, reason in self.failures) or "none"
        )
        self.notify(summary, title="ingest", severity="warning" if report.failed else "information")
        for saved, hits in getattr(report, "watch", ()):  # the new hits of each saved search (docmine watch)
            news = (
                f"saved search {saved.query!r}: {len(hits)} new hits in {len({h.ref.doc_id for h in hits})} documents"
            )
            self.query_one("#ingest-log", RichLog).write(Text(news, style="bold"))
            self.notify(news, title="saved search")
        self.app.refresh_search()

    def on_failed(self, message: Failed) -> None:
        self.running = False
        self.query_one("#ingest-status", Static).update(message.error.message)
        # the modal comes from DocmineScreen.on_failed, which Textual runs after this handler

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self.running = False

    def action_back(self) -> None:
        if self.running:
            self.notify("the ingest goes on; F4 shows its progress", title="ingest")
        self.app.pop_screen()

"""The batch screen: a file of queries searched at once, the queries with their hit counts, and the hits of the
query under the cursor; Enter on a hit opens its page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Static

from docmine.errors import DocmineError
from docmine.rows import batch_rows
from docmine.tui.messages import Failed
from docmine.tui.screens.base import DocmineScreen


class BatchDone(Message):
    """The results of a batch (``BatchResult`` of search/batch), in the order of the file."""

    def __init__(self, results: list[Any]) -> None:
        super().__init__()
        self.results = results


class BatchScreen(DocmineScreen):
    """Runs ``dm.search_batch`` on the file named in the box, in a worker; browses hits per query."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f3", "export", "Export"),
    ]

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.path = path
        self.results: list[Any] = []
        self.shown: list[Any] = []  # the hits of the query under the cursor

    def compose(self) -> ComposeResult:
        yield Input(self.path, placeholder="batch file: one query a line, or CSV with id,query", id="batch-path")
        yield Static("", id="batch-status", markup=False)
        with Horizontal():
            queries: DataTable[Any] = DataTable(id="batch-queries", cursor_type="row", zebra_stripes=True)
            queries.add_columns("id", "query", "hits")
            yield queries
            hits: DataTable[Any] = DataTable(id="batch-hits", cursor_type="row")
            hits.add_columns("rank", "document", "page", "snippet")
            yield hits
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#batch-path", Input).focus()
        if self.path:
            self.run_batch(self.path)

    @on(Input.Submitted, "#batch-path")
    def _load(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.query_one("#batch-status", Static).update("searching…")
            self.run_batch(event.value.strip())

    @work(thread=True, exclusive=True, group="batch", exit_on_error=False)
    def run_batch(self, path: str) -> None:
        dm = self.app.dm
        try:
            results = dm.search_batch(dm.read_batch(Path(path).expanduser()))
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        self.post_message(BatchDone(results))

    def on_batch_done(self, message: BatchDone) -> None:
        self.results = message.results
        table = self.query_one("#batch-queries", DataTable)
        table.clear()
        for r in self.results:
            table.add_row(r.query.query_id, r.query.query[:50], "error" if r.error else str(len(r.hits)))
        missing = sum(1 for r in self.results if not r.hits and not r.error)
        failed = sum(1 for r in self.results if r.error)
        self.query_one("#batch-status", Static).update(
            f"{len(self.results)} queries: {len(self.results) - missing - failed} with hits, {missing} without, "
            f"{failed} not run"
        )
        if self.results:
            table.focus()
            self.show_hits(0)

    def on_failed(self, message: Failed) -> None:
        # Textual also runs DocmineScreen.on_failed (handlers run along the MRO): it shows the error modal
        self.query_one("#batch-status", Static).update(message.error.message)

    @on(DataTable.RowHighlighted, "#batch-queries")
    def _query_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_hits(event.cursor_row)

    def show_hits(self, index: int) -> None:
        if not 0 <= index < len(self.results):
            return
        result = self.results[index]
        self.shown = list(result.hits)
        table = self.query_one("#batch-hits", DataTable)
        table.clear()
        if result.error:
            table.add_row("", result.error, "", "")
        for rank, hit in enumerate(self.shown, 1):
            title = hit.title or Path(hit.path).name
            table.add_row(str(rank), title[:40], str(hit.ref.page), " ".join(hit.snippet.split())[:80])

    @on(DataTable.RowSelected, "#batch-queries")
    def _to_hits(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.shown:
            self.query_one("#batch-hits", DataTable).focus()

    @on(DataTable.RowSelected, "#batch-hits")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.cursor_row < len(self.shown):
            hit = self.shown[event.cursor_row]
            self.app.open_document(hit.ref.doc_id, hit.ref.page, (hit.ref.start, hit.ref.end), hit.matched)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        self.ask_export(list(batch_rows(self.results)), "docmine-batch.csv", "a batch search", "Export batch hits to")

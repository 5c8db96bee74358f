"""The timeline screen: dated facts of the case file in order, narrowed to an entity or a search; Enter opens
the fact's page with its sentence marked."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Label, Static

from docmine.errors import DocmineError
from docmine.rows import timeline_rows
from docmine.tui.messages import Failed
from docmine.tui.screens.base import DocmineScreen


class TimelineLoaded(Message):
    """Dated facts (``TimelineEvent``) in date order."""

    def __init__(self, events: list[Any]) -> None:
        super().__init__()
        self.events = events


class TimelineScreen(DocmineScreen):
    """Runs ``dm.timeline`` in a worker for the entity and query typed; Enter on a row opens its source page."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f3", "export", "Export"),
    ]

    def __init__(self, entity: str | None = None) -> None:
        super().__init__()
        self.entity = entity
        self.events: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Label("Timeline", id="timeline-title")
        with Horizontal(id="timeline-filters"):
            yield Input(self.entity or "", placeholder="entity (name)", id="timeline-entity")
            yield Input(placeholder="search words", id="timeline-query")
        yield Static("loading…", id="timeline-status", markup=False)
        table: DataTable[Any] = DataTable(id="timeline-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("date", "kind", "fact", "document", "page")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#timeline-table", DataTable).focus()
        self.load()

    @on(Input.Submitted)
    def _filter(self, event: Input.Submitted) -> None:
        event.stop()
        self.load()

    def load(self) -> None:
        entity = self.query_one("#timeline-entity", Input).value.strip() or None
        query = self.query_one("#timeline-query", Input).value.strip() or None
        self.run_timeline(entity, query)

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def run_timeline(self, entity: str | None, query: str | None) -> None:
        try:
            events = self.app.dm.timeline(entity, query)
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        self.post_message(TimelineLoaded(events))

    def on_timeline_loaded(self, message: TimelineLoaded) -> None:
        self.events = message.events
        table = self.query_one("#timeline-table", DataTable)
        table.clear()
        for e in self.events:
            table.add_row(e.date, e.kind, " ".join(e.text.split())[:100], e.title[:40], str(e.ref.page))
        self.query_one("#timeline-status", Static).update(f"{len(self.events)} dated facts")

    def on_failed(self, message: Failed) -> None:
        # Textual also runs DocmineScreen.on_failed (handlers run along the MRO): it shows the error modal
        self.query_one("#timeline-status", Static).update(message.error.message)

    @on(DataTable.RowSelected, "#timeline-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        ref = self.events[event.cursor_row].ref
        span = (ref.start, ref.end) if ref.end > ref.start else None
        self.app.open_document(ref.doc_id, ref.page, span, exact=span is not None)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        self.ask_export(timeline_rows(self.events), "docmine-timeline.csv", "a timeline", "Export timeline to")

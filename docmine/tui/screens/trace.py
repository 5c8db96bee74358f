"""The trace screen: the passages that state a claim or a typed statement, likely origin first, conflicts flagged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from docmine.display import Namer, conflict_text, fact_text
from docmine.errors import DocmineError
from docmine.tui.messages import Failed, TraceLoaded
from docmine.tui.screens.base import DocmineScreen
from docmine.tui.tables import source_rows

DIFFERS = "≠ states a different value"  # the words carry the flag without colour (NO_COLOR)
DIFFERS_STYLE = "bold reverse red"


def source_prompt(rank: int, source: Any, namer: Namer | None = None, raw: bool = False) -> Table:
    """Rank, document, date, page, the sentence, then the values it shares and those it states differently."""
    body = Text(source.title or Path(source.path).name, style="bold")
    body.append(
        f"\n{source.date or 'undated'} · p. {source.ref.page} · similarity {source.similarity:.2f}", style="cyan"
    )
    body.append("\n" + " ".join(source.sentence.split()))
    if source.shared:
        body.append("\n= same: " + ", ".join(fact_text(f, namer, raw) for f in source.shared), style="green")
    if source.conflicts:
        body.append("\n")
        body.append(DIFFERS, style=DIFFERS_STYLE)
        body.append(": " + "; ".join(conflict_text(f, namer, raw) for f in source.conflicts), style="bold")
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=3, justify="right", style="bold")
    grid.add_column(ratio=1)
    grid.add_row(f"{rank}.", body)
    return grid


class SourceList(OptionList):
    """Sources as options; the screen keeps the Source objects and maps the option index back to them."""


class TraceScreen(DocmineScreen):
    """Runs ``dm.trace`` for a claim or a statement in a worker; Enter on a source opens that passage."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f3", "export", "Export"),
        Binding("e", "export", "Export", show=False),
        Binding("v", "toggle_values", "Values"),
    ]

    HELP_NOTES = [("Enter", "open the source at its sentence")]

    def __init__(self, statement: str | None = None, claim_id: int | None = None) -> None:
        super().__init__()
        self.statement = statement
        self.claim_id = claim_id
        self.sources: list[Any] = []
        self.raw = False  # v: values as stored (MONEY=160000000.00) instead of as people write them

    def compose(self) -> ComposeResult:
        yield Label(f"Trace: {self.statement or f'claim {self.claim_id}'}", id="trace-title", markup=False)
        yield Static("tracing…", id="trace-status", markup=False)
        yield SourceList(id="sources")
        yield Footer()

    def on_mount(self) -> None:
        listing = self.query_one(SourceList)
        listing.focus()
        # A spinner over the sources: the first trace loads the entity pipeline (and the embedder) first.
        listing.loading = True
        self.run_trace()

    @work(thread=True, exclusive=True, group="trace", exit_on_error=False)
    def run_trace(self) -> None:
        try:
            results = self.app.dm.trace(statement=self.statement, claim_id=self.claim_id)
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        self.post_message(TraceLoaded(results))

    def on_trace_loaded(self, message: TraceLoaded) -> None:
        results = message.results
        self.query_one(SourceList).loading = False
        self.sources = list(results)
        self.statement = getattr(results, "statement", None) or self.statement
        self.query_one("#trace-title", Label).update(f"Trace: {self.statement}")
        differ = sum(1 for s in self.sources if s.conflicts)
        status = f"{len(self.sources)} sources, {differ} {'states' if differ == 1 else 'state'} a different value"
        notice = getattr(results, "notice", None)
        self.query_one("#trace-status", Static).update(status + (f" - {notice}" if notice else ""))
        self.show_sources()

    def show_sources(self) -> None:
        listing = self.query_one(SourceList)
        highlighted = listing.highlighted
        namer = self.app.dm.municipality_name
        listing.set_options(
            Option(source_prompt(i, s, namer, self.raw), id=str(i)) for i, s in enumerate(self.sources, 1)
        )
        if self.sources:
            listing.highlighted = highlighted or 0

    def action_toggle_values(self) -> None:
        self.raw = not self.raw
        self.show_sources()

    def on_failed(self, message: Failed) -> None:
        # DocmineScreen.on_failed runs after this one (Textual walks the MRO) and shows the modal, once
        self.query_one(SourceList).loading = False
        self.query_one("#trace-status", Static).update(message.error.message)

    @on(OptionList.OptionSelected, "#sources")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        ref = self.sources[event.option_index].ref
        self.app.open_document(ref.doc_id, ref.page, (ref.start, ref.end), exact=True)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        self.ask_export(source_rows(self.sources), "docmine-trace.csv", "a trace with sources", "Export sources to")

"""The release view: the Woo releases of the case file, a release's inventory rows (Enter opens the linked
document at its first page) and its redactions (Enter opens the page image with the boxes drawn)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Label, Static

from docmine.errors import DocmineError
from docmine.model import short_id
from docmine.tui.messages import Failed
from docmine.tui.screens.base import DocmineScreen


class ReleasesLoaded(Message):
    """The releases: one summary each (``dm.woo_summary``), or only the name on a read-only case file."""

    def __init__(self, summaries: list[dict[str, Any]]) -> None:
        super().__init__()
        self.summaries = summaries


class ReleaseLoaded(Message):
    """One release's inventory rows and redactions, with a file name and title for every document."""

    def __init__(self, release: str, rows: list[Any], redactions: list[Any], docs: dict[str, Any]) -> None:
        super().__init__()
        self.release, self.rows, self.redactions, self.docs = release, rows, redactions, docs


class ReleaseScreen(DocmineScreen):
    """Releases on top, the chosen one's inventory in the middle and its redactions below."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "to_table('releases')", "Releases", tooltip="to the list of releases"),
        Binding("l", "to_table('inventory')", "Inventory", tooltip="to the inventory rows"),
        Binding("x", "to_table('redactions')", "Redactions", tooltip="to the redactions"),
    ]
    HELP_NOTES = [
        ("Enter", "on a release: its inventory; on a row: its document at its first page"),
        ("Enter", "on a redaction: its page image with the redaction boxes drawn"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[dict[str, Any]] = []
        self.release: str | None = None
        self.rows: list[Any] = []
        self.redactions: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Label("Woo releases", id="release-title")
        yield Static("analysing the releases…", id="release-status", markup=False)
        releases: DataTable[Any] = DataTable(id="releases", cursor_type="row")
        releases.add_columns("release", "files", "documents", "redactions", "days", "unlinked")
        yield releases
        yield Label("Inventory", id="inventory-title", classes="panel-title")
        inventory: DataTable[Any] = DataTable(id="inventory", cursor_type="row", zebra_stripes=True)
        inventory.add_columns("nr", "date", "decision", "document", "grounds", "description")
        yield inventory
        yield Label("Redactions", id="redactions-title", classes="panel-title")
        redactions: DataTable[Any] = DataTable(id="redactions", cursor_type="row", zebra_stripes=True)
        redactions.add_columns("document", "page", "ground", "source")
        yield redactions
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#releases", DataTable)
        table.loading = True  # the first look analyses every release: inventories, bundles, the decision letter
        table.focus()
        self.load_releases()

    # -- loading --------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="releases", exit_on_error=False)
    def load_releases(self) -> None:
        dm = self.app.dm
        try:
            summaries = dm.woo_summary()
        except DocmineError as exc:  # a read-only case file cannot store an analysis: show what the last one stored
            summaries = [{"release": r} for r in dm.woo_releases()]
            if not summaries:
                self.post_message(Failed(exc))
                return
        self.post_message(ReleasesLoaded(summaries))

    def on_releases_loaded(self, message: ReleasesLoaded) -> None:
        self.summaries = message.summaries
        table = self.query_one("#releases", DataTable)
        table.loading = False
        table.clear()
        for s in self.summaries:
            letter = s.get("decision_letter") or {}
            days = letter.get("days")
            exceeded = " (late)" if letter.get("exceeded") else ""
            name = Path(s["release"]).name
            table.add_row(
                f"{Path(s['archive']).name}/{name}" if s.get("archive") else name,  # as unpacked from a zip
                str(s.get("files", "")),
                str(s.get("documents", "")),
                str(s.get("redactions", "")),
                "" if days is None else f"{days}{exceeded}",
                str(len(s.get("unlinked", ()))),
            )
        status = self.query_one("#release-status", Static)
        if not self.summaries:
            status.update("no Woo release in this case file: ingest a release folder (decision, inventory, documents)")
            return
        status.update(f"{len(self.summaries)} release{'s' if len(self.summaries) != 1 else ''}; Enter opens one")
        # the first release with an inventory (a folder of loose e-mails is a release without one)
        first = next((i for i, s in enumerate(self.summaries) if s.get("documents")), 0)
        table.move_cursor(row=first)
        self.load_release(self.summaries[first]["release"])

    @on(DataTable.RowSelected, "#releases")
    def _release_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.load_release(self.summaries[event.cursor_row]["release"])
        self.query_one("#inventory", DataTable).focus()

    def load_release(self, release: str) -> None:
        self.query_one("#inventory", DataTable).loading = True
        self.read_release(release)

    @work(thread=True, exclusive=True, group="release", exit_on_error=False)
    def read_release(self, release: str) -> None:
        dm = self.app.dm
        try:
            rows = dm.woo_inventory(release)
            redactions = dm.woo_redactions(release=release)
            docs = {d.doc_id: d for d in dm.documents()}
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        self.post_message(ReleaseLoaded(release, rows, redactions, docs))

    def on_release_loaded(self, message: ReleaseLoaded) -> None:
        self.release, self.rows, self.redactions = message.release, message.rows, message.redactions
        docs = message.docs
        inventory = self.query_one("#inventory", DataTable)
        inventory.loading = False
        inventory.clear()
        for r in self.rows:
            grounds = ", ".join(r.grounds)
            inventory.add_row(r.number, r.date or "", r.decision or "", linked(r, docs), grounds, r.description)
        unlinked = sum(1 for r in self.rows if not r.doc_id)
        self.query_one("#inventory-title", Label).update(
            f"Inventory of {Path(message.release).name}: {len(self.rows)} rows, {unlinked} unlinked"
        )
        table = self.query_one("#redactions", DataTable)
        table.clear()
        for red in self.redactions:
            info = docs.get(red.doc_id)
            name = Path(info.path).name if info else short_id(red.doc_id)
            whole = " (whole page)" if red.full_page else ""
            table.add_row(name, str(red.page), (red.ground or "unknown") + whole, red.source)
        by_ground = Counter(r.ground or "unknown" for r in self.redactions).most_common()
        self.query_one("#redactions-title", Label).update(
            f"Redactions: {len(self.redactions)}" + "".join(f" · {g} {n}" for g, n in by_ground)
        )

    # -- actions --------------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#inventory")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.rows[event.cursor_row]
        if row.doc_id is None:
            self.app.show_error(
                DocmineError(f"inventory row {row.number} is not linked to a document", row.unlinked or "no match")
            )
            return
        self.app.open_document(row.doc_id, row.first_page or 1)

    @on(DataTable.RowSelected, "#redactions")
    def _redaction_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        red = self.redactions[event.cursor_row]
        self.app.open_document(red.doc_id, red.page, image=True)

    def action_to_table(self, table: str) -> None:
        self.query_one(f"#{table}", DataTable).focus()

    def action_back(self) -> None:
        self.app.pop_screen()


def linked(row: Any, docs: dict[str, Any]) -> str:
    """The document an inventory row describes (file and first page), or why none was found."""
    if row.doc_id is None:
        return f"unlinked: {row.unlinked or 'no match'}"
    info = docs.get(row.doc_id)
    name = Path(info.path).name if info else short_id(row.doc_id)
    return f"{name} p. {row.first_page or 1}"

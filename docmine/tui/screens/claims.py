"""The claims view: every claim with kind, speaker, values, date and document; filters; open, trace, export."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Select, Static

from docmine.display import fact_text
from docmine.errors import DocmineError
from docmine.model import Claim, DocInfo, short_id
from docmine.rows import claim_rows
from docmine.tui.claimfilter import ClaimFilter, labels_of, parse_euros
from docmine.tui.messages import Failed
from docmine.tui.screens.base import DocmineScreen

SENTENCE_WIDTH = 200


class ClaimsLoaded(Message):
    def __init__(self, claims: list[Claim], documents: list[DocInfo]) -> None:
        super().__init__()
        self.claims = claims
        self.documents = documents


class ClaimsScreen(DocmineScreen):
    """Enter opens the claim's sentence at its page; t traces it; F3 exports the shown claims with anchors."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("t", "trace", "Trace"),
        Binding("f3", "export", "Export"),
        Binding("e", "export", "Export", show=False),
        Binding("slash", "focus_filters", "Filters"),
        Binding("x", "clear_filters", "Clear filters"),
        Binding("v", "toggle_values", "Values"),
    ]
    HELP_NOTES = [("Enter", "on a claim: open its sentence at its page"), ("Tab", "next filter box")]

    def __init__(self) -> None:
        super().__init__()
        self.claims: list[Claim] = []
        self.docs: dict[str, DocInfo] = {}
        self.shown: list[Claim] = []
        self.raw = False
        self.place = ""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="claim-filter-row"):
            yield Select[str]([], prompt="all kinds", id="claim-kind", compact=True)
            yield Select[str]([], prompt="all labels", id="claim-label", compact=True)
            yield Input(placeholder="speaker", id="claim-speaker", compact=True)
            yield Input(placeholder="place (Enter)", id="claim-place", compact=True)
        with Horizontal(classes="claim-filter-row"):
            yield Input(placeholder="from 2020", id="claim-since", compact=True)
            yield Input(placeholder="until 2021-06", id="claim-until", compact=True)
            yield Input(placeholder="min € (160 mln)", id="claim-low", compact=True)
            yield Input(placeholder="max €", id="claim-high", compact=True)
        yield Static("loading claims…", id="claim-status", markup=False)
        table: DataTable[Any] = DataTable(id="claim-table", cursor_type="row", zebra_stripes=True)
        table.add_column("kind", width=10)
        table.add_column("speaker", width=14)
        table.add_column("values", width=22)
        table.add_column("date", width=10)
        table.add_column("document", width=22)
        table.add_column("sentence")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#claim-table", DataTable).focus()
        self.load_claims("")

    @work(thread=True, exclusive=True, group="claims", exit_on_error=False)
    def load_claims(self, place: str) -> None:
        dm = self.app.dm
        try:
            claims = dm.claims(municipality=place or None)
            documents = dm.documents()
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        self.post_message(ClaimsLoaded(claims, documents))

    def on_claims_loaded(self, message: ClaimsLoaded) -> None:
        self.claims = message.claims
        self.docs = {d.doc_id: d for d in message.documents}
        kinds = sorted({c.kind for c in self.claims})
        labels = sorted({label for c in self.claims for label in labels_of(c)})
        self._keep_options("#claim-kind", kinds)
        self._keep_options("#claim-label", labels)
        self.refilter()

    def _keep_options(self, selector: str, values: list[str]) -> None:
        select = self.query_one(selector, Select)
        chosen = select.value
        with select.prevent(Select.Changed):
            select.set_options((v, v) for v in values)
            if isinstance(chosen, str) and chosen in values:
                select.value = chosen

    # -- filters --------------------------------------------------------------------------------------

    def current_filter(self) -> ClaimFilter:
        kind = self.query_one("#claim-kind", Select).value
        label = self.query_one("#claim-label", Select).value
        text = {w.id: w.value.strip() for w in self.query(Input) if w.id}
        for key in ("claim-since", "claim-until"):
            if text[key] and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text[key]):
                raise DocmineError(f"{text[key]!r} is not a date", "use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021-03")
        return ClaimFilter(
            kind=kind if isinstance(kind, str) else None,
            speaker=text["claim-speaker"],
            label=label if isinstance(label, str) else None,
            since=text["claim-since"],
            until=text["claim-until"],
            low=parse_euros(text["claim-low"]),
            high=parse_euros(text["claim-high"]),
        )

    @on(Select.Changed)
    @on(Input.Changed)
    def _changed(self, event: Message) -> None:
        if isinstance(event, Input.Changed) and event.input.id == "claim-place":
            return  # a place is looked up by the service: on Enter, not at every letter
        self.refilter()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "claim-place" and event.value.strip() != self.place:
            self.place = event.value.strip()
            self.query_one("#claim-status", Static).update(f"loading the claims of {self.place or 'every place'}…")
            self.load_claims(self.place)
        self.query_one("#claim-table", DataTable).focus()

    def refilter(self) -> None:
        status = self.query_one("#claim-status", Static)
        try:
            wanted = self.current_filter()
        except DocmineError as exc:
            status.update(f"{exc.message} - {exc.hint}")
            return
        self.shown = [c for c in self.claims if wanted.keep(c, self.docs.get(c.ref.doc_id))]
        table = self.query_one("#claim-table", DataTable)
        table.clear()
        namer = self.app.dm.municipality_name
        for i, c in enumerate(self.shown):
            doc = self.docs.get(c.ref.doc_id)
            values = ", ".join(fact_text(f, namer, self.raw) for f in c.values)
            title = (doc.title or Path(doc.path).name) if doc else short_id(c.ref.doc_id)
            date = (doc.date if doc else None) or "undated"
            sentence = " ".join(c.sentence.split())[:SENTENCE_WIDTH]
            table.add_row(c.kind, c.speaker or "-", values or "-", date, title, sentence, key=str(i))
        active = wanted.active() + ([f"place={self.place}"] if self.place else [])
        filtered = f" of {len(self.claims)}" if len(self.shown) != len(self.claims) else ""
        line = f"{len(self.shown)}{filtered} claims; Enter opens, t traces, F3 exports"
        if not self.claims and not self.place:
            line = "no claims in this case file yet - run docmine extract"
        status.update(line + (f" - filters: {', '.join(active)} (x clears)" if active else ""))

    # -- actions --------------------------------------------------------------------------------------

    def highlighted(self) -> Claim | None:
        table = self.query_one("#claim-table", DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    @on(DataTable.RowSelected, "#claim-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        claim = self.shown[event.cursor_row]
        self.app.open_document(claim.ref.doc_id, claim.ref.page, (claim.ref.start, claim.ref.end), exact=True)

    def action_trace(self) -> None:
        claim = self.highlighted()
        if claim is None:
            self.app.show_error(DocmineError("there is no claim to trace", "clear the filters (x) or extract claims"))
        elif claim.claim_id is None:
            self.app.open_trace(statement=claim.sentence)
        else:
            self.app.open_trace(claim_id=claim.claim_id)

    def action_export(self) -> None:
        rows = claim_rows(self.shown, self.docs.values())
        self.ask_export(rows, "docmine-claims.csv", "a claims filter with results", "Export claims to")

    def action_focus_filters(self) -> None:
        self.query_one("#claim-kind", Select).focus()

    def action_clear_filters(self) -> None:
        for box in self.query(Input):
            with box.prevent(Input.Changed):
                box.value = ""
        for select in self.query(Select):
            with select.prevent(Select.Changed):
                select.clear()
        if self.place:
            self.place = ""
            self.load_claims("")
        else:
            self.refilter()

    def action_toggle_values(self) -> None:
        self.raw = not self.raw
        self.refilter()

    def action_back(self) -> None:
        self.app.pop_screen()

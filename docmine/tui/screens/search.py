"""The search screen: query box, mode switch, facets with counts, the results list, export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, OptionList, Static, Tab, Tabs
from textual.worker import get_current_worker

from docmine.errors import DocmineError
from docmine.model import Hit
from docmine.tui.facts import Span, mention_spans
from docmine.tui.messages import SearchDone, SearchFailed
from docmine.tui.screens.base import DocmineScreen
from docmine.tui.tables import hit_rows
from docmine.tui.widgets.facets import Facet, FacetList, count_facets, hit_facets, keep
from docmine.tui.widgets.results import ResultsList

if TYPE_CHECKING:
    from docmine.service import Docmine

MODES = ("auto", "hybrid", "text", "semantic")  # auto: the service picks (hybrid once embeddings are complete)
DEBOUNCE_S = 0.3
LIMIT = 100


DocFacts = tuple[str | None, list[Span]]  # a document's municipality and its entity mentions


def facets_of(dm: Docmine, hits: list[Hit], cache: dict[str, DocFacts]) -> list[list[Facet]]:
    """Facet values per hit. Runs in the search worker; what it asks the service per document is cached."""
    mentions = getattr(dm, "mentions", None)  # entities arrive later; until then there is no entity facet
    out = []
    for h in hits:
        doc_id = h.ref.doc_id
        if doc_id not in cache:
            spans = mention_spans(mentions(doc_id=doc_id)) if mentions is not None else []
            code = dm.document(doc_id).municipality
            cache[doc_id] = (dm.municipality_name(code) or code, spans)
        place, spans = cache[doc_id]
        labels = [m.label for m in spans if m.page == h.ref.page and m.start < h.ref.end and m.end > h.ref.start]
        out.append(hit_facets(h, place, labels))
    return out


def weak_notice(hits: list[Hit], used: str) -> str:
    """A warning when no hit holds a word of the query: ranked by meaning alone, the list may be noise."""
    if used in ("semantic", "hybrid") and hits and not any(h.matched for h in hits):
        return "no hit contains the query words; these are only the nearest in meaning"
    return ""


class QueryInput(Input):
    """The query box; Down hands the focus to the results."""

    BINDINGS = [Binding("down", "to_results", "Results", show=False)]

    def action_to_results(self) -> None:
        results = self.screen.query_one(ResultsList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0


class SearchScreen(DocmineScreen):
    BINDINGS = [
        Binding("f2", "next_mode", "Mode"),
        Binding("f3", "export", "Export"),
        Binding("f6", "trace_query", "Trace"),
        Binding("x", "clear_facets", "Clear filters", show=False),
        Binding("slash", "focus_query", "Query", show=False),
        Binding("f", "focus_facets", "Facets", show=False),
        Binding("e", "export", "Export", show=False),
        Binding("i", "app.ingest", "Ingest", show=False),
        Binding("t", "app.entities", "Entities", show=False),
    ]

    HELP_NOTES = [
        ("type", "search as you type (after a short pause)"),
        ("Enter", "search now; on a result: open it"),
        ("Down / Up", "from the query box into the results and back (or Escape)"),
        ("Tab", "next panel: mode, facets, results"),
    ]

    def __init__(self, mode: str | None = None) -> None:
        super().__init__()
        self.mode = mode or "auto"  # the tab; "auto" passes mode=None and the service decides
        self.seq = 0
        self.hits: list[Hit] = []  # all hits of the last search
        self.shown: list[Hit] = []  # after the facets
        self.facets: list[list[Facet]] = []  # per hit
        self.last_query = ""
        self.fallback = ""  # the mode that was not available for the last search, if any
        self.used = ""  # the mode that produced the last results
        self.notice = ""  # what the service said about the mode it used
        self._debounce: Timer | None = None
        self._facts: dict[str, DocFacts] = {}
        self._warned: set[str] = set()

    def compose(self) -> ComposeResult:
        with Horizontal(id="query-row"):
            yield QueryInput(placeholder='zoek… (Enter)  "phrase" +must -not prefix*', id="query")
            yield Tabs(*(Tab(m, id=f"mode-{m}") for m in MODES), active=f"mode-{self.mode}", id="modes")
        yield Static("", id="status", markup=False)
        with Horizontal(id="body"):
            with Vertical(id="facets-panel"):
                yield Label("Filter", classes="panel-title")
                yield FacetList(id="facets")
            yield ResultsList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.set_status("type a query and press Enter")

    # -- running searches ---------------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def _typed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_S, lambda: self.start_search(explicit=False))

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.start_search(explicit=True)

    def start_search(self, explicit: bool, fresh: bool = False) -> None:
        """Search for what is in the box; ``fresh`` forgets cached document facts (after an ingest)."""
        if fresh:
            self._facts = {}
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        query = self.query_one("#query", Input).value.strip()
        self.seq += 1
        if not query:
            self.workers.cancel_group(self, "search")
            self.last_query = ""
            self.hits, self.facets = [], []
            self.refresh_results()
            self.set_status("type a query and press Enter")
            return
        self.set_status(f"searching {query!r} ({self.mode})…")
        # A spinner over the results: the first search may load the language model (and the embedder) first.
        self.query_one(ResultsList).loading = True
        self.run_search(self.seq, query, self.mode, explicit)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, seq: int, query: str, mode: str, explicit: bool) -> None:
        dm = self.app.dm
        worker = get_current_worker()
        note = ""
        try:
            try:
                hits = dm.search(query, None, limit=LIMIT, mode=None if mode == "auto" else mode)
            except DocmineError as first:
                if mode in ("text", "auto"):
                    raise
                # The mode may not be available yet: fall back to text; if text fails too, the query is at fault.
                hits = dm.search(query, None, limit=LIMIT, mode="text")
                note = f"{mode} unavailable, showing text results: {first.message}" + (
                    f" ({first.hint})" if first.hint else ""
                )
            facets = facets_of(dm, hits, self._facts)
        except DocmineError as exc:
            if not worker.is_cancelled:
                self.post_message(SearchFailed(seq, exc, explicit))
            return
        if not worker.is_cancelled:
            used = getattr(hits, "mode", "text" if note else mode)
            self.post_message(
                SearchDone(seq, query, mode, list(hits), facets, note, used, getattr(hits, "notice", None))
            )

    def on_search_done(self, message: SearchDone) -> None:
        if message.seq != self.seq:
            return  # a newer query is under way; stale results never win
        self.query_one(ResultsList).loading = False
        facets = self.query_one(FacetList)
        if message.query != self.last_query:
            facets.chosen = set()  # a new question starts unfiltered: old choices hid its best hits unseen
        self.hits, self.facets, self.last_query = message.hits, message.facets, message.query
        self.fallback = message.mode if message.note else ""
        self.used, self.notice = message.used, message.notice or ""
        facets.show(count_facets(self.facets))
        self.refresh_results()
        if message.note and message.mode not in self._warned:
            self._warned.add(message.mode)  # once per mode: typing must not stack up notifications
            self.notify(message.note, title="search mode", severity="warning", timeout=8)

    def on_search_failed(self, message: SearchFailed) -> None:
        if message.seq != self.seq:
            return
        self.query_one(ResultsList).loading = False
        self.set_status(f"{message.error.message}" + (f" - {message.error.hint}" if message.error.hint else ""))
        if message.explicit:
            self.app.show_error(message.error)

    def refresh_results(self) -> None:
        chosen = self.query_one(FacetList).chosen
        self.shown = [h for h, values in zip(self.hits, self.facets, strict=True) if keep(values, chosen)]
        results = self.query_one(ResultsList)
        results.show(self.shown)
        if self.last_query:
            filtered = f" of {len(self.hits)}" if len(self.shown) != len(self.hits) else ""
            mode = f"text; {self.fallback} not available" if self.fallback else self.used
            notice = f" - {self.notice}" if self.notice else ""
            weak = weak_notice(self.hits, self.used)
            notice += f" - {weak}" if weak else ""
            active = self.query_one(FacetList).describe()
            notice += f" - filters: {active} (x clears)" if active else ""
            self.set_status(f"{len(self.shown)}{filtered} hits for {self.last_query!r} ({mode}){notice}")

    def set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def on_facet_list_changed(self) -> None:
        self.refresh_results()

    # -- mode -----------------------------------------------------------------------------------------

    @on(Tabs.TabActivated, "#modes")
    def _mode_changed(self, event: Tabs.TabActivated) -> None:
        mode = (event.tab.id or "mode-auto").removeprefix("mode-")
        if mode != self.mode:
            self.mode = mode
            if self.query_one("#query", Input).value.strip():
                self.start_search(explicit=False)

    def action_next_mode(self) -> None:
        # From the tabs, which change at once: self.mode follows only when TabActivated arrives, so a
        # second F2 before then moved from the old mode again.
        tabs = self.query_one(Tabs)
        current = (tabs.active or "mode-auto").removeprefix("mode-")
        tabs.active = f"mode-{MODES[(MODES.index(current) + 1) % len(MODES)]}"

    def action_clear_facets(self) -> None:
        self.query_one(FacetList).clear()

    # -- moving around --------------------------------------------------------------------------------

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_focus_facets(self) -> None:
        self.query_one(FacetList).focus()

    @on(OptionList.OptionSelected, "#results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self.shown[event.option_index]
        self.app.open_document(hit.ref.doc_id, hit.ref.page, (hit.ref.start, hit.ref.end), hit.matched)

    # -- export and trace ---------------------------------------------------------------------------

    def action_export(self) -> None:
        self.ask_export(hit_rows(self.shown), "docmine-results.csv", "a search with results", "Export results to")

    def action_trace_query(self) -> None:
        """Trace the statement in the query box to the passages that state it."""
        statement = self.query_one("#query", Input).value.strip()
        if not any(ch.isalnum() for ch in statement):
            # a lone quote or dash has no words, no values and no meaning to find: tracing it took 30 s for junk
            self.app.show_error(DocmineError("nothing to trace", "type a statement in the query box first"))
            return
        self.app.open_trace(statement=statement)

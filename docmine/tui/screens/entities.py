"""The entities screen: every entity of the case file with counts, a filter, one entity's mentions to open, and
curation (merge, rename, reject) through the service's rules, with undo of the rules made here."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Label, Select, Static
from textual.worker import get_current_worker

from docmine.display import Namer, value_text
from docmine.errors import DocmineError
from docmine.model import CurationRule, EntityRow
from docmine.rows import mention_rows
from docmine.tui.messages import EntitiesLoaded, Failed, MentionRow, MentionsLoaded
from docmine.tui.screens.base import DocmineScreen
from docmine.tui.screens.dialogs import PromptDialog
from docmine.tui.tables import entity_rows
from docmine.tui.widgets.page_view import label_style

MENTION_LIMIT = 200
BEFORE, AFTER = 20, 40  # characters of context either side of a mention: the mention stays in sight at 80 columns
TITLE_WIDTH = 24
FIXED = {"label": 12, "value": 18, "mentions": 8, "docs": 5}  # widths; the name column takes the rest
MARK = "bold reverse"  # visible without colour too


def matches(row: EntityRow, text: str, label: str | None) -> bool:
    """The filter: ``text`` anywhere in the name (case-insensitive) and, when chosen, this ``label``."""
    if label is not None and row.label != label:
        return False
    return text.lower() in row.name.lower()


def context(page_text: str, start: int, end: int) -> tuple[str, str]:
    """A few words before and after a span, each on one line; an ellipsis where the page goes on."""
    lo, hi = max(0, start - BEFORE), min(len(page_text), end + AFTER)
    before = " ".join(page_text[lo:start].split())
    after = " ".join(page_text[end:hi].split())
    if lo > 0:
        before = "…" + before
    if hi < len(page_text):
        after += "…"
    if before and page_text[start - 1 : start].isspace():
        before += " "
    if after and page_text[end : end + 1].isspace():
        after = " " + after
    return before, after


def shown_value(row: EntityRow, raw: bool = False, namer: Namer | None = None) -> str:
    """The value when it says more than the name: `€ 160 mln`, `Groningen (GM0014)`; ``raw``: as stored."""
    value = row.value
    if value is None or value == row.name:
        return ""
    if raw:
        return str(value)
    return value_text(row.label, value, namer)


def name_width(total: int) -> int:
    """The name column gets what the other columns leave, so they stay on screen (one long Woo ground
    name pushed value, mentions and docs past 120 columns)."""
    others = sum(FIXED.values()) + 2 * (len(FIXED) + 1) + 2  # cell padding and the scrollbar
    return max(12, total - others)


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def mention_text(row: MentionRow) -> Text:
    text = Text(row.before)
    text.append(" ".join(row.text.split()), style=MARK)
    text.append(row.after)
    return text


class NamePrompt(PromptDialog):
    """The prompt for a name: an empty answer comes back as "" (bad input, shown as an error), Escape as None."""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # Textual would call PromptDialog's handler too: a second dismiss pops the screen
        self.dismiss(event.value.strip())


class Curated(Message):
    """A curation rule made (``rule`` set) or undone (``undone``: its id), with the entities as they are now."""

    def __init__(self, rows: list[EntityRow], rule: CurationRule | None, changed: int, undone: int | None) -> None:
        super().__init__()
        self.rows = rows
        self.rule = rule
        self.changed = changed
        self.undone = undone


def rule_text(rule: CurationRule) -> str:
    what = {"merge": f"merged into {rule.target!r}", "rename": f"renamed {rule.target!r}", "reject": "rejected"}
    return f"{rule.label} {rule.name!r} {what.get(rule.action, rule.action)}"


class EntitiesScreen(DocmineScreen):
    """Entities with label, name, value and counts; Enter lists an entity's mentions, Enter on one opens it."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f3", "export", "Export"),
        Binding("slash", "focus_filter", "Filter"),
        Binding("e", "export", "Export", show=False),
        Binding("v", "toggle_values", "Values"),
        # curation: kept out of the footer (full at 80 columns); the help lists them with their tooltips
        Binding("m", "merge", "Merge", show=False, tooltip="merge the selected entity into another (asks its name)"),
        Binding("r", "rename", "Rename", show=False, tooltip="give the selected entity another name"),
        Binding("x", "reject", "Reject", show=False, tooltip="reject the selected entity: not a name of its label"),
        Binding("u", "undo", "Undo", show=False, tooltip="undo the last merge, rename or reject made here"),
    ]

    HELP_NOTES = [
        ("type", "filter on name; the box beside it picks a label"),
        ("Enter", "list the entity's mentions; on a mention: open it"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[EntityRow] = []  # every entity
        self.shown: list[EntityRow] = []  # after the filter, in table order
        self.mentions: list[MentionRow] = []
        self.selected: EntityRow | None = None
        self.found: list[Any] = []  # the selected entity's mentions as the service gave them, with anchors
        self.raw = False  # v: normalised values as stored instead of as people write them
        self.seq = 0
        self.made: list[int] = []  # ids of the curation rules made on this screen, the last one undone first
        self.busy = False  # a curation worker runs: one at a time, so two never write the case file at once

    def compose(self) -> ComposeResult:
        with Horizontal(id="entity-filter-row"):
            yield Input(placeholder="filter on name…", id="entity-filter", compact=True)
            yield Select[str]([], prompt="all labels", id="entity-label", compact=True)
        yield Static("loading entities…", id="entity-status", markup=False)
        yield DataTable(id="entity-table", cursor_type="row", zebra_stripes=True)
        yield Label("Mentions", id="mentions-title", classes="panel-title")
        mentions: DataTable[Any] = DataTable(id="mention-table", cursor_type="row")
        mentions.add_column("document", width=TITLE_WIDTH)
        mentions.add_column("date", width=10)
        mentions.add_column("p.", width=3)
        mentions.add_column("mention")
        yield mentions
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#entity-table", DataTable)
        table.add_column("label", width=FIXED["label"])
        table.add_column("name", width=name_width(self.app.size.width), key="name")
        table.add_column("value", width=FIXED["value"])
        table.add_column("mentions", width=FIXED["mentions"])
        table.add_column("docs", width=FIXED["docs"])
        table.focus()
        self.load_entities()

    # -- loading --------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="entities", exit_on_error=False)
    def load_entities(self) -> None:
        try:
            rows = self.app.dm.entities()
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        self.post_message(EntitiesLoaded(rows))

    def on_entities_loaded(self, message: EntitiesLoaded) -> None:
        self.rows = message.rows
        labels = sorted({r.label for r in self.rows})
        self.query_one("#entity-label", Select).set_options((label, label) for label in labels)
        self.refilter()

    @work(thread=True, exclusive=True, group="mentions", exit_on_error=False)
    def load_mentions(self, seq: int, entity: EntityRow) -> None:
        dm = self.app.dm
        worker = get_current_worker()
        pages: dict[tuple[str, int], str] = {}
        titles: dict[str, tuple[str, str | None]] = {}
        out: list[MentionRow] = []
        try:
            found = list(dm.mentions(label=entity.label, entity=entity.entity_key, limit=MENTION_LIMIT + 1))
            for m in found[:MENTION_LIMIT]:
                if worker.is_cancelled:
                    return
                doc_id, number, start, end = m.ref.doc_id, m.ref.page, m.ref.start, m.ref.end
                if (doc_id, number) not in pages:
                    info, page = dm.page(doc_id, number)
                    pages[doc_id, number] = page.text
                    titles[doc_id] = (info.title or m.title, info.date)
                title, date = titles[doc_id]
                before, after = context(pages[doc_id, number], start, end)
                out.append(MentionRow(doc_id, title, date, number, start, end, m.text, before, after))
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        if not worker.is_cancelled:
            self.found = found[:MENTION_LIMIT]
            self.post_message(MentionsLoaded(seq, entity.name, out, len(found) > MENTION_LIMIT))

    def on_mentions_loaded(self, message: MentionsLoaded) -> None:
        if message.seq != self.seq:
            return
        self.mentions = message.rows
        table = self.query_one("#mention-table", DataTable)
        table.clear()
        for i, row in enumerate(self.mentions):
            title = cut(row.title, TITLE_WIDTH)
            table.add_row(title, row.date or "undated", str(row.page), mention_text(row), key=str(i))
        more = f" (first {MENTION_LIMIT})" if message.more else ""
        self.query_one("#mentions-title", Label).update(f"Mentions of {message.name}: {len(self.mentions)}{more}")
        if self.mentions:
            table.move_cursor(row=0)
            table.focus()

    # -- filter ---------------------------------------------------------------------------------------

    @on(Input.Changed, "#entity-filter")
    @on(Select.Changed, "#entity-label")
    def _filter_changed(self) -> None:
        self.refilter()

    @on(Input.Submitted, "#entity-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#entity-table", DataTable).focus()

    def refilter(self) -> None:
        text = self.query_one("#entity-filter", Input).value.strip()
        choice = self.query_one("#entity-label", Select).value
        label = choice if isinstance(choice, str) else None
        self.shown = [r for r in self.rows if matches(r, text, label)]
        table = self.query_one("#entity-table", DataTable)
        table.clear()
        width = name_width(self.app.size.width)
        namer = self.app.dm.municipality_name
        for i, r in enumerate(self.shown):
            table.add_row(
                Text(r.label, style=label_style(r.label)),
                cut(r.name, width),
                cut(shown_value(r, self.raw, namer), FIXED["value"]),
                str(r.mentions),
                str(r.documents),
                key=str(i),
            )
        filtered = f" of {len(self.rows)}" if len(self.shown) != len(self.rows) else ""
        if not self.rows:
            line = "no entities in this case file yet - run docmine extract"
        else:
            line = f"{len(self.shown)}{filtered} entities; Enter lists the mentions, Enter on a mention opens it"
        self.query_one("#entity-status", Static).update(line)

    # -- selecting ------------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#entity-table")
    def _entity_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.selected = self.shown[event.cursor_row]
        self.seq += 1
        self.query_one("#mentions-title", Label).update(f"Mentions of {self.selected.name} …")
        self.load_mentions(self.seq, self.selected)

    @on(DataTable.RowSelected, "#mention-table")
    def _mention_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        m = self.mentions[event.cursor_row]
        self.app.open_document(m.doc_id, m.page, (m.start, m.end), (m.text,), exact=True)

    # -- actions --------------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_focus_filter(self) -> None:
        self.query_one("#entity-filter", Input).focus()

    def action_export(self) -> None:
        """The mentions (with their page anchors) when the mentions list has the focus, else the entities."""
        if self.focused is self.query_one("#mention-table") and self.found:
            rows = list(mention_rows(self.found))
            self.ask_export(rows, "docmine-mentions.csv", "an entity's mentions", "Export mentions to")
            return
        self.ask_export(
            entity_rows(self.shown), "docmine-entities.csv", "an entity filter with results", "Export entities to"
        )

    def action_toggle_values(self) -> None:
        self.raw = not self.raw
        self.refilter()
        self.notify("values as stored" if self.raw else "values as people write them", title="values")

    # -- curation -------------------------------------------------------------------------------------

    def free(self) -> bool:
        if self.busy:
            self.notify("the last curation is still being applied", title="curation", severity="warning")
        return not self.busy

    def current(self) -> EntityRow | None:
        table = self.query_one("#entity-table", DataTable)
        return self.shown[table.cursor_row] if self.shown and 0 <= table.cursor_row < len(self.shown) else None

    def ask_curation(self, action: str, title: str, placeholder: str) -> None:
        if not self.free():
            return
        entity = self.current()
        if entity is None:
            self.app.show_error(DocmineError("no entity is selected", "pick one in the entities table first"))
            return

        def answered(target: str | None) -> None:
            if target is not None and self.free():  # None: cancelled
                self.busy = True
                self.curate(action, entity, target)

        self.app.push_screen(NamePrompt(title.format(entity.name), placeholder=placeholder), answered)

    def action_merge(self) -> None:
        self.ask_curation("merge", "Merge {!r} into", "the name of the entity it is the same as")

    def action_rename(self) -> None:
        self.ask_curation("rename", "Rename {!r} to", "the name it should have")

    def action_reject(self) -> None:
        if not self.free():
            return
        entity = self.current()
        if entity is None:
            self.app.show_error(DocmineError("no entity is selected", "pick one in the entities table first"))
            return
        self.busy = True
        self.curate("reject", entity, None)

    def action_undo(self) -> None:
        if not self.free():
            return
        if not self.made:
            self.app.show_error(DocmineError("nothing to undo", "merge (m), rename (r) or reject (x) an entity first"))
            return
        self.busy = True
        self.undo(self.made.pop())  # should that fail, the error says why and `docmine entity undo` remains

    @work(thread=True, exclusive=True, group="curation", exit_on_error=False)
    def curate(self, action: str, entity: EntityRow, target: str | None) -> None:
        dm = self.app.dm
        try:
            rule, changed = dm.curate(action, entity.name, target, entity.label)
            rows = dm.entities()
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        self.post_message(Curated(rows, rule, changed, None))

    @work(thread=True, exclusive=True, group="curation", exit_on_error=False)
    def undo(self, rule_id: int) -> None:
        dm = self.app.dm
        try:
            docs = dm.remove_curation_rule(rule_id)  # re-extracts the documents the rule changed
            rows = dm.entities()
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        self.post_message(Curated(rows, None, docs, rule_id))

    def on_failed(self, message: Failed) -> None:
        self.busy = False  # Textual then calls DocmineScreen.on_failed too: the error modal

    def on_curated(self, message: Curated) -> None:
        self.busy = False
        if message.rule is not None:
            self.made.append(message.rule.rule_id)
            line = f"{rule_text(message.rule)}; {message.changed} mentions changed (u: undo)"
        else:
            line = f"rule {message.undone} undone; {message.changed} documents extracted again"
        self.notify(line, title="curation", markup=False)  # names may hold brackets
        # the mentions shown may belong to a name that is gone now
        self.selected, self.found, self.mentions = None, [], []
        self.query_one("#mention-table", DataTable).clear()
        self.query_one("#mentions-title", Label).update("Mentions")
        table = self.query_one("#entity-table", DataTable)
        row = table.cursor_row
        self.rows = message.rows
        self.refilter()  # the filter and label stay as they were
        if self.shown:
            table.move_cursor(row=min(row, len(self.shown) - 1))

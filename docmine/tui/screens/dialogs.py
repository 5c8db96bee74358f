"""Modal dialogs: an error with its hint, a one-line prompt (paths, page numbers), and the key help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from docmine.errors import DocmineError


class ErrorModal(ModalScreen[None]):
    """The TUI's face of a DocmineError: the message, and the hint that says what to do."""

    BINDINGS = [Binding("escape,enter,q", "dismiss_modal", "Close")]

    def __init__(self, error: DocmineError) -> None:
        super().__init__(classes="modal error-modal")
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog error"):
            yield Label("Error", classes="dialog-title")
            yield Static(self.error.message, id="error-message", markup=False)
            if self.error.hint:
                yield Static(f"hint: {self.error.hint}", id="error-hint", markup=False)
            yield Button("OK", id="ok", variant="error")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_dismiss_modal(self) -> None:
        self.dismiss(None)


class PromptDialog(ModalScreen[str | None]):
    """Asks for one line of text; dismisses with the text, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "", help_text: str = "") -> None:
        super().__init__(classes="modal")
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.help_text = help_text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            if self.help_text:
                yield Static(self.help_text, classes="dialog-help", markup=False)

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


HELP = """\
Everywhere
  F1  or ?      this help (? when not typing in a box)
  ctrl+q        quit
  q             quit, when not typing in a box
  F4  or i      ingest files or a folder
  Escape        back / close

Search
  type          search as you type (after a short pause)
  Enter         search now; on a result: open it
  Down / Up     from the query box into the results and back (or Escape)
  F2            switch mode: auto, hybrid, text, semantic
  Tab           next panel: mode, facets, results
  /             back to the query box
  f             to the facets; Enter or Space toggles one
  F3  or e      export the results (.csv, .jsonl, .parquet or .xlsx)
  F5  or t      entities
  F6            trace the statement in the query box to its sources

Document
  n  or Right   next page
  p  or Left    previous page
  g             go to page
  o             open the original file at this page
  c             to the claims on this page
  t  or Enter   trace the highlighted claim to its sources
  Escape        back to the results, as you left them

Entities
  type          filter on name; the box beside it picks a label
  Enter         list the entity's mentions; on a mention: open it
  /             back to the filter
  F3  or e      export the entities table
  Escape        back

Trace
  Enter         open the source at its sentence
  F3  or e      export the sources
  Escape        back

Ingest
  Enter         start; paths with spaces go in quotes
  Escape        back (a running ingest goes on)
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self) -> None:
        super().__init__(classes="modal")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog help"):
            yield Label("docmine keys", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(HELP, id="help-text", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

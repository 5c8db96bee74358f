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


class HelpScreen(ModalScreen[None]):
    """The keys; the app makes ``text`` from the bindings (docmine.tui.keys)."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, text: str) -> None:
        super().__init__(classes="modal")
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog help"):
            yield Label("docmine keys", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(self.text, id="help-text", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

"""The base of the full screens: errors from their workers reach the error modal, never a crash; table export."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from docmine.errors import DocmineError
from docmine.tui.messages import Failed
from docmine.tui.screens.dialogs import PromptDialog
from docmine.tui.tables import SUFFIXES, export_rows

if TYPE_CHECKING:
    from docmine.tui.app import DocmineApp


class DocmineScreen(Screen[None]):
    app: DocmineApp

    def on_failed(self, message: Failed) -> None:
        """A DocmineError a worker caught: bad input or a missing resource, shown with its hint."""
        self.app.show_error(message.error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Anything else a worker raised is a bug; workers run with ``exit_on_error=False`` so it lands here."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.app.show_exception(event.worker.error)

    # -- export ---------------------------------------------------------------------------------------

    def ask_export(self, rows: Sequence[Mapping[str, Any]], name: str, what: str, title: str) -> None:
        """Ask for a path (the export dialog), then write ``rows`` there in a worker."""
        if not rows:
            self.app.show_error(DocmineError("there is nothing to export", f"run {what} first"))
            return
        snapshot = [dict(r) for r in rows]  # the table as it is now, whatever changes while the dialog is open

        def export_to(path: str | None) -> None:
            if path:
                self.export_worker(Path(path).expanduser(), snapshot, what)

        default = str(Path.cwd() / name)
        self.app.push_screen(
            PromptDialog(title, default, help_text=f"the suffix picks the format: {SUFFIXES}"), export_to
        )

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export_worker(self, path: Path, rows: list[dict[str, Any]], what: str) -> None:
        try:
            n = export_rows(rows, path, what)
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        self.app.call_from_thread(self.notify, f"wrote {n} rows to {path}", title="export")

"""The base of the full screens: errors from their workers reach the error modal, never a crash."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from docmine.tui.messages import Failed

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

"""DocmineApp: the Textual application. It holds the one Docmine service and the screen stack."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from docmine.errors import DocmineError
from docmine.service import Docmine
from docmine.tui.screens.batch import BatchScreen
from docmine.tui.screens.dialogs import ErrorModal, HelpScreen
from docmine.tui.screens.document import DocumentScreen
from docmine.tui.screens.entities import EntitiesScreen
from docmine.tui.screens.ingest import IngestScreen
from docmine.tui.screens.search import SearchScreen
from docmine.tui.screens.timeline import TimelineScreen
from docmine.tui.screens.trace import TraceScreen


def unexpected(exc: BaseException) -> DocmineError:
    return DocmineError(
        f"unexpected error: {type(exc).__name__}: {exc}", "this is a bug in docmine; please report what you did"
    )


class DocmineApp(App[None]):
    """Search, read, browse entities, trace claims and ingest over one case file. The caller owns ``dm``."""

    CSS_PATH = "docmine.tcss"
    TITLE = "docmine"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("q", "quit", "Quit", show=False),
        Binding("question_mark", "help", "Help", show=False),
        Binding("f7", "timeline", "Timeline", show=False),  # shown in the footer once the key map settles
        Binding("f8", "batch", "Batch", show=False),
    ]

    def __init__(self, dm: Docmine, mode: str | None = None) -> None:
        super().__init__()
        self.dm = dm
        self.start_mode = mode

    def on_mount(self) -> None:
        # Installed, so leaving the ingest screen keeps it (and a running ingest's progress) for the next visit.
        self.install_screen(IngestScreen(), name="ingest")
        self.push_screen(SearchScreen(self.start_mode))

    # -- called by screens --------------------------------------------------------------------------

    def show_error(self, error: DocmineError) -> None:
        self.push_screen(ErrorModal(error))

    def show_exception(self, exc: BaseException) -> None:
        """A bug, not bad input: still a modal rather than a crash, so the session and its results survive."""
        self.log.error(repr(exc))
        self.show_error(unexpected(exc))

    def open_document(
        self,
        doc_id: str,
        page: int,
        hit: tuple[int, int] | None = None,
        words: tuple[str, ...] = (),
        exact: bool = False,
    ) -> None:
        """Open a document at ``page``; ``exact`` marks the whole ``hit`` span (a mention, a traced sentence)."""
        self.push_screen(DocumentScreen(doc_id, page, hit, words, exact=exact))

    def open_trace(self, statement: str | None = None, claim_id: int | None = None) -> None:
        self.push_screen(TraceScreen(statement=statement, claim_id=claim_id))

    def refresh_search(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, SearchScreen) and screen.last_query:
                screen.start_search(explicit=False, fresh=True)

    # -- actions ------------------------------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_entities(self) -> None:
        if not isinstance(self.screen, EntitiesScreen):
            self.push_screen(EntitiesScreen())

    def action_ingest(self) -> None:
        if not isinstance(self.screen, IngestScreen):
            self.push_screen("ingest")

    def action_timeline(self) -> None:
        if not isinstance(self.screen, TimelineScreen):
            self.push_screen(TimelineScreen())

    def action_batch(self) -> None:
        if not isinstance(self.screen, BatchScreen):
            self.push_screen(BatchScreen())

"""DocmineApp: the Textual application. It holds the one Docmine service and the screen stack."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from textual.app import App
from textual.binding import Binding
from textual.widget import Widget

from docmine.errors import DocmineError, known_error
from docmine.service import Docmine
from docmine.tui.keys import help_text, key_display
from docmine.tui.palette import DocmineCommands
from docmine.tui.screens.batch import BatchScreen
from docmine.tui.screens.claims import ClaimsScreen
from docmine.tui.screens.dialogs import ErrorModal, HelpScreen, PromptDialog
from docmine.tui.screens.document import DocumentScreen
from docmine.tui.screens.entities import EntitiesScreen
from docmine.tui.screens.ingest import IngestScreen
from docmine.tui.screens.release import ReleaseScreen
from docmine.tui.screens.search import SearchScreen
from docmine.tui.screens.timeline import TimelineScreen
from docmine.tui.screens.trace import TraceScreen
from docmine.tui.views import VIEWS, View, find, register

# The screens whose keys the help lists, in this order (a new screen adds a line).
HELP_SECTIONS: list[tuple[str, type]] = [
    ("Search", SearchScreen),
    ("Document", DocumentScreen),
    ("Entities", EntitiesScreen),
    ("Claims", ClaimsScreen),
    ("Trace", TraceScreen),
    ("Ingest", IngestScreen),
    ("Timeline", TimelineScreen),
    ("Batch", BatchScreen),
    ("Woo release", ReleaseScreen),
]


def unexpected(exc: BaseException) -> DocmineError:
    """What to show for an exception a worker raised: an accident of the machine as such, anything else as a bug."""
    return known_error(exc) or DocmineError(
        f"unexpected error: {type(exc).__name__}: {exc}", "this is a bug in docmine; please report what you did"
    )


class DocmineApp(App[None]):
    """Search, read, browse entities and claims, trace claims and ingest over one case file. The caller owns ``dm``."""

    CSS_PATH = "docmine.tcss"
    TITLE = "docmine"
    COMMANDS = App.COMMANDS | {DocmineCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("q", "quit", "Quit", show=False),
        Binding("question_mark", "help", "Help", show=False),
    ]

    def __init__(
        self, dm: Docmine, mode: str | None = None, graphics: type[Widget] | None = None, warm: bool = False
    ) -> None:
        """``graphics``: textual-image's widget for the terminal's graphics protocol (``detect_graphics()``, run
        before the app); None draws page images in half blocks, as in tests and terminals without one. ``warm``:
        load the models of the first search and trace in a thread while the user starts typing."""
        super().__init__()
        self.dm = dm
        self.start_mode = mode
        self.graphics = graphics
        self.warm = warm

    def on_mount(self) -> None:
        for view in VIEWS:  # every view is one key away from every screen
            if view.key:
                self.bind(view.key, f"view({view.name!r})", description=view.name, show=view.footer)
        # Installed, so leaving the ingest screen keeps it (and a running ingest's progress) for the next visit.
        self.install_screen(IngestScreen(), name="ingest")
        self.push_screen(SearchScreen(self.start_mode))
        if self.warm:
            self.run_worker(self.dm.warm_up, thread=True, group="warm-up", exit_on_error=False)
        # SIGTERM (kill, timeout, a service manager) quits as ctrl+q does: killed outright, the app would leave
        # the terminal in its alternate screen with mouse reporting on. Not where signals cannot be caught here
        # (a loop outside the main thread, Windows).
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.exit, None, 128 + signal.SIGTERM)

    def on_unmount(self) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)

    def get_key_display_for(self, keys: str) -> str:
        return key_display(self, keys)

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
        image: bool = False,
    ) -> None:
        """Open a document at ``page``; ``exact`` marks the whole ``hit`` span (a mention, a traced sentence);
        ``image`` opens on the page image."""
        self.push_screen(DocumentScreen(doc_id, page, hit, words, exact=exact, image=image))

    def open_trace(self, statement: str | None = None, claim_id: int | None = None) -> None:
        self.push_screen(TraceScreen(statement=statement, claim_id=claim_id))

    def refresh_search(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, SearchScreen) and screen.last_query:
                screen.start_search(explicit=False, fresh=True)

    def help_text(self) -> str:
        everywhere = [(key_display(self, v.key) if v.key else "ctrl+p", v.help) for v in VIEWS]
        everywhere += [(key_display(self, "ctrl+p"), "command palette: every view and action by name")]
        everywhere += [(key_display(self, "ctrl+q,q"), "quit (q when not typing in a box)")]
        everywhere += [("Escape", "back / close")]
        return help_text(self, everywhere, HELP_SECTIONS)

    # -- actions ------------------------------------------------------------------------------------

    def action_view(self, name: str) -> None:
        find(name).open(self)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_text()))

    def action_search(self) -> None:
        """Back to the search screen (the bottom of the stack), its query and results as they were."""
        while len(self.screen_stack) > 2 and not isinstance(self.screen, SearchScreen):
            self.pop_screen()
        if isinstance(self.screen, SearchScreen):
            self.screen.action_focus_query()

    def action_entities(self) -> None:
        if not isinstance(self.screen, EntitiesScreen):
            self.push_screen(EntitiesScreen())

    def action_claims(self) -> None:
        if not isinstance(self.screen, ClaimsScreen):
            self.push_screen(ClaimsScreen())

    def action_ingest(self) -> None:
        if not isinstance(self.screen, IngestScreen):
            self.push_screen("ingest")

    def action_timeline(self) -> None:
        if not isinstance(self.screen, TimelineScreen):
            self.push_screen(TimelineScreen())

    def action_batch(self) -> None:
        if not isinstance(self.screen, BatchScreen):
            self.push_screen(BatchScreen())

    def action_releases(self) -> None:
        if not isinstance(self.screen, ReleaseScreen):
            self.push_screen(ReleaseScreen())

    def action_trace_prompt(self) -> None:
        def trace(statement: str | None) -> None:
            if statement:
                self.open_trace(statement=statement)

        self.push_screen(PromptDialog("Trace a statement to its sources", placeholder="De uitgaven bedragen…"), trace)


register(View("Help", "this help, made from the keys each screen binds", DocmineApp.action_help, "f1", footer=False))
register(View("Search", "the search screen, with its query and results kept", DocmineApp.action_search, "f9"))
register(View("Ingest", "ingest files or a folder", DocmineApp.action_ingest, "f4"))
register(View("Entities", "every entity with counts; Enter lists its mentions", DocmineApp.action_entities, "f5"))
register(View("Claims", "every claim, filtered by kind, speaker, place, date, value", DocmineApp.action_claims, "f7"))
register(View("Timeline", "dated facts in order, each with its source page", DocmineApp.action_timeline, "f8"))
register(View("Batch", "search a list of names or questions at once", DocmineApp.action_batch, "f10"))
register(
    View(
        "Releases",
        "Woo releases: inventory rows, documents, redactions",
        DocmineApp.action_releases,
        "f12",
        footer=False,
    )
)
register(View("Trace", "trace a statement you type to the passages that state it", DocmineApp.action_trace_prompt))

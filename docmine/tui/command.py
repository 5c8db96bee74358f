"""The ``docmine tui`` command. Textual is imported only when the command runs, so ``docmine --help`` stays fast.

Register in docmine/cli.py:  ``app.command("tui")(handle_errors(tui_command))``.
Standalone (used by the pseudo-terminal test):  ``python -m docmine.tui.command --db case.db``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from docmine.config import Settings

NEW = typer.Option("--new", help="Start with a new, empty case file when --db names none yet.")


def tui_command(ctx: typer.Context, new: Annotated[bool, NEW] = False) -> None:
    """Search, read, browse entities, trace claims and ingest in a terminal UI (F1 shows the keys, ctrl+q quits)."""
    run(ctx.obj, new)


def run(settings: Settings, new: bool = False) -> None:
    """A missing case file is refused unless ``new``: a typo in --db silently opened an empty one."""
    from docmine.errors import DocmineError, StoreError
    from docmine.service import Docmine
    from docmine.tui.app import DocmineApp

    if not new and not settings.db.exists():
        raise StoreError(
            f"no case file at {settings.db}",
            f"check --db for a typo; start an empty one with: docmine --db {settings.db} tui --new",
        )

    # An ingest parses in worker processes (with --jobs 1 too), which start multiprocessing's resource tracker;
    # it passes on sys.stderr's file descriptor, and while Textual runs sys.stderr is a capture without one, so
    # the start fails ("bad value(s) in fds_to_keep": every TUI ingest failed with one job). Start it now.
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    from docmine.tui.widgets.page_image import detect_graphics

    graphics = detect_graphics()  # asks the terminal, so before Textual owns stdin
    with Docmine(settings, create=new) as dm:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            # Textual would draw into the file or pipe and wait for keys that never come (a script or CI hung)
            raise DocmineError(
                "docmine tui needs a terminal: its input or output is a file or a pipe",
                "run it in a terminal; in a script use docmine search, show, entities or export",
            )
        app = DocmineApp(dm, graphics=graphics, warm=True)
        app.run()
    if app.return_code:  # 143: quit on SIGTERM, as a command stopped by it exits
        raise typer.Exit(app.return_code)


def _standalone(
    db: Annotated[Path | None, typer.Option("--db", help="Case file (default ./docmine.db or $DOCMINE_DB).")] = None,
    new: Annotated[bool, NEW] = False,
) -> None:
    """Run the TUI without the docmine command (the TUI must not import docmine.cli, which imports it)."""
    from docmine.errors import DocmineError

    try:
        run(Settings.load(db=db), new)
    except DocmineError as exc:
        typer.echo(f"error: {exc.message}" + (f"\nhint: {exc.hint}" if exc.hint else ""), err=True)
        raise typer.Exit(1) from None


if __name__ == "__main__":
    typer.run(_standalone)

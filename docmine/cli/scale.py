"""Commands for work beyond one machine: ``docmine merge`` joins case files built on different machines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from docmine.cli import app, handle_errors, service
from docmine.console import err


@app.command()
@handle_errors
def merge(
    ctx: typer.Context,
    sources: Annotated[list[Path], typer.Argument(help="Case files to merge, in this order.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The case file to merge into (made if absent).")],
) -> None:
    """Merge case files built elsewhere into one: documents once, embeddings kept, claims renumbered in order."""
    from docmine.service import check_merge_sources

    check_merge_sources(sources, output)  # before the output file is made
    with service(ctx, create=True, db=output) as dm:
        for source, counts in dm.merge(sources):
            err().print(
                f"{escape(str(source))}: {counts.documents} documents added, {counts.duplicates} already present, "
                f"{counts.passages} passages, {counts.embeddings} embeddings"
            )
        stats = dm.store.stats(None)
    err().print(f"{escape(str(output))}: {stats.documents} documents, {stats.passages} passages")

"""Commands over the facts of a case file: entities, mentions, re-extraction, claims and table exports."""

from __future__ import annotations

import sys
from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer

from docmine import rows
from docmine.cli import DOC, JSON, MUNICIPALITY, SQLITE_MAX, app, handle_errors, service, write_jsonl
from docmine.console import err, out
from docmine.errors import DocmineError

# -- entities, claims, export ---------------------------------------------------------------------------


@app.command()
@handle_errors
def entities(
    ctx: typer.Context,
    label: Annotated[str | None, typer.Option("--label", "-l", help="Only this label, e.g. MUNICIPALITY.")] = None,
    municipality: MUNICIPALITY = None,
    doc: DOC = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, max=SQLITE_MAX, help="Rows to show (0 = all).")] = 50,
    as_json: JSON = False,
) -> None:
    """List entities with mention and document counts."""
    from docmine.console import entity_table

    with service(ctx) as dm:
        found = rows.entity_rows(dm.entities(label, municipality, doc))[: limit or None]
    if as_json:
        write_jsonl(found)
    else:
        out().print(entity_table(found))


@app.command()
@handle_errors
def mentions(
    ctx: typer.Context,
    label: Annotated[str | None, typer.Option("--label", "-l", help="Only this label.")] = None,
    municipality: MUNICIPALITY = None,
    doc: DOC = None,
    entity: Annotated[str | None, typer.Option("--entity", "-e", help="Canonical name or value.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, max=SQLITE_MAX, help="Rows (0 = all).")] = 0,
    as_json: JSON = False,
) -> None:
    """List every mention with its anchor (document, page, character span)."""
    from docmine.console import print_mention

    # closing(): the stored rows stream from the case file, so they must stop before it closes
    with service(ctx) as dm, closing(dm.mentions(label, municipality, doc, entity, limit or None)) as stored:
        if as_json:
            write_jsonl(rows.mention_rows(stored))
            return
        console = out()
        for row in rows.mention_rows(stored):
            print_mention(console, row)


@app.command()
@handle_errors
def extract(
    ctx: typer.Context,
    all_docs: Annotated[bool, typer.Option("--all", help="Re-run on every stored document.")] = False,
) -> None:
    """Re-run entity and claim extraction on stored pages after the pipeline changed (no re-parsing)."""
    from docmine.progress import RichIngestProgress

    if not all_docs:
        raise DocmineError("say which documents to re-extract", "use docmine extract --all")
    with service(ctx) as dm:
        docs, n_mentions, n_claims = dm.extract_all(RichIngestProgress(err(), "extract"))
    err().print(f"{docs} documents: {n_mentions} mentions, {n_claims} claims")


@app.command()
@handle_errors
def claims(
    ctx: typer.Context,
    doc: DOC = None,
    municipality: MUNICIPALITY = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, max=SQLITE_MAX, help="Rows (0 = all).")] = 0,
    as_json: JSON = False,
) -> None:
    """List claims: checkable sentences with amounts, dates, decisions or attributed statements."""
    from docmine.console import print_claim

    with service(ctx) as dm:
        found = rows.claim_rows(dm.claims(doc, municipality)[: limit or None], dm.documents())
    if as_json:
        write_jsonl(found)
        return
    console = out()
    for row in found:
        print_claim(console, row)


@app.command()
@handle_errors
def export(
    ctx: typer.Context,
    table: Annotated[
        str, typer.Argument(help="documents, pages, passages, mentions, entities, claims, inventory or redactions.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write, or - for standard output.")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv, jsonl, parquet or xlsx.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Only rows of documents with this tag.")] = None,
) -> None:
    """Write a table for analysis: one row per fact, anchors included, no row cap."""
    from docmine.cli.work import curated_note, filter_tagged
    from docmine.export import STDOUT, guess_format, write_stream, write_table
    from docmine.progress import export_progress

    kind = guess_format(output, fmt)
    if tag and table == "entities":
        raise DocmineError("--tag filters tables with a document per row", "export mentions --tag NAME instead")
    if table in ("mentions", "entities"):
        curated_note(ctx)
    with service(ctx) as dm, closing(dm.export_rows(table)) as stored:
        found = filter_tagged(rows.table_rows(table, stored), dm.tagged_doc_ids(tag) if tag else None)
        if output == STDOUT:
            count = write_stream(found, sys.stdout, kind)
        else:
            with export_progress(err()) as progress:
                count = write_table(found, output, kind, progress)
    err().print(f"{count} rows -> {'standard output' if output == STDOUT else output}")

"""Workbench commands: batch search, entity curation rules, timelines, saved searches and tags.

Thin commands over Docmine, registered on the core app (``docmine.cli``); rows come from ``docmine.rows``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from docmine import rows
from docmine.cli import JSON, MUNICIPALITY, app, handle_errors, service, write_jsonl
from docmine.console import err, marked_text, out
from docmine.errors import DocmineError
from docmine.model import Filters, short_id

OUTPUT = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write a table: .csv, .jsonl, .parquet or .xlsx (- = stdout).")
]
LABEL = Annotated[str | None, typer.Option("--label", "-l", help="The entity's label, when the name has several.")]
TAG = Annotated[list[str] | None, typer.Option("--tag", help="Only documents or passages with this tag.")]


def write_rows(found: Iterable[dict[str, Any]], output: Path) -> int:
    """Rows to a file (format from its suffix) or, for '-', JSON lines on standard output."""
    from docmine.export import STDOUT, guess_format, write_stream, write_table

    kind = guess_format(output, None)
    count = write_stream(found, sys.stdout, kind) if output == STDOUT else write_table(found, output, kind)
    err().print(f"{count} rows -> {'standard output' if output == STDOUT else escape(str(output))}")
    return count


# -- batch search (``docmine search --batch FILE``, called from the search command) ---------------------------


def run_batch(
    ctx: typer.Context, batch: Path, filters: Filters, limit: int, mode: str | None, as_json: bool, output: Path | None
) -> None:
    """Search every query of ``batch``; one row per query and hit, then the queries that found nothing."""
    with service(ctx) as dm:
        queries = dm.read_batch(batch)
        results = dm.search_batch(queries, filters, limit, mode)
    found = rows.batch_rows(results)
    if output is not None:
        write_rows(found, output)
    elif as_json:
        write_jsonl(found)
    else:
        _print_batch(results)
    missing = [r for r in results if not r.hits and not r.error]
    failed = [r for r in results if r.error]
    console = err()
    console.print(f"{len(results)} queries: {len(results) - len(missing) - len(failed)} with hits, "
                  f"{len(missing)} without, {len(failed)} not run")  # fmt: skip
    if missing:
        console.print("no hit: " + "; ".join(f"{escape(r.query.query_id)} {escape(r.query.query)!r}" for r in missing))
    for r in failed:
        console.print(f"[yellow]line {r.query.line} ({escape(r.query.query_id)}) not run: {escape(r.error or '')}[/]")


def _print_batch(results: Sequence[Any]) -> None:
    table = Table("id", "query", "hits", "top document", "page", "snippet", show_lines=False)
    for r in results:
        if not r.hits:
            table.add_row(r.query.query_id, r.query.query[:60], "0" if not r.error else "error", "", "", r.error or "")
            continue
        top = r.hits[0]
        table.add_row(
            r.query.query_id,
            r.query.query[:60],
            str(len(r.hits)),
            (top.title or Path(top.path).name)[:50],
            str(top.ref.page),
            marked_text(top.snippet, top.marks),
        )
    out().print(table)


# -- entity curation ------------------------------------------------------------------------------------------

entity_app = typer.Typer(help="Correct extracted entities with rules kept in the case file (merge, rename, ...).")
app.add_typer(entity_app, name="entity")


def _report_rule(rule: Any, changed: int) -> None:
    what = {"merge": f"merged into {rule.target!r}", "rename": f"renamed {rule.target!r}", "reject": "rejected"}
    done = what.get(rule.action, f"split off as {rule.target!r}")
    err().print(
        f"rule {rule.rule_id}: {rule.label} {escape(repr(rule.name))} {escape(done)}; {changed} mentions changed"
    )


@entity_app.command("merge")
@handle_errors
def entity_merge(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The entity to merge away.")],
    into: Annotated[str, typer.Argument(help="The entity it is the same as.")],
    label: LABEL = None,
) -> None:
    """Merge NAME into INTO: their mentions become one entity with INTO's name."""
    with service(ctx) as dm:
        _report_rule(*dm.curate("merge", name, into, label))


@entity_app.command("rename")
@handle_errors
def entity_rename(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The entity's current name.")],
    new_name: Annotated[str, typer.Argument(help="The name it should have.")],
    label: LABEL = None,
) -> None:
    """Give an entity another name (the spelling to show and export)."""
    with service(ctx) as dm:
        _report_rule(*dm.curate("rename", name, new_name, label))


@entity_app.command("reject")
@handle_errors
def entity_reject(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name wrongly extracted, e.g. 'Hij'.")],
    label: LABEL = None,
) -> None:
    """Reject a name for a label: its mentions are removed, now and after every re-extraction."""
    with service(ctx) as dm:
        _report_rule(*dm.curate("reject", name, None, label))


@entity_app.command("split")
@handle_errors
def entity_split(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The entity some mentions are wrongly part of.")],
    as_name: Annotated[str, typer.Option("--as", help="The entity those mentions belong to.")],
    doc: Annotated[str, typer.Option("--doc", help="The document whose mentions are split off.")],
    page: Annotated[int | None, typer.Option("--page", "-p", help="Only on this page.")] = None,
    start: Annotated[int | None, typer.Option("--start", help="Only the mention at this character offset.")] = None,
    label: LABEL = None,
) -> None:
    """Split mentions off an entity: those in --doc (one --page, one --start) become the entity --as."""
    with service(ctx) as dm:
        _report_rule(*dm.curate("split", name, as_name, label, doc, page, start))


@entity_app.command("rules")
@handle_errors
def entity_rules(ctx: typer.Context, as_json: JSON = False, output: OUTPUT = None) -> None:
    """List the curation rules in the order they are applied."""
    with service(ctx) as dm:
        found = rows.rule_rows(dm.curation_rules())
    if output is not None:
        write_rows(found, output)
    elif as_json:
        write_jsonl(found)
    else:
        table = Table("id", "action", "label", "name", "target", "scope", "made")
        for r in found:
            scope = f"{short_id(r['doc_id'])} p.{r['page'] or '*'}" if r["doc_id"] else "all documents"
            table.add_row(
                str(r["rule_id"]), r["action"], r["label"], r["name"], r["target"] or "", scope, r["created_at"]
            )
        out().print(table)
        err().print(f"{len(found)} rules")


@entity_app.command("undo")
@handle_errors
def entity_undo(
    ctx: typer.Context, rule_id: Annotated[int, typer.Argument(help="The rule's id (entity rules).")]
) -> None:
    """Remove a curation rule: the documents it changed are extracted again, the other rules kept."""
    with service(ctx) as dm:
        docs = dm.remove_curation_rule(rule_id)
    err().print(f"rule {rule_id} removed; {docs} documents extracted again")


def curated_note(ctx: typer.Context) -> None:
    """Say so on stderr when entity names in an export or listing are curated."""
    with service(ctx) as dm:
        n = len(dm.curation_rules())
    if n:
        err().print(f"entity names as curated by {n} rules (docmine entity rules)")


# -- timeline -------------------------------------------------------------------------------------------------


@app.command()
@handle_errors
def timeline(
    ctx: typer.Context,
    entity: Annotated[str | None, typer.Option("--entity", "-e", help="Facts about this entity.")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Facts in passages matching this search.")] = None,
    municipality: MUNICIPALITY = None,
    since: Annotated[str | None, typer.Option(help="Facts dated on/after (YYYY[-MM[-DD]]).")] = None,
    until: Annotated[str | None, typer.Option(help="Facts dated on/before (YYYY[-MM[-DD]]).")] = None,
    tag: TAG = None,
    as_json: JSON = False,
    output: OUTPUT = None,
) -> None:
    """Dated facts in order (dated claims, decisions, dated documents), each with its source page."""
    with service(ctx) as dm:
        found = rows.timeline_rows(dm.timeline(entity, query, municipality, since, until, tag or ()))
    if output is not None:
        write_rows(found, output)
        return
    if as_json:
        write_jsonl(found)
        return
    console = out()
    for r in found:
        line = Text(f"{r['date']:<10}  ", style="bold")
        line.append(f"{r['kind']:<9} ", style="cyan")
        line.append(r["text"])
        console.print(line)
        console.print(f"            [dim]{escape(r['title'] or '')} · docmine show {short_id(r['doc_id'])} --page {r['page']}"
                      + (f" --start {r['start']} --end {r['end']}" if r["end"] else "") + "[/]")  # fmt: skip
    err().print(f"{len(found)} dated facts")


# -- saved searches -------------------------------------------------------------------------------------------

watch_app = typer.Typer(help="Saved searches that report their new hits after every ingest.")
app.add_typer(watch_app, name="watch")


@watch_app.command("add")
@handle_errors
def watch_add(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="The search to save.")],
    doc_type: Annotated[list[str] | None, typer.Option("--type", "-t", help="Only this document type.")] = None,
    since: Annotated[str | None, typer.Option(help="Documents dated on/after.")] = None,
    until: Annotated[str | None, typer.Option(help="Documents dated on/before.")] = None,
    municipality: MUNICIPALITY = None,
    label: Annotated[list[str] | None, typer.Option("--label", "-l", help="Passages with this label.")] = None,
    entity: Annotated[str | None, typer.Option("--entity", "-e", help="Passages mentioning this entity.")] = None,
    tag: TAG = None,
) -> None:
    """Save a search; what it finds now is known, later ingests report only new hits."""
    filters = {"doc_types": doc_type, "since": since, "until": until, "municipality": municipality,
               "labels": label, "entity": entity, "tags": tag}  # fmt: skip
    with service(ctx) as dm:
        saved, known = dm.watch_add(query, filters)
    err().print(f"saved search {saved.search_id}: {escape(saved.query)!r} ({known} hits now known)")


@watch_app.command("list")
@handle_errors
def watch_list(ctx: typer.Context, as_json: JSON = False) -> None:
    """List the saved searches."""
    with service(ctx) as dm:
        found = dm.watches()
    if as_json:
        write_jsonl({"search_id": s.search_id, "query": s.query, "filters": s.filters, "created_at": s.created_at}
                    for s in found)  # fmt: skip
        return
    for s in found:
        filters = ", ".join(f"{k}={v}" for k, v in s.filters.items())
        out().print(f"{s.search_id:>3}  {escape(s.query)}" + (f"  [dim]{escape(filters)}[/]" if filters else ""))
    err().print(f"{len(found)} saved searches")


@watch_app.command("remove")
@handle_errors
def watch_remove(ctx: typer.Context, search_id: Annotated[int, typer.Argument(help="Its id (watch list).")]) -> None:
    """Forget a saved search."""
    with service(ctx) as dm:
        dm.watch_remove(search_id)
    err().print(f"saved search {search_id} removed")


@watch_app.command("run")
@handle_errors
def watch_run(ctx: typer.Context, as_json: JSON = False) -> None:
    """Run the saved searches: their new hits, or else the hits they reported last."""
    with service(ctx) as dm:
        report = dm.watch_run()
    if as_json:
        write_jsonl({"search_id": s.search_id, "query": s.query, **row}
                    for s, hits in report for row in rows.hit_rows(hits))  # fmt: skip
        return
    print_watch(report, "")


def print_watch(report: Sequence[tuple[Any, Sequence[Any]]], heading: str) -> None:
    """The hits per saved search, one line each: after an ingest (``heading``) and from ``watch run``."""
    if not report:
        return
    console = err() if heading else out()
    if heading:
        console.print(heading)
    for saved, hits in report:
        docs = len({h.ref.doc_id for h in hits})
        console.print(
            f"  [bold]{escape(saved.query)}[/] (search {saved.search_id}): {len(hits)} hits in {docs} documents"
        )
        for hit in hits[:5]:
            console.print(f"    {escape(hit.title or Path(hit.path).name)[:60]} p.{hit.ref.page}  "
                          f"[dim]docmine show {short_id(hit.ref.doc_id)} --page {hit.ref.page}[/]")  # fmt: skip
        if len(hits) > 5:
            console.print(f"    … and {len(hits) - 5} more (docmine watch run)")


# -- tags -----------------------------------------------------------------------------------------------------


@app.command()
@handle_errors
def tag(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="A document id, DOC:PAGE:START (from search --json) or passage:ID.")],
    add: Annotated[str | None, typer.Option("--add", help="The tag to put on it.")] = None,
    remove: Annotated[str | None, typer.Option("--remove", help="The tag to take off.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note with the tag.")] = None,
) -> None:
    """Tag a document or a passage (with a note); filter with --tag on search, docs, timeline and export."""
    if (add is None) == (remove is None):
        raise DocmineError("say which tag to add or remove", "use --add NAME or --remove NAME")
    with service(ctx) as dm:
        t = dm.tag(target, add or remove or "", note, remove=remove is not None)
    where = f"{short_id(t.doc_id)}" + (f" p.{t.page} {t.start}-{t.end}" if t.page else "")
    err().print(
        f"{'removed' if remove else 'tagged'} {where}: {escape(t.name)}" + (f" ({escape(t.note)})" if t.note else "")
    )


@app.command()
@handle_errors
def tags(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Only this tag.")] = None,
    as_json: JSON = False,
    output: OUTPUT = None,
) -> None:
    """List tags and notes with what they mark."""
    with service(ctx) as dm:
        found = rows.tag_rows(dm.tags(name))
    if output is not None:
        write_rows(found, output)
    elif as_json:
        write_jsonl(found)
    else:
        for r in found:
            where = "document" if not r["page"] else f"p.{r['page']} {r['start']}-{r['end']}"
            note = f"  {escape(r['note'])}" if r["note"] else ""
            out().print(f"[bold]{escape(r['name'])}[/]  {short_id(r['doc_id'])} {where}{note}")
        err().print(f"{len(found)} tags")


def filter_tagged(found: Iterable[dict[str, Any]], doc_ids: set[str] | None) -> Iterable[dict[str, Any]]:
    """Rows of the tagged documents only (None: all rows)."""
    return found if doc_ids is None else (r for r in found if r.get("doc_id") in doc_ids)

"""The docmine command: thin commands over Docmine. A DocmineError becomes message + hint on stderr, exit 1."""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from docmine.config import Settings
from docmine.errors import DocmineError
from docmine.model import Filters, Hit, MentionRow

app = typer.Typer(
    help="Mine Dutch council documents and Woo releases: ingest, search, read, trace.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
F = TypeVar("F", bound=Callable[..., Any])


def out() -> Console:
    # Piped output keeps whole lines rather than an 80-column guess.
    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def handle_errors(fn: F) -> F:
    """Bad input ends in one line and a hint, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DocmineError as exc:
            console = err()
            console.print(f"[bold red]error:[/] {escape(exc.message)}")
            if exc.hint:
                console.print(f"[dim]hint:[/] {escape(exc.hint)}")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err().print("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[Path | None, typer.Option("--db", help="Case file (default ./docmine.db or $DOCMINE_DB).")] = None,
) -> None:
    try:
        ctx.obj = Settings.load(db=db)
    except DocmineError as exc:
        err().print(f"[bold red]error:[/] {escape(exc.message)}\n[dim]hint:[/] {escape(exc.hint)}")
        raise typer.Exit(1) from None


@contextmanager
def service(ctx: typer.Context, create: bool = False, **overrides: Any) -> Iterator[Any]:
    """The service over the case file; only commands that add documents may create a new one."""
    from docmine.service import Docmine

    settings: Settings = ctx.obj.with_overrides(**overrides)
    with Docmine(settings, create=create) as dm:
        if dm.store.backup_path is not None:
            err().print(f"upgraded the case file; the old one is kept as {escape(str(dm.store.backup_path))}")
        yield dm


# -- ingest -------------------------------------------------------------------------------------------------


@app.command()
@handle_errors
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (recursive).")],
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Parallel parsers (default: all cores).")] = None,
    ocr: Annotated[str | None, typer.Option(help="OCR for pages without text: auto, always, never.")] = None,
    max_file_mb: Annotated[float | None, typer.Option(help="Skip files larger than this (MB).")] = None,
    max_pages: Annotated[int | None, typer.Option(help="Ingest at most this many pages per file.")] = None,
    file_timeout: Annotated[float | None, typer.Option(help="Seconds of parsing per file before stopping.")] = None,
) -> None:
    """Parse files into the case file; re-running skips what is stored and resumes an interrupted run."""
    from docmine.progress import RichIngestProgress

    overrides = {
        "jobs": jobs,
        "ocr": ocr,
        "max_file_mb": max_file_mb,
        "max_pages": max_pages,
        "file_timeout_s": file_timeout,
    }
    if ocr is not None and ocr not in ("auto", "always", "never"):
        raise DocmineError(f"unknown OCR mode {ocr!r}", "use --ocr auto, always or never")
    with service(ctx, create=True, **overrides) as dm:
        report = dm.ingest(paths, RichIngestProgress(err()))
        print_report(report, dm.settings.db)
    if report.interrupted:
        raise typer.Exit(130)


def print_report(report: Any, db: Path) -> None:
    console = err()
    rate = report.pages / report.seconds if report.seconds else 0.0
    console.print(
        f"[bold]{len(report.ingested)} ingested[/], {len(report.duplicates)} duplicates, "
        f"{len(report.failed)} failed; {report.pages} pages in {report.seconds:.1f} s ({rate:.1f} pages/s) -> {db}"
    )
    for doc in report.needs_ocr:
        console.print(f"  [yellow]needs OCR[/] {escape(doc.path)}: {escape(doc.error or '')}")
    for doc in report.partial:
        console.print(f"  [yellow]partial[/] {escape(doc.path)}: {escape('; '.join(doc.notes))}")
    for path, reason in report.failed:
        console.print(f"  [red]failed[/] {escape(path)}: {escape(reason)}")
    if report.interrupted:
        console.print("[yellow]interrupted[/]: what was stored is complete; run the same command again to resume")


# -- search -------------------------------------------------------------------------------------------------


def hit_json(hit: Hit) -> dict[str, Any]:
    from docmine.search.snippet import render_marked

    return {
        "doc_id": hit.ref.doc_id,
        "path": hit.path,
        "title": hit.title,
        "doc_type": hit.doc_type,
        "date": hit.date,
        "page": hit.ref.page,
        "start": hit.ref.start,
        "end": hit.ref.end,
        "score": hit.score,
        "snippet": render_marked(hit.snippet, hit.marks),
        "matched": list(hit.matched),
        "why": list(hit.why),
    }


def marked_text(snippet: str, marks: tuple[tuple[int, int], ...]) -> Text:
    text = Text(snippet)
    for s, e in marks:
        text.stylize("bold black on yellow", s, e)
    return text


@app.command()
@handle_errors
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help='Words or a question; "phrase", +required, -excluded, prefix*, OR.')],
    doc_type: Annotated[list[str] | None, typer.Option("--type", "-t", help="Only this document type.")] = None,
    since: Annotated[str | None, typer.Option(help="Documents dated on/after (YYYY[-MM[-DD]]).")] = None,
    until: Annotated[str | None, typer.Option(help="Documents dated on/before (YYYY[-MM[-DD]]).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Number of hits.")] = 10,
    mode: Annotated[
        str | None, typer.Option("--mode", help="hybrid (default when embedded), text or semantic.")
    ] = None,
    municipality: Annotated[str | None, typer.Option("--municipality", "-m", help="Name or GM code.")] = None,
    label: Annotated[
        list[str] | None, typer.Option("--label", "-l", help="Passages with a mention of this label.")
    ] = None,
    entity: Annotated[str | None, typer.Option("--entity", "-e", help="Passages mentioning this entity.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Search passages: full-text (Dutch stemming, compounds) fused with semantic similarity when embedded."""
    from docmine.model import DOC_TYPES

    for t in doc_type or ():
        if t not in DOC_TYPES:
            raise DocmineError(f"unknown document type {t!r}", "one of: " + ", ".join(DOC_TYPES))
    with service(ctx) as dm:
        filters = Filters(
            doc_types=tuple(doc_type or ()),
            since=_date_opt(since, "--since"),
            until=_date_opt(until, "--until"),
            municipality=dm.municipality_code(municipality),
            labels=tuple(_label_opt(x) for x in label or ()),
            entity=entity,
        )
        hits = dm.search(query, filters, limit, mode)
    if hits.notice:
        err().print(f"[yellow]{escape(hits.notice)}[/]")
    if as_json:
        for hit in hits:
            sys.stdout.write(json.dumps(hit_json(hit), ensure_ascii=False) + "\n")
        return
    print_hits(out(), hits, query)


def print_hits(console: Console, hits: list[Hit], query: str) -> None:
    if not hits:
        console.print(f"no hits for {escape(query)!r}")
        return
    for i, hit in enumerate(hits, 1):
        head = Text(f"{i:>2}. ", style="bold")
        head.append(hit.title or Path(hit.path).name, style="bold")
        head.append(
            f"  [{hit.doc_type} · {hit.date or 'undated'} · p. {hit.ref.page}]  score {hit.score:.3g}", style="cyan"
        )
        console.print(head)
        console.print(Text("    ") + marked_text(hit.snippet, hit.marks))
        if hit.why:
            console.print(Text("    why: " + "; ".join(hit.why), style="dim"))
        console.print(
            f"    [dim]{hit.ref.doc_id[:12]}  {escape(hit.path)}  "
            f"docmine show {hit.ref.doc_id[:12]} --page {hit.ref.page} "
            f"--start {hit.ref.start} --end {hit.ref.end}[/]"
        )


def _label_opt(value: str) -> str:
    from docmine.service import parse_label

    return str(parse_label(value))


def _date_opt(value: str | None, name: str) -> str | None:
    import re

    if value is None:
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise DocmineError(f"{name} {value!r} is not a date", f"use YYYY, YYYY-MM or YYYY-MM-DD, e.g. {name} 2021-03")
    return value


# -- documents ----------------------------------------------------------------------------------------------


@app.command()
@handle_errors
def docs(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="Only ok, failed, needs_ocr, partial or duplicate.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List documents with their status, and the reason for failures."""
    with service(ctx) as dm:
        infos = dm.documents(status)
    if as_json:
        for d in infos:
            sys.stdout.write(
                json.dumps(
                    {
                        "doc_id": d.doc_id,
                        "path": d.path,
                        "title": d.title,
                        "doc_type": d.doc_type,
                        "date": d.date,
                        "publisher": d.publisher,
                        "municipality": d.municipality,
                        "pages": d.page_count,
                        "size": d.size,
                        "format": d.format,
                        "status": d.status,
                        "error": d.error,
                        "notes": list(d.notes),
                        "ingested_at": d.ingested_at,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
        return
    table = Table(box=None, pad_edge=False)
    for col in ("id", "status", "type", "date", "pages", "title / error"):
        table.add_column(col, no_wrap=True, overflow="ellipsis", max_width=90 if col == "title / error" else None)
    colours = {"ok": "green", "failed": "red", "needs_ocr": "yellow", "partial": "yellow", "duplicate": "dim"}
    for d in infos:
        detail = d.title if d.status in ("ok", "partial") else f"{Path(d.path).name}: {d.error or ''}"
        table.add_row(
            d.doc_id[:12],
            f"[{colours.get(d.status, 'white')}]{d.status}[/]",
            d.doc_type,
            d.date or "",
            str(d.page_count),
            escape(detail[:200]),
        )
    out().print(table)
    err().print(f"{len(infos)} documents")


@app.command()
@handle_errors
def show(
    ctx: typer.Context,
    doc_id: Annotated[str, typer.Argument(help="Document id (or its first characters).")],
    page: Annotated[int, typer.Option("--page", "-p", help="Page number.")] = 1,
    start: Annotated[int | None, typer.Option(help="Highlight from this character offset.")] = None,
    end: Annotated[int | None, typer.Option(help="Highlight up to this character offset.")] = None,
) -> None:
    """Print a page of a document, with a character span highlighted."""
    with service(ctx) as dm:
        info, pg = dm.page(doc_id, page)
    console = out()
    header = Text(info.title, style="bold")
    header.append(f"  [{info.doc_type} · {info.date or 'undated'}]", style="cyan")
    console.print(header)
    src = f"pagina {pg.number} van {info.page_count}" + (f" · OCR {pg.ocr_confidence:.0%}" if pg.ocr else "")
    console.print(f"[dim]{escape(info.path)} · {src}[/]\n")
    text = Text(pg.text)
    if start is not None or end is not None:
        s, e = max(0, start or 0), min(len(pg.text), end if end is not None else len(pg.text))
        if s >= e:
            raise DocmineError(f"empty span {start}-{end}", f"page {page} has {len(pg.text)} characters")
        text.stylize("bold black on yellow", s, e)
    if pg.needs_ocr:
        console.print("[yellow]this page has no text layer and has not been OCR'd[/]")
    console.print(text)


@app.command("open")
@handle_errors
def open_(
    ctx: typer.Context,
    doc_id: Annotated[str, typer.Argument(help="Document id (or its first characters).")],
    page: Annotated[int, typer.Option("--page", "-p", help="Page number.")] = 1,
) -> None:
    """Open the original file at a page in the system viewer."""
    from docmine.viewer import open_at_page

    with service(ctx) as dm:
        info, _ = dm.page(doc_id, page)
    cmd = open_at_page(Path(info.fs_path), page, info.format == "pdf")
    err().print(f"opened with {Path(cmd[0]).name}: {escape(info.path)} (page {page})")


@app.command()
@handle_errors
def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """Summarise the case file."""
    with service(ctx) as dm:
        s = dm.stats()
    if as_json:
        sys.stdout.write(json.dumps(dataclasses.asdict(s), ensure_ascii=False, default=list) + "\n")
        return
    console = out()
    console.print(f"[bold]{ctx.obj.db}[/]  schema {s.schema}, {s.size_bytes / 1e6:.1f} MB")
    console.print(f"documents  {s.documents}  " + "  ".join(f"{k}: {v}" for k, v in s.by_status.items()))
    console.print(f"pages      {s.pages} ({s.ocr_pages} by OCR), passages {s.passages}, {s.characters:,} characters")
    if s.embedding_model:
        console.print(f"vectors    {s.embedded} of {s.passages} passages ({s.embedding_model})")
    console.print(f"facts      {s.mentions} mentions of {s.entities} entities, {s.claims} claims")
    lo, hi = s.date_range
    console.print(f"dates      {lo or '-'} .. {hi or '-'}")
    console.print("types      " + ", ".join(f"{k} {v}" for k, v in s.by_type.items()))


# -- entities, claims, export ---------------------------------------------------------------------------


def _jsonl(rows: Any) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def _mention_json(m: MentionRow) -> dict[str, Any]:
    return {
        "doc_id": m.ref.doc_id,
        "path": m.path,
        "page": m.ref.page,
        "start": m.ref.start,
        "end": m.ref.end,
        "label": m.label,
        "text": m.text,
        "value": m.value,
        "canonical": m.canonical,
    }


@app.command()
@handle_errors
def entities(
    ctx: typer.Context,
    label: Annotated[str | None, typer.Option("--label", "-l", help="Only this label, e.g. MUNICIPALITY.")] = None,
    municipality: Annotated[str | None, typer.Option("--municipality", "-m", help="Name or GM code.")] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="Only in this document.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Rows to show (0 = all).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List entities with mention and document counts."""
    with service(ctx) as dm:
        rows = dm.entities(label, municipality, doc)
    rows = rows[:limit] if limit else rows
    if as_json:
        _jsonl(
            {
                "label": r.label,
                "name": r.name,
                "value": r.value,
                "key": r.entity_key,
                "mentions": r.mentions,
                "documents": r.documents,
                "first_date": r.first_date,
                "last_date": r.last_date,
            }
            for r in rows
        )
        return
    table = Table(box=None, pad_edge=False)
    for col in ("label", "name", "value", "mentions", "docs", "dates"):
        table.add_column(col, no_wrap=True, overflow="ellipsis", max_width=60)
    for r in rows:
        dates = f"{r.first_date or ''}..{r.last_date or ''}" if r.first_date else ""
        table.add_row(r.label, escape(r.name), escape(str(r.value or "")), str(r.mentions), str(r.documents), dates)
    out().print(table)


@app.command()
@handle_errors
def mentions(
    ctx: typer.Context,
    label: Annotated[str | None, typer.Option("--label", "-l", help="Only this label.")] = None,
    municipality: Annotated[str | None, typer.Option("--municipality", "-m", help="Name or GM code.")] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="Only in this document.")] = None,
    entity: Annotated[str | None, typer.Option("--entity", "-e", help="Canonical name or value.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Rows (0 = all).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List every mention with its anchor (document, page, character span)."""
    with service(ctx) as dm:
        rows = dm.mentions(label, municipality, doc, entity, limit or None)
        if as_json:
            _jsonl(_mention_json(m) for m in rows)
            return
        console = out()
        for m in rows:
            console.print(
                f"{m.label:<13} {escape(m.text)!s:<40} {escape(str(m.value or '')):<22} "
                f"[dim]{m.ref.doc_id[:12]} p.{m.ref.page} {m.ref.start}-{m.ref.end}[/]"
            )


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
    doc: Annotated[str | None, typer.Option("--doc", help="Only in this document.")] = None,
    municipality: Annotated[str | None, typer.Option("--municipality", "-m", help="Name or GM code.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List claims: checkable sentences with amounts, dates, decisions or attributed statements."""
    with service(ctx) as dm:
        found = dm.claims(doc, municipality)
        paths = {d.doc_id: d.path for d in dm.documents()}
    if as_json:
        _jsonl(
            {
                "claim_id": c.claim_id,
                "doc_id": c.ref.doc_id,
                "path": paths.get(c.ref.doc_id),
                "page": c.ref.page,
                "start": c.ref.start,
                "end": c.ref.end,
                "kind": c.kind,
                "speaker": c.speaker,
                "sentence": c.sentence,
                "values": list(c.values),
            }
            for c in found
        )
        return
    console = out()
    for c in found:
        who = f" ({c.speaker})" if c.speaker else ""
        console.print(f"[bold]#{c.claim_id}[/] [cyan]{c.kind}{escape(who)}[/] {escape(c.sentence)}")
        console.print(f"    [dim]{c.ref.doc_id[:12]} p.{c.ref.page}  {escape(', '.join(c.values))}[/]")


@app.command()
@handle_errors
def export(
    ctx: typer.Context,
    table: Annotated[str, typer.Argument(help="documents, pages, passages, mentions, entities or claims.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv, jsonl, parquet or xlsx.")] = None,
) -> None:
    """Write a table for analysis: one row per fact, anchors included, no row cap."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from docmine.export import guess_format, write_table

    kind = guess_format(output, fmt)
    with service(ctx) as dm:
        rows = dm.table_rows(table)
        console = err()
        columns = (SpinnerColumn(), TextColumn("export {task.fields[rows]:,} rows"))
        with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
            task = bar.add_task("export", total=None, rows=0)
            count = write_table(rows, output, kind, lambda n: bar.update(task, rows=n))
    err().print(f"{count} rows -> {output}")


@app.command()
@handle_errors
def trace(
    ctx: typer.Context,
    statement: Annotated[str | None, typer.Argument(help="The statement to trace, in quotes.")] = None,
    claim: Annotated[int | None, typer.Option("--claim", help="Trace a stored claim by its id.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Number of sources.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Find the passages that state the same thing or are its likely source, earliest first among equals."""
    with service(ctx) as dm:
        found = dm.trace(statement, claim, limit)
    if found.notice:
        err().print(f"[yellow]{escape(found.notice)}[/]")
    if as_json:
        _jsonl(
            {
                "doc_id": s.ref.doc_id,
                "path": s.path,
                "title": s.title,
                "date": s.date,
                "page": s.ref.page,
                "start": s.ref.start,
                "end": s.ref.end,
                "score": s.score,
                "similarity": s.similarity,
                "sentence": s.sentence,
                "shared": list(s.shared),
                "conflicts": list(s.conflicts),
            }
            for s in found
        )
        return
    print_sources(out(), found)


def print_sources(console: Console, found: Any, agreeing: int = 0, differing: int = 0) -> None:
    """Sources that agree first (earliest first among equals), then those that state a different value."""
    console.print(f"[bold]tracing[/] {escape(found.statement)}")
    if not found:
        console.print("no sources found")
    same = [s for s in found if not s.conflicts]
    other = sorted((s for s in found if s.conflicts), key=lambda s: -s.score)
    for title, group, cap in (("sources", same, agreeing), ("states a different value", other, differing)):
        if not group:
            continue
        console.print(f"[bold underline]{title}[/]")
        for i, s in enumerate(group[: cap or None], 1):
            head = Text(f"{i:>2}. {s.title}", style="bold")
            head.append(f"  [{s.date or 'undated'} · p. {s.ref.page}]  score {s.score:.2f}", style="cyan")
            console.print(head)
            console.print(f"    {escape(s.sentence)}")
            if s.shared:
                console.print(f"    [green]shared:[/] {escape(', '.join(s.shared))}")
            if s.conflicts:
                console.print(f"    [red]differs:[/] {escape('; '.join(s.conflicts))}")
            console.print(
                f"    [dim]docmine show {s.ref.doc_id[:12]} --page {s.ref.page} --start {s.ref.start} --end {s.ref.end}[/]"
            )


@app.command()
@handle_errors
def embed(ctx: typer.Context) -> None:
    """Embed passages that have no vector yet (resumable) for semantic and hybrid search."""
    from docmine.progress import RichEmbedProgress

    with service(ctx) as dm:
        bar = RichEmbedProgress(err())
        try:
            count = dm.embed(bar.update)
        finally:
            bar.stop()
        missing, total = dm.embedding_status()
    err().print(f"embedded {count} passages with {dm.settings.embedding_model}; {total - missing}/{total} ready")


# -- demo ---------------------------------------------------------------------------------------------------


@app.command()
@handle_errors
def demo(
    ctx: typer.Context,
    db: Annotated[Path, typer.Option("--demo-db", help="Where to build the demo case file.")] = Path("demo.db"),
) -> None:
    """Build a case file from the bundled demo corpus and take a short tour of searches."""
    from docmine.config import REPO_ROOT
    from docmine.progress import RichIngestProgress

    corpus = REPO_ROOT / "corpora" / "demo" / "docs"
    tour_file = REPO_ROOT / "corpora" / "demo" / "tour.json"
    if not corpus.is_dir():
        raise DocmineError(f"the demo corpus is missing at {corpus}", "run from a full checkout of docmine")
    console = out()
    console.rule("[bold]docmine demo")
    with service(ctx, create=True, db=db) as dm:
        report = dm.ingest([corpus], RichIngestProgress(err()))
        print_report(report, db)
        tour = json.loads(tour_file.read_text(encoding="utf-8")) if tour_file.is_file() else []
        for step in tour:
            console.rule(f"[bold]docmine search {escape(json.dumps(step['query'], ensure_ascii=False))}")
            if step.get("says"):
                console.print(f"[italic]{escape(step['says'])}[/]")
            print_hits(console, dm.search(step["query"], limit=step.get("limit", 3)), step["query"])
        statement = "De uitgaven aan jeugdzorg in 2020 bedroegen € 160 miljoen"
        console.rule(f"[bold]docmine trace {escape(json.dumps(statement, ensure_ascii=False))}")
        console.print("[italic]Where does the figure come from, and who says otherwise?[/]")
        print_sources(console, dm.trace(statement, limit=12), agreeing=4, differing=2)
        console.rule("[bold]docmine entities --label MONEY")
        for row in dm.entities("MONEY")[:5]:
            console.print(f"  {escape(row.name):<24} {row.mentions} mentions in {row.documents} documents")
    console.rule()
    console.print(
        f'Browse further:  docmine --db {db} tui   ·   docmine --db {db} search "jouw vraag"   ·   '
        f"docmine --db {db} entities   ·   docmine --db {db} claims"
    )


def _register_tui() -> None:
    from docmine.tui.command import tui_command  # Textual itself loads only when the command runs

    app.command("tui", help="Browse the case file in a terminal UI: search, read pages, follow claims.")(
        handle_errors(tui_command)
    )


_register_tui()


def run() -> None:
    app()


if __name__ == "__main__":
    run()

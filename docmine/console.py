"""How the command line draws results for people: hits, trace sources, ingest reports, row listings (Rich).

Machine-readable output is ``docmine.rows``; this module only decides the look on a terminal or in a log.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from docmine.errors import DocmineError
from docmine.ingest.paths import LINK_HINT, display_path, printable
from docmine.model import DocInfo, Hit, Page, Stats, short_id
from docmine.rows import Row

STATUS_COLOURS = {"ok": "green", "failed": "red", "needs_ocr": "yellow", "partial": "yellow", "duplicate": "dim"}


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # Rich exits 1 when the reader of a pipe goes away; the command's error handler ends quietly instead.
        self.quiet = True
        raise BrokenPipeError


def out() -> Console:
    # Piped output keeps whole lines rather than an 80-column guess.
    return _Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


# How the CLI spells out an error's next step (DocmineError.action) for a person at a shell.
CLI_ACTIONS = {
    "list-documents": "see `docmine docs`",
    "list-claims": "see `docmine claims`",
    "embed": "run docmine embed",
    "set-limit": "e.g. --limit 10",
    "trace-claim": 'docmine trace "STATEMENT" or docmine trace --claim ID',
    "set-ocr": "--ocr auto, always or never",
}


def cli_hint(hint: str, action: str | None) -> str:
    """The hint with the action spelled out as a command, for the CLI."""
    phrase = CLI_ACTIONS.get(action or "")
    if not phrase:
        return hint
    return f"{hint} ({phrase})" if hint else phrase


def print_error(message: str, hint: str = "") -> None:
    console = err()
    console.print(f"[bold red]error:[/] {escape(message)}")
    if hint:
        console.print(f"[dim]hint:[/] {escape(hint)}")


def print_report(report: Any, db: Path) -> None:
    """The closing summary of an ingest: counts and rate, then every file that needs attention."""
    console = err()
    rate = report.pages / report.seconds if report.seconds else 0.0
    console.print(
        f"[bold]{len(report.ingested)} ingested[/], {len(report.duplicates)} duplicates, "
        f"{len(report.failed)} failed; {report.pages} pages in {report.seconds:.1f} s ({rate:.1f} pages/s) -> {db}"
    )
    for doc in report.needs_ocr:
        console.print(f"  [yellow]needs OCR[/] {escape(display_path(doc.path))}: {escape(doc.error or '')}")
    for doc in report.partial:
        console.print(f"  [yellow]partial[/] {escape(display_path(doc.path))}: {escape('; '.join(doc.notes))}")
    for path, reason in report.failed:
        console.print(f"  [red]failed[/] {escape(display_path(path))}: {escape(reason)}")
    for archive, folder in report.unpacked:
        console.print(f"  [cyan]unpacked[/] {escape(display_path(archive))} -> {escape(display_path(folder))}/")
    if report.moved:
        console.print(
            f"  [cyan]{len(report.moved)} moved[/]: stored from a path that is gone, found here; "
            "show, open and Woo releases follow them"
        )
    for link, target in report.links:
        console.print(f"  [yellow]skipped link[/] {escape(display_path(link))} -> {escape(printable(target))}")
    if report.links:
        console.print(f"  [dim]hint:[/] {LINK_HINT}")
    if report.interrupted:
        console.print("[yellow]interrupted[/]: what was stored is complete; run the same command again to resume")


def marked_text(snippet: str, marks: tuple[tuple[int, int], ...]) -> Text:
    text = Text(snippet)
    for s, e in marks:
        text.stylize("bold black on yellow", s, e)
    return text


def print_hits(console: Console, hits: Sequence[Hit], query: str) -> None:
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
            f"    [dim]{short_id(hit.ref.doc_id)}  {escape(printable(hit.path))}  "
            f"docmine show {short_id(hit.ref.doc_id)} --page {hit.ref.page} "
            f"--start {hit.ref.start} --end {hit.ref.end}[/]"
        )


def print_page(console: Console, info: DocInfo, page: Page, start: int | None, end: int | None) -> None:
    """A page with its document's header and the span from ``start`` to ``end`` highlighted."""
    span = None
    if start is not None or end is not None:  # checked before a line is printed: an error after the header was lost
        s, e = max(0, start or 0), min(len(page.text), end if end is not None else len(page.text))
        if s >= e:
            shown = f"{start if start is not None else 0}-{end if end is not None else len(page.text)}"
            raise DocmineError(f"empty span {shown}", f"page {page.number} has {len(page.text)} characters")
        span = (s, e)
    header = Text(info.title, style="bold")
    header.append(f"  [{info.doc_type} · {info.date or 'undated'}]", style="cyan")
    console.print(header)
    src = f"pagina {page.number} van {info.page_count}" + (f" · OCR {page.ocr_confidence:.0%}" if page.ocr else "")
    console.print(f"[dim]{escape(printable(info.path))} · {src}[/]\n")
    text = Text(page.text)
    if span is not None:
        text.stylize("bold black on yellow", *span)
    if page.needs_ocr:
        console.print("[yellow]this page has no text layer and has not been OCR'd[/]")
    console.print(text)


def print_sources(
    console: Console,
    found: Any,
    agreeing: int = 0,
    differing: int = 0,
    shown: tuple[Callable[[str], str], Callable[[str], str]] = (str, str),
) -> None:
    """Sources that agree first (earliest first among equals), then those that state a different value.
    ``shown``: how a shared value and a conflict are written for people (the JSON keeps them as stored)."""
    fact, conflict = shown
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
                console.print(f"    [green]shared:[/] {escape(', '.join(fact(v) for v in s.shared))}")
            if s.conflicts:
                console.print(f"    [red]differs:[/] {escape('; '.join(conflict(c) for c in s.conflicts))}")
            console.print(
                f"    [dim]docmine show {short_id(s.ref.doc_id)} --page {s.ref.page} --start {s.ref.start} --end {s.ref.end}[/]"
            )


def document_table(rows: Iterable[Row]) -> Table:
    table = Table(box=None, pad_edge=False)
    for col in ("id", "status", "type", "date", "pages", "title / error"):
        table.add_column(col, no_wrap=True, overflow="ellipsis", max_width=90 if col == "title / error" else None)
    for d in rows:
        detail = d["title"] if d["status"] in ("ok", "partial") else f"{Path(d['path']).name}: {d['error'] or ''}"
        table.add_row(
            short_id(d["doc_id"]),
            f"[{STATUS_COLOURS.get(d['status'], 'white')}]{d['status']}[/]",
            d["doc_type"],
            d["date"] or "",
            str(d["pages"]),
            escape(detail[:200]),
        )
    return table


def entity_table(rows: Iterable[Row]) -> Table:
    table = Table(box=None, pad_edge=False)
    for col in ("label", "name", "value", "mentions", "docs", "dates"):
        table.add_column(col, no_wrap=True, overflow="ellipsis", max_width=60)
    for r in rows:
        dates = f"{r['first_date'] or ''}..{r['last_date'] or ''}" if r["first_date"] else ""
        value = "" if r["value"] is None else r["value"]
        table.add_row(
            r["label"], escape(str(r["name"])), escape(str(value)), str(r["mentions"]), str(r["documents"]), dates
        )
    return table


def print_mention(console: Console, m: Row) -> None:
    value = "" if m["value"] is None else str(m["value"])
    console.print(
        f"{m['label']:<13} {escape(m['text'])!s:<40} {escape(value):<22} "
        f"[dim]{short_id(m['doc_id'])} p.{m['page']} {m['start']}-{m['end']}[/]"
    )


def print_claim(console: Console, c: Row) -> None:
    who = f" ({c['speaker']})" if c["speaker"] else ""
    console.print(f"[bold]#{c['claim_id']}[/] [cyan]{c['kind']}{escape(who)}[/] {escape(c['sentence'])}")
    console.print(f"    [dim]{short_id(c['doc_id'])} p.{c['page']}  {escape(', '.join(c['values']))}[/]")


def print_stats(console: Console, db: Path, s: Stats) -> None:
    console.print(f"[bold]{db}[/]  schema {s.schema}, {s.size_bytes / 1e6:.1f} MB")
    split = f" ({s.files} files + {s.split_out} split out of Woo bundles)" if s.split_out else ""
    status = "  ".join(f"{k}: {v}" for k, v in s.by_status.items())
    console.print(f"documents  {s.documents}{split}  {status}")
    console.print(f"pages      {s.pages} ({s.ocr_pages} by OCR), passages {s.passages}, {s.characters:,} characters")
    if s.embedding_model:
        console.print(f"vectors    {s.embedded} of {s.passages} passages ({s.embedding_model})")
    console.print(f"facts      {s.mentions} mentions of {s.entities} entities, {s.claims} claims")
    lo, hi = s.date_range
    console.print(f"dates      {lo or '-'} .. {hi or '-'}")
    console.print("types      " + ", ".join(f"{k} {v}" for k, v in s.by_type.items()))

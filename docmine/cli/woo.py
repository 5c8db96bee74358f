"""``docmine woo``: a release summarised (documents per decision, redactions per ground, days taken, unlinked
rows), and bundle boundaries corrected by hand (``woo split DOC --at PAGE``, ``woo merge DOC --at PAGE``)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from docmine.cli import app, handle_errors, service, write_jsonl
from docmine.console import err, out


class _ReleaseGroup(TyperGroup):
    """``docmine woo [RELEASE]`` summarises; a first word that is no subcommand is the release folder."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["summary", *args]
        return super().parse_args(ctx, args)


woo_app = typer.Typer(cls=_ReleaseGroup, help="Woo releases: summary, bundle boundaries.", no_args_is_help=False)
app.add_typer(woo_app, name="woo")


@woo_app.command("summary")
@handle_errors
def summary(
    ctx: typer.Context,
    release: Annotated[str | None, typer.Argument(help="The release's folder (default: every release).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """Summarise releases: documents per decision, redactions per ground, days taken, unlinked rows."""
    with service(ctx, create=False) as dm:
        found = dm.woo_summary(release)
    if as_json:
        write_jsonl(found)
        return
    if not found:
        err().print("no Woo release found (no inventory, decision letter or bundle among the documents)")
        return
    console = out()
    for s in found:
        source = f" (from {escape(s['archive'])})" if s.get("archive") else ""
        console.print(f"[bold]{escape(s['release'])}[/bold]{source}: {s['files']} files, {s['documents']} documents")
        for name, n in s["bundles"].items():
            console.print(f"  bundle {escape(name)}: {n} documents")
        console.print("  decisions: " + _pairs(s["decisions"]))
        console.print(
            f"  redactions: {s['redactions']} ({_pairs(s['redactions_by_source'])}); "
            f"pages removed whole: {s['pages_removed']}"
        )
        console.print("  by ground: " + _pairs(s["redactions_by_ground"]))
        letter = s["decision_letter"]
        if letter:
            late = {True: "term exceeded", False: "within the term", None: "term unknown"}[letter["exceeded"]]
            # a letter without the request's date has no day count: say so rather than print "None"
            request = (
                f"on request {letter['request_date']}: {letter['days']} days"
                if letter["request_date"]
                else "request date not found in the letter"
            )
            console.print(
                f"  decision {letter['decision_date'] or 'undated'}, {request}, "
                f"term {letter['term_days']}{' (extended)' if letter['extended'] else ''}, {late}; "
                f"grounds cited: {', '.join(letter['grounds']) or '-'}"
            )
        for row in s["unlinked"]:
            console.print(f"  unlinked row {escape(row['number'])}: {escape(row['reason'])}")
        for notice in s["notices"]:
            err().print(f"  notice: {escape(notice)}")


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "-"


@woo_app.command("split")
@handle_errors
def split(
    ctx: typer.Context,
    doc: Annotated[str, typer.Argument(help="The bundle (doc_id or its start).")],
    at: Annotated[int, typer.Option("--at", help="The page a document starts on.")],
) -> None:
    """Start a new document at page AT of a bundle; kept across new analyses."""
    with service(ctx) as dm:
        dm.woo_correct(doc, at, "split")
    err().print(f"a document starts at page {at}")


@woo_app.command("merge")
@handle_errors
def merge(
    ctx: typer.Context,
    doc: Annotated[str, typer.Argument(help="The bundle (doc_id or its start).")],
    at: Annotated[int, typer.Option("--at", help="The first page of the document to join to the one before.")],
) -> None:
    """Join the document starting at page AT to the one before it; kept across new analyses."""
    with service(ctx) as dm:
        dm.woo_correct(doc, at, "merge")
    err().print(f"page {at} continues the document before it")

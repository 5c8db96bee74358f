"""The docmine command: thin commands over Docmine. A DocmineError becomes message + hint on stderr, exit 1.

Rows come from ``docmine.rows`` (``--json``), their look on a terminal from ``docmine.console``.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.markup import escape
from typer.core import TyperCommand

from docmine import rows
from docmine.config import Settings
from docmine.console import cli_hint, err, out, print_error
from docmine.errors import DocmineError, is_busy, is_damaged, known_error

app = typer.Typer(
    help="Mine Dutch council documents and Woo releases: ingest, search, read, trace.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
F = TypeVar("F", bound=Callable[..., Any])
_interrupt_status = 130  # the exit status of a stopped command: 128 + the signal (SIGINT: Ctrl-C)


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, ``timeout``, a service manager) stops a command the way Ctrl-C does: the ingest ends
    after its last complete document and says how to resume, instead of vanishing without a word."""


def _terminate(signum: int, _frame: object) -> None:
    global _interrupt_status
    _interrupt_status = 128 + signum
    signal.signal(signum, signal.SIG_DFL)  # a second SIGTERM ends the process at once (stored data stays whole)
    raise Terminated


# The option that sets each filter, for errors that name a filter (``FilterError.field``).
FILTER_FLAGS = {
    "since": "--since",
    "until": "--until",
    "decision": "--decision",
    "ground": "--ground",
    "status": "--status",
}


def handle_errors(fn: F) -> F:
    """Bad input ends in one line and a hint, never a traceback; a reader that goes away ends output quietly."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from docmine.service import FilterError

        try:
            result = fn(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at interpreter exit
            return result
        except FilterError as exc:
            print_error(f"{FILTER_FLAGS.get(exc.field, exc.field)} {exc.message}", cli_hint(exc.hint, exc.action))
            raise typer.Exit(1) from None
        except DocmineError as exc:
            print_error(exc.message, cli_hint(exc.hint, exc.action))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err().print("interrupted")
            raise typer.Exit(_interrupt_status) from None
        except BrokenPipeError:
            _discard_stdout()
            raise typer.Exit(0) from None
        except OverflowError as exc:  # an option without a bound of its own, given a number SQLite cannot hold
            if "SQLite" not in str(exc):
                raise
            print_error("a number given is too large", f"numbers up to {SQLITE_MAX} can be looked up")
            raise typer.Exit(1) from None
        except OutputError as exc:
            _discard_stdout()
            print_error(
                f"cannot write the output: {exc.strerror}", "free some space where it goes, or send it elsewhere"
            )
            raise typer.Exit(1) from None
        except (OSError, sqlite3.DatabaseError) as exc:
            where = _case_file([*args, *kwargs.values()]) if is_damaged(exc) or is_busy(exc) else None
            known = known_error(exc, where)  # a full disk, a damaged case file, another program's lock
            if known is None:
                raise
            print_error(known.message, cli_hint(known.hint, known.action))
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _case_file(args: Iterable[Any]) -> str | None:
    """The case file of the running command (``--db`` or its default), from its ``typer.Context`` argument."""
    ctx = next((a for a in args if hasattr(a, "find_root")), None)  # typer passes its own click Context
    settings = ctx.find_root().obj if ctx is not None else None
    return str(settings.db) if isinstance(settings, Settings) else None


def _discard_stdout() -> None:
    """After the reader closed the pipe (``| head``), send what is still buffered nowhere, as Unix tools do."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a test's captured stdout): nothing will flush later
        pass


class QueryCommand(TyperCommand):
    """A command taking free text: text that starts with '-' gets a one-line hint rather than a usage box."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        params = self.get_params(ctx)
        known = {o for p in params for o in (*p.opts, *p.secondary_opts)}
        takes_value = {o for p in params if not getattr(p, "is_flag", True) for o in p.opts}
        words = iter(args)
        for word in words:
            if word == "--":
                break
            if word in takes_value:
                next(words, None)  # the option's value may itself start with '-'
            elif word.startswith("-") and not word.startswith("--") and len(word) > 1 and word[:2] not in known:
                print_error(
                    f"{word!r} reads as an option",
                    f"put -- before text that starts with '-': docmine {ctx.info_name} -- {json.dumps(word)}",
                )
                ctx.exit(2)
        return super().parse_args(ctx, args)


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[Path | None, typer.Option("--db", help="Case file (default ./docmine.db or $DOCMINE_DB).")] = None,
) -> None:
    try:
        ctx.obj = Settings.load(db=db)
    except DocmineError as exc:
        print_error(exc.message, cli_hint(exc.hint, exc.action))
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


def write_jsonl(found: Iterable[dict[str, Any]], default: Callable[[Any], Any] = str) -> None:
    """One JSON object a line, escaped to ASCII where standard output cannot take UTF-8 (``export.ascii_only``)."""
    from docmine.export import ascii_only

    escape = ascii_only(sys.stdout)
    for row in found:
        sys.stdout.write(json.dumps(row, ensure_ascii=escape, default=default) + "\n")


SQLITE_MAX = 2**63 - 1  # the largest INTEGER SQLite takes: a larger --limit was an OverflowError traceback
JSON = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]
MUNICIPALITY = Annotated[str | None, typer.Option("--municipality", "-m", help="Name or GM code.")]
DOC = Annotated[str | None, typer.Option("--doc", help="Only in this document.")]


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
    ray: Annotated[bool, typer.Option("--ray", help="Run the per-file work on a Ray cluster (docmine[ray]).")] = False,
    ray_address: Annotated[
        str | None, typer.Option("--ray-address", help="The Ray cluster (host:6379); implies --ray.")
    ] = None,
) -> None:
    """Parse files into the case file; re-running skips what is stored and resumes an interrupted run."""
    from docmine.cli.work import print_watch
    from docmine.console import print_report
    from docmine.progress import RichIngestProgress

    if ocr is not None and ocr not in ("auto", "always", "never"):
        raise DocmineError(f"unknown OCR mode {ocr!r}", "use --ocr auto, always or never")
    limits: dict[str, Any] = {"max_file_mb": max_file_mb, "max_pages": max_pages, "file_timeout_s": file_timeout}
    if ray or ray_address:
        from docmine.distributed import ray_module

        ray_module(ray_address)  # without the extra: say how to install it before the case file is touched
        limits |= {"executor": "ray", "ray_address": ray_address}
    with service(ctx, create=True, jobs=jobs, ocr=ocr, **limits) as dm:
        report = dm.ingest(paths, RichIngestProgress(err()))
        print_report(report, dm.settings.db)
        print_watch(report.watch, "new for your saved searches:")
    if report.interrupted:
        raise typer.Exit(_interrupt_status)


# -- search -------------------------------------------------------------------------------------------------


@app.command(cls=QueryCommand)
@handle_errors
def search(
    ctx: typer.Context,
    query: Annotated[
        str | None, typer.Argument(help='Words or a question; "phrase", +required, -excluded, prefix*, OR.')
    ] = None,
    doc_type: Annotated[list[str] | None, typer.Option("--type", "-t", help="Only this document type.")] = None,
    since: Annotated[str | None, typer.Option(help="Documents dated on/after (YYYY[-MM[-DD]]).")] = None,
    until: Annotated[str | None, typer.Option(help="Documents dated on/before (YYYY[-MM[-DD]]).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", max=SQLITE_MAX, help="Number of hits.")] = 10,
    mode: Annotated[
        str | None, typer.Option("--mode", help="hybrid (default when embedded), text or semantic.")
    ] = None,
    municipality: MUNICIPALITY = None,
    label: Annotated[
        list[str] | None, typer.Option("--label", "-l", help="Passages with a mention of this label.")
    ] = None,
    entity: Annotated[str | None, typer.Option("--entity", "-e", help="Passages mentioning this entity.")] = None,
    decision: Annotated[str | None, typer.Option(help="Woo documents with this decision (deels openbaar...).")] = None,
    ground: Annotated[str | None, typer.Option(help="Woo documents or pages with this ground (5.1.2e...).")] = None,
    as_json: JSON = False,
    batch: Annotated[
        Path | None, typer.Option("--batch", help="Search every query of a file (lines, or CSV id,query).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="With --batch: write .csv/.parquet/.xlsx.")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Only documents or passages with this tag.")] = None,
) -> None:
    """Search passages: full-text (Dutch stemming, compounds) fused with semantic similarity when embedded."""
    from docmine.cli.work import run_batch
    from docmine.console import print_hits

    if (query is None) == (batch is None):
        raise DocmineError("give a query or --batch FILE", 'docmine search "QUERY" or docmine search --batch names.txt')
    with service(ctx) as dm:
        filters = dm.filters(doc_type or (), since, until, municipality, label or (), entity, tag or ())
    if batch is not None:
        run_batch(ctx, batch, filters, limit, mode, as_json, output)
        return
    assert query is not None
    with service(ctx) as dm:
        hits = dm.woo_search(query, filters, limit, mode, decision, ground)
    if hits.notice:
        err().print(f"[yellow]{escape(hits.notice)}[/]")
    if as_json:
        write_jsonl(rows.hit_rows(hits))
    else:
        print_hits(out(), hits, query)


# -- documents ----------------------------------------------------------------------------------------------


@app.command()
@handle_errors
def docs(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="Only ok, failed, needs_ocr, partial or duplicate.")] = None,
    as_json: JSON = False,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only documents with this tag (or a tagged passage).")
    ] = None,
) -> None:
    """List documents with their status, and the reason for failures."""
    from docmine.console import document_table

    with service(ctx) as dm:
        tagged = dm.tagged_doc_ids(tag) if tag else None
        found = rows.document_rows(dm.documents(status))  # documents split out of a bundle follow it
        found = [d for d in found if tagged is None or d["doc_id"] in tagged]
    if as_json:
        write_jsonl(found)
        return
    out().print(document_table(found))
    err().print(f"{len(found)} documents")


@app.command()
@handle_errors
def show(
    ctx: typer.Context,
    doc_id: Annotated[str, typer.Argument(help="Document id (or its first characters).")],
    page: Annotated[int, typer.Option("--page", "-p", help="Page number.")] = 1,
    start: Annotated[int | None, typer.Option(help="Highlight from this character offset.")] = None,
    end: Annotated[int | None, typer.Option(help="Highlight up to this character offset.")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Write the PDF page as an image, the span boxed.")] = None,
) -> None:
    """Print a page of a document, with a character span highlighted (or, with --png, draw the page)."""
    from docmine.console import print_page

    with service(ctx) as dm:
        info, pg = dm.page(doc_id, page)
    if png is not None:
        from docmine.cli.tui_cmds import write_page_png

        write_page_png(info, pg, start, end, png)
        return
    print_page(out(), info, pg, start, end)


@app.command("open")
@handle_errors
def open_(
    ctx: typer.Context,
    doc_id: Annotated[str, typer.Argument(help="Document id (or its first characters).")],
    page: Annotated[int, typer.Option("--page", "-p", help="Page number.")] = 1,
    start: Annotated[int | None, typer.Option(help="Highlight from this character offset (PDF).")] = None,
    end: Annotated[int | None, typer.Option(help="Highlight up to this character offset (PDF).")] = None,
) -> None:
    """Open the original file at a page in the system viewer; a PDF opens as a copy with the span highlighted."""
    from docmine.cli.tui_cmds import open_page

    with service(ctx) as dm:
        info, pg = dm.page(doc_id, page)
    opened, cmd = open_page(info, pg, start, end)
    err().print(f"opened {escape(str(opened))} with {Path(cmd[0]).name} (page {page})")


@app.command()
@handle_errors
def stats(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False) -> None:
    """Summarise the case file."""
    from docmine.console import print_stats

    with service(ctx) as dm:
        s = dm.stats()
    if as_json:
        write_jsonl([dataclasses.asdict(s)], default=list)
    else:
        print_stats(out(), ctx.obj.db, s)


@app.command(cls=QueryCommand)
@handle_errors
def trace(
    ctx: typer.Context,
    statement: Annotated[str | None, typer.Argument(help="The statement to trace, in quotes.")] = None,
    claim: Annotated[
        int | None, typer.Option("--claim", min=1, max=SQLITE_MAX, help="Trace a stored claim by its id.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=SQLITE_MAX, help="Number of sources.")] = 10,
    as_json: JSON = False,
) -> None:
    """Find the passages that state the same thing or are its likely source, earliest first among equals."""
    from docmine.console import print_sources
    from docmine.display import conflict_text, fact_text

    with service(ctx) as dm:
        found = dm.trace(statement, claim, limit)
        namer = dm.municipality_name
    if found.notice:
        err().print(f"[yellow]{escape(found.notice)}[/]")
    if as_json:
        write_jsonl(rows.source_rows(found))
    else:
        print_sources(out(), found, shown=(lambda f: fact_text(f, namer), lambda c: conflict_text(c, namer)))


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


@app.command()
@handle_errors
def demo(
    ctx: typer.Context,
    db: Annotated[Path, typer.Option("--demo-db", help="Where to build the demo case file.")] = Path("demo.db"),
) -> None:
    """Build a case file from the bundled demo corpus and take a short tour of searches."""
    from docmine.demo import run_demo

    run_demo(ctx.obj.with_overrides(db=db))


def _register_tui() -> None:
    from docmine.tui.command import tui_command  # Textual itself loads only when the command runs

    app.command("tui", help="Browse the case file in a terminal UI: search, read pages, follow claims.")(
        handle_errors(tui_command)
    )


_register_tui()


class OutputError(OSError):
    """Standard output could not be written (a full disk under ``> out.txt``, ``/dev/full``): not the case file."""


class _Output:
    """Standard output whose failed writes say that they are the output's. A full disk was reported as the case
    file's ("what was being written is not stored") when it was the disk a redirect wrote to."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc.errno, exc.strerror) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc.errno, exc.strerror) from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def run() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    for stream in (sys.stdout, sys.stderr):
        # a terminal or pipe in a Latin-1 or ASCII locale cannot take '€' or '…': write \u20ac rather than end
        # the command with a UnicodeEncodeError halfway through its output (in --json that is the same string)
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    sys.stdout = _Output(sys.stdout)  # type: ignore[assignment]
    app()


from docmine.cli import facts as _facts  # noqa: E402,F401  (registers commands)
from docmine.cli import ner as _ner  # noqa: E402,F401  (registers commands)
from docmine.cli import scale as _scale  # noqa: E402,F401  (registers commands)
from docmine.cli import woo as _woo  # noqa: E402,F401  (registers commands)
from docmine.cli import work as _work  # noqa: E402,F401  (registers commands)

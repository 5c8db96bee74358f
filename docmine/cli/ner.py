"""``docmine ner``: the entities of plain text from a file or standard input, no case file needed."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from docmine.cli import JSON, app, handle_errors, write_jsonl
from docmine.console import err
from docmine.errors import DocmineError

_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
# control characters other than tab, newline, carriage return and form feed: a text file has (almost) none
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_text(data: bytes, source: str) -> str:
    """``data`` as UTF-8 text, or a one-line error for binary, non-UTF-8 or empty input. A BOM stays in the text
    so that offsets count every character given."""
    if b"\x00" in data[:65536]:
        raise DocmineError(
            f"{source} looks binary, not plain text", "give a UTF-8 text file (docmine ingest reads PDFs)"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocmineError(
            f"{source} is not UTF-8 (byte {exc.start} cannot be read)",
            "convert it first, e.g. iconv -f latin1 -t utf-8 FILE | docmine ner -",
        ) from None
    if not text.strip():
        raise DocmineError(f"{source} holds no text", "give a file or standard input with some text")
    if len(_CONTROL.findall(text[:65536])) > 0.05 * min(len(text), 65536):
        raise DocmineError(f"{source} looks binary, not plain text", "give a UTF-8 text file")
    return text


@app.command()
@handle_errors
def ner(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="A UTF-8 text file, or - for standard input.")] = "-",
    as_json: JSON = False,
    date: Annotated[
        str | None, typer.Option("--date", help="The text's date (YYYY[-MM[-DD]]): resolves 'vorig jaar' etc.")
    ] = None,
) -> None:
    """Entities of plain text: start, end (character offsets into the text as given), label, text, value."""
    from docmine.progress import text_progress
    from docmine.service import Docmine

    if date is not None and not _ISO_DATE.fullmatch(date):
        raise DocmineError(f"--date {date!r} is not a date", "use YYYY, YYYY-MM or YYYY-MM-DD")
    if file == "-":
        data, source = sys.stdin.buffer.read(), "standard input"
    else:
        path = Path(file)
        if path.exists() and not path.is_file():  # a folder, or a device such as /dev/zero that never ends
            raise DocmineError(f"{file} is not a regular file", "give a text file, or - to read standard input")
        if not path.is_file():
            raise DocmineError(f"no file at {file}", "give a text file, or - to read standard input")
        data, source = path.read_bytes(), str(path)
    text = read_text(data, source)
    with text_progress(err()) as progress:  # on a terminal only: a long text takes minutes
        mentions = Docmine.text_mentions(ctx.obj, text, date, progress)
    found = [
        {"start": m.ref.start, "end": m.ref.end, "label": m.label, "text": m.text, "value": m.value}
        | ({"canonical": m.canonical} if m.canonical not in (None, m.text, m.value) else {})
        for m in mentions
    ]
    if as_json:
        write_jsonl(found)
        return
    for row in found:
        # one line per entity: a name broken over two lines is shown on one
        text, value = " ".join(str(row["text"]).split()), "" if row["value"] is None else row["value"]
        sys.stdout.write(f"{row['start']}\t{row['end']}\t{row['label']}\t{text}\t{value}\n")

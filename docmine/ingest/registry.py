"""Which ingestor reads a file: magic bytes first (so mislabelled files are read right), then the extension.

A new format is one module with a parse function and one entry in INGESTORS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from docmine.errors import UnsupportedFormat
from docmine.ingest.docx import parse_docx
from docmine.ingest.email import parse_eml
from docmine.ingest.html import parse_html
from docmine.ingest.jsondata import parse_json
from docmine.ingest.parsed import Parsed
from docmine.ingest.pdf import parse_pdf
from docmine.ingest.text import parse_text
from docmine.ingest.xlsx import parse_xlsx
from docmine.ingest.xml import parse_xml

ParseFn = Callable[..., Parsed]


@dataclass(frozen=True)
class Ingestor:
    format: str
    extensions: tuple[str, ...]
    parse: ParseFn
    sniff: Callable[[bytes], bool] | None = None


def _is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


def _is_docx(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") and b"word/" in head[:4096]


def _is_xlsx(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") and b"xl/" in head[:4096]


def _is_html(head: bytes) -> bool:
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html")) or (start.startswith(b"<?xml") and b"<html" in start)


def _is_xml(head: bytes) -> bool:
    start = head[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"<?xml") and not _is_html(head)


_MAIL_HEADERS = (b"received:", b"from:", b"return-path:", b"mime-version:", b"message-id:", b"delivered-to:")


def _is_eml(head: bytes) -> bool:
    first = head[:2048].lstrip().lower()
    return (
        first.startswith(_MAIL_HEADERS)
        and b"\nsubject:" in first.replace(b"\r\n", b"\n")
        or (first.startswith(_MAIL_HEADERS) and b"\ndate:" in first.replace(b"\r\n", b"\n"))
    )


INGESTORS: tuple[Ingestor, ...] = (
    Ingestor("pdf", (".pdf",), parse_pdf, _is_pdf),
    Ingestor("docx", (".docx",), parse_docx, _is_docx),
    Ingestor("xlsx", (".xlsx",), parse_xlsx, _is_xlsx),
    Ingestor("html", (".html", ".htm", ".xhtml"), parse_html, _is_html),
    Ingestor("xml", (".xml",), parse_xml, _is_xml),
    Ingestor("eml", (".eml",), parse_eml, _is_eml),
    Ingestor("json", (".json", ".jsonl"), parse_json),
    Ingestor("text", (".txt", ".text", ".md", ".markdown", ".csv", ".tsv"), parse_text),
)

SUPPORTED = tuple(ext for ing in INGESTORS for ext in ing.extensions)
FORMATS_HINT = "supported: " + " ".join(SUPPORTED)
ARCHIVES = (".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz")
ARCHIVE_MAGIC = (b"PK\x03\x04", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x1f\x8b")  # zip, 7z, rar, gzip


def by_extension(path: str) -> Ingestor | None:
    suffix = PurePath(path).suffix.lower()
    return next((ing for ing in INGESTORS if suffix in ing.extensions), None)


def pick(path: str, head: bytes) -> tuple[Ingestor, str | None]:
    """The ingestor for a file, and a note when its content contradicts its name."""
    named = by_extension(path)
    for ing in INGESTORS:
        if ing.sniff is not None and ing.sniff(head):
            if ing is named or named is None or (named.format == "text" and ing.format in ("html", "xml")):
                return ing, None
            if named.format == "html" and ing.format == "xml":
                return named, None
            return ing, f"named {PurePath(path).suffix} but the content is {ing.format}; read as {ing.format}"
    if named is not None:
        return named, None
    suffix = PurePath(path).suffix.lower()
    if suffix == ".zip":  # a readable one is unpacked before this (ingest/archive.py)
        raise UnsupportedFormat(
            path,
            "not a readable zip archive (damaged, or only named .zip)",
            f"test it with: unzip -t {PurePath(path).name}",
        )
    # a Woo release often comes as one (not .epub, say, which is a zip file too: by name, or by content without)
    if suffix in ARCHIVES or (not suffix and head.startswith(ARCHIVE_MAGIC)):
        name = PurePath(path)
        folder = name.stem if name.suffix else f"{name.name}-unpacked"  # not the archive's own name
        if suffix in (".7z", ".rar"):
            command = f"7z x {name.name} -o{folder}/"
        elif suffix in (".tar", ".gz", ".tgz", ".bz2", ".xz"):
            command = f"mkdir {folder} && tar xf {name.name} -C {folder}/"
        else:  # a zip without its extension: named .zip it is unpacked by the ingest itself
            command = f"unzip {name.name} -d {folder}/"
        hint = f"unpack it and ingest the folder, e.g. {command}"
        raise UnsupportedFormat(path, "an archive: the files inside it are not read", hint)
    raise UnsupportedFormat(path, f"unsupported file type {suffix or '(no extension)'}", FORMATS_HINT)

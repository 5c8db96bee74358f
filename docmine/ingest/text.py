"""Plain text, Markdown, CSV/TSV and JSON files: decoded with charset detection, cut into logical pages."""

from __future__ import annotations

import re

from docmine.errors import IngestError
from docmine.ingest.limits import Deadline, Limits
from docmine.ingest.parsed import Parsed

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.+?)\s*#*\s*$")
_MD_META = re.compile(r"^<meta[^>]*>\s*$", re.IGNORECASE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1(?P<glued>(?=\w))?")
_MD_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]{0,200}>")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def decode(data: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else the best charset guess. NUL bytes are dropped."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if _looks_binary(data):
            raise IngestError(path, "binary content, not text", "check the file type; docmine reads text, not binaries")
        data = data.replace(b"\x00", b"")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").replace("\x00", "")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Dutch text that is not UTF-8 is nearly always Windows-1252 (a superset of Latin-1 for letters);
    # statistical detectors mistake short Dutch texts for Central European code pages.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _looks_binary(data: bytes) -> bool:
    """More than 10% control characters (other than tab, newlines, form feed) in the first 8 KB."""
    head = data[:8192]
    control = sum(1 for b in head if (b < 32 and b not in (9, 10, 12, 13)) or b == 127)
    return control > len(head) // 10


def markdown_to_text(text: str) -> tuple[str, str]:
    """Strip Markdown markup that is not content. Returns (text, first heading)."""
    title = ""
    lines = []
    for line in text.splitlines():
        if _MD_META.match(line) or _MD_TABLE_RULE.match(line):
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
            title = title or line
        line = _MD_LINK.sub(r"\1", line)
        # "*Kop*De tekst": the marker was the only separator, so keep a space in its place.
        line = _MD_EMPHASIS.sub(lambda m: m.group(2) + (" " if m.group("glued") is not None else ""), line)
        line = _HTML_TAG.sub(" ", line)
        lines.append(line.rstrip())
    return "\n".join(lines), title


def parse_text(path: str, data: bytes, limits: Limits | None = None, deadline: Deadline | None = None) -> Parsed:
    text = decode(data, path)
    if text.startswith("\ufeff\ufeff"):
        text = text.lstrip("\ufeff")
    if text.startswith("\ufeff"):
        text = text[1:]
    if path.lower().endswith((".md", ".markdown")):
        text, title = markdown_to_text(text)
    else:
        title = ""
    text = normalise_newlines(text)
    return Parsed(pages=[], title=title).paginate(text, limits, deadline)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")

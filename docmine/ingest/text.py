"""Plain text, Markdown, CSV/TSV and JSON files: decoded with charset detection, cut into logical pages."""

from __future__ import annotations

import re

from docmine.errors import IngestError
from docmine.ingest.parsed import Parsed, split_logical_pages

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.+?)\s*#*\s*$")
_MD_META = re.compile(r"^<meta[^>]*>\s*$", re.IGNORECASE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def decode(data: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else the best charset guess. NUL bytes are dropped."""
    if b"\x00" in data:
        if _looks_binary(data):
            raise IngestError(path, "binary content, not text", "check the file type; docmine reads text, not binaries")
        data = data.replace(b"\x00", b"")
    for enc in ("utf-8-sig",):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(path, "binary content, not text", "check the file type; docmine reads text, not binaries")
    return str(best)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.count(b"\x00") > len(head) // 10:
        # UTF-16 text has a NUL in every other byte; decode it rather than refuse it.
        return not (head.startswith((b"\xff\xfe", b"\xfe\xff")))
    return False


def markdown_to_text(text: str) -> tuple[str, str]:
    """Strip Markdown markup that is not content. Returns (text, first heading)."""
    title = ""
    lines = []
    for line in text.splitlines():
        if _MD_META.match(line):
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
            title = title or line
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        lines.append(line.rstrip())
    return "\n".join(lines), title


def parse_text(path: str, data: bytes, *_: object) -> Parsed:
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
    return Parsed(pages=split_logical_pages(text), title=title)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")

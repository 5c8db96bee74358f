"""What a format parser returns before metadata is guessed, and the logical-page splitter for flat text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docmine.model import Page

LOGICAL_PAGE_CHARS = 4000
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass
class Parsed:
    pages: list[Page]
    title: str = ""
    date: str | None = None
    publisher: str | None = None
    doc_type: str | None = None
    page_count: int | None = None
    notes: list[str] = field(default_factory=list)
    truncated: bool = False
    heading: str = ""  # the most prominent line of the first page (largest type), when the format knows it  # a size, page or time limit cut the document short


def clean_text(text: str) -> str:
    """Collapse runs of blank lines and trailing spaces; keep paragraph breaks (blank lines)."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    blank = False
    for line in lines:
        if not line.strip():
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out)


def split_logical_pages(text: str, size: int = LOGICAL_PAGE_CHARS) -> list[Page]:
    """Cut flat text into pages of about ``size`` characters at paragraph breaks (a long paragraph stays whole)."""
    text = clean_text(text)
    if not text.strip():
        return []
    pages: list[str] = []
    current: list[str] = []
    length = 0
    for para in _PARAGRAPH_BREAK.split(text):
        if current and length + len(para) > size:
            pages.append("\n\n".join(current))
            current, length = [], 0
        current.append(para)
        length += len(para) + 2
    if current:
        pages.append("\n\n".join(current))
    return [Page(number=i, text=t) for i, t in enumerate(pages, start=1)]

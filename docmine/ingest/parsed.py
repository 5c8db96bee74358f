"""What a format parser returns before metadata is guessed, and the logical-page splitter for flat text.

Flat text is cut into pages of bounded size, lazily, so the page and time limits stop the work on a huge
file instead of after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from docmine.ingest.limits import Deadline, Limits
from docmine.model import Page

LOGICAL_PAGE_CHARS = 4000
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\f]*\n")
_FORM_FEED = re.compile(r"\f")


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
    heading: str = ""  # the most prominent line of the first page (largest type), when the format knows it

    def paginate(self, text: str, limits: Limits | None = None, deadline: Deadline | None = None) -> Parsed:
        """Fill ``pages`` from flat text within the page and time limits, noting where a limit cut it short."""
        limits = limits or Limits()
        self.pages = []
        for body, end in iter_pages(text):
            if len(self.pages) >= limits.max_pages:
                self._cut(f"only the first {limits.max_pages} pages ingested (--max-pages)", end, len(text))
                break
            if deadline is not None and deadline.expired:
                self._cut(
                    f"time limit of {deadline.seconds:.0f} s reached after {len(self.pages)} pages", end, len(text)
                )
                break
            self.pages.append(Page(number=len(self.pages) + 1, text=body))
        return self

    def _cut(self, why: str, at: int, total: int) -> None:
        self.truncated = True
        left = 100 * (total - at) / total if total else 0
        if left >= 1:
            why += f"; {'over 99' if left > 99 else f'about {left:.0f}'}% of the text was left out"
        self.notes.append(why)


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
    """Cut flat text into pages (see ``iter_pages``), without limits."""
    return [Page(number=i, text=t) for i, (t, _) in enumerate(iter_pages(text, size), start=1)]


def iter_pages(text: str, size: int = LOGICAL_PAGE_CHARS) -> Iterator[tuple[str, int]]:
    """Pages of flat text and the offset in ``text`` where each one ends. A form feed ends a page; within one,
    paragraphs are gathered up to ``size`` characters, and a paragraph longer than that is cut at a line break,
    else at a space, so no page is longer than ``size``."""
    for sheet_start, sheet_end in _spans(_FORM_FEED, text, 0, len(text)):
        current: list[str] = []
        length = 0
        for para_start, para_end in _spans(_PARAGRAPH_BREAK, text, sheet_start, sheet_end):
            for start, end in _pieces(text, para_start, para_end, size):
                piece = clean_text(text[start:end])
                if not piece:
                    continue
                if current and length + len(piece) > size:
                    yield "\n\n".join(current), start
                    current, length = [], 0
                current.append(piece)
                length += len(piece) + 2
        if current:
            yield "\n\n".join(current), sheet_end


def _spans(pattern: re.Pattern[str], text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The stretches of ``text[start:end]`` between matches of ``pattern``, found lazily."""
    pos = start
    for match in pattern.finditer(text, start, end):
        yield pos, match.start()
        pos = match.end()
    yield pos, end


def _pieces(text: str, start: int, end: int, size: int) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` in stretches of at most ``size`` characters, cut at a line break, else a space.
    Works on offsets: a paragraph of many megabytes is never copied whole."""
    while end - start > size:
        cut = text.rfind("\n", start + 1, start + size)
        if cut < 0:
            cut = text.rfind(" ", start + 1, start + size)
        if cut < 0:
            cut = start + size
        yield start, cut
        start = cut
    yield start, end

"""Passages, the unit of search: paragraph-based chunks of about 500-1,000 characters within one page."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docmine.model import Page, Passage

MIN_CHARS = 500
MAX_CHARS = 1000
_PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\n\s*\n|\s*\Z)", re.DOTALL)
_SENTENCE_END = re.compile(r"[.!?;:](?=\s)|\n")


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    for match in _PARAGRAPH.finditer(text):
        yield match.start(), match.end()


def _split_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut a paragraph longer than MAX_CHARS at sentence ends (else at a space) near the target size."""
    while end - start > MAX_CHARS:
        window = text[start : start + MAX_CHARS]
        cut = -1
        for match in _SENTENCE_END.finditer(window, MIN_CHARS):
            cut = match.end()
        if cut < 0:
            cut = window.rfind(" ", MIN_CHARS)
        if cut <= 0:
            cut = MAX_CHARS
        piece_end = start + cut
        yield start, piece_end
        start = piece_end
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def chunk_page(doc_id: str, page: Page) -> list[Passage]:
    text = page.text
    spans: list[tuple[int, int]] = []
    cur_start: int | None = None
    cur_end = 0
    for p_start, p_end in _paragraphs(text):
        for s, e in _split_long(text, p_start, p_end):
            if cur_start is not None and (e - cur_start > MAX_CHARS or cur_end - cur_start >= MIN_CHARS):
                spans.append((cur_start, cur_end))
                cur_start = None
            if cur_start is None:
                cur_start = s
            cur_end = e
    if cur_start is not None:
        spans.append((cur_start, cur_end))
    return [Passage(doc_id, page.number, s, e, text[s:e]) for s, e in spans]


def chunk(doc_id: str, pages: tuple[Page, ...] | list[Page]) -> list[Passage]:
    return [passage for page in pages for passage in chunk_page(doc_id, page)]

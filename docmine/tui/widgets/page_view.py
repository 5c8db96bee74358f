"""One page of a document as paragraphs: the hit span marked, entity mentions coloured by label."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from docmine.model import Page
from docmine.tui.facts import Span

HIT = "bold reverse"
# Label -> style; underline keeps entities visible without colour (NO_COLOR).
LABEL_STYLES = {
    "MUNICIPALITY": "underline green",
    "PROVINCE": "underline green",
    "REGION": "underline green",
    "PROVIDER": "underline cyan",
    "ORGANIZATION": "underline cyan",
    "PERSON": "underline magenta",
    "MONEY": "underline yellow",
    "DATE": "underline blue",
    "WOO_GROUND": "underline red",
    "LAW": "underline red",
}
DEFAULT_LABEL_STYLE = "underline"


def label_style(label: str) -> str:
    return LABEL_STYLES.get(label.upper(), DEFAULT_LABEL_STYLE)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character spans of the blank-line separated paragraphs of ``text``."""
    spans, start = [], 0
    while start < len(text):
        end = text.find("\n\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            spans.append((start, end))
        start = end + 2
    return spans or [(0, len(text))]


SENTENCE_END = (".", "!", "?", ":", ";")


def reflowed(text: str) -> list[tuple[int, int]]:
    """Paragraph spans of a PDF page: a blank line between a line that ends mid-sentence and one that goes on
    in lower case does not end the paragraph (a PDF's line spacing often reads as one); headings stay apart."""
    merged: list[tuple[int, int]] = []
    for start, end in paragraphs(text):
        goes_on = text[start:end].lstrip()[:1].islower()
        if merged and goes_on and not text[merged[-1][0] : merged[-1][1]].rstrip().endswith(SENTENCE_END):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class PageView(VerticalScroll):
    """The text of a page; ``show`` returns the paragraph to scroll to: the first marked word, else the passage."""

    async def show(
        self,
        page: Page,
        hit: tuple[int, int] | None,
        words: Sequence[str] = (),
        mentions: Iterable[Span] = (),
        exact: bool = False,
        reflow: bool = False,
    ) -> Static | None:
        """Draw the page; the passage ``hit`` gets a bar beside it and its matched ``words`` are marked.

        With ``exact`` the whole ``hit`` span is marked: a mention or a sentence rather than a passage.
        With ``reflow`` the line breaks inside a paragraph become spaces (one character for one, so offsets hold).
        """
        text = page.text
        await self.remove_children()
        spans = [(m.start, m.end, label_style(m.label)) for m in mentions]
        if hit is None:
            marked = []
        elif exact:
            marked = [hit]
        else:
            marked = word_spans(text, hit, words)
        spans += [(s, e, HIT) for s, e in marked]
        first_mark = marked[0][0] if marked else None
        target: Static | None = None
        passage_start: Static | None = None
        widgets = []
        for start, end in reflowed(text) if reflow else paragraphs(text):
            chunk = text[start:end]
            # one character for one, so the offsets of hits and mentions still hold
            para = Text(chunk.replace("\n\n", " \u200b").replace("\n", " ") if reflow else chunk)
            for s, e, style in spans:
                _stylize(para, s - start, e - start, style)
            holds_hit = hit is not None and hit[0] < end and hit[1] > start
            widget = Static(para, classes="para hit" if holds_hit else "para")
            if holds_hit and passage_start is None:
                passage_start = widget
            if first_mark is not None and start <= first_mark < end:
                target = widget
            widgets.append(widget)
        if not text.strip():
            empty = "this page has no text layer and has not been OCR'd" if page.needs_ocr else "this page has no text"
            widgets = [Static(f"({empty})", classes="para empty")]
        await self.mount_all(widgets)
        return target or passage_start


def word_spans(text: str, passage: tuple[int, int], words: Sequence[str]) -> list[tuple[int, int]]:
    """Where the matched words occur inside the passage (case-insensitive)."""
    lower = text.lower()
    out = []
    for word in {w.lower() for w in words if w.strip()}:
        for m in re.finditer(re.escape(word), lower[passage[0] : passage[1]]):
            out.append((passage[0] + m.start(), passage[0] + m.end()))
    return sorted(out)


def _stylize(text: Text, start: int, end: int, style: str) -> None:
    start, end = max(0, start), min(len(text), end)
    if start < end:
        text.stylize(style, start, end)


def legend(labels: Sequence[str]) -> Text:
    out = Text()
    for label in labels:
        out.append(label, style=label_style(label))
        out.append(" ")
    return out

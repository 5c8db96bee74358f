"""Frozen value objects shared by every layer: documents, pages, passages, mentions, claims, hits.

Standard library only. Offsets are character offsets into ``Page.text``; pages are numbered from 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left

DOC_TYPES = (
    "raadsbrief",
    "raadsvoorstel",
    "motie",
    "amendement",
    "besluitenlijst",
    "woo-besluit",
    "inventarislijst",
    "rapport",
    "nieuwsartikel",
    "wet",
    "uitspraak",
    "e-mail",
    "overig",
)

STATUSES = ("ok", "failed", "needs_ocr", "partial", "duplicate")

# Dutch month names -> month number: shared by document-date guessing (ingest) and DATE mentions (nlp).
DUTCH_MONTHS: dict[str, int] = {
    name: number
    for number, name in enumerate(
        "januari februari maart april mei juni juli augustus september oktober november december".split(), start=1
    )
}


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a fact comes from: a character span on one page of one document."""

    doc_id: str
    page: int
    start: int
    end: int
    bbox: BBox | None = None


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a PDF page with its box, so any character span can be drawn on the page."""

    start: int
    end: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    text: str
    width: float | None = None
    height: float | None = None
    words: tuple[Word, ...] = ()
    ocr: bool = False
    ocr_confidence: float | None = None
    needs_ocr: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed source file. ``doc_id`` is the SHA-256 of the file's bytes."""

    doc_id: str
    path: str
    size: int
    format: str
    pages: tuple[Page, ...] = ()
    title: str = ""
    doc_type: str = "overig"
    date: str | None = None
    publisher: str | None = None
    municipality: str | None = None
    status: str = "ok"
    error: str | None = None
    notes: tuple[str, ...] = ()
    page_count: int | None = None

    @property
    def n_pages(self) -> int:
        return self.page_count if self.page_count is not None else len(self.pages)


@dataclass(frozen=True, slots=True)
class Passage:
    """The unit of search: a paragraph-based chunk that never crosses a page."""

    doc_id: str
    page: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention with its anchor. ``value`` is the normalised value (CBS code, euros, ISO date...)."""

    ref: SourceRef
    label: str
    text: str
    value: str | float | None = None
    canonical: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A checkable sentence: an amount, date, decision or attributed statement, anchored to its page."""

    ref: SourceRef
    sentence: str
    kind: str
    speaker: str | None = None
    values: tuple[str, ...] = ()
    claim_id: int | None = None


@dataclass(frozen=True, slots=True)
class DocInfo:
    """A document's metadata as stored, without its pages."""

    doc_id: str
    path: str
    title: str
    doc_type: str
    date: str | None
    publisher: str | None
    municipality: str | None
    size: int
    format: str
    page_count: int
    status: str
    error: str | None
    ingested_at: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: a passage with its document, score, highlighted snippet and why it matched."""

    ref: SourceRef
    path: str
    title: str
    doc_type: str
    date: str | None
    score: float
    snippet: str
    text: str = ""
    marks: tuple[tuple[int, int], ...] = ()  # highlighted spans within ``snippet``
    matched: tuple[str, ...] = ()
    why: tuple[str, ...] = field(default_factory=tuple)
    passage_id: int | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    """Search filters; ``since``/``until`` compare with the document date (ISO, inclusive)."""

    doc_types: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    municipality: str | None = None  # GM code: documents from or mentioning it
    labels: tuple[str, ...] = ()  # passages holding a mention with one of these labels
    entity: str | None = None  # passages mentioning this entity (canonical name or value)
    doc_ids: tuple[str, ...] = ()

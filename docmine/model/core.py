"""Frozen value objects of documents, pages, passages, mentions, claims, hits, and the label vocabulary.

Standard library only. Offsets are character offsets into ``Page.text``; pages are numbered from 1.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Protocol

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

# The entity labels a mention may carry: the one vocabulary of the rules, the NER model, filters and listings.
LABELS = (
    "MUNICIPALITY",
    "PROVINCE",
    "REGION",
    "PROVIDER",
    "ORGANIZATION",
    "PERSON",
    "MONEY",
    "DATE",
    "WOO_GROUND",
    "LAW",
    "LOCATION",
)
# Labels whose normalised value (CBS code, euros, ISO date, Woo article) identifies the entity, not its name.
VALUED_LABELS = ("MUNICIPALITY", "PROVINCE", "WOO_GROUND", "MONEY", "DATE")
# Who or what a statement is about; LOCATION (the statistical model's loose places) is left out.
SUBJECT_LABELS = ("MUNICIPALITY", "PROVINCE", "REGION", "PROVIDER", "ORGANIZATION", "PERSON", "LAW", "WOO_GROUND")
# The values a claim records: its subjects plus the amounts and dates it states.
CLAIM_LABELS = (*SUBJECT_LABELS, "MONEY", "DATE")

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
    raw_path: bytes | None = None  # the name's bytes when they are not UTF-8; ``path`` shows them as U+FFFD
    # A document split out of a Woo bundle: pages first_page..last_page of the file ``parent`` (whose path and
    # page numbering it keeps); ``split_by`` says what set the boundary (WooPart.origin).
    parent: str | None = None
    number: str | None = None
    first_page: int | None = None
    last_page: int | None = None
    split_by: str | None = None

    @property
    def fs_path(self) -> str:
        """The path to open the file with (``path`` may have replacement characters where the name is not UTF-8)."""
        return os.fsdecode(self.raw_path) if self.raw_path is not None else self.path


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
    tags: tuple[str, ...] = ()  # documents, or passages, tagged with one of these


@dataclass(frozen=True, slots=True)
class MentionRow:
    """A stored mention with its document, as listings show it. ``value`` has the type it was extracted with:
    euros as a number, other values as text (the store keeps the number in ``value_num``)."""

    ref: SourceRef
    label: str
    text: str
    value: str | float | None
    canonical: str | None
    entity_key: str
    path: str
    title: str
    doc_date: str | None


@dataclass(frozen=True, slots=True)
class EntityRow:
    """One entity of the case file: its mentions grouped by label and ``mention_key``."""

    label: str
    entity_key: str
    name: str
    value: str | float | None  # as in MentionRow: euros as a number
    mentions: int
    documents: int
    first_date: str | None
    last_date: str | None


@dataclass(frozen=True, slots=True)
class PassageRow:
    """A stored passage with its index terms and its document's metadata: what search ranks and shows."""

    passage_id: int
    ref: SourceRef
    text: str
    terms: tuple[str, ...]  # the analyser's index terms in text order
    path: str
    title: str
    doc_type: str
    date: str | None


@dataclass(frozen=True, slots=True)
class Stats:
    """A summary of the case file. ``embedded`` counts passages with a vector for ``embedding_model``."""

    documents: int
    by_status: dict[str, int]
    by_type: dict[str, int]
    pages: int
    ocr_pages: int
    passages: int
    mentions: int
    entities: int
    claims: int
    characters: int
    date_range: tuple[str | None, str | None]
    schema: int
    size_bytes: int
    embedded: int = 0
    embedding_model: str | None = None
    files: int = 0  # files in the case file; ``documents`` adds the documents split out of Woo bundles
    split_out: int = 0


class Labelled(Protocol):
    """What ``mention_key`` reads: a Mention or a MentionRow."""

    @property
    def label(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def value(self) -> str | float | None: ...
    @property
    def canonical(self) -> str | None: ...


def mention_value(m: Labelled) -> str | float:
    """What a mention says: its normalised value for a valued label, else its (canonical) name."""
    if m.label in VALUED_LABELS and m.value is not None:
        return m.value
    return m.canonical or m.text


def short_id(doc_id: str) -> str:
    """A document id as people type it: the first 12 characters, plus ``#page`` for a document split out of a
    Woo bundle (``<bundle>#<first page>``), so the short form of each split-out document stays its own."""
    head, sep, part = doc_id.partition("#")
    return head[:12] + sep + part


def mention_key(m: Labelled) -> str:
    """What makes two mentions the same entity: the code or normalised value, else the name, case-folded."""
    if m.label in VALUED_LABELS and m.value is not None:
        return str(m.value)
    return (m.canonical or m.text).strip().lower()


def label_of(text: str) -> str | None:
    """The label ``text`` names (any case), or None when it is not one of LABELS."""
    upper = text.upper()
    return upper if upper in LABELS else None

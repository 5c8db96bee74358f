"""Frozen value objects shared by every layer: documents, pages, passages, mentions, claims, hits.

Standard library only. Offsets are character offsets into ``Page.text``; pages are numbered from 1.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Protocol

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


# -- Woo releases -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InventoryRow:
    """One row of a release's inventory list; ``page`` is the page of the list it came from (1 for CSV/XLSX
    sheets: the sheet's row is ``line``). ``doc_id``/``first_page`` say which document it describes, or
    ``unlinked`` why none was found."""

    number: str
    date: str | None
    description: str
    decision: str | None
    grounds: tuple[str, ...]
    source: str  # the inventory file's path
    page: int
    line: int
    doc_id: str | None = None
    first_page: int | None = None
    unlinked: str | None = None


@dataclass(frozen=True, slots=True)
class Redaction:
    """A box that removes content from a page: bbox in PDF points from the page's top-left.
    ``source``: 'vector' (a drawn box in the text layer) or 'image' (found in a scanned page)."""

    doc_id: str
    page: int
    bbox: BBox
    ground: str | None
    source: str
    full_page: bool = False


@dataclass(frozen=True, slots=True)
class WooPart:
    """A document inside a bundle: pages ``first_page``..``last_page`` of ``parent``. ``origin`` says what set
    the boundary: 'stamp', 'inventory', 'layout' or 'correction'."""

    parent: str
    number: str | None
    first_page: int
    last_page: int
    title: str
    date: str | None
    origin: str

    @property
    def doc_id(self) -> str:
        return f"{self.parent[:16]}#{self.first_page}"


@dataclass(frozen=True, slots=True)
class DecisionLetter:
    """What a Woo/Wob decision letter says about its own timing and grounds."""

    doc_id: str
    request_date: str | None
    decision_date: str | None
    days: int | None
    term_days: int  # the legal term: four weeks, six when extended
    extended: bool
    exceeded: bool | None
    grounds: tuple[str, ...]


# -- workbench: batch search, curation, timeline, saved searches, tags ----------------------------------------


@dataclass(frozen=True, slots=True)
class BatchQuery:
    """One query of a batch file: its id (the CSV's id column, else the line number) and its text."""

    query_id: str
    query: str
    line: int


@dataclass(frozen=True, slots=True)
class CurationRule:
    """A correction of the extracted entities, kept in the case file and applied again after re-extraction.

    ``action``: merge (``name`` into ``target``), rename (``name`` to ``target``), reject (``name`` is not a
    ``label``), split (the mentions of ``name`` in ``doc_id``, optionally one page or one span, become ``target``).
    """

    rule_id: int
    action: str
    label: str
    name: str
    target: str | None
    doc_id: str | None
    page: int | None
    start: int | None
    created_at: str


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated fact with its source: a claim, or a dated document (``kind`` says which)."""

    date: str
    kind: str
    text: str
    ref: SourceRef
    title: str
    path: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A search that re-runs after every ingest; ``filters`` as typed on the command line."""

    search_id: int
    query: str
    filters: dict[str, Any]
    created_at: str


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag (with an optional note) on a document (``page`` 0) or on a passage span."""

    tag_id: int
    doc_id: str
    page: int
    start: int
    end: int
    name: str
    note: str | None
    created_at: str

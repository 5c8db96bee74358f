"""Frozen value objects of Woo releases: inventory rows, redactions, documents split out of bundles, decision letters."""

from __future__ import annotations

from dataclasses import dataclass

from docmine.model.core import BBox


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

"""Frozen value objects of the workbench: batch queries, curation rules, timeline events, saved searches, tags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docmine.model.core import SourceRef


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

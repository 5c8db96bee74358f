"""Messages that worker threads post to screens: results, pages, ingest progress and failures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from docmine.errors import DocmineError
from docmine.model import DocInfo, EntityRow, Hit, Page
from docmine.tui.facts import Span


class SearchDone(Message):
    """Hits for one search; ``seq`` lets the screen drop the answer to a query that is no longer current."""

    def __init__(
        self,
        seq: int,
        query: str,
        mode: str,
        hits: list[Hit],
        facets: list[list[tuple[str, str]]],
        note: str,
        used: str = "",
        notice: str | None = None,
    ) -> None:
        super().__init__()
        self.seq = seq
        self.query = query
        self.mode = mode
        self.hits = hits
        self.facets = facets  # per hit: its (field, value) facets
        self.note = note  # why the mode fell back, or ""
        self.used = used or mode  # the mode the service ran
        self.notice = notice  # the service's notice on that mode, if any


class SearchFailed(Message):
    def __init__(self, seq: int, error: DocmineError, explicit: bool) -> None:
        super().__init__()
        self.seq = seq
        self.error = error
        self.explicit = explicit  # Enter was pressed: show the modal; typing only shows a status line


@dataclass
class PageData:
    """Everything the document screen draws for one page, fetched in one worker call."""

    info: DocInfo
    page: Page
    mentions: list[Span] | None  # None: the service has no entities yet
    claims: list[Any] | None


class PageLoaded(Message):
    def __init__(self, data: PageData) -> None:
        super().__init__()
        self.data = data


class ImageReady(Message):
    """A page drawn as text cells (``row``: the cell row of the first box, to scroll to), or as a picture for a
    graphics protocol (``first``: where the first box starts, as a share of the height)."""

    def __init__(self, number: int, picture: Any, row: int | None, first: float | None = None) -> None:
        super().__init__()
        self.number = number
        self.picture = picture
        self.row = row
        self.first = first


class Failed(Message):
    """A DocmineError from a worker: the screen shows it in the error modal."""

    def __init__(self, error: DocmineError) -> None:
        super().__init__()
        self.error = error


class IngestStarted(Message):
    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = total


class IngestAdvanced(Message):
    def __init__(self, path: str, pages: int, status: str) -> None:
        super().__init__()
        self.path = path
        self.pages = pages
        self.status = status


class IngestStage(Message):
    """What the ingest does now, after reading: waiting for another run, embedding passages."""

    def __init__(self, stage: str) -> None:
        super().__init__()
        self.stage = stage


class IngestDone(Message):
    def __init__(self, report: Any) -> None:
        super().__init__()
        self.report = report


class EntitiesLoaded(Message):
    """All entities of the case file, as the service's rows."""

    def __init__(self, rows: list[EntityRow]) -> None:
        super().__init__()
        self.rows = rows


@dataclass(frozen=True)
class MentionRow:
    """One mention of an entity, with the document it is in and a few words either side."""

    doc_id: str
    title: str
    date: str | None
    page: int
    start: int
    end: int
    text: str
    before: str
    after: str


class MentionsLoaded(Message):
    """The mentions of one entity; ``seq`` drops the answer for an entity that is no longer selected."""

    def __init__(self, seq: int, name: str, rows: list[MentionRow], more: bool) -> None:
        super().__init__()
        self.seq = seq
        self.name = name
        self.rows = rows
        self.more = more  # the list was cut at the limit


class TraceLoaded(Message):
    """The sources of one statement (``docmine.service.TraceResults``)."""

    def __init__(self, results: Any) -> None:
        super().__init__()
        self.results = results

"""Docmine: the one API that the CLI, the TUI and exports call. Front ends never touch SQL or parsers.

Its ingest, Woo and workbench methods live beside it (service/ingest.py, service/woo.py, service/workbench.py),
one room each."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docmine.config import Settings
from docmine.errors import DocmineError, QueryError, StoreError
from docmine.model import (
    DOC_TYPES,
    STATUSES,
    Claim,
    DocInfo,
    EntityRow,
    Filters,
    Mention,
    MentionRow,
    Page,
    Stats,
)
from docmine.nlp.analyzer import Analyzer
from docmine.search.searcher import Searcher, SearchResults, TraceResults
from docmine.store import Store, merge
from docmine.store.merge import MergeCounts

if TYPE_CHECKING:
    from docmine.embed import Embedder
    from docmine.nlp.pipeline import Extractor

from docmine.service.filters import FilterError, filter_dates, parse_label
from docmine.service.ingest import IngestMixin, extract_spec_of
from docmine.service.woo import WooMixin
from docmine.service.workbench import WorkbenchMixin


class Docmine(IngestMixin, WooMixin, WorkbenchMixin):
    def __init__(self, settings: Settings, create: bool = True) -> None:
        self.settings = settings
        if not create and not settings.db.exists():
            raise StoreError(
                f"no case file at {settings.db}", f"create one with: docmine --db {settings.db} ingest PATH..."
            )
        self.store = Store.open(settings.db)
        self._analyzer: Analyzer | None = None
        self._extractor: Extractor | None = None
        self._embedder: Embedder | None = None
        self._searcher: Searcher | None = None
        self._loading = threading.RLock()  # the models load once, also when a warm-up thread asks too
        self.woo_notices: list[str] = []

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            self._analyzer = Analyzer()
        return self._analyzer

    @property
    def extractor(self) -> Extractor:
        """The entity pipeline of these settings (loaded on its first use)."""
        with self._loading:
            if self._extractor is None:
                from docmine.nlp.pipeline import Extractor

                spec = self.extract_spec()
                self._extractor = Extractor(spec.ner_model, spec.reference_dir)
        return self._extractor

    def warm_up(self) -> None:
        """Load what the first search and the first trace need (the embedding model and vector index, the entity
        pipeline) ahead of them: the TUI calls this in a thread of its own when it starts. Loading errors are
        left for the action that needs the model to report."""
        try:
            if self.settings.embed and self.searcher.semantic_unavailable() is None:
                self.searcher.vector_index()
                self.embedder.embed_queries(["warm"])  # onnxruntime's first run prepares its kernels
            self.extractor.extract("warm", [Page(1, "De gemeente Groningen besteedde in 2020 € 1 miljoen.")])
        except DocmineError:
            pass

    @property
    def searcher(self) -> Searcher:
        with self._loading:  # one Searcher, so one vector index in memory, also beside the warm-up thread
            if self._searcher is None:
                self._searcher = Searcher(
                    self.store,
                    self.analyzer,
                    lambda: self.embedder,
                    mentions=self._statement_mentions,
                    vectors_by_default=self.settings.embed,
                )
        return self._searcher

    def _statement_mentions(self, statement: str) -> list[Mention]:
        return self.extractor.extract("statement", [Page(1, statement)])

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Docmine:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------------------------------

    def documents(self, status: str | None = None) -> list[DocInfo]:
        """Files, each followed by the documents split out of it (a Woo bundle's, see service/woo.py)."""
        if status is not None and status not in STATUSES:  # a typo listed "0 documents"
            raise FilterError("status", f"{status!r} is not a status", "one of: " + ", ".join(STATUSES))
        return self.store.documents(status, children=True)

    def document(self, doc_id: str) -> DocInfo:
        return self.store.document(doc_id)

    def page(self, doc_id: str, number: int) -> tuple[DocInfo, Page]:
        info = self.store.document(doc_id)
        if info.page_count and not 1 <= number <= info.page_count:
            raise DocmineError(
                f"page {number} is out of range", f"{info.title[:60]!r} has pages 1 to {info.page_count}"
            )
        return info, self.store.page(info.doc_id, number)

    def stats(self) -> Stats:
        """Totals of the case file, with how many passages have a vector for the configured model."""
        model = None
        if self.settings.embed:
            try:
                model = self.embedder.name
            except DocmineError:
                model = None  # the model cannot load here: the totals still can
        return self.store.stats(model)

    # -- entities and claims ------------------------------------------------------------------------------

    def municipality_code(self, name_or_code: str | None) -> str | None:
        """GM0014 from 'Groningen', 'gemeente Groningen', 'GM0014' or '0014'."""
        if not name_or_code:
            return None
        from docmine.ingest.metadata import municipality_code

        code = municipality_code(name_or_code, self.settings.reference_dir)
        if code is None:
            raise QueryError(f"unknown municipality {name_or_code!r}", "use a current name or a code such as GM0014")
        return code

    def municipality_name(self, code: str | None) -> str | None:
        """'Groningen' for GM0014; None for an unknown code."""
        from docmine.ingest.metadata import municipality_name

        return municipality_name(code, self.settings.reference_dir) if code else None

    # -- filters ------------------------------------------------------------------------------------------

    def filters(
        self,
        doc_types: Sequence[str] = (),
        since: str | None = None,
        until: str | None = None,
        municipality: str | None = None,
        labels: Sequence[str] = (),
        entity: str | None = None,
        tags: Sequence[str] = (),
    ) -> Filters:
        """Search filters from what a person typed, checked here so that every front end refuses the same values."""
        for doc_type in doc_types:
            if doc_type not in DOC_TYPES:
                raise QueryError(f"unknown document type {doc_type!r}", "one of: " + ", ".join(DOC_TYPES))
        since, until = filter_dates(since, until)
        return Filters(
            doc_types=tuple(doc_types),
            since=since,
            until=until,
            municipality=self.municipality_code(municipality),
            labels=tuple(str(parse_label(x)) for x in labels),
            entity=entity or None,
            tags=tuple(self._known_tags(tags)),
        )

    def entities(
        self, label: str | None = None, municipality: str | None = None, doc_id: str | None = None
    ) -> list[EntityRow]:
        doc = self.store.resolve(doc_id) if doc_id else None
        return self.store.entities(parse_label(label), doc, self.municipality_code(municipality))

    def mentions(
        self,
        label: str | None = None,
        municipality: str | None = None,
        doc_id: str | None = None,
        entity: str | None = None,
        limit: int | None = None,
    ) -> Iterator[MentionRow]:
        doc = self.store.resolve(doc_id) if doc_id else None
        return self.store.mentions(parse_label(label), doc, self.municipality_code(municipality), entity, limit)

    def claims(self, doc_id: str | None = None, municipality: str | None = None) -> list[Claim]:
        doc = self.store.resolve(doc_id) if doc_id else None
        return self.store.claims(doc, self.municipality_code(municipality))

    def table_rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Rows of an exportable table (documents, pages, passages, mentions, entities, claims) as stored, streamed."""
        from docmine.store import EXPORT_TABLES

        if table in ("inventory", "redactions"):
            return self.woo_rows(table)
        if table not in EXPORT_TABLES:
            raise QueryError(
                f"unknown table {table!r}", "one of: " + ", ".join((*EXPORT_TABLES, "inventory", "redactions"))
            )
        return self.store.iter_table(table)

    def export_rows(self, table: str) -> Iterator[Any]:
        """What an export writes: mentions and entities as typed rows (MentionRow, EntityRow) that
        ``docmine.rows`` shapes like every listing, the plain tables as stored."""
        if table == "mentions":
            return self.store.mentions()
        if table == "entities":
            return (e for e in self.store.entities())
        return self.table_rows(table)

    # -- search -------------------------------------------------------------------------------------------

    def search(
        self, query: str, filters: Filters | None = None, limit: int = 10, mode: str | None = None
    ) -> SearchResults:
        """Hybrid when embeddings are complete (the default), else full-text, saying so in ``notice``."""
        return self.searcher.search(query, filters, limit, mode)

    def trace(self, statement: str | None = None, claim_id: int | None = None, limit: int = 10) -> TraceResults:
        """Passages that state the same thing as ``statement`` (or claim ``claim_id``): likely sources first."""
        return self.searcher.trace(statement, claim_id, limit)

    # -- merge --------------------------------------------------------------------------------------------

    def merge(self, sources: Sequence[Path]) -> list[tuple[Path, MergeCounts]]:
        """Add the documents of other case files (built elsewhere) to this one, then bring the vector index up to
        date with the configured model (passages a shard left without its vectors are embedded now)."""
        check_merge_sources(sources, self.settings.db)
        done: list[tuple[Path, MergeCounts]] = []
        with self.store.exclusive():
            for source in sources:
                done.append((source, self.store.merge_from(source)))
            if self.settings.embed:
                self.embed()
        return done

    # -- ner ----
    @staticmethod
    def text_mentions(
        settings: Settings,
        text: str,
        document_date: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Mention]:
        """Entities of plain text, no case file needed; offsets index ``text`` as given. ``document_date`` (ISO)
        resolves relative dates such as "vorig jaar"; ``progress(characters read, all characters)``."""
        from docmine.work import extractor

        if not text.strip():
            raise DocmineError("no text to read", "give a file or standard input with some text")
        return extractor(extract_spec_of(settings)).extract("text", [Page(1, text)], document_date, progress)


def check_merge_sources(sources: Sequence[Path], out: Path) -> None:
    """Refuse, before anything is written: no sources, a missing one, the output among them, or one that is not
    a docmine case file (found in the middle, it stopped the merge after the sources before it)."""
    if not sources:
        raise DocmineError("no case files to merge", "name them: docmine merge A.db B.db -o OUT.db")
    for source in sources:
        if not source.is_file():
            raise DocmineError(f"no case file at {source}", "check the path")
        if out.exists() and source.resolve() == out.resolve():
            raise DocmineError(f"{source} is also the output", "merge into another file with -o")
        merge.check_source(source)

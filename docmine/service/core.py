"""Docmine: the one API that the CLI, the TUI and exports call. Front ends never touch SQL or parsers.

Its Woo and workbench methods live beside it (service/woo.py, service/workbench.py), one room each."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docmine.config import REPO_ROOT, Settings
from docmine.errors import DocmineError, IngestError, QueryError, StoreError
from docmine.ingest.limits import Limits
from docmine.ingest.pipeline import FileRef, check_size, hash_file, walk
from docmine.model import (
    DOC_TYPES,
    Claim,
    DocInfo,
    Document,
    EntityRow,
    Filters,
    Hit,
    Mention,
    MentionRow,
    Page,
    SavedSearch,
    Stats,
)
from docmine.nlp.analyzer import Analyzer
from docmine.search.searcher import Searcher, SearchResults, TraceResults
from docmine.store import Store
from docmine.store.merge import MergeCounts
from docmine.work import Executor, ExtractSpec, LocalExecutor, Processed, extract_facts

if TYPE_CHECKING:
    from docmine.embed import Embedder
    from docmine.nlp.pipeline import Extractor

from docmine.service.filters import _filter_date, parse_label
from docmine.service.woo import WooMixin
from docmine.service.workbench import WorkbenchMixin


@dataclass
class IngestReport:
    ingested: list[Document] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, path of the stored copy)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    pages: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    embedded: int = 0
    watch: list[tuple[SavedSearch, list[Hit]]] = field(default_factory=list)  # new hits per saved search

    @property
    def needs_ocr(self) -> list[Document]:
        return [d for d in self.ingested if d.status == "needs_ocr"]

    @property
    def partial(self) -> list[Document]:
        return [d for d in self.ingested if d.status == "partial"]


class IngestProgress:
    """Callbacks for long ingests; the CLI and the TUI subclass it. The base does nothing."""

    def start(self, total_files: int) -> None: ...

    def waiting(self, message: str) -> None:
        """Another run is adding to the case file; this one waits for it (``message`` says so)."""

    def advance(self, path: str, pages: int, status: str) -> None: ...

    def embedding(self, done: int, total: int) -> None: ...

    def finish(self) -> None: ...


class Docmine(WooMixin, WorkbenchMixin):
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
        self.woo_notices: list[str] = []

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            self._analyzer = Analyzer()
        return self._analyzer

    @property
    def extractor(self) -> Extractor:
        """The entity pipeline of these settings (loaded on its first use)."""
        if self._extractor is None:
            from docmine.nlp.pipeline import Extractor

            spec = self.extract_spec()
            self._extractor = Extractor(spec.ner_model, spec.reference_dir)
        return self._extractor

    @property
    def searcher(self) -> Searcher:
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

    # -- ingest -------------------------------------------------------------------------------------------

    def ingest(self, paths: Sequence[Path], progress: IngestProgress | None = None) -> IngestReport:
        progress = progress or IngestProgress()
        # One run at a time: a second ingest of the same folder waits, then finds everything stored.
        with self.store.exclusive(progress.waiting):
            report = self._ingest(paths, progress)
            if report.ingested and not report.interrupted:
                self.woo_after_ingest([d.path for d in report.ingested])
                self.apply_curation()
                report.watch = self.watch_run(again=False)
            return report

    def _ingest(self, paths: Sequence[Path], progress: IngestProgress) -> IngestReport:
        report = IngestReport()
        started = time.perf_counter()
        files, missing = walk([Path(p) for p in paths])
        if missing and not files:
            raise DocmineError(f"no such file or folder: {', '.join(missing)}", "check the path")
        report.failed.extend((m, "no such file or folder") for m in missing)
        progress.start(len(files))
        todo: list[FileRef] = []
        seen: dict[str, str] = {}
        copies: dict[str, list[str]] = {}  # same bytes twice in this run: noted once the first is stored
        try:
            limits = self._limits(len(files))
            for path in files:
                try:
                    # over --max-file-mb: refused from its size, before a byte is read (or hashed)
                    check_size(path, os.stat(path).st_size, limits)
                    ref = hash_file(path)
                except OSError as exc:
                    report.failed.append((path, f"cannot read file ({exc.strerror or exc})"))
                    progress.advance(path, 0, "failed")
                    continue
                except IngestError as exc:
                    report.failed.append((path, f"{exc.message} (hint: {exc.hint})"))
                    progress.advance(path, 0, "failed")
                    continue
                stored_path = seen.get(ref.doc_id) or self._stored_path(ref.doc_id)
                if stored_path is not None:
                    # case files from before paths were stored absolute hold them relative to that ingest
                    if ref.doc_id in seen:
                        copies.setdefault(ref.doc_id, []).append(path)
                    elif os.path.realpath(stored_path) != path:
                        self.store.add_copy(path, ref.doc_id)
                    report.duplicates.append((path, stored_path))
                    progress.advance(path, 0, "duplicate")
                    continue
                seen[ref.doc_id] = path
                todo.append(ref)
            limits = self._limits(len(todo))
            spec = self.extract_spec()
            with self.executor() as executor:
                for item in executor.run(todo, limits, self.settings.reference_dir, spec):
                    self._store(item)
                    doc = item.doc
                    for copy in copies.pop(doc.doc_id, ()):
                        self.store.add_copy(copy, doc.doc_id)
                    if doc.status == "failed":
                        report.failed.append((doc.path, doc.error or "failed"))
                    else:
                        report.ingested.append(_without_pages(doc))
                        report.pages += len(doc.pages)
                    progress.advance(doc.path, len(doc.pages), doc.status)
                # Also after a run that added nothing: passages left without vectors by a stopped run or by an
                # ingest with embedding off are embedded now, so every run ends with a complete index.
                if self.settings.embed and (report.ingested or self.embedding_status()[0]):
                    report.embedded = self._embed_with(executor, progress)
        except KeyboardInterrupt:
            report.interrupted = True
        finally:
            progress.finish()
            report.seconds = time.perf_counter() - started
        return report

    # -- embeddings ---------------------------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from docmine.embed import make_embedder

            self._embedder = make_embedder(settings=self.settings)
        return self._embedder

    def embed(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Embed passages that have no vector yet (resumable) and update the vector index."""
        with self.store.exclusive():
            return self.searcher.embed(progress)

    def embedding_status(self) -> tuple[int, int]:
        """(passages still without an embedding, all passages) for the configured model."""
        return self.searcher.embedding_status()

    def _stored_path(self, doc_id: str) -> str | None:
        status = self.store.status_of(doc_id)
        if status in (None, "failed", "needs_ocr"):
            return None  # failures and missing OCR are retried: the pipeline or the machine may have improved
        return self.store.path_of(doc_id)

    def _limits(self, n_files: int) -> Limits:
        s = self.settings
        return Limits(
            max_bytes=int(s.max_file_mb * 1_000_000),
            max_pages=s.max_pages,
            timeout_s=s.file_timeout_s,
            ocr=s.ocr,
            ocr_lang=s.ocr_lang,
            ocr_dpi=s.ocr_dpi,
            ocr_threads=max(1, s.workers // max(1, min(n_files, s.workers))),
        )

    def executor(self) -> Executor:
        """Where ingest's per-file work runs: worker processes here, or tasks on a Ray cluster."""
        if self.settings.executor == "ray":
            from docmine.distributed import RayExecutor

            return RayExecutor(self.settings.ray_address or None)
        return LocalExecutor(self.settings.workers)

    def _embed_with(self, executor: Executor, progress: IngestProgress) -> int:
        """Embed with the executor's embedder (a cluster's actor) when it has one, then drop it: searches
        after the ingest embed their queries here."""
        remote = executor.embedder(self.settings)
        if remote is None:
            return self.embed(progress.embedding)
        with self.store.exclusive():
            from docmine.search.semantic import embed_pending

            return embed_pending(self.store, remote, progress.embedding)

    def _store(self, item: Processed) -> None:
        self.store.add_document(item.doc, item.passages, item.terms, item.mentions, item.claims)
        self._woo_redactions(item.doc)

    def extract_spec(self) -> ExtractSpec:
        """The entity pipeline to run: rules, plus the bundled NER model or the one the settings name."""
        return extract_spec_of(self.settings)

    def extract_all(self, progress: IngestProgress | None = None) -> tuple[int, int, int]:
        """Re-run entity and claim extraction on stored pages (after the pipeline changed), no re-parsing.

        Returns (documents, mentions, claims)."""
        progress = progress or IngestProgress()
        spec = ExtractSpec(True, self.extract_spec().ner_model, str(self.settings.reference_dir))
        doc_ids = self.store.doc_ids()
        self.store.check_writable()
        progress.start(len(doc_ids))
        n_mentions = n_claims = 0
        try:
            for doc_id in doc_ids:
                pages = self.store.pages(doc_id)
                mentions, claims = extract_facts(doc_id, pages, spec, self.store.document(doc_id).date)
                self.store.replace_facts(doc_id, mentions, claims)
                n_mentions += len(mentions)
                n_claims += len(claims)
                progress.advance(self.store.path_of(doc_id) or doc_id, len(pages), "ok")
        finally:
            progress.finish()
        self.apply_curation()
        return len(doc_ids), n_mentions, n_claims

    # -- reading ------------------------------------------------------------------------------------------

    def documents(self, status: str | None = None) -> list[DocInfo]:
        """Files, each followed by the documents split out of it (a Woo bundle's, see service/woo.py)."""
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
        return Filters(
            doc_types=tuple(doc_types),
            since=_filter_date("since", since),
            until=_filter_date("until", until),
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
    def text_mentions(settings: Settings, text: str, document_date: str | None = None) -> list[Mention]:
        """Entities of plain text, no case file needed; offsets index ``text`` as given. ``document_date`` (ISO)
        resolves relative dates such as "vorig jaar"."""
        from docmine.work import extractor

        if not text.strip():
            raise DocmineError("no text to read", "give a file or standard input with some text")
        return extractor(extract_spec_of(settings)).extract("text", [Page(1, text)], document_date=document_date)


def check_merge_sources(sources: Sequence[Path], out: Path) -> None:
    """Refuse, before anything is written: no sources, a missing one, or the output among them."""
    if not sources:
        raise DocmineError("no case files to merge", "name them: docmine merge A.db B.db -o OUT.db")
    for source in sources:
        if not source.is_file():
            raise DocmineError(f"no case file at {source}", "check the path")
        if out.exists() and source.resolve() == out.resolve():
            raise DocmineError(f"{source} is also the output", "merge into another file with -o")


def extract_spec_of(settings: Settings) -> ExtractSpec:
    """The entity pipeline of ``settings``: rules, plus the bundled NER model or the one the settings name."""
    model: str | None
    if settings.ner_model.lower() == "none":
        model = None
    elif settings.ner_model:
        model = settings.ner_model
    else:
        bundled = REPO_ROOT / "models" / "nl_docmine_ner"
        model = str(bundled) if (bundled / "docmine.json").is_file() else None
    return ExtractSpec(enabled=settings.extract, ner_model=model, reference_dir=str(settings.reference_dir))


def _without_pages(doc: Document) -> Document:
    from dataclasses import replace

    return replace(doc, pages=(), page_count=doc.n_pages)

"""Docmine: the one API that the CLI, the TUI and exports call. Front ends never touch SQL or parsers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docmine.config import REPO_ROOT, Settings
from docmine.errors import DocmineError, QueryError, StoreError
from docmine.ingest.limits import Limits
from docmine.ingest.pipeline import FileRef, hash_file, walk
from docmine.model import LABELS, Claim, DocInfo, Document, EntityRow, Filters, Hit, MentionRow, Page, Stats, label_of
from docmine.nlp.analyzer import Analyzer
from docmine.search.fulltext import search_text
from docmine.store import Store
from docmine.work import ExtractSpec, Processed, extract_facts, process_many

if TYPE_CHECKING:
    from docmine.search.embedder import Embedder
    from docmine.search.trace import Source
    from docmine.search.vectors import VectorIndex

SEARCH_MODES = ("hybrid", "text", "semantic")


@dataclass
class IngestReport:
    ingested: list[Document] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, path of the stored copy)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    pages: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    embedded: int = 0

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


class SearchResults(list[Hit]):
    """Hits, plus the mode that produced them and a notice when it is not the one asked for."""

    def __init__(self, hits: Sequence[Hit], mode: str, notice: str | None = None) -> None:
        super().__init__(hits)
        self.mode = mode
        self.notice = notice


class Docmine:
    def __init__(self, settings: Settings, create: bool = True) -> None:
        self.settings = settings
        if not create and not settings.db.exists():
            raise StoreError(
                f"no case file at {settings.db}", f"create one with: docmine --db {settings.db} ingest PATH..."
            )
        self.store = Store.open(settings.db)
        self._analyzer: Analyzer | None = None
        self._embedder: Embedder | None = None
        self._index: VectorIndex | None = None

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            self._analyzer = Analyzer()
        return self._analyzer

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
            return self._ingest(paths, progress)

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
        try:
            for path in files:
                try:
                    ref = hash_file(path)
                except OSError as exc:
                    report.failed.append((path, f"cannot read file ({exc.strerror or exc})"))
                    progress.advance(path, 0, "failed")
                    continue
                stored_path = seen.get(ref.doc_id) or self._stored_path(ref.doc_id)
                if stored_path is not None:
                    if stored_path != path:
                        self.store.add_copy(path, ref.doc_id)
                    report.duplicates.append((path, stored_path))
                    progress.advance(path, 0, "duplicate")
                    continue
                seen[ref.doc_id] = path
                todo.append(ref)
            limits = self._limits(len(todo))
            spec = self.extract_spec()
            for item in process_many(todo, limits, self.settings.reference_dir, self.settings.workers, spec):
                self._store(item)
                doc = item.doc
                if doc.status == "failed":
                    report.failed.append((doc.path, doc.error or "failed"))
                else:
                    report.ingested.append(_without_pages(doc))
                    report.pages += len(doc.pages)
                progress.advance(doc.path, len(doc.pages), doc.status)
            if self.settings.embed and report.ingested:
                report.embedded = self.embed(progress.embedding)
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
            from docmine.search.embedder import make_embedder

            cache = self.settings.cache_dir / "models" if self.settings.cache_dir else None
            self._embedder = make_embedder(self.settings.embedding_model, cache_dir=cache)
        return self._embedder

    def embed(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Embed passages that have no vector yet (resumable) and update the vector index."""
        from docmine.search.semantic import embed_pending

        with self.store.exclusive():
            count = embed_pending(self.store, self.embedder, progress)
        self._index = None
        return count

    def embedding_status(self) -> tuple[int, int]:
        """(passages still without an embedding, all passages) for the configured model."""
        from docmine.search.semantic import status

        st = status(self.store, self.embedder.name)
        return st.missing, st.total

    def _vector_index(self) -> VectorIndex:
        if self._index is None:
            from docmine.search.semantic import sync_index

            self._index = sync_index(self.store, self.embedder)
        return self._index

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

    def _store(self, item: Processed) -> None:
        self.store.add_document(item.doc, item.passages, item.terms, item.mentions, item.claims)

    def extract_spec(self) -> ExtractSpec:
        """The entity pipeline to run: rules, plus the bundled NER model or the one the settings name."""
        s = self.settings
        model: str | None
        if s.ner_model.lower() == "none":
            model = None
        elif s.ner_model:
            model = s.ner_model
        else:
            bundled = REPO_ROOT / "models" / "nl_docmine_ner"
            model = str(bundled) if (bundled / "meta.json").is_file() else None
        return ExtractSpec(enabled=s.extract, ner_model=model, reference_dir=str(s.reference_dir))

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
                mentions, claims = extract_facts(doc_id, pages, spec)
                self.store.replace_facts(doc_id, mentions, claims)
                n_mentions += len(mentions)
                n_claims += len(claims)
                progress.advance(self.store.path_of(doc_id) or doc_id, len(pages), "ok")
        finally:
            progress.finish()
        return len(doc_ids), n_mentions, n_claims

    # -- reading ------------------------------------------------------------------------------------------

    def documents(self, status: str | None = None) -> list[DocInfo]:
        return self.store.documents(status)

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
        """Rows of an exportable table (documents, pages, passages, mentions, entities, claims), streamed."""
        from docmine.store import EXPORT_TABLES

        if table not in EXPORT_TABLES:
            raise QueryError(f"unknown table {table!r}", "one of: " + ", ".join(EXPORT_TABLES))
        return self.store.iter_table(table)

    # -- search -------------------------------------------------------------------------------------------

    def search(
        self, query: str, filters: Filters | None = None, limit: int = 10, mode: str | None = None
    ) -> SearchResults:
        """Hybrid when embeddings are complete (the default), else full-text, saying so in ``notice``."""
        if mode is not None and mode not in SEARCH_MODES:
            raise QueryError(f"unknown search mode {mode!r}", f"use one of {', '.join(SEARCH_MODES)}")
        if limit < 1:
            raise QueryError("--limit must be at least 1", "e.g. --limit 10")
        filters = filters or Filters()
        wanted = mode or ("hybrid" if self.settings.embed else "text")
        notice = None
        if wanted != "text":
            notice = self._semantic_unavailable()
            if notice is not None:
                if mode == "semantic":
                    raise QueryError(f"semantic search is not available: {notice}", "run docmine embed")
                wanted = "text"
        if wanted == "text":
            hits = search_text(self.store, self.analyzer, query, filters, limit)
        else:
            from docmine.search.semantic import search_hybrid, search_semantic

            run = search_hybrid if wanted == "hybrid" else search_semantic
            hits = run(self.store, self.analyzer, self.embedder, self._vector_index(), query, filters, limit)
        return SearchResults(hits, wanted, f"text mode: {notice}" if notice else None)

    def trace(self, statement: str | None = None, claim_id: int | None = None, limit: int = 10) -> TraceResults:
        """Passages that state the same thing as ``statement`` (or claim ``claim_id``): likely sources first."""
        from docmine.model import Page
        from docmine.search.semantic import fuse, rank_semantic
        from docmine.search.trace import DEPTH, lexical_similarity, trace

        exclude = None
        if claim_id is not None:
            claim = self.store.claim(claim_id)
            statement, exclude = claim.sentence, claim.ref
        if not statement or not statement.strip():
            raise QueryError("nothing to trace", "give a statement in quotes or --claim ID (see docmine claims)")
        spec = self.extract_spec()
        mentions, _ = extract_facts(
            "statement", [Page(1, statement)], ExtractSpec(True, spec.ner_model, spec.reference_dir)
        )
        notice = self._semantic_unavailable() if self.settings.embed else "embeddings are switched off"
        rankings = []
        query = None
        try:
            from docmine.search.query import parse_query

            query = parse_query(statement, self.analyzer)
            from docmine.search.fulltext import rank_text

            rankings.append(rank_text(self.store, self.analyzer, query, Filters(), DEPTH))
        except QueryError:
            pass
        similarity: Callable[[str, list[str]], Any]
        if notice is None:
            embedder = self.embedder
            rankings.append(rank_semantic(self.store, embedder, self._vector_index(), statement, Filters(), DEPTH))

            def cosine(text: str, texts: list[str]) -> Any:
                q = embedder.embed_queries([text])[0]
                return embedder.embed_queries(texts) @ q

            similarity = cosine

        else:
            similarity = lexical_similarity(self.analyzer)
        candidates = [pid for pid, _, _ in fuse(rankings)][:DEPTH]
        sources = trace(self.store, self.analyzer, statement, mentions, candidates, similarity, exclude, limit)
        return TraceResults(sources, statement, f"lexical similarity only: {notice}" if notice else None)

    def _semantic_unavailable(self) -> str | None:
        """Why semantic search cannot run now, or None when it can."""
        try:
            missing, total = self.embedding_status()
        except DocmineError as exc:
            return f"{exc.message} ({exc.hint})" if exc.hint else exc.message
        if total == 0:
            return "the case file has no passages"
        if missing:
            return f"{missing} of {total} passages are not embedded yet; run docmine embed"
        if self.store.readonly:
            from docmine.search.vectors import index_path_for

            if not index_path_for(self.store.path).is_dir():
                return "the case file is read-only and its vector index is not beside it"
        return None


class TraceResults(list["Source"]):
    def __init__(self, sources: Sequence[Source], statement: str, notice: str | None = None) -> None:
        super().__init__(sources)
        self.statement = statement
        self.notice = notice


def parse_label(label: str | None) -> str | None:
    """The label as stored (upper case), None for None; an unknown label is a QueryError."""
    if label is None:
        return None
    found = label_of(label)
    if found is None:
        raise QueryError(f"unknown label {label!r}", "one of: " + ", ".join(LABELS))
    return found


def _without_pages(doc: Document) -> Document:
    from dataclasses import replace

    return replace(doc, pages=(), page_count=doc.n_pages)

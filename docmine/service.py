"""Docmine: the one API that the CLI, the TUI and exports call. Front ends never touch SQL or parsers."""

from __future__ import annotations

import os
import re
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
    LABELS,
    BatchQuery,
    Claim,
    CurationRule,
    DocInfo,
    Document,
    EntityRow,
    Filters,
    Hit,
    Mention,
    MentionRow,
    Page,
    SavedSearch,
    SourceRef,
    Stats,
    Tag,
    TimelineEvent,
    WooPart,
    label_of,
)
from docmine.nlp.analyzer import Analyzer
from docmine.search.batch import BatchResult, problem_of, read_batch
from docmine.search.searcher import SEARCH_MODES, Searcher, SearchResults, TraceResults
from docmine.store import Store
from docmine.store.merge import MergeCounts
from docmine.work import Executor, ExtractSpec, LocalExecutor, Processed, extract_facts

if TYPE_CHECKING:
    from docmine.embed import Embedder
    from docmine.nlp.pipeline import Extractor
    from docmine.woo.analysis import ReleaseAnalysis

__all__ = ["SEARCH_MODES", "Docmine", "IngestProgress", "IngestReport", "SearchResults", "TraceResults"]


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


class Docmine:
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
            raise QueryError(f"unknown table {table!r}", "one of: " + ", ".join((*EXPORT_TABLES, "inventory", "redactions")))
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

    # -- woo ----------------------------------------------------------------------------------------------

    def _woo_redactions(self, doc: Document) -> None:
        """Find the redaction boxes of a PDF just stored (its pages are at hand); a failure is a note, not a loss."""
        if doc.format != "pdf" or doc.status not in ("ok", "partial", "needs_ocr"):
            return
        from docmine.woo.redactions import detect

        started = time.perf_counter()
        lang = None if self.settings.ocr == "never" else self.settings.ocr_lang
        try:
            found = detect(doc.path, doc.doc_id, doc.pages, str(self.settings.reference_dir), self.settings.max_pages, lang)
        except Exception as exc:  # a PDF PDFium reads for text but not for drawing: the document stays stored
            found = []
            self.woo_notices.append(f"{doc.path}: redactions not read ({type(exc).__name__}: {exc})")
        self.store.woo.replace_redactions(doc.doc_id, found, time.perf_counter() - started)

    def woo_analyse(self, release: str | None = None) -> list[ReleaseAnalysis]:
        """(Re)analyse the releases (folders) of the case file, or the one named, and store what was found."""
        from docmine.woo.analysis import analyse, release_of
        from docmine.woo.release import ReleaseDoc

        by_release: dict[str, list[DocInfo]] = {}
        for info in self.store.documents():
            if info.status in ("ok", "partial", "needs_ocr"):
                by_release.setdefault(release_of(info.path), []).append(info)
        if release is not None:
            wanted = os.path.abspath(release)
            if wanted not in by_release:
                raise DocmineError(f"no documents from {release} in the case file", "ingest the release first: docmine ingest FOLDER")
            by_release = {wanted: by_release[wanted]}
        corrections = self.store.woo.corrections()
        done = []
        for folder, infos in sorted(by_release.items()):
            docs = [ReleaseDoc(i.doc_id, i.path, i.title, i.date, tuple(self.store.pages(i.doc_id))) for i in infos]
            result = analyse(folder, docs, str(self.settings.reference_dir), corrections)
            if result.rows or result.decision or result.parts or release is not None:
                self.store.woo.replace_release(folder, result.rows, result.parts, result.decision, result.doc_ids)
                done.append(result)
        return done

    def woo_summary(self, release: str | None = None) -> list[dict[str, Any]]:
        """Per release: documents per decision, redactions per ground, days taken, unlinked inventory rows."""
        from docmine.woo.summary import summarise

        out = []
        for result in self.woo_analyse(release):
            infos = [self.store.document(d) for d in result.doc_ids]
            reds = list(self.store.woo.redactions(result.doc_ids))
            out.append(summarise(result, infos, reds))
        return out

    def woo_correct(self, doc_id: str, page: int, action: str) -> None:
        """A person's boundary: split the bundle ``doc_id`` at ``page`` (a document starts there) or merge it."""
        doc = self.store.resolve(doc_id)
        info = self.store.document(doc)
        if not 2 <= page <= max(info.page_count, 1):
            raise QueryError(f"page {page} cannot start a document", f"{info.title[:60]!r} has pages 2 to {info.page_count}")
        self.store.woo.add_correction(doc, page, action)

    def woo_parts(self) -> list[tuple[DocInfo, WooPart]]:
        infos = {d.doc_id: d for d in self.store.documents()}
        return [(infos[p.parent], p) for p in self.store.woo.parts() if p.parent in infos]

    def woo_rows(self, table: str) -> Iterator[dict[str, Any]]:
        """The export rows of ``inventory`` or ``redactions`` in their JSON-lines contracts."""
        from docmine.woo.summary import inventory_row, redaction_row

        if table == "inventory":
            if not self.store.readonly:
                self.woo_analyse()
            return (inventory_row(release, r) for release, r in self.store.woo.inventory())
        paths = {d.doc_id: d.path for d in self.store.documents()}
        return (redaction_row(r, paths.get(r.doc_id, "")) for r in self.store.woo.redactions())

    def woo_search(
        self,
        query: str,
        filters: Filters | None = None,
        limit: int = 10,
        mode: str | None = None,
        decision: str | None = None,
        ground: str | None = None,
    ) -> SearchResults:
        """Search, keeping hits on pages of documents with this inventory decision and/or refusal ground
        (a ground also keeps pages that carry a redaction with it). Bundles are filtered per document."""
        if not decision and not ground:
            return self.search(query, filters, limit, mode)
        allowed = self._woo_pages(_woo_decision(decision), self._woo_ground(ground))
        hits = self.search(query, filters, min(max(limit * 5, 50), 500), mode)
        kept = [h for h in hits if any(a <= h.ref.page <= b for a, b in allowed.get(h.ref.doc_id, ()))][:limit]
        return SearchResults(kept, hits.mode, hits.notice)

    def _woo_ground(self, ground: str | None) -> str | None:
        if not ground:
            return None
        from docmine.woo.codes import grounds_in

        found = grounds_in(ground, str(self.settings.reference_dir))
        if len(found) != 1:
            raise FilterError("ground", f"{ground!r} is not a Woo or Wob ground", "e.g. 5.1.2e, 5.2 or 10.2.e")
        return found[0]

    def _woo_pages(self, decision: str | None, ground: str | None) -> dict[str, list[tuple[int, int]]]:
        """doc_id -> page ranges of the documents (or bundle parts) that match."""
        parts: dict[tuple[str, int], int] = {(p.parent, p.first_page): p.last_page for p in self.store.woo.parts()}
        allowed: dict[str, list[tuple[int, int]]] = {}
        for _, row in self.store.woo.inventory():
            if row.doc_id is None or (decision and row.decision != decision) or (ground and ground not in row.grounds):
                continue
            first = row.first_page or 1
            allowed.setdefault(row.doc_id, []).append((first, parts.get((row.doc_id, first), 10**9)))
        if ground and not decision:
            for r in self.store.woo.redactions():
                if r.ground == ground:
                    allowed.setdefault(r.doc_id, []).append((r.page, r.page))
        return allowed

    # -- workbench: batch search, curation, timeline, saved searches, tags ----------------------------------

    def read_batch(self, path: Path) -> list[BatchQuery]:
        """The queries of a batch file (one a line, or CSV with id,query); bad files are a QueryError."""
        return read_batch(path)

    def search_batch(
        self, queries: Sequence[BatchQuery], filters: Filters | None = None, limit: int = 10, mode: str | None = None
    ) -> list[BatchResult]:
        """Each query searched as ``search`` would; a query that cannot run keeps its error and the batch goes on."""
        results = []
        for q in queries:
            problem = problem_of(q.query)
            if problem:
                results.append(BatchResult(q, error=problem))
                continue
            try:
                hits = self.search(q.query, filters, limit, mode)
            except QueryError as exc:
                results.append(BatchResult(q, error=exc.message))
                continue
            results.append(BatchResult(q, tuple(hits), hits.mode))
        return results

    def curate(
        self,
        action: str,
        name: str,
        target: str | None = None,
        label: str | None = None,
        doc_id: str | None = None,
        page: int | None = None,
        start: int | None = None,
    ) -> tuple[CurationRule, int]:
        """Store a curation rule and apply it at once; returns it and the number of mentions it changed."""
        from docmine.store import curation

        if action not in curation.ACTIONS:
            raise QueryError(f"unknown curation action {action!r}", "one of: " + ", ".join(curation.ACTIONS))
        name, target = name.strip(), (target.strip() if target is not None else None)
        if not name or (action != "reject" and not target):
            raise QueryError("a curation rule needs a name" + ("" if action == "reject" else " and a new name"), "")
        found = curation.labels_of(self.store, name)
        parsed = parse_label(label)
        if parsed is None:
            if len(found) > 1:
                raise QueryError(f"{name!r} is an entity under several labels ({', '.join(found)})", "add --label")
            parsed = found[0] if found else None
        if parsed is None or parsed not in found:
            where = f" as {parsed}" if parsed else ""
            raise QueryError(f"no entity named {name!r}{where}", "list names with: docmine entities")
        doc = self.store.resolve(doc_id) if doc_id else None
        if action == "split" and doc is None:
            raise QueryError("a split needs the document its mentions are split off in", "add --doc DOC")
        if action == "merge" and target is not None:
            same = curation.entity_key(name) == curation.entity_key(target)
            if same or set(self.store_keys(parsed, name)) & set(self.store_keys(parsed, target)):
                raise QueryError(f"{name!r} is {target!r}: an entity cannot be merged into itself", "name two entities")
            if parsed not in curation.labels_of(self.store, target):
                raise QueryError(f"no entity named {target!r} as {parsed}", "to give it a new name use: docmine entity rename")
        rule = CurationRule(0, action, parsed, name, target, doc, page, start, "")
        return curation.add_rule(self.store, rule)

    def store_keys(self, label: str, name: str) -> list[str]:
        from docmine.store import curation

        return curation.keys_of(self.store._read(), label, name)

    def curation_rules(self) -> list[CurationRule]:
        from docmine.store import curation

        return curation.rules(self.store)

    def remove_curation_rule(self, rule_id: int) -> int:
        """Undo a rule: the documents it changed are extracted again and the other rules applied to them."""
        from docmine.store import curation

        docs = curation.remove_rule(self.store, rule_id)
        spec = ExtractSpec(True, self.extract_spec().ner_model, str(self.settings.reference_dir))
        for doc_id in docs:
            if self.store.status_of(doc_id) is not None:
                self.store.replace_facts(doc_id, *extract_facts(doc_id, self.store.pages(doc_id), spec))
        self.apply_curation()
        return len(docs)

    def apply_curation(self) -> int:
        """Apply the stored curation rules (after new ingests and re-extraction); returns the mentions changed."""
        from docmine.store import curation

        if self.store.readonly or not curation.rules(self.store):
            return 0
        return curation.apply_rules(self.store)

    def timeline(
        self,
        entity: str | None = None,
        query: str | None = None,
        municipality: str | None = None,
        since: str | None = None,
        until: str | None = None,
        tags: Sequence[str] = (),
    ) -> list[TimelineEvent]:
        """Dated facts in date order, each with its source page: dated claims, decisions, dated documents."""
        from docmine.store import timeline

        since, until = _filter_date("since", since), _filter_date("until", until)
        spans = None
        if query:
            spans = [h.ref for h in self.search(query, self.filters(tags=tags), 1000, "text")]
        elif tags:
            spans = self._tagged_spans(tags)
        keys = None
        if entity:
            from docmine.store import curation

            keys = curation.all_keys(self.store, entity)
            if not keys:
                raise QueryError(f"no entity named {entity!r}", "list names with: docmine entities")
        found = timeline.events(self.store, keys, self.municipality_code(municipality), spans)
        found = [e for e in found if (not since or e.date >= since) and (not until or e.date <= until + "\uffff")]
        return sorted(found, key=lambda e: (e.date, e.kind != "document", e.ref.doc_id, e.ref.page, e.ref.start))

    def _tagged_spans(self, tags: Sequence[str]) -> list[SourceRef]:
        from docmine.store import tags as tagging

        spans = []
        for t in (t for name in tags for t in tagging.tags(self.store, name)):
            if t.page:
                spans.append(SourceRef(t.doc_id, t.page, t.start, t.end))
            else:
                spans.extend(SourceRef(t.doc_id, p, 0, 10**9) for p in self.store.page_numbers(t.doc_id))
        return spans

    def watch_add(self, query: str, filters: dict[str, Any] | None = None) -> tuple[SavedSearch, int]:
        """Save a search; the hits it has now are its baseline, so later runs report only what is new."""
        from docmine.store import watchlist

        if not query.strip():
            raise QueryError("a saved search needs a query", 'docmine watch add "QUERY"')
        filters = {k: v for k, v in (filters or {}).items() if v}
        hits = self._watch_hits(query, filters)  # refuses a bad query or filter before anything is saved
        saved = watchlist.add_search(self.store, query.strip(), filters)
        watchlist.record_hits(self.store, saved.search_id, [h.ref for h in hits])
        return saved, len(hits)

    def watches(self) -> list[SavedSearch]:
        from docmine.store import watchlist

        return watchlist.searches(self.store)

    def watch_remove(self, search_id: int) -> None:
        from docmine.store import watchlist

        watchlist.remove_search(self.store, search_id)

    def watch_run(self, again: bool = True) -> list[tuple[SavedSearch, list[Hit]]]:
        """Re-run every saved search and record its new hits. Each search gives its new hits; with ``again``,
        a search with nothing new gives the hits it reported last, as a reminder."""
        from docmine.store import watchlist

        report = []
        for saved in self.watches():
            try:
                hits = self._watch_hits(saved.query, saved.filters)
            except QueryError:
                continue  # a filter that no longer holds (a tag removed since): the other searches still report
            new = set(watchlist.record_hits(self.store, saved.search_id, [h.ref for h in hits]))
            if not new and again:
                new = set(watchlist.last_reported(self.store, saved.search_id))
            if new or again:
                report.append((saved, [h for h in hits if h.ref in new]))
        return report

    def _watch_hits(self, query: str, f: dict[str, Any]) -> SearchResults:
        # Full-text only: a semantic neighbour exists for every query, so it would alert on every new document.
        filters = self.filters(
            f.get("doc_types", ()), f.get("since"), f.get("until"), f.get("municipality"),
            f.get("labels", ()), f.get("entity"), f.get("tags", ()),
        )
        return self.search(query, filters, 1000, "text")

    def tag(self, target: str, name: str, note: str | None = None, remove: bool = False) -> Tag:
        """Tag a document (its id) or a passage (``DOC:PAGE:START`` or ``passage:ID``) with ``name``."""
        from docmine.store import tags as tagging

        name = name.strip()
        if not name or len(name) > 100 or any(ord(c) < 32 for c in name):
            raise QueryError(f"{name!r} cannot be a tag", "use a short name such as 'belangrijk'")
        doc_id, page, start, end = self._tag_target(target)
        if remove:
            if not tagging.remove_tag(self.store, doc_id, page, start, name):
                raise QueryError(f"{target} has no tag {name!r}", "list tags with: docmine tags")
            return Tag(0, doc_id, page, start, end, name, None, "")
        return tagging.add_tag(self.store, doc_id, page, start, end, name, note)

    def _tag_target(self, target: str) -> tuple[str, int, int, int]:
        from docmine.store import tags as tagging

        hint = "give a document id, DOC:PAGE:START (from search --json) or passage:ID"
        parts = target.strip().split(":")
        if parts[0] == "passage" and len(parts) == 2 and parts[1].isdigit():
            found = tagging.passage_at(self.store, int(parts[1]))
            if found is None:
                raise QueryError(f"no passage {parts[1]}", hint)
            return found
        if len(parts) == 1:
            return self.store.resolve(parts[0]), 0, -1, -1
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            doc_id, page, start = self.store.resolve(parts[0]), int(parts[1]), int(parts[2])
            span = tagging.passage_around(self.store, doc_id, page, start)
            if span is None:
                raise QueryError(f"no passage at page {page}, character {start} of {doc_id[:8]}", hint)
            return doc_id, page, span[0], span[1]
        raise QueryError(f"{target!r} is not a document or a passage", hint)

    def tags(self, name: str | None = None) -> list[Tag]:
        from docmine.store import tags as tagging

        return tagging.tags(self.store, name)

    def _known_tags(self, names: Sequence[str]) -> list[str]:
        if names:
            self.tagged_doc_ids(names)  # refuses an unknown tag
        return list(names)

    def tagged_doc_ids(self, names: Sequence[str]) -> set[str]:
        """Documents carrying one of the tags, or holding a tagged passage; an unknown tag is an error."""
        from docmine.store import tags as tagging

        known = tagging.tag_names(self.store)
        for name in names:
            if name not in known:
                raise QueryError(f"no tag {name!r}", "tags: " + (", ".join(known) or "none yet (docmine tag DOC --add NAME)"))
        return {t.doc_id for name in names for t in tagging.tags(self.store, name)}

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
        model = str(bundled) if (bundled / "meta.json").is_file() else None
    return ExtractSpec(enabled=settings.extract, ner_model=model, reference_dir=str(settings.reference_dir))


class FilterError(QueryError):
    """A filter value that cannot be used; ``field`` names the filter so each front end can point at its control."""

    def __init__(self, field: str, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.field = field


def _filter_date(field: str, value: str | None) -> str | None:
    """An ISO date, month or year (2021, 2021-03, 2021-03-15): documents are compared by their ISO date text."""
    if not value:
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise FilterError(field, f"{value!r} is not a date", "use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021-03")
    return value


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


def _woo_decision(decision: str | None) -> str | None:
    """An inventory decision as stored ('deels openbaar'), from what a person typed ('deels-openbaar', 'Deels')."""
    if not decision:
        return None
    from docmine.woo.codes import DECISIONS, decision_of

    typed = decision.lower().replace("-", " ").strip()
    found = decision_of(typed) or next((d for d in DECISIONS if d.startswith(typed)), None)
    if found is None:
        raise FilterError("decision", f"unknown decision {decision!r}", "one of: " + ", ".join(DECISIONS))
    return found

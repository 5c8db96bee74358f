"""Docmine: the one API that the CLI, the TUI and exports call. Front ends never touch SQL or parsers."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docmine.config import Settings
from docmine.errors import DocmineError, QueryError
from docmine.ingest.limits import Limits
from docmine.ingest.pipeline import FileRef, hash_file, walk
from docmine.model import DocInfo, Document, Filters, Hit, Page
from docmine.nlp.analyzer import Analyzer
from docmine.search.fulltext import search_text
from docmine.store import Store
from docmine.work import Processed, process_many

SEARCH_MODES = ("hybrid", "text", "semantic")


@dataclass
class IngestReport:
    ingested: list[Document] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, path of the stored copy)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    pages: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def needs_ocr(self) -> list[Document]:
        return [d for d in self.ingested if d.status == "needs_ocr"]

    @property
    def partial(self) -> list[Document]:
        return [d for d in self.ingested if d.status == "partial"]


class IngestProgress:
    """Callbacks for long ingests; the CLI and the TUI subclass it. The base does nothing."""

    def start(self, total_files: int) -> None: ...

    def advance(self, path: str, pages: int, status: str) -> None: ...

    def finish(self) -> None: ...


class Docmine:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store.open(settings.db)
        self._analyzer: Analyzer | None = None

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
            for item in process_many(todo, limits, self.settings.reference_dir, self.settings.workers):
                self._store(item)
                doc = item.doc
                if doc.status == "failed":
                    report.failed.append((doc.path, doc.error or "failed"))
                else:
                    report.ingested.append(_without_pages(doc))
                    report.pages += len(doc.pages)
                progress.advance(doc.path, len(doc.pages), doc.status)
        except KeyboardInterrupt:
            report.interrupted = True
        finally:
            progress.finish()
            report.seconds = time.perf_counter() - started
        return report

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
        self.store.add_document(item.doc, item.passages, item.terms)

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

    def stats(self) -> dict[str, object]:
        return self.store.stats()

    # -- search -------------------------------------------------------------------------------------------

    def search(self, query: str, filters: Filters | None = None, limit: int = 10, mode: str = "text") -> list[Hit]:
        if mode not in SEARCH_MODES:
            raise QueryError(f"unknown search mode {mode!r}", f"use one of {', '.join(SEARCH_MODES)}")
        if limit < 1:
            raise QueryError("--limit must be at least 1", "e.g. --limit 10")
        return search_text(self.store, self.analyzer, query, filters, limit)


def _without_pages(doc: Document) -> Document:
    from dataclasses import replace

    return replace(doc, pages=(), page_count=doc.n_pages)

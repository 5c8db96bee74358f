"""Ingest through the service: files walked, checked and stored by an executor's workers, their passages embedded
when the run ends, and the facts of stored pages extracted again after the pipeline changed."""

from __future__ import annotations

import dataclasses
import os
import stat
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docmine.config import REPO_ROOT, Settings
from docmine.errors import DocmineError, IngestError, is_disk_full
from docmine.ingest import archive
from docmine.ingest.limits import Limits
from docmine.ingest.pipeline import FileRef, check_size, hash_file, walk
from docmine.model import Document, Hit, SavedSearch
from docmine.store import casefile
from docmine.work import Executor, ExtractSpec, LocalExecutor, Processed, extract_facts

if TYPE_CHECKING:
    from docmine.embed import Embedder
    from docmine.search.searcher import Searcher
    from docmine.store import Store


ARCHIVE_DEPTH = 3  # an archive in an archive in an archive is unpacked; one more level is not


@dataclass
class IngestReport:
    ingested: list[Document] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, path of the stored copy)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (path now, stored path that is gone)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    links: list[tuple[str, str]] = field(default_factory=list)  # (link, where it leads) met inside the folders
    unpacked: list[tuple[str, str]] = field(default_factory=list)  # (zip archive, the folder it was unpacked in)
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


class IngestStopped(KeyboardInterrupt):
    """Raised by a progress callback to stop the ingest as Ctrl-C does: after the last complete document (a
    document being read is not stored), with ``IngestReport.interrupted`` set. The TUI raises it on quitting."""


class IngestProgress:
    """Callbacks for long ingests; the CLI and the TUI subclass it. The base does nothing. A callback may raise
    IngestStopped to end the run."""

    def start(self, total_files: int) -> None: ...

    def stage(self, message: str) -> None:
        """What the run does now, between files: waits for another run adding to the case file, or unpacks an
        archive (``message`` says which)."""

    def advance(self, path: str, pages: int, status: str) -> None: ...

    def reading(self, path: str, done: int, total: int) -> None:
        """How far the entity pass over one long file is, in characters (files of work.LONG_TEXT_CHARS and more,
        analysed in this process: a single file, or --jobs 1); (path, 0, 0) every second while a worker process
        has the file. Raising IngestStopped here stops the run without waiting for that file."""

    def embedding(self, done: int, total: int) -> None: ...

    def finish(self) -> None: ...


class IngestMixin:
    # What this room uses of the rest of Docmine (core.py, woo.py, workbench.py), declared for the type checker.
    store: Store
    settings: Settings
    _embedder: Embedder | None
    _loading: threading.RLock

    if TYPE_CHECKING:

        @property
        def searcher(self) -> Searcher: ...

        def woo_after_ingest(self, paths: list[str]) -> None: ...

        def _woo_redactions(self, doc: Document) -> None: ...

        def apply_curation(self) -> int: ...

        def watch_run(self, again: bool = True) -> list[tuple[SavedSearch, list[Hit]]]: ...

    # -- ingest -------------------------------------------------------------------------------------------

    def ingest(self, paths: Sequence[Path], progress: IngestProgress | None = None) -> IngestReport:
        progress = progress or IngestProgress()
        # One run at a time: a second ingest of the same folder waits, then finds everything stored.
        with self.store.exclusive(progress.stage):
            report = self._ingest(paths, progress)
            if (report.ingested or report.moved) and not report.interrupted:
                self.woo_after_ingest([d.path for d in report.ingested] + [path for path, _ in report.moved])
                self.apply_curation()
                report.watch = self.watch_run(again=False)
            return report

    def _ingest(self, paths: Sequence[Path], progress: IngestProgress) -> IngestReport:
        report = IngestReport()
        started = time.perf_counter()
        files, missing, report.links = walk([Path(p) for p in paths])
        own = os.path.realpath(self.store.path)  # the case file and what docmine keeps beside it are never documents
        beside = casefile.companions(own)
        files = [f for f in files if f != own and not f.startswith(beside)]
        if missing and not files:
            raise DocmineError(f"no such file or folder: {', '.join(missing)}", "check the path")
        report.failed.extend((m, "no such file or folder") for m in missing)
        files = self._unpack(files, casefile.beside(Path(own), casefile.FILES), report, progress)
        progress.start(len(files))
        todo: list[FileRef] = []
        seen: dict[str, str] = {}
        copies: dict[str, list[str]] = {}  # same bytes twice in this run: noted once the first is stored
        try:
            limits = self._limits(len(files))
            for path in files:
                try:
                    info = os.stat(path)
                    if not stat.S_ISREG(info.st_mode):  # reading a named pipe would wait for a writer forever
                        report.failed.append((path, "not a regular file (a named pipe, socket or device): skipped"))
                        progress.advance(path, 0, "failed")
                        continue
                    # over --max-file-mb: refused from its size, before a byte is read (or hashed)
                    check_size(path, info.st_size, limits)
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
                    elif not os.path.exists(stored_path):  # moved since it was stored (a folder renamed)
                        self.store.move(ref.doc_id, path)
                        seen[ref.doc_id] = path
                        report.moved.append((path, stored_path))
                        progress.advance(path, 0, "moved")
                        continue
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
                for item in executor.run(todo, limits, self.settings.reference_dir, spec, progress.reading):
                    item = _noted_archive(item, report.unpacked)
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

    def _unpack(
        self, files: list[str], root: Path, report: IngestReport, progress: IngestProgress, depth: int = 0
    ) -> list[str]:
        """``files`` with each zip archive replaced by the files it holds, unpacked under ``root`` (archives in
        archives too, ARCHIVE_DEPTH deep). --max-file-mb bounds each member, not the archive: a release of many
        files is often larger than any one of them."""
        out: list[str] = []
        max_bytes = int(self.settings.max_file_mb * 1_000_000)
        for path in files:
            if not archive.is_zip(path):  # a damaged one goes on to fail in the pipeline, and is recorded
                out.append(path)
                continue
            try:
                if depth >= ARCHIVE_DEPTH:
                    report.failed.append((path, f"an archive inside archives {depth} deep: not unpacked"))
                    continue
                progress.stage(f"unpacking {Path(path).name}")
                unpacked = archive.unpack(path, hash_file(path).doc_id, root, max_bytes)
            except (IngestError, zipfile.BadZipFile) as exc:
                reason = (
                    f"{exc.message} (hint: {exc.hint})"
                    if isinstance(exc, IngestError)
                    else f"cannot unpack the archive: {exc}"
                )
                report.failed.append((path, reason))
                continue
            except OSError as exc:
                if is_disk_full(exc):
                    raise
                report.failed.append((path, f"cannot unpack the archive ({exc.strerror or exc})"))
                continue
            report.unpacked.append((path, unpacked.folder))
            report.failed.extend(unpacked.skipped)
            out.extend(self._unpack(walk([Path(unpacked.folder)]).files, root, report, progress, depth + 1))
        return out

    # -- embeddings ---------------------------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        with self._loading:
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


def _noted_archive(item: Processed, unpacked: list[tuple[str, str]]) -> Processed:
    """A document unpacked from an archive says which, and where in it: its path is docmine's copy."""
    doc = item.doc
    for source, folder in unpacked:
        if doc.path.startswith(folder + os.sep):
            note = f"from the archive {source}: {os.path.relpath(doc.path, folder)}"
            return dataclasses.replace(item, doc=dataclasses.replace(doc, notes=(*doc.notes, note)))
    return item


def _without_pages(doc: Document) -> Document:
    return dataclasses.replace(doc, pages=(), page_count=doc.n_pages)

"""Woo releases through the service: redactions found as documents are stored, releases analysed (also after
every ingest) and summarised, boundary corrections, exports and search by decision or ground.

Documents split out of a bundle are first-class (design in docmine/store/parts.py): each has its own doc_id
``<bundle[:16]>#<first_page>``, number, title, date and page range; the bundle's passages, mentions and claims are
stored once and belong to the child whose pages hold them, so search hits, entity and claim rows name the child
while every anchor is still a page of the bundle file. Corrections re-analyse the release at once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from docmine.errors import DocmineError, QueryError
from docmine.model import (
    DocInfo,
    Document,
    Filters,
    InventoryRow,
    Page,
    Redaction,
    WooPart,
)
from docmine.search.searcher import SearchResults
from docmine.service.filters import FilterError

if TYPE_CHECKING:
    from docmine.config import Settings
    from docmine.store import Store
    from docmine.store.woo import AnalysisRecord
    from docmine.woo.analysis import ReleaseAnalysis


class WooResults(SearchResults):
    """Search results with the documents split out of bundles that hits may name (doc_id -> WooPart)."""

    def __init__(self, hits: SearchResults, children: dict[str, WooPart]) -> None:
        super().__init__(hits, hits.mode, hits.notice)
        self.children = {h.ref.doc_id: children[h.ref.doc_id] for h in hits if h.ref.doc_id in children}


class WooMixin:
    # What this room uses of the rest of Docmine (core.py), declared for the type checker.
    store: Store
    settings: Settings
    woo_notices: list[str]

    if TYPE_CHECKING:

        def search(
            self, query: str, filters: Filters | None = None, limit: int = 10, mode: str | None = None
        ) -> SearchResults: ...

    # -- woo ----------------------------------------------------------------------------------------------

    def _woo_redactions(self, doc: Document) -> None:
        """Find the redaction boxes of a PDF just stored (its pages are at hand); a failure is a note, not a loss."""
        if doc.format != "pdf" or doc.status not in ("ok", "partial", "needs_ocr"):
            return
        from docmine.woo.redactions import detect

        started = time.perf_counter()
        lang = None if self.settings.ocr == "never" else self.settings.ocr_lang
        try:
            found = detect(
                doc.path, doc.doc_id, doc.pages, str(self.settings.reference_dir), self.settings.max_pages, lang
            )
        except Exception as exc:  # a PDF PDFium reads for text but not for drawing: the document stays stored
            found = []
            self.woo_notices.append(f"{doc.path}: redactions not read ({type(exc).__name__}: {exc})")
        self.store.woo.replace_redactions(doc.doc_id, found, time.perf_counter() - started)

    def woo_after_ingest(self, paths: list[str]) -> None:
        """Analyse the folders just added to that hold a Woo release (an inventory or a decision letter), so that
        the documents of their bundles are split out before anybody searches; other folders are left alone."""
        from docmine.woo.analysis import looks_like_release, release_of

        folders = {release_of(os.path.abspath(p)) for p in paths}
        heads: dict[str, list[tuple[str, str, Page]]] = {}
        for info in self.store.documents():
            folder = release_of(info.path)
            if folder in folders and info.status in ("ok", "partial", "needs_ocr") and info.page_count:
                try:
                    first = self.store.page(info.doc_id, 1)
                except DocmineError:  # no first page stored (a partial file): judged by its name alone
                    first = Page(1, "")
                heads.setdefault(folder, []).append((info.path, info.title, first))
        for folder in sorted(folders):
            if not looks_like_release(folder, heads.get(folder, [])):
                continue
            for result in self.woo_analyse(folder, releases_only=True):
                self.woo_notices.extend(result.notices)

    def woo_analyse(self, release: str | None = None, releases_only: bool = False) -> list[ReleaseAnalysis]:
        """(Re)analyse the releases (folders) of the case file, or the one named, and store what was found.
        ``releases_only``: store nothing for a folder without an inventory or a decision letter.

        A release whose inputs are unchanged since its last analysis (``analysis.fingerprint``) is not read
        again: what that analysis stored is returned (also from a read-only case file)."""
        from docmine.store.woo import AnalysisRecord
        from docmine.woo.analysis import analyse, fingerprint, release_of
        from docmine.woo.release import ReleaseDoc

        by_release: dict[str, list[DocInfo]] = {}
        for info in self.store.documents():
            if info.status in ("ok", "partial", "needs_ocr"):
                by_release.setdefault(release_of(info.path), []).append(info)
        if release is not None:
            wanted = os.path.abspath(release)
            if wanted not in by_release:
                raise DocmineError(
                    f"no documents from {release} in the case file", "ingest the release first: docmine ingest FOLDER"
                )
            by_release = {wanted: by_release[wanted]}
        corrections = self.store.woo.corrections()
        reference = str(self.settings.reference_dir)
        done = []
        for folder, infos in sorted(by_release.items()):
            key = fingerprint(
                folder,
                [(i.doc_id, i.path, i.title, i.date or "", str(i.page_count), i.status, i.ingested_at) for i in infos],
                corrections,
                reference,
            )
            last = self.store.woo.analysis(folder)
            if last is not None and last.fingerprint == key:
                keep = _keep(last.found, releases_only, release is not None)
                if not keep:
                    continue  # found nothing to keep, as last time
                if last.stored and self.store.woo.outputs(folder, last.doc_ids) == last.outputs:
                    done.append(self._stored_analysis(folder, last))
                    continue
            docs = [ReleaseDoc(i.doc_id, i.path, i.title, i.date, tuple(self.store.pages(i.doc_id))) for i in infos]
            result = analyse(folder, docs, reference, corrections)
            found = 2 if result.rows or result.decision else 1 if result.parts else 0
            keep = _keep(found, releases_only, release is not None)
            if keep:
                self.store.woo.replace_release(folder, result.rows, result.parts, result.decision, result.doc_ids)
                done.append(result)
            if not self.store.readonly:  # a read-only case file is analysed as before, just not remembered
                outputs = self.store.woo.outputs(folder, result.doc_ids)
                record = AnalysisRecord(key, found, keep, outputs, result.notices, result.doc_ids)
                self.store.woo.record_analysis(folder, record)
        return done

    def _stored_analysis(self, release: str, record: AnalysisRecord) -> ReleaseAnalysis:
        """A release's analysis as its last run stored it."""
        from docmine.woo.analysis import ReleaseAnalysis

        parts: dict[str, list[WooPart]] = {}
        for part in self.store.woo.parts(record.doc_ids):
            parts.setdefault(part.parent, []).append(part)
        return ReleaseAnalysis(
            release,
            rows=[row for _, row in self.store.woo.inventory(release)],
            parts=parts,
            decision=self.store.woo.decision(release),
            notices=list(record.notices),
            doc_ids=list(record.doc_ids),
        )

    def woo_summary(self, release: str | None = None) -> list[dict[str, Any]]:
        """Per release: documents per decision, redactions per ground, days taken, unlinked inventory rows."""
        from docmine.ingest.archive import source_of
        from docmine.woo.summary import summarise

        out = []
        for result in self.woo_analyse(release):
            infos = [self.store.document(d) for d in result.doc_ids]
            reds = list(self.store.woo.redactions(result.doc_ids))
            # a release unpacked from a zip is shown by the archive's name, not only by docmine's folder
            out.append(summarise(result, infos, reds) | {"archive": source_of(result.release)})
        return out

    def woo_correct(self, doc_id: str, page: int, action: str) -> None:
        """A person's boundary: split the bundle ``doc_id`` at ``page`` (a document starts there) or merge it."""
        doc = self.store.resolve(doc_id)
        info = self.store.document(doc)
        if not 2 <= page <= max(info.page_count, 1):
            raise QueryError(
                f"page {page} cannot start a document", f"{info.title[:60]!r} has pages 2 to {info.page_count}"
            )
        self.store.woo.add_correction(doc, page, action)
        from docmine.woo.analysis import release_of

        # the release again, at once: its documents' passages, mentions and claims follow the new boundary
        self.woo_analyse(release_of(info.path))

    def woo_children(self) -> dict[str, WooPart]:
        """Documents split out of bundles by their own doc_id."""
        return {p.doc_id: p for p in self.store.woo.parts()}

    def woo_parts(self) -> list[tuple[DocInfo, WooPart]]:
        infos = {d.doc_id: d for d in self.store.documents()}
        return [(infos[p.parent], p) for p in self.store.woo.parts() if p.parent in infos]

    def woo_rows(self, table: str) -> Iterator[dict[str, Any]]:
        """The export rows of ``inventory`` or ``redactions`` in their JSON-lines contracts."""
        from docmine.woo.summary import inventory_row, redaction_row

        if table == "inventory":
            if not self.store.readonly:
                self.woo_analyse()
            children = {(p.parent, p.first_page): p.doc_id for p in self.store.woo.parts()}
            return (
                inventory_row(release, r, children.get((r.doc_id or "", r.first_page or 0)))
                for release, r in self.store.woo.inventory()
            )
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
            return WooResults(self.search(query, filters, limit, mode), self.woo_children())
        allowed = self._woo_pages(_woo_decision(decision), self._woo_ground(ground))
        hits = self.search(query, filters, min(max(limit * 5, 50), 500), mode)
        # hits name the split-out document; the ranges are pages of the file that holds it
        files = {p.doc_id: p.parent for p in self.store.woo.parts()}
        kept = [
            h
            for h in hits
            if any(a <= h.ref.page <= b for a, b in allowed.get(files.get(h.ref.doc_id, h.ref.doc_id), ()))
        ][:limit]
        return WooResults(SearchResults(kept, hits.mode, hits.notice), self.woo_children())

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

    # -- woo release view (TUI): what the last analysis stored, read without analysing again ----------------

    def woo_releases(self) -> list[str]:
        return self.store.woo.releases()

    def woo_inventory(self, release: str | None = None) -> list[InventoryRow]:
        return [row for _, row in self.store.woo.inventory(release)]

    def woo_redactions(
        self, release: str | None = None, doc_id: str | None = None, page: int | None = None
    ) -> list[Redaction]:
        """The redactions of one document (and page), or of the files of one release (a folder), or all."""
        if doc_id is not None:
            ids: list[str] | None = [doc_id]
        elif release is not None:
            from docmine.woo.analysis import release_of

            ids = [d.doc_id for d in self.store.documents() if release_of(d.path) == release]
        else:
            ids = None
        return [r for r in self.store.woo.redactions(ids) if page is None or r.page == page]


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


def _keep(found: int, releases_only: bool, named: bool) -> bool:
    """Whether an analysis that ``found`` (0 nothing, 1 bundle parts only, 2 inventory rows or a decision letter)
    is stored: a release always; a folder of bundles unless only releases are wanted; anything asked for by name."""
    return found == 2 or (not releases_only and (found == 1 or named))

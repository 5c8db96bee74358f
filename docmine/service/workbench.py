"""The investigator's workbench through the service: batch search, entity curation, timelines, saved
searches and tags."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docmine.errors import QueryError
from docmine.model import (
    BatchQuery,
    CurationRule,
    Filters,
    Hit,
    SavedSearch,
    SourceRef,
    Tag,
    TimelineEvent,
)
from docmine.search.batch import BatchResult, problem_of, read_batch
from docmine.search.searcher import SearchResults
from docmine.service.filters import filter_dates, parse_label
from docmine.work import ExtractSpec, extract_facts

if TYPE_CHECKING:
    from docmine.config import Settings
    from docmine.store import Store


class WorkbenchMixin:
    # What this room uses of the rest of Docmine (core.py), declared for the type checker.
    store: Store
    settings: Settings

    if TYPE_CHECKING:

        def search(
            self, query: str, filters: Filters | None = None, limit: int = 10, mode: str | None = None
        ) -> SearchResults: ...

        def filters(
            self,
            doc_types: Sequence[str] = (),
            since: str | None = None,
            until: str | None = None,
            municipality: str | None = None,
            labels: Sequence[str] = (),
            entity: str | None = None,
            tags: Sequence[str] = (),
        ) -> Filters: ...

        def municipality_code(self, name_or_code: str | None) -> str | None: ...

        def extract_spec(self) -> ExtractSpec: ...

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
                raise QueryError(
                    f"no entity named {target!r} as {parsed}", "to give it a new name use: docmine entity rename"
                )
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

        since, until = filter_dates(since, until)
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
            f.get("doc_types", ()),
            f.get("since"),
            f.get("until"),
            f.get("municipality"),
            f.get("labels", ()),
            f.get("entity"),
            f.get("tags", ()),
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
            # a span in a document split out of a Woo bundle is tagged in that document
            return tagging.owner(self.store, doc_id, page), page, span[0], span[1]
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
                raise QueryError(
                    f"no tag {name!r}", "tags: " + (", ".join(known) or "none yet (docmine tag DOC --add NAME)")
                )
        return {t.doc_id for name in names for t in tagging.tags(self.store, name)}

"""The Store's reads: read models at its edge, filters, resolving ids, the label vocabulary."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from docmine import rows
from docmine.config import Settings
from docmine.errors import DocumentNotFound
from docmine.model import (
    LABELS,
    VALUED_LABELS,
    EntityRow,
    Filters,
    Mention,
    MentionRow,
    PassageRow,
    SourceRef,
    Stats,
    mention_key,
)
from docmine.nlp.rules import PRIORITY
from docmine.service import Docmine
from docmine.store import Store


def _with_ids(db: Path, ids: list[str]) -> Store:
    Store.open(db).close()
    with sqlite3.connect(db) as conn:
        for doc_id in ids:
            conn.execute(
                "INSERT INTO documents (doc_id, path, size, format, status, ingested_at) "
                "VALUES (?, ?, 1, 'txt', 'ok', 'now')",
                (doc_id, doc_id[:6] + ".txt"),
            )
    conn.close()
    return Store.open(db)


def test_resolve_prefix_ambiguous_and_unknown(tmp_path: Path) -> None:
    store = _with_ids(tmp_path / "case.db", ["abcd1" + "0" * 59, "abcd2" + "0" * 59, "ef01" + "1" * 60])
    try:
        assert store.resolve("ABCD1") == "abcd1" + "0" * 59
        assert store.resolve(" ef01 ") == "ef01" + "1" * 60
        assert store.document("abcd2").path == "abcd20.txt"
        with pytest.raises(DocumentNotFound) as ambiguous:
            store.resolve("abcd")
        assert ambiguous.value.message == "document id 'abcd' is ambiguous"
        assert ambiguous.value.hint == "type more characters of the id"
        for unknown in ("abc", "abce", "not-hex!", ""):
            with pytest.raises(DocumentNotFound) as caught:
                store.resolve(unknown)
            assert caught.value.message == f"no document {unknown!r}"
    finally:
        store.close()


def test_reads_return_read_models(case: Settings) -> None:
    with Docmine(case) as dm:
        store = dm.store
        ids = store.all_passage_ids()
        rows = store.passages(ids)
        assert sorted(rows) == ids and all(isinstance(r, PassageRow) for r in rows.values())
        row = rows[ids[0]]
        page = store.page(row.ref.doc_id, row.ref.page)
        assert page.text[row.ref.start : row.ref.end] == row.text and row.terms
        mentions = list(dm.mentions())
        assert mentions and all(isinstance(m, MentionRow) for m in mentions)
        entities = dm.entities()
        assert entities and all(isinstance(e, EntityRow) for e in entities)
        stats = dm.stats()
        assert isinstance(stats, Stats) and stats.documents == 3 and stats.passages == len(ids)


def test_a_money_value_comes_back_as_the_number_it_was(case: Settings) -> None:
    with Docmine(case) as dm:
        money = {m.text: m.value for m in dm.mentions(label="MONEY")}
        entities = {e.name: e.value for e in dm.entities(label="money")}
        dates = {m.value for m in dm.mentions(label="DATE")}
        export = {r["text"]: (r["value"], r["value_num"]) for r in dm.table_rows("mentions") if r["label"] == "MONEY"}
        exported = rows.table_rows("mentions", dm.export_rows("mentions"))
        shown = {r["text"]: (r["value"], r["value_num"]) for r in exported if r["label"] == "MONEY"}
    assert money == {"€ 160 miljoen": 160_000_000.0, "€ 2 miljoen": 2_000_000.0}
    assert entities == money
    assert "2021-07-01" in dates and all(isinstance(d, str) for d in dates)
    # the raw table keeps the stored columns: text value and number side by side
    assert export["€ 160 miljoen"] == ("160000000.0", 160_000_000.0)
    # an export writes the rows every listing writes: the amount as a number, beside its number
    assert shown["€ 160 miljoen"] == (160_000_000.0, 160_000_000.0)


def test_mentions_in_a_span_are_mentions(case: Settings) -> None:
    with Docmine(case) as dm:
        first = next(m for m in dm.mentions(label="MONEY"))
        found = dm.store.mentions_in(first.ref.doc_id, first.ref.page, first.ref.start, first.ref.end)
    assert found == [Mention(first.ref, "MONEY", first.text, first.value, first.canonical)]


@pytest.mark.parametrize(
    ("filters", "files"),
    [
        (Filters(), {"jeugdzorg.txt"}),
        (Filters(labels=("MONEY",)), {"jeugdzorg.txt"}),
        (Filters(labels=("PERSON",)), set()),
        (Filters(municipality="GM0014"), {"jeugdzorg.txt"}),
        (Filters(municipality="GM0164"), set()),
        (Filters(since="2030"), set()),
    ],
)
def test_filters_narrow_full_text_candidates(case: Settings, filters: Filters, files: set[str]) -> None:
    with Docmine(case) as dm:
        found = dm.store.fts_candidates("jeugdzorg", filters, 10)
        rows = dm.store.passages(pid for pid, _ in found)
    assert {Path(r.path).name for r in rows.values()} == files


def test_passage_ids_follow_the_filters(case: Settings) -> None:
    with Docmine(case) as dm:
        store = dm.store
        assert store.passage_ids(Filters()) is None
        hengelo = store.passage_ids(Filters(municipality="GM0164"))
        money = store.passage_ids(Filters(labels=("MONEY",)))
        everything = store.all_passage_ids()
        texts = {pid: r.text for pid, r in store.passages(everything).items()}
    assert hengelo is not None and [texts[p][:15] for p in hengelo] == ["Het zwembad in "]
    assert money is not None and sorted(money) == sorted(p for p, t in texts.items() if "€" in t)


def test_term_counts_follow_writes_of_other_connections(case: Settings, folder: Path) -> None:
    """Document frequencies are cached, and a commit by another connection (an ingest in this or another
    process) makes the next search count afresh."""
    with Docmine(case) as dm:
        (term,) = dm.analyzer.index_text("zwembad").split()
        assert dm.store.term_document_counts([term, "qqqnotaword"]) == {term: 1, "qqqnotaword": 0}
        other = tmp = folder.parent / "meer"
        tmp.mkdir()
        (other / "zwembad2.txt").write_text("Het zwembad van Assen blijft open.", encoding="utf-8")
        with Docmine(case) as writer:  # its own connections, as a second process has
            writer.ingest([other])
        assert dm.store.term_document_counts([term]) == {term: 2}
        dm.ingest([folder / "zwembad.txt", other])  # nothing new: the counts stay
        assert dm.store.term_document_counts([term]) == {term: 2}


def test_one_label_vocabulary() -> None:
    assert set(PRIORITY) <= set(LABELS) and set(VALUED_LABELS) <= set(LABELS)
    ref = SourceRef("d", 1, 0, 5)
    assert mention_key(Mention(ref, "MUNICIPALITY", "Groningen", "GM0014", "Groningen")) == "GM0014"
    assert mention_key(Mention(ref, "PERSON", " Jan de Vries ", None, None)) == "jan de vries"
    assert mention_key(Mention(ref, "MONEY", "€ 5", 5.0)) == "5.0"
    assert mention_key(Mention(ref, "DATE", "ooit", None, "Ooit")) == "ooit"

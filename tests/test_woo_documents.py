"""Documents split out of Woo bundles as first-class documents: their own ids, hits, mentions and claims, while
every anchor stays a page of the bundle file; boundary corrections re-attribute at once and survive
re-extraction and re-ingest; a bundle without stamps stays one document."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner
from woo_release import Release, TrueDoc, make_release

from docmine import rows
from docmine.cli import app
from docmine.config import Settings
from docmine.model import Filters
from docmine.service import Docmine

# a line only bundle document 3 (index 2) carries, on its last page: a name, an amount, a word found nowhere else
MARK = "Wethouder Wilhelmina Zonneveld zegt dat de xylofoonsubsidie 48.250 euro kost."
TERM = "xylofoonsubsidie"


@pytest.fixture
def extracting(tmp_path: Path) -> Settings:
    return Settings(db=tmp_path / "case.db", jobs=1, embed=False, extract=True, cache_dir=tmp_path / "cache")


def _release(tmp_path: Path, **kw: object) -> Release:
    return make_release(tmp_path / "release", seed=3, marks={2: MARK}, **kw)  # type: ignore[arg-type]


def _bundle_id(dm: Docmine) -> str:
    return next(d.doc_id for d in dm.documents() if d.path.endswith("bundel.pdf"))


def _child(bundle: str, first_page: int) -> str:
    return f"{bundle[:16]}#{first_page}"


def test_term_in_document_3_is_a_hit_of_document_3_at_the_bundle_page(extracting: Settings, tmp_path: Path) -> None:
    rel = _release(tmp_path)
    third = rel.docs[2]
    with Docmine(extracting) as dm:
        dm.ingest([rel.folder])  # the release is analysed at ingest: no `docmine woo` needed first
        bundle = _bundle_id(dm)
        hits = dm.woo_search(TERM, limit=20)
        [hit] = hits
        assert hit.ref.doc_id == _child(bundle, third.first_page)
        assert hit.ref.page == third.last_page == 7  # the page of the bundle file
        part = dm.woo_children()[hit.ref.doc_id]
        assert hit.title == part.title and part.title.startswith("Onderwerp") is False and part.title
        [row] = rows.hit_rows(hits)
        assert (row["number"], row["parent"], row["page"]) == (third.number, bundle, 7)
        assert row["path"].endswith("bundel.pdf")
        # the anchor opens: the child's id and the bundle's page number give the bundle's page
        info, page = dm.page(hit.ref.doc_id, hit.ref.page)
        assert TERM in page.text.lower() and info.path.endswith("bundel.pdf")
        assert (info.doc_id, info.title, info.date) == (hit.ref.doc_id, part.title, third.date)
        assert dm.store.page(bundle, 7).text == page.text
        # a term of document 1 is a hit of document 1
        first = rel.docs[0]
        found = dm.search("Datum", limit=50)
        assert {h.ref.doc_id for h in found if h.path.endswith("bundel.pdf") and h.ref.page == first.first_page} == {
            _child(bundle, first.first_page)
        }


def test_entities_and_claims_belong_to_the_child_once(extracting: Settings, tmp_path: Path) -> None:
    rel = _release(tmp_path)
    third = rel.docs[2]
    with Docmine(extracting) as dm:
        dm.ingest([rel.folder])
        bundle = _bundle_id(dm)
        stats = dm.stats()
        mentions = list(dm.mentions())
        claims = dm.claims()
        # every stored mention and claim listed once, none twice
        assert len(mentions) == stats.mentions > 0 and len(claims) == stats.claims > 0
        parts = {(p.first_page, p.last_page): doc_id for doc_id, p in dm.woo_children().items()}
        for m in [*mentions, *claims]:
            if m.ref.doc_id.startswith(bundle[:16]):
                owner = next(d for (a, b), d in parts.items() if a <= m.ref.page <= b)
                assert m.ref.doc_id == owner
        names = [m for m in mentions if "Zonneveld" in m.text]
        assert names and {(m.ref.doc_id, m.ref.page) for m in names} == {(_child(bundle, third.first_page), 7)}
        [entity] = [e for e in dm.entities("PERSON") if "Zonneveld" in e.name]
        assert (entity.mentions, entity.documents) == (len(names), 1)
        child = _child(bundle, third.first_page)
        assert any(c.ref.doc_id == child and "48.250" in c.sentence for c in claims)
        # listing by the child gives its pages only; by the bundle, everything the file holds
        assert {m.ref.page for m in dm.mentions(doc_id=child)} <= {third.first_page, third.last_page}
        assert len(list(dm.mentions(doc_id=bundle))) == sum(1 for m in mentions if m.ref.doc_id.startswith(bundle[:16]))
        # exports attribute the same way, and the entity table counts the child as its own document
        exported = [r for r in rows.table_rows("mentions", dm.export_rows("mentions")) if "Zonneveld" in r["text"]]
        assert {(r["doc_id"], r["page"]) for r in exported} == {(child, 7)}
        [listed] = [r for r in rows.claim_rows(claims, dm.documents()) if "48.250" in r["sentence"]]
        assert (listed["doc_id"], listed["page"]) == (child, 7) and listed["path"].endswith("bundel.pdf")
        raw = [r for r in dm.table_rows("claims") if "48.250" in r["sentence"]]
        assert [r["doc_id"] for r in raw] == [child]
        assert sum(1 for _ in dm.table_rows("passages")) == dm.store.passage_count()


def _owner_of_term(dm: Docmine) -> tuple[str, int]:
    [hit] = dm.woo_search(TERM, limit=20)
    return hit.ref.doc_id, hit.ref.page


def test_split_and_merge_reattribute_and_survive_extract_and_reingest(extracting: Settings, tmp_path: Path) -> None:
    rel = _release(tmp_path)
    third = rel.docs[2]
    with Docmine(extracting) as dm:
        dm.ingest([rel.folder])
        bundle = _bundle_id(dm)
        assert _owner_of_term(dm) == (_child(bundle, 6), 7)
        dm.woo_correct(bundle[:12], 7, "split")  # page 7 starts a document of its own: at once
        assert _owner_of_term(dm) == (_child(bundle, 7), 7)
        names = [m.ref.doc_id for m in dm.mentions() if "Zonneveld" in m.text]
        assert set(names) == {_child(bundle, 7)}
        assert {(p.first_page, p.last_page) for p in dm.woo_children().values()} >= {(6, 6), (7, 7)}
        dm.extract_all()
        assert _owner_of_term(dm) == (_child(bundle, 7), 7)
        assert {m.ref.doc_id for m in dm.mentions() if "Zonneveld" in m.text} == {_child(bundle, 7)}
        assert len(list(dm.mentions())) == dm.stats().mentions
        # the bundle read again from its file (a failed file is retried): the correction holds
        with sqlite3.connect(extracting.db) as conn:
            conn.execute("UPDATE documents SET status = 'failed' WHERE doc_id = ?", (bundle,))
        report = dm.ingest([rel.folder])
        assert [Path(d.path).name for d in report.ingested] == ["bundel.pdf"]
        assert _owner_of_term(dm) == (_child(bundle, 7), 7)
        dm.woo_correct(bundle, 7, "merge")
        assert _owner_of_term(dm) == (_child(bundle, third.first_page), 7)
        assert {m.ref.doc_id for m in dm.mentions() if "Zonneveld" in m.text} == {_child(bundle, 6)}
        assert all(p.first_page != 7 for p in dm.woo_children().values())


def test_decision_and_ground_filters_on_child_documents(dm: Docmine, tmp_path: Path) -> None:
    rel = _release(tmp_path)
    dm.ingest([rel.folder])
    bundle = _bundle_id(dm)
    number_of = {_child(bundle, d.first_page): d for d in rel.docs if d.file == "bundel.pdf"}
    everything = dm.woo_search("overleg", limit=300)
    assert {h.ref.doc_id for h in everything} >= set(number_of)  # hits name the documents, not the bundle
    for ground in ("5.1.1d", "5.1.2i"):
        kept = dm.woo_search("overleg", limit=300, ground=ground)
        redacted = {b.page for b in rel.boxes if b.ground == ground and b.file == "bundel.pdf"}
        want = [
            h
            for h in everything
            if h.ref.doc_id in number_of and (ground in number_of[h.ref.doc_id].grounds or h.ref.page in redacted)
        ]
        assert 0 < len(kept) < len(everything)
        assert {(h.ref.doc_id, h.ref.page, h.ref.start) for h in kept if h.ref.doc_id in number_of} == {
            (h.ref.doc_id, h.ref.page, h.ref.start) for h in want
        }
        assert [r["number"] for r in rows.hit_rows(kept) if r["parent"]] == [
            number_of[h.ref.doc_id].number for h in kept if h.ref.doc_id in number_of
        ]
    assert len(dm.woo_search(TERM, decision="deels openbaar")) == 1
    assert dm.woo_search(TERM, decision="openbaar") == []


def test_cli_docs_json_children_and_inventory_links(tmp_path: Path) -> None:
    rel = _release(tmp_path, inventory="csv")
    db = str(tmp_path / "case.db")
    runner = CliRunner(env={"DOCMINE_JOBS": "1", "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0", "NO_COLOR": "1"})
    result = runner.invoke(app, ["--db", db, "ingest", str(rel.folder)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["--db", db, "docs", "--json"])
    docs = [json.loads(x) for x in result.stdout.splitlines()]
    bundle = next(d["doc_id"] for d in docs if d["path"].endswith("bundel.pdf") and "parent" not in d)
    children = [d for d in docs if d.get("parent")]
    truth = [d for d in rel.docs if d.file == "bundel.pdf"]
    assert [(c["doc_id"], c["parent"], c["number"], c["first_page"], c["last_page"]) for c in children] == [
        (_child(bundle, d.first_page), bundle, d.number, d.first_page, d.last_page) for d in truth
    ]
    result = runner.invoke(app, ["--db", db, "export", "inventory", "-o", "-", "-f", "jsonl"])
    inventory = {r["number"]: r for r in map(json.loads, result.stdout.splitlines())}
    for d in truth:
        assert (inventory[d.number]["doc_id"], inventory[d.number]["parent"]) == (_child(bundle, d.first_page), bundle)
    loose = next(d for d in docs if d["path"].endswith("-notitie.pdf"))
    assert (inventory[rel.docs[-1].number]["doc_id"], inventory[rel.docs[-1].number]["parent"]) == (
        loose["doc_id"],
        None,
    )
    result = runner.invoke(app, ["--db", db, "search", TERM, "--json"])
    [hit] = [json.loads(x) for x in result.stdout.splitlines()]
    assert (hit["doc_id"], hit["number"], hit["page"]) == (_child(bundle, 6), rel.docs[2].number, 7)
    result = runner.invoke(app, ["--db", db, "show", hit["doc_id"], "--page", "7"])
    assert result.exit_code == 0 and TERM in result.stdout.lower()
    result = runner.invoke(app, ["--db", db, "show", f"{bundle[:8]}#99", "--page", "1"])
    assert result.exit_code == 1 and "no document" in result.output


def test_bundle_without_stamps_stays_one_document_and_an_encrypted_file_is_a_notice(
    dm: Docmine, tmp_path: Path
) -> None:
    from docfactory import make_pdf

    folder = tmp_path / "release"
    make_release(folder, seed=11, inventory="csv")
    (folder / "bundel.pdf").unlink()
    make_pdf(folder / "bundel.pdf", ["de gemeente het overleg " * 20, "het project wordt xylofoon besproken " * 20])
    make_pdf(folder / "geheim.pdf", ["Document 1"], password="geheim")
    report = dm.ingest([folder])
    assert [Path(p).name for p, _ in report.failed] == ["geheim.pdf"] and "encrypted" in report.failed[0][1]
    assert dm.woo_children() == {}
    bundle = _bundle_id(dm)
    hits = dm.woo_search("xylofoon")
    assert hits and {(h.ref.doc_id, h.ref.page) for h in hits} == {(bundle, 2)}
    assert any("without stamped document numbers, kept as one document" in n for n in dm.woo_notices)
    assert len(dm.documents()) == 5  # letter, inventory, bundle, loose note, the encrypted file as failed


def test_a_document_without_a_date_takes_it_from_its_inventory_row(dm: Docmine, tmp_path: Path) -> None:
    import csv

    from docfactory import make_pdf

    folder = tmp_path / "release"
    folder.mkdir()
    with (folder / "inventarislijst.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=";").writerows(
            [
                ["Nr.", "Datum", "Omschrijving", "Beoordeling", "Weigeringsgrond"],
                ["1", "03-02-2022", "Brief over de planning", "Openbaar", ""],
                ["2", "17-11-2022", "Verslag van het overleg", "Deels openbaar", "5.1.2e"],
            ]
        )
    make_pdf(folder / "bundel.pdf", ["Document 1\n\nde planning van het project", "Document 2\n\nhet overleg xylofoon"])
    dm.ingest([folder])
    bundle = _bundle_id(dm)
    children = dm.woo_children()
    assert [(p.number, p.title, p.date) for p in children.values()] == [
        ("1", "de planning van het project", "2022-02-03"),
        ("2", "het overleg xylofoon", "2022-11-17"),
    ]
    [hit] = dm.woo_search("xylofoon", decision="deels openbaar")
    assert (hit.ref.doc_id, hit.ref.page, hit.date) == (_child(bundle, 2), 2, "2022-11-17")
    assert dm.woo_search("xylofoon", decision="openbaar") == []


def _bundle_truth(dm: Docmine, rel: Release) -> dict[str, TrueDoc]:
    bundle = _bundle_id(dm)
    return {_child(bundle, d.first_page): d for d in rel.docs if d.file == "bundel.pdf"}


def test_date_filters_keep_the_split_out_documents_of_the_range(dm: Docmine, tmp_path: Path) -> None:
    rel = _release(tmp_path)
    dm.ingest([rel.folder])
    truth = _bundle_truth(dm, rel)
    bundle = _bundle_id(dm)
    everything = {h.ref.doc_id for h in dm.search("overleg", limit=300) if h.ref.doc_id.startswith(bundle[:16])}
    assert everything == set(truth)
    dates = sorted({d.date for d in truth.values()})
    assert len(dates) >= 3
    lo, hi = dates[1], dates[-2]
    kept = dm.search("overleg", dm.filters(since=lo, until=hi), limit=300)
    in_bundle = {h.ref.doc_id for h in kept if h.ref.doc_id.startswith(bundle[:16])}
    want = {doc_id for doc_id, d in truth.items() if lo <= d.date <= hi}
    assert in_bundle == want and 0 < len(want) < len(truth)
    assert all(lo <= (h.date or "") <= hi + "\uffff" for h in kept)
    # a month holds the document dated in it, and only the documents of that month
    first = next(iter(truth.values()))
    month = first.date[:7]
    by_month = {h.ref.doc_id for h in dm.search("overleg", dm.filters(since=month, until=month), limit=300)}
    assert {d for d in by_month if d.startswith(bundle[:16])} == {
        doc_id for doc_id, d in truth.items() if d.date[:7] == month
    }
    # a search within one split-out document keeps to its pages
    third = _child(bundle, rel.docs[2].first_page)
    inside = dm.search("overleg", Filters(doc_ids=(third,)), limit=300)
    assert inside and {h.ref.doc_id for h in inside} == {third}


def test_timeline_lists_split_out_documents_with_their_date_and_number(dm: Docmine, tmp_path: Path) -> None:
    rel = _release(tmp_path)
    dm.ingest([rel.folder])
    truth = _bundle_truth(dm, rel)
    bundle = _bundle_id(dm)
    docs = [e for e in dm.timeline() if e.kind == "document"]
    listed = {e.ref.doc_id: e for e in docs if e.path.endswith("bundel.pdf")}
    assert bundle not in listed  # the file is no document of its own: its date is one of its documents'
    dated = {doc_id: d for doc_id, d in truth.items() if dm.document(doc_id).date}
    assert set(listed) == set(dated) and len(dated) >= len(truth) - 1
    for doc_id, d in dated.items():
        e = listed[doc_id]
        assert (e.date, e.ref.page) == (d.date, d.first_page) and e.text.startswith(f"document {d.number}:")
    # a query keeps the document it is found in, not the others of the bundle
    third = _child(bundle, rel.docs[2].first_page)
    found = {e.ref.doc_id for e in dm.timeline(query=TERM) if e.kind == "document"}
    assert {d for d in found if d.startswith(bundle[:16])} == ({third} if third in dated else set())


def test_tags_on_split_out_documents(dm: Docmine, tmp_path: Path) -> None:
    rel = _release(tmp_path)
    dm.ingest([rel.folder])
    truth = _bundle_truth(dm, rel)
    bundle = _bundle_id(dm)
    first, third = (_child(bundle, rel.docs[i].first_page) for i in (0, 2))
    # a tag on a document split out of the bundle keeps to its pages
    dm.tag(first[:8] + "#" + first.split("#")[1], "eerste")
    assert [t.doc_id for t in dm.tags("eerste")] == [first]
    hits = dm.search("overleg", dm.filters(tags=["eerste"]), limit=300)
    d = truth[first]
    assert hits and {h.ref.doc_id for h in hits} == {first}
    assert {h.ref.page for h in hits} <= set(range(d.first_page, d.last_page + 1))
    assert dm.tagged_doc_ids(["eerste"]) == {first}
    assert {e.ref.doc_id for e in dm.timeline(tags=["eerste"]) if e.kind == "document"} <= {first}
    # a passage tagged by its id (as search --json gives it) is a tag in the document that holds it
    [hit] = dm.search(TERM, limit=5)
    tag = dm.tag(f"passage:{hit.passage_id}", "zonneveld")
    assert (tag.doc_id, tag.page) == (third, hit.ref.page)
    assert dm.tagged_doc_ids(["zonneveld"]) == {third}
    kept = dm.search("kost", dm.filters(tags=["zonneveld"]), limit=50)
    assert [(h.ref.doc_id, h.ref.page) for h in kept] == [(third, hit.ref.page)]
    # and by DOC:PAGE:START with the bundle's id: the same document
    again = dm.tag(f"{bundle[:12]}:{hit.ref.page}:{hit.ref.start}", "zonneveld", note="wethouder")
    assert (again.doc_id, again.note) == (third, "wethouder") and len(dm.tags("zonneveld")) == 1
    claims = [e for e in dm.timeline(tags=["zonneveld"]) if e.kind != "document"]
    assert all(e.ref.doc_id == third for e in claims)
    # a tag on the whole bundle file covers every document in it
    dm.tag(bundle[:12], "bundel")
    assert {h.ref.doc_id for h in dm.search("overleg", dm.filters(tags=["bundel"]), limit=300)} == set(truth)


def test_documents_and_stats_list_split_out_documents(extracting: Settings, tmp_path: Path) -> None:
    rel = _release(tmp_path)
    with Docmine(extracting) as dm:
        dm.ingest([rel.folder])
        bundle = _bundle_id(dm)
        truth = [d for d in rel.docs if d.file == "bundel.pdf"]
        docs = dm.documents()
        at = [d.doc_id for d in docs].index(bundle)
        children = docs[at + 1 : at + 1 + len(truth)]  # the documents of a bundle follow it
        assert [(c.doc_id, c.parent, c.number, c.first_page, c.last_page) for c in children] == [
            (_child(bundle, d.first_page), bundle, d.number, d.first_page, d.last_page) for d in truth
        ]
        assert all(c.title and c.path == docs[at].path and c.status == docs[at].status for c in children)
        assert [c.date for c in children if c.date] == [
            d.date for d in truth if dm.document(_child(bundle, d.first_page)).date
        ]
        assert all(d.parent is None for d in docs if "#" not in d.doc_id) and docs[at].parent is None
        # the title a claim of a split-out document is shown with is that document's
        titles = {d.doc_id: d.title for d in docs}
        claim = next(c for c in dm.claims() if "48.250" in c.sentence)
        assert titles[claim.ref.doc_id] == dm.document(claim.ref.doc_id).title != docs[at].title
        # the totals count documents, split-out ones included, and files apart
        stats = dm.stats()
        files = len(dm.store.documents())
        assert (stats.files, stats.split_out, stats.documents) == (files, len(truth), files + len(truth))
        assert stats.documents == len(docs) and sum(stats.by_status.values()) == files
        # a listing by status keeps a bundle's documents with it
        assert [d.doc_id for d in dm.documents("ok") if d.parent] == [c.doc_id for c in children]
        assert not [d for d in dm.documents("failed") if d.parent]


def test_the_terminal_names_a_split_out_document_by_its_own_short_id(tmp_path: Path) -> None:
    rel = _release(tmp_path)
    third = rel.docs[2]
    db = str(tmp_path / "case.db")
    runner = CliRunner(env={"DOCMINE_JOBS": "1", "DOCMINE_EMBED": "0", "NO_COLOR": "1", "COLUMNS": "200"})
    assert runner.invoke(app, ["--db", db, "ingest", str(rel.folder)]).exit_code == 0
    with Docmine(Settings.load(db=Path(db))) as dm:
        child = _child(_bundle_id(dm), third.first_page)
    short = f"{child[:12]}#{third.first_page}"
    found = runner.invoke(app, ["--db", db, "search", TERM, "--mode", "text"])
    assert found.exit_code == 0 and f"docmine show {short} --page 7" in found.output
    shown = runner.invoke(app, ["--db", db, "show", short, "--page", "7"])
    assert shown.exit_code == 0 and TERM in shown.output.lower()
    stats = runner.invoke(app, ["--db", db, "stats"])
    assert "split out of Woo bundles" in stats.output

"""Timelines, saved searches and tags on a real case file, through the commands people type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from workbench_case import LATER, UNRELATED, build, copy_case, settings_for, table_digest

from docmine.cli import app
from docmine.service import Docmine

runner = CliRunner()


def run(db: Path, *args: str):
    return runner.invoke(
        app, ["--db", str(db), *args], env={"DOCMINE_JOBS": "1", "DOCMINE_EMBED": "0", "NO_COLOR": "1"}
    )


def jsonl(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("workbench"))


@pytest.fixture
def case(built: Path, tmp_path: Path) -> Path:
    return copy_case(built, tmp_path)


def page_text(db: Path, doc_id: str, page: int) -> str:
    with Docmine(settings_for(db)) as dm:
        return dm.page(doc_id, page)[1].text


# -- timeline -------------------------------------------------------------------------------------------------


def test_timeline_in_date_order_with_anchors(case: Path) -> None:
    events = jsonl(run(case, "timeline", "--json"))
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    assert [(e["date"], e["kind"]) for e in events] == [
        ("2019-11-12", "document"),
        ("2019-12-19", "date"),
        ("2020-06-10", "document"),
        ("2020-07-02", "date"),
        ("2020-07-02", "date"),
        ("2021-03-03", "document"),
        ("2021-04-15", "date"),
        ("2022-01-01", "quote"),
    ]
    for e in events:
        if e["kind"] != "document":  # each fact's anchor spans its sentence on its page
            assert page_text(case, e["doc_id"], e["page"])[e["start"] : e["end"]] == e["text"]
    decision = events[1]
    assert decision["page"] == 2 and Path(decision["path"]).name == "voorstel-2019.pdf"
    assert "DATE=2019-12-19" in decision["values"]


def test_timeline_filters(case: Path, tmp_path: Path) -> None:
    alvarez = jsonl(run(case, "timeline", "--entity", "José Álvarez", "--json"))
    assert [(e["date"], e["kind"]) for e in alvarez] == [("2021-03-03", "document"), ("2022-01-01", "quote")]
    assert run(case, "entity", "merge", "Jose Alvarez", "José Álvarez").exit_code == 0
    merged = jsonl(run(case, "timeline", "--entity", "José Álvarez", "--json"))
    assert [e["date"] for e in merged] == ["2020-06-10", "2020-07-02", "2021-03-03", "2022-01-01"]
    query = jsonl(run(case, "timeline", "--query", "inkoopplan", "--json"))
    # the letter's one passage holds both dated sentences; the document itself is dated too
    assert [(e["date"], e["kind"]) for e in query] == [("2020-06-10", "document"), ("2020-07-02", "date")] * 1 + [
        ("2020-07-02", "date")
    ]
    window = jsonl(run(case, "timeline", "--since", "2020", "--until", "2020-06", "--json"))
    assert [e["date"] for e in window] == ["2020-06-10"]
    assert run(case, "timeline", "--municipality", "Hengelo", "--json").stdout == ""
    bad = run(case, "timeline", "--since", "vorige week")
    assert bad.exit_code == 1 and bad.stderr.startswith("error: --since 'vorige week' is not a date")
    unknown = run(case, "timeline", "--entity", "Niemand")
    assert unknown.exit_code == 1 and "no entity named 'Niemand'" in unknown.stderr
    assert run(case, "timeline", "-o", str(tmp_path / "timeline.parquet")).exit_code == 0
    shown = run(case, "timeline")
    assert "2019-12-19" in shown.stdout and "--page 2" in shown.stdout


# -- saved searches -------------------------------------------------------------------------------------------


def test_saved_search_reports_only_the_new_document(case: Path, tmp_path: Path) -> None:
    added = run(case, "watch", "add", "jeugdzorg")
    assert added.exit_code == 0 and "saved search 1: 'jeugdzorg' (1 hits now known)" in added.stderr
    assert run(case, "watch", "add", "markt", "--since", "2022").exit_code == 0
    listed = jsonl(run(case, "watch", "list", "--json"))
    assert [(s["search_id"], s["query"], s["filters"]) for s in listed] == [
        (1, "jeugdzorg", {}),
        (2, "markt", {"since": "2022"}),
    ]
    more = tmp_path / "more"
    more.mkdir()
    (more / "brief-later.txt").write_text(LATER, encoding="utf-8")
    (more / "markt.txt").write_text(UNRELATED, encoding="utf-8")
    ingested = run(case, "ingest", str(more))
    assert ingested.exit_code == 0, ingested.output
    assert "new for your saved searches:" in ingested.stderr
    assert "jeugdzorg (search 1): 1 hits in 1 documents" in ingested.stderr
    assert "markt (search 2)" not in ingested.stderr  # the market letter is dated 2021: not new for it
    with Docmine(settings_for(case)) as dm:
        # the same run through the service, as the TUI gets it: nothing new now, the last report again
        report = dm.watch_run()
        later = next(d.doc_id for d in dm.documents() if d.path.endswith("brief-later.txt"))
    assert [(s.search_id, [h.ref.doc_id for h in hits]) for s, hits in report] == [(1, [later]), (2, [])]
    again = jsonl(run(case, "watch", "run", "--json"))
    assert [(r["search_id"], r["doc_id"]) for r in again] == [(1, later)]
    assert run(case, "watch", "remove", "2").exit_code == 0
    assert [s["search_id"] for s in jsonl(run(case, "watch", "list", "--json"))] == [1]
    gone = run(case, "watch", "remove", "2")
    assert gone.exit_code == 1 and "no saved search 2" in gone.stderr


def test_a_bad_saved_search_is_not_saved(case: Path) -> None:
    before = table_digest(case, "saved_searches")
    bad = run(case, "watch", "add", "jeugdzorg", "--type", "brochure")
    assert bad.exit_code == 1 and "unknown document type 'brochure'" in bad.stderr
    empty = run(case, "watch", "add", "  ")
    assert empty.exit_code == 1 and "a saved search needs a query" in empty.stderr
    assert table_digest(case, "saved_searches") == before


# -- tags -----------------------------------------------------------------------------------------------------


def test_tags_filter_search_docs_and_exports(case: Path, tmp_path: Path) -> None:
    hits = jsonl(run(case, "search", "jeugdhulp OR jeugdzorg", "--json", "--mode", "text"))
    assert {Path(h["path"]).name for h in hits} == {"brief-2021.txt", "voorstel-2019.pdf"}
    pdf_hit = next(h for h in hits if h["path"].endswith(".pdf"))
    brief = next(h for h in hits if h["path"].endswith("brief-2021.txt"))
    anchor = f"{pdf_hit['doc_id'][:12]}:{pdf_hit['page']}:{pdf_hit['start']}"
    tagged = run(case, "tag", anchor, "--add", "inkoop", "--note", "regionaal besluit")
    assert tagged.exit_code == 0 and "regionaal besluit" in tagged.stderr
    assert run(case, "tag", brief["doc_id"][:12], "--add", "belangrijk").exit_code == 0

    only = jsonl(run(case, "search", "jeugdhulp OR jeugdzorg", "--json", "--mode", "text", "--tag", "inkoop"))
    assert [(h["doc_id"], h["page"], h["start"]) for h in only] == [
        (pdf_hit["doc_id"], pdf_hit["page"], pdf_hit["start"])
    ]
    docs = jsonl(run(case, "docs", "--json", "--tag", "belangrijk"))
    assert [Path(d["path"]).name for d in docs] == ["brief-2021.txt"]
    exported = run(case, "export", "mentions", "-o", str(tmp_path / "m.jsonl"), "--tag", "belangrijk")
    assert exported.exit_code == 0, exported.output
    rows = [json.loads(line) for line in (tmp_path / "m.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows and {r["doc_id"] for r in rows} == {brief["doc_id"]}
    listed = jsonl(run(case, "tags", "--json"))
    assert [(t["name"], t["note"], t["page"]) for t in listed] == [
        ("belangrijk", None, 0),
        ("inkoop", "regionaal besluit", pdf_hit["page"]),
    ]
    timeline = jsonl(run(case, "timeline", "--tag", "inkoop", "--json"))
    assert [(e["date"], e["page"]) for e in timeline] == [("2019-11-12", 1), ("2019-12-19", 2)]

    unknown = run(case, "search", "jeugdzorg", "--tag", "geheim")
    assert unknown.exit_code == 1 and unknown.stderr.startswith("error: no tag 'geheim'")
    removed = run(case, "tag", brief["doc_id"][:12], "--remove", "belangrijk")
    assert removed.exit_code == 0 and [t["name"] for t in jsonl(run(case, "tags", "--json"))] == ["inkoop"]
    for target, message in [
        ("zzzz", "no document"),
        ("passage:99999", "no passage 99999"),
        ("a:b", "is not a document"),
    ]:
        bad = run(case, "tag", target, "--add", "x")
        assert bad.exit_code == 1 and message in bad.stderr, bad.stderr


def test_an_ingest_still_reports_when_a_saved_search_no_longer_runs(case: Path, tmp_path: Path) -> None:
    brief = next(d["doc_id"] for d in jsonl(run(case, "docs", "--json")) if d["path"].endswith("brief-2021.txt"))
    assert run(case, "tag", brief, "--add", "volgen").exit_code == 0
    assert run(case, "watch", "add", "jeugdzorg", "--tag", "volgen").exit_code == 0
    assert run(case, "watch", "add", "aanbesteding").exit_code == 0
    assert run(case, "tag", brief, "--remove", "volgen").exit_code == 0  # the first search's filter is gone
    more = tmp_path / "more"
    more.mkdir()
    (more / "brief-later.txt").write_text(LATER, encoding="utf-8")
    ingested = run(case, "ingest", str(more))
    assert ingested.exit_code == 0, ingested.output
    assert "1 ingested" in ingested.stderr and "aanbesteding (search 2): 1 hits in 1 documents" in ingested.stderr

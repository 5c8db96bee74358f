"""The demo tour: build a case file from the bundled corpus, then show searches, a trace and the amounts found."""

from __future__ import annotations

import json
from pathlib import Path

from rich.markup import escape

from docmine.config import REPO_ROOT, Settings
from docmine.console import err, out, print_hits, print_report, print_sources
from docmine.display import conflict_text, fact_text
from docmine.errors import DocmineError
from docmine.progress import RichIngestProgress
from docmine.rows import entity_rows
from docmine.service import Docmine

CORPUS = REPO_ROOT / "corpora" / "demo"
STATEMENT = "De uitgaven aan jeugdzorg in 2020 bedroegen € 160 miljoen"


def run_demo(settings: Settings) -> None:
    """Ingest the demo corpus into ``settings.db`` and print the tour in ``corpora/demo/tour.json``."""
    corpus, tour_file = CORPUS / "docs", CORPUS / "tour.json"
    if not corpus.is_dir():
        raise DocmineError(f"the demo corpus is missing at {corpus}", "run from a full checkout of docmine")
    db: Path = settings.db
    console = out()
    console.rule("[bold]docmine demo")
    with Docmine(settings, create=True) as dm:
        print_report(dm.ingest([corpus], RichIngestProgress(err())), db)
        tour = json.loads(tour_file.read_text(encoding="utf-8")) if tour_file.is_file() else []
        for step in tour:
            console.rule(f"[bold]docmine search {escape(json.dumps(step['query'], ensure_ascii=False))}")
            if step.get("says"):
                console.print(f"[italic]{escape(step['says'])}[/]")
            print_hits(console, dm.search(step["query"], limit=step.get("limit", 3)), step["query"])
        console.rule(f"[bold]docmine trace {escape(json.dumps(STATEMENT, ensure_ascii=False))}")
        console.print("[italic]Where does the figure come from, and who says otherwise?[/]")
        namer = dm.municipality_name
        shown = (lambda f: fact_text(f, namer), lambda c: conflict_text(c, namer))
        print_sources(console, dm.trace(STATEMENT, limit=12), agreeing=4, differing=2, shown=shown)
        console.rule("[bold]docmine entities --label MONEY")
        for row in entity_rows(dm.entities("MONEY"))[:5]:
            console.print(
                f"  {escape(str(row['name'])):<24} {row['mentions']} mentions in {row['documents']} documents"
            )
    console.rule()
    console.print(
        f'Browse further:  docmine --db {db} tui   ·   docmine --db {db} search "jouw vraag"   ·   '
        f"docmine --db {db} entities   ·   docmine --db {db} claims"
    )

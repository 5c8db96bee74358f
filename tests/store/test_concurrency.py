"""Readers beside the writer, and one adding run at a time: searches return while a write transaction is
open, and two ingests of the same folder at once give what one gives."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from store.conftest import TEXTS, cli

from docmine.config import REPO_ROOT, Settings
from docmine.model import Document, Page, Passage
from docmine.service import Docmine


def test_a_search_returns_while_an_ingest_holds_a_write_transaction(case: Settings) -> None:
    started, release = threading.Event(), threading.Event()

    def slow_passages():  # add_document reads these inside its transaction: the transaction stays open
        started.set()
        release.wait(60)
        yield Passage("f" * 64, 1, 0, 9, "zwemlessen")

    with Docmine(case) as dm:
        doc = Document("f" * 64, "nieuw.txt", 9, "txt", pages=(Page(1, "zwemlessen"),))
        writer = threading.Thread(target=dm.store.add_document, args=(doc, slow_passages(), ["zwemles"]))
        writer.start()
        assert started.wait(10)
        results: list[object] = []
        reader = threading.Thread(target=lambda: results.append(dm.search("jeugdzorg", mode="text")))
        t0 = time.perf_counter()
        reader.start()
        reader.join(10)
        waited = time.perf_counter() - t0
        release.set()
        writer.join(30)
        assert results, "the search waited for the write transaction"
        assert waited < 5 and [Path(h.path).name for h in results[0]] == ["jeugdzorg.txt"]  # type: ignore[attr-defined]
        assert dm.store.status_of("f" * 64) == "ok"  # and the write went through


def test_a_search_returns_while_another_process_holds_a_write_transaction(case: Settings) -> None:
    hold = (
        "import sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('BEGIN IMMEDIATE')\n"
        "conn.execute(\"UPDATE documents SET title = 'bezig'\")\n"
        "print('holding', flush=True)\n"
        "sys.stdin.read()\n"
        "conn.execute('ROLLBACK')\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(case.db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        t0 = time.perf_counter()
        result = cli("search", "jeugdzorg", "--json", db=case.db)
        assert result.returncode == 0, result.stderr
        assert time.perf_counter() - t0 < 60
        hits = [json.loads(line) for line in result.stdout.splitlines()]
        assert [Path(h["path"]).name for h in hits] == ["jeugdzorg.txt"] and hits[0]["title"] != "bezig"
    finally:
        holder.communicate("", timeout=30)


def _ingest(db: Path, folder: Path) -> subprocess.Popen[str]:
    import os

    env = {**os.environ, "DOCMINE_EMBED": "0", "DOCMINE_NER_MODEL": "none"}
    return subprocess.Popen(
        [sys.executable, "-m", "docmine.cli", "--db", str(db), "ingest", str(folder), "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )


def _result(db: Path) -> tuple[list[tuple[str, str, str]], list[tuple[int, str, int, str]]]:
    with Docmine(Settings(db=db, embed=False), create=False) as dm:
        docs = sorted((d.doc_id, Path(d.path).name, d.status) for d in dm.documents())
        claims = [(c.claim_id or 0, c.ref.doc_id, c.ref.start, c.sentence) for c in dm.claims()]
    return docs, sorted(claims)


def test_two_ingests_at_once_wait_for_each_other_and_equal_one(tmp_path: Path, folder: Path) -> None:
    for i in range(12):  # enough work that the second run starts while the first holds the case file
        for name, text in TEXTS.items():
            (folder / f"{i:02d}-{name}").write_text(f"Stuk {i}. {text}", encoding="utf-8")
    db = tmp_path / "case.db"
    first = _ingest(db, folder)
    lock = tmp_path / "case.db.lock"
    deadline = time.monotonic() + 120
    while not lock.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    second = _ingest(db, folder)
    _, err1 = first.communicate(timeout=300)
    _, err2 = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert f"waiting for another docmine run that is adding to {db}" in err2
    assert err1.splitlines()[-1].startswith("39 ingested, 0 duplicates, 0 failed")
    assert err2.splitlines()[-1].startswith("0 ingested, 39 duplicates, 0 failed")

    alone = tmp_path / "alone.db"
    third = _ingest(alone, folder)
    _, err3 = third.communicate(timeout=300)
    assert third.returncode == 0, err3
    assert _result(db) == _result(alone)
    docs, claims = _result(db)
    assert len(docs) == 39 and claims and [c[0] for c in claims] == list(range(1, len(claims) + 1))

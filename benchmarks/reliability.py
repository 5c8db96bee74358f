"""The ordinary accidents of a user's machine, run end to end with real processes; prints held/tried.

    .venv/bin/python benchmarks/reliability.py [--keep]

Each case starts `python -m docmine.cli` as a user would (kill -9, two runs at once, a closed pipe, a huge
text file, somebody else's SQLite file, a read-only share, a full disk, a damaged case file, a Latin-1 file
name, Ctrl-C) and checks that the command behaved and that nothing stored was lost (`PRAGMA integrity_check`,
every document still found).
A case that cannot be tried on this machine (a read-only bind mount or a small tmpfs needs root) is reported as
skipped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from docfactory import LETTER, make_pdf  # noqa: E402

ENV = {**os.environ, "DOCMINE_EMBED": "0", "NO_COLOR": "1"}


def docmine(db: Path, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "docmine.cli", "--db", str(db), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=600, **kw)  # type: ignore[call-overload]


def popen(db: Path, *args: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "docmine.cli", "--db", str(db), *args]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


def make_folder(folder: Path, n: int, pages: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        make_pdf(folder / f"brief{i:02d}.pdf", [LETTER + f"\n\nBijlage {i}: jeugdhulp in regio {i}."] * pages)
    return folder


def stored(db: Path) -> tuple[str, int, int]:
    """(integrity, documents, passages found by full-text search for 'jeugdhulp')."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        docs = conn.execute("SELECT count(*) FROM documents WHERE status IN ('ok', 'partial')").fetchone()[0]
        found = conn.execute(
            "SELECT count(DISTINCT doc_id) FROM passages WHERE id IN "
            "(SELECT rowid FROM passages_fts WHERE passages_fts MATCH 'jeugdhulp')"
        ).fetchone()[0]
    return ok, docs, found


def children_of(pid: int) -> list[int]:
    """Every live process whose ancestry includes pid (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    out = []
    for child in parents:
        p = child
        while p in parents and p > 1:
            p = parents[p]
            if p == pid:
                out.append(child)
                break
    return out


def alive(pids: list[int]) -> list[int]:
    out = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.append(pid)
    return out


# -- the cases: each returns (held, what was seen) ------------------------------------------------------------


def case_kill9(work: Path) -> tuple[bool, str]:
    folder = make_folder(work / "docs", 24, pages=6)
    db = work / "case.db"
    proc = popen(db, "ingest", str(folder), "--jobs", "2")
    deadline = time.monotonic() + 120
    kids: list[int] = []
    while time.monotonic() < deadline:
        time.sleep(0.1)
        kids = children_of(proc.pid)
        if len(kids) >= 2 and db.exists() and stored(db)[1] >= 1:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(10)
    left = alive(kids)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    ok, before, _ = stored(db)
    again = docmine(db, "ingest", str(folder), "--jobs", "2")
    ok2, after, found = stored(db)
    held = not left and ok == ok2 == "ok" and again.returncode == 0 and after == found == 24
    return held, f"{len(kids)} workers, {len(left)} alive 10 s after kill -9; {before} stored, {after} after resume"


def case_two_at_once(work: Path) -> tuple[bool, str]:
    folder = make_folder(work / "docs", 16)
    one, two = work / "one.db", work / "two.db"
    docmine(one, "ingest", str(folder), "--jobs", "1")
    a, b = popen(two, "ingest", str(folder), "--jobs", "1"), popen(two, "ingest", str(folder), "--jobs", "1")
    (_, err_a), (_, err_b) = a.communicate(timeout=600), b.communicate(timeout=600)

    def table(db: Path) -> list[tuple[object, ...]]:
        with sqlite3.connect(db) as conn:
            return (
                conn.execute(
                    "SELECT c.id, d.path, c.sentence FROM claims c JOIN documents d USING (doc_id) ORDER BY c.id"
                ).fetchall()
                + conn.execute("SELECT doc_id, page_count FROM documents ORDER BY doc_id").fetchall()
            )

    same = table(one) == table(two)
    held = same and a.returncode == b.returncode == 0 and "Traceback" not in err_a + err_b and stored(two)[0] == "ok"
    waits = "waiting for another docmine run" in err_a + err_b
    return held, f"same documents and claim numbers as one run: {same}; second run said it waits: {waits}"


def case_closed_pipe(work: Path) -> tuple[bool, str]:
    folder = make_folder(work / "docs", 6)
    db = work / "case.db"
    docmine(db, "ingest", str(folder), "--jobs", "1")
    seen = []
    held = True
    for args in (["mentions"], ["search", "jeugdhulp", "--mode", "text"], ["claims"], ["docs"], ["entities"]):
        cmd = [sys.executable, "-m", "docmine.cli", "--db", str(db), *args]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
        assert proc.stdout is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode() if proc.stderr else ""
        rc = proc.wait(timeout=120)
        quiet = rc in (0, 141, -signal.SIGPIPE) and not any(w in err for w in ("Traceback", "Exception", "error"))
        held &= quiet
        last = err.strip().splitlines()[-1][:60] if err.strip() else ""
        seen.append(f"{args[0]} exit {rc}" + ("" if quiet else f" {last}"))
    return held, "; ".join(seen)


def case_huge_text(work: Path) -> tuple[bool, str]:
    folder = work / "big"
    folder.mkdir()
    line = "De gemeente besluit over de inkoop van jeugdhulp en de kosten daarvan voor het jaar 2022.\n"
    with open(folder / "mailbox.txt", "w", encoding="utf-8") as fh:
        for i in range(50_000_000 // len(line)):
            fh.write(line if i % 40 else "\n")
    db = work / "case.db"
    start = time.perf_counter()
    run = docmine(db, "ingest", str(folder), "--max-pages", "50", "--file-timeout", "60", "--jobs", "1")
    seconds = time.perf_counter() - start
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT status, page_count, notes FROM documents").fetchone()
        longest = conn.execute("SELECT max(length(text)) FROM pages").fetchone()[0]
    held = run.returncode == 0 and row is not None and row[0] == "partial" and row[1] <= 50 and seconds < 120
    return (
        held,
        f"50 MB .txt with --max-pages 50: {seconds:.1f} s, status {row[0] if row else None}, "
        f"{row[1] if row else 0} pages, longest page {longest} chars",
    )


def case_foreign_db(work: Path) -> tuple[bool, str]:
    db = work / "notes.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE documents (title TEXT)")
        conn.execute("INSERT INTO documents VALUES ('boodschappen')")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    folder = make_folder(work / "docs", 1)
    run = docmine(db, "ingest", str(folder))
    after = hashlib.sha256(db.read_bytes()).hexdigest()
    extra = [p.name for p in work.iterdir() if p.name.startswith("notes.sqlite-")]
    held = run.returncode == 1 and "Traceback" not in run.stderr and before == after and not extra
    return held, f"exit {run.returncode}, unchanged: {before == after}; {run.stderr.strip().splitlines()[0][:80]}"


def case_foreign_lock(work: Path) -> tuple[bool, str]:
    db = work / "case.db"
    assert docmine(db, "ingest", str(make_folder(work / "one", 1))).returncode == 0
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a sqlite3 shell inside a transaction, a database browser with unsaved changes
    try:
        blocked = docmine(db, "ingest", str(make_folder(work / "two", 2)))  # brief01 is new
        reading = docmine(db, "search", "jeugdhulp", "--mode", "text")
    finally:
        other.rollback()
        other.close()
    again = docmine(db, "ingest", str(work / "two"))
    ok, docs, _ = stored(db)
    held = (
        blocked.returncode == 1
        and "Traceback" not in blocked.stderr
        and reading.returncode == 0
        and again.returncode == 0
        and ok == "ok"
        and docs == 2
    )
    first = blocked.stderr.strip().splitlines()[0][:90] if blocked.stderr.strip() else ""
    return held, f"write: exit {blocked.returncode} ({first}); read: exit {reading.returncode}; {docs} stored after"


def case_read_only(work: Path) -> tuple[bool, str] | None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return None
    src, mnt = work / "share", work / "mnt"
    make_folder(work / "docs", 3)
    src.mkdir()
    mnt.mkdir()
    docmine(src / "case.db", "ingest", str(work / "docs"), "--jobs", "1")
    if subprocess.run(["mount", "--bind", str(src), str(mnt)], capture_output=True).returncode != 0:
        return None
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(mnt)], capture_output=True).returncode != 0:
            return None
        db = mnt / "case.db"
        reads = {
            args[0]: docmine(db, *args) for args in (["search", "jeugdhulp", "--mode", "text"], ["docs"], ["stats"])
        }
        write = docmine(db, "ingest", str(work / "docs"))
        ok_reads = all(r.returncode == 0 and r.stdout.strip() for r in reads.values())
        says = write.returncode == 1 and "read-only" in write.stderr and "Traceback" not in write.stderr
        seen = ", ".join(f"{k} exit {r.returncode}" for k, r in reads.items())
        return ok_reads and says, f"{seen}; ingest: {write.stderr.strip().splitlines()[0][:70] if write.stderr else ''}"
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def case_full_disk(work: Path) -> tuple[bool, str] | None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return None
    disk = work / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True).returncode:
        return None
    try:
        folder = make_folder(work / "docs", 30)
        db = disk / "case.db"
        full = docmine(db, "ingest", str(folder), "--jobs", "1")
        _, before, _ = stored(db)
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        again = docmine(db, "ingest", str(folder), "--jobs", "1")
        ok, after, found = stored(db)
        says = full.returncode == 1 and "is full" in full.stderr and "Traceback" not in full.stderr
        held = says and again.returncode == 0 and ok == "ok" and after == found == 30
        return held, f"{before} stored when the 1 MB disk filled (exit {full.returncode}), {after} after more room"
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def case_damaged_file(work: Path) -> tuple[bool, str]:
    folder = make_folder(work / "docs", 20)
    db = work / "case.db"
    docmine(db, "ingest", str(folder), "--jobs", "1")
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [p for (p,) in conn.execute("SELECT pageno FROM dbstat WHERE name = 'passages_fts_data'") if p > 1]
    with db.open("r+b") as fh:  # a failing disk: the full-text index's pages turn to noise
        for page in pages:
            fh.seek((page - 1) * size)
            fh.write(os.urandom(size))
    runs = [docmine(db, *args) for args in (["search", "jeugdhulp", "--mode", "text"], ["docs"])]
    held = all("Traceback" not in r.stderr for r in runs) and "is damaged" in runs[0].stderr
    return held, "; ".join(f"exit {r.returncode}: {(r.stderr.strip().splitlines() or [''])[0][:60]}" for r in runs)


def case_latin1_name(work: Path) -> tuple[bool, str]:
    folder = work / "docs"
    make_folder(folder, 2)
    name = os.fsencode(folder) + b"/besluit_gemeente_\xe9\xe9n.pdf"
    shutil.copy(folder / "brief00.pdf", os.fsdecode(name))
    with open(os.fsdecode(os.fsencode(folder) + b"/notitie_\xfcber.txt"), "w", encoding="utf-8") as fh:
        fh.write("Notitie over de inkoop van jeugdhulp in 2022.\n")
    db = work / "case.db"
    run = docmine(db, "ingest", str(folder), "--jobs", "1")
    listing = docmine(db, "docs", "--json")
    shown = [json.loads(line)["path"] for line in listing.stdout.splitlines()]
    held = (
        run.returncode == 0
        and "Traceback" not in run.stderr + listing.stderr
        and any(p.endswith("notitie_\ufffdber.txt") for p in shown)
    )
    return held, run.stderr.strip().splitlines()[-1][:90] if run.stderr.strip() else f"exit {run.returncode}"


def _stop_and_resume(work: Path, sig: int, jobs: int, group: bool) -> tuple[bool, str]:
    """Send ``sig`` once two documents are stored (to the whole process group when ``group``, as ``timeout``
    and a terminal's Ctrl-C do), then run the same ingest again."""
    folder = make_folder(work / "docs", 30, pages=6)
    db = work / "case.db"
    cmd = [sys.executable, "-m", "docmine.cli", "--db", str(db), "ingest", str(folder), "--jobs", str(jobs)]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        start_new_session=group,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if db.exists():
            try:
                if stored(db)[1] >= 2:
                    break
            except sqlite3.OperationalError:
                pass
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    ok, before, _ = stored(db)
    again = docmine(db, "ingest", str(folder), "--jobs", str(jobs))
    ok2, after, found = stored(db)
    said = "run the same command again to resume" in err
    held = "Traceback" not in err and said and ok == ok2 == "ok" and again.returncode == 0 and after == found == 30
    return held, f"{before} stored when stopped (exit {proc.returncode}, resume hint: {said}), {after} after resume"


def case_ctrl_c(work: Path) -> tuple[bool, str]:
    return _stop_and_resume(work, signal.SIGINT, 1, False)


def case_sigterm(work: Path) -> tuple[bool, str]:
    return _stop_and_resume(work, signal.SIGTERM, 2, True)


CASES: dict[str, Callable[[Path], tuple[bool, str] | None]] = {
    "kill -9 mid-ingest": case_kill9,
    "two ingests at once": case_two_at_once,
    "closed pipe": case_closed_pipe,
    "50 MB text file": case_huge_text,
    "somebody else's SQLite": case_foreign_db,
    "another program's write lock": case_foreign_lock,
    "read-only share": case_read_only,
    "full disk": case_full_disk,
    "damaged case file": case_damaged_file,
    "Latin-1 file name": case_latin1_name,
    "Ctrl-C and resume": case_ctrl_c,
    "SIGTERM (timeout, kill) and resume": case_sigterm,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the work folders")
    parser.add_argument("--only", help="run the cases whose name contains this")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="docmine-reliability-"))
    held = tried = 0
    for name, case in CASES.items():
        if args.only and args.only.lower() not in name.lower():
            continue
        work = base / name.replace(" ", "-").replace("'", "")
        work.mkdir()
        start = time.perf_counter()
        try:
            result = case(work)
        except Exception as exc:  # a crash of the case is a case that did not hold
            result = (False, f"{type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - start
        if result is None:
            print(f"  skip  {name}  (cannot be tried here)")
            continue
        tried += 1
        held += result[0]
        print(f"  {'held' if result[0] else 'FAIL'}  {name}  ({seconds:.0f} s): {result[1]}")
    print(f"held {held}/{tried}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if held == tried else 1


if __name__ == "__main__":
    raise SystemExit(main())

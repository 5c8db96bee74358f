"""An ingest killed with kill -9 leaves no worker process behind (real processes, read from /proc)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")


def _table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) for every process."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            table[int(entry.name)] = (int(fields[1]), fields[0])
    return table


def _descendants(pid: int) -> set[int]:
    table = _table()
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        children = {p for p, (ppid, _) in table.items() if ppid == parent}
        todo.extend(children - found)
        found |= children
    return found


def _alive(pids: set[int]) -> set[int]:
    """Those still running (a zombie has ended; it waits only for its parent to read its status)."""
    table = _table()
    return {p for p in pids if p in table and table[p][1] != "Z"}


def test_kill_9_of_the_ingest_ends_its_workers(tmp_path: Path) -> None:
    folder = tmp_path / "traag"
    folder.mkdir()
    for i in range(4):  # each one seconds of HTML parsing, so both workers are busy when the kill lands
        (folder / f"pagina{i}.html").write_text(
            f"<html><body><div>{i}" + "<p>jeugdzorg</p>" * 2_000_000 + "</div></body></html>", encoding="utf-8"
        )
    cmd = [sys.executable, "-m", "docmine.cli", "--db", str(tmp_path / "case.db"), "ingest", str(folder)]
    env = {**os.environ, "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0"}
    proc = subprocess.Popen(
        [*cmd, "--jobs", "2", "--file-timeout", "600"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    children: set[int] = set()
    try:
        # wait for the fork server and two workers under it (the resource tracker may come too)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(children) < 3:
            time.sleep(0.2)
            children = _descendants(proc.pid)
        assert len(children) >= 3, f"workers did not start: {children}"
        time.sleep(1)
        children = _descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        time.sleep(10)
        assert _alive(children) == set()
    finally:
        for pid in _alive(children):
            os.kill(pid, signal.SIGKILL)  # only what this test started


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stop_is_heard_while_a_worker_reads_a_long_file(tmp_path: Path, jobs: int) -> None:
    """With more than one job the workers parse and analyse, and the parent heard nothing until a file was
    done: quitting the TUI waited for the worker (half a minute for a 1 MB text). It now hears (path, 0, 0)
    every second, and a progress that raises IngestStopped there ends the run at once, nothing half stored."""
    from dataclasses import replace

    from docmine.config import Settings
    from docmine.service import Docmine, IngestProgress, IngestStopped

    class Quit(IngestProgress):
        def __init__(self) -> None:
            self.heard: list[tuple[str, int, int]] = []

        def reading(self, path: str, done: int, total: int) -> None:
            self.heard.append((path, done, total))
            raise IngestStopped

    line = "De gemeente Groningen betaalt Jeugdhulp Noord in 2023 EUR 1,2 miljoen voor jeugdhulp.\n"
    folder = tmp_path / "post"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):  # ~1 MB each: half a minute of reading; not the same bytes (one document)
        (folder / name).write_text(f"Notitie {name}\n" + line * 12_000, encoding="utf-8")
    settings = Settings(db=tmp_path / "case.db", jobs=jobs, embed=False, extract=True, cache_dir=tmp_path / "cache")
    quit_ = Quit()
    started = time.monotonic()
    with Docmine(replace(settings)) as dm:
        report = dm.ingest([folder], quit_)
        stored = dm.documents()
    took = time.monotonic() - started
    assert report.interrupted and stored == []
    # one job: the parent analyses and says how far (a sign of life on every batch); two: only the sign of life
    assert len(quit_.heard) == 1 and (quit_.heard[0][2] == 0) == (jobs == 2)
    assert took < 20  # not the minute the two files need

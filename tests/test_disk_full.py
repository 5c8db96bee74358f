"""A full disk: one line and a hint, nothing stored before is lost, and the same command run again goes on.

The store's case is a real SQLite "database or disk is full" (``PRAGMA max_page_count`` caps the file). The
process-level cases run the CLI on a real small tmpfs, which needs root (mount); they skip without it.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from docmine.config import Settings
from docmine.errors import DiskFull
from docmine.search.vectors import VectorIndex
from docmine.service import Docmine

TEXT = "De gemeente {i} koopt jeugdhulp in via het Open House model. " * 40


def _letters(folder: Path, n: int, first: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(first, first + n):
        path = folder / f"brief{i:03d}.txt"
        path.write_text(TEXT.format(i=i) + f" Kenmerk {uuid.uuid4().hex}.", encoding="utf-8")
        paths.append(path)
    return paths


def test_a_full_case_file_stops_the_ingest_and_keeps_what_was_stored(settings: Settings, tmp_path: Path) -> None:
    first = _letters(tmp_path / "a", 2)
    more = _letters(tmp_path / "b", 30, first=2)
    with Docmine(settings) as dm:
        dm.ingest(first)
        assert len(dm.documents()) == 2
        writer = dm.store._writer
        assert writer is not None
        pages = writer.execute("PRAGMA page_count").fetchone()[0]
        writer.execute(f"PRAGMA max_page_count = {pages + 8}")  # a few pages more: the disk fills mid-run
        with pytest.raises(DiskFull) as err:
            dm.ingest([tmp_path / "b"])
        assert str(settings.db) in err.value.message and "run the same command again" in err.value.hint
        stored = len(dm.documents())
        assert 2 <= stored < 32
        writer.execute("PRAGMA max_page_count = 1073741823")  # space freed
        report = dm.ingest([tmp_path / "b"])
        assert len(report.ingested) == 32 - stored
        assert len(dm.documents()) == 32
    conn = sqlite3.connect(settings.db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert {Path(p).name for (p,) in conn.execute("SELECT path FROM documents")} == {p.name for p in first + more}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB filesystem (tmpfs), for what a full disk does to files SQLite does not write."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _grow(mount: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(mount)], check=True)


def test_a_full_disk_under_the_vector_index_leaves_it_whole(small_disk: Path) -> None:
    index = VectorIndex(small_disk / "case.db.vec", dim=384, model="m")
    rng = np.random.default_rng(0)
    index.add(np.arange(100), rng.standard_normal((100, 384)).astype(np.float32))
    with pytest.raises(DiskFull):
        index.add(np.arange(100, 2100), rng.standard_normal((2000, 384)).astype(np.float32))  # 3 MB
    again = VectorIndex(small_disk / "case.db.vec", dim=384, model="m")
    assert len(again) == 100 and (again.ids() == np.arange(100)).all()
    _grow(small_disk, "8m")
    vectors = rng.standard_normal((2000, 384)).astype(np.float32)
    again.add(np.arange(100, 2100), vectors)
    reopened = VectorIndex(small_disk / "case.db.vec", dim=384, model="m")
    assert len(reopened) == 2100
    np.testing.assert_array_equal(reopened.get([100, 2099]), vectors[[0, 1999]])


def test_the_cli_says_the_disk_is_full_in_one_line_and_the_rerun_finishes(small_disk: Path, tmp_path: Path) -> None:
    _letters(tmp_path / "brieven", 120)
    cmd = [
        sys.executable,
        "-m",
        "docmine.cli",
        "--db",
        str(small_disk / "case.db"),
        "ingest",
        str(tmp_path / "brieven"),
    ]
    env = {**os.environ, "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0", "DOCMINE_CACHE_DIR": str(tmp_path / "cache")}
    full = subprocess.run(cmd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    assert full.returncode == 1, full.stderr
    assert "Traceback" not in full.stderr
    assert "is full" in full.stderr and "run the same command again" in full.stderr
    conn = sqlite3.connect(small_disk / "case.db")
    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    conn.close()
    assert 0 < stored < 120
    _grow(small_disk, "64m")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(small_disk / "case.db")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 120
    conn.close()

"""A read-only case file (a share, a disc, a colleague's folder) can be read; writing commands say why not.

The case file and its folder are chmod -w. Root writes through chmod, and tests here run as root; so as
root each command runs in a private mount namespace where the folder is bind-mounted read-only (``unshare
-m`` + ``mount -o ro``): the kernel, not docmine, then refuses writes, exactly as on a read-only share.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from store.conftest import TEXTS

from docmine.config import REPO_ROOT, Settings
from docmine.service import Docmine


@pytest.fixture
def shelf(tmp_path: Path, folder: Path) -> Iterator[Path]:
    """A case file in a folder made read-only."""
    ro = tmp_path / "share"
    ro.mkdir()
    settings = Settings(db=ro / "case.db", jobs=1, embed=False, extract=True, ner_model="none")
    with Docmine(settings) as dm:
        dm.ingest([folder])
    (ro / "case.db").chmod(0o444)
    ro.chmod(0o555)
    if os.geteuid() == 0:
        probe = subprocess.run(
            ["unshare", "-m", "sh", "-c", f"mount --bind -o ro {shlex.quote(str(ro))} {shlex.quote(str(ro))}"],
            capture_output=True,
            check=False,
        )
        if probe.returncode != 0:
            ro.chmod(0o755)
            pytest.skip(f"running as root without a way to mount read-only: {probe.stderr.decode().strip()}")
    try:
        yield ro / "case.db"
    finally:
        ro.chmod(0o755)


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    """The docmine command in a real subprocess that cannot write the case file's folder."""
    command = [sys.executable, "-m", "docmine.cli", "--db", str(db), *args]
    if os.geteuid() == 0:
        folder = shlex.quote(str(db.parent))
        command = ["unshare", "-m", "sh", "-c", f"mount --bind -o ro {folder} {folder} && exec {shlex.join(command)}"]
    env = {**os.environ, "DOCMINE_EMBED": "0", "DOCMINE_NER_MODEL": "none"}
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=300, check=False)


def test_reading_commands_work_on_a_read_only_case_file(shelf: Path) -> None:
    db = shelf
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    found = cli("search", "jeugdzorg", "--json", db=db)
    assert found.returncode == 0, found.stderr
    assert [Path(json.loads(line)["path"]).name for line in found.stdout.splitlines()] == ["jeugdzorg.txt"]
    docs = cli("docs", "--json", db=db)
    assert docs.returncode == 0, docs.stderr
    ids = [json.loads(line)["doc_id"] for line in docs.stdout.splitlines()]
    assert len(ids) == len(TEXTS)
    shown = cli("show", ids[0][:10], db=db)
    assert shown.returncode == 0 and shown.stdout.strip(), shown.stderr
    stats = cli("stats", "--json", db=db)
    assert stats.returncode == 0 and json.loads(stats.stdout)["documents"] == len(TEXTS), stats.stderr
    woo = cli("woo", "--json", db=db)  # a summary of the case file's folders: analysed, not remembered
    assert woo.returncode == 0, woo.stderr
    target = db.parent.parent / "documents.csv"
    exported = cli("export", "documents", "-o", str(target), db=db)
    assert exported.returncode == 0, exported.stderr
    assert len(target.read_text(encoding="utf-8").splitlines()) == len(TEXTS) + 1
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["case.db", "case.db.lock"]  # no -wal, no -shm
    assert stat.S_IMODE(db.stat().st_mode) == 0o444


@pytest.mark.parametrize("args", [("ingest", "."), ("extract", "--all"), ("embed",)])
def test_writing_commands_say_the_case_file_is_read_only(shelf: Path, folder: Path, args: tuple[str, ...]) -> None:
    db = shelf
    args = tuple(str(folder) if a == "." else a for a in args)
    result = cli(*args, db=db)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"error: the case file {db} is read-only: it can be searched and read, not added to",
        "hint: copy it to a writable folder to add documents, entities or embeddings",
    ]

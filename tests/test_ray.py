"""Ingest on a real local Ray head: the same case file as a local ingest, and no file lost when a worker dies."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from casedump import dump_tables
from docfactory import LETTER, make_pdf, make_scanned_pdf
from raycluster import Head, listeners, local_head, non_loopback, task_workers
from test_ingest import EML, HTML

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("ray") is None,
    reason="Ray is not installed (pip install 'docmine[ray]'): the Ray ingest tests need a local Ray head",
)
DOCMINE = str(Path(sys.executable).parent / "docmine")
# Columns that say when, not what: they differ between any two runs.
TABLES = {
    "documents": "doc_id",
    "copies": "path",
    "pages": "doc_id, number",
    "passages": "id",
    "mentions": "id",
    "claims": "id",
    "embeddings": "content_hash, model",
}


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(os.environ.get("DOCMINE_CACHE_DIR") or tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def ray_head(cache: Path) -> Iterator[Head]:
    given = os.environ.get("DOCMINE_TEST_RAY_ADDRESS")  # a head that .ci/run started, in session ..._SESSION
    if given:
        yield Head(given, int(os.environ.get("DOCMINE_TEST_RAY_SESSION", "0")))
        return
    with local_head({"DOCMINE_CACHE_DIR": str(cache)}) as head:
        yield head


@pytest.fixture(scope="module")
def ray_address(ray_head: Head) -> str:
    return ray_head.address


def docmine(db: Path, cache: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    run_env = {**os.environ, "DOCMINE_CACHE_DIR": str(cache), "DOCMINE_EMBEDDING_MODEL": "hashing:64", **env}
    return subprocess.run(
        [DOCMINE, "--db", str(db), *args], env=run_env, capture_output=True, text=True, timeout=600, check=False
    )


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    return dump_tables(db, TABLES)


def mixed_folder(folder: Path) -> Path:
    folder.mkdir()
    budget = (
        "Het budget voor jeugdhulp bedraagt 2,5 miljoen euro. Wethouder De Vries zegt dat het tekort 300.000 euro is."
    )
    make_pdf(folder / "a-brief.pdf", [LETTER, budget])
    make_scanned_pdf(folder / "b-scan.pdf", ["Gemeente Groningen", "Het tekort bedraagt 1,2 miljoen euro."])
    (folder / "c-nieuws.html").write_text(HTML, encoding="utf-8")
    (folder / "d-mail.eml").write_bytes(EML.encode("ascii"))
    (folder / "e-kapot.pdf").write_bytes(b"\x89\x01\x02" * 500)
    return folder


def test_ray_ingest_equals_local_ingest(tmp_path: Path, cache: Path, ray_address: str) -> None:
    folder = mixed_folder(tmp_path / "in")
    local = docmine(tmp_path / "local.db", cache, "ingest", str(folder), DOCMINE_JOBS="2")
    assert local.returncode == 0, local.stderr
    ray = docmine(tmp_path / "ray.db", cache, "ingest", str(folder), "--ray-address", ray_address)
    assert ray.returncode == 0, ray.stderr
    expected, got = dump(tmp_path / "local.db"), dump(tmp_path / "ray.db")
    for table in TABLES:
        assert got[table] == expected[table], table
    # the comparison has substance: every kind of file, facts and vectors
    conn = sqlite3.connect(tmp_path / "ray.db")
    status = dict(conn.execute("SELECT path, status FROM documents").fetchall())
    assert {Path(p).name: s for p, s in status.items()} == {
        "a-brief.pdf": "ok", "b-scan.pdf": "ok", "c-nieuws.html": "ok", "d-mail.eml": "ok", "e-kapot.pdf": "failed",
    }  # fmt: skip
    assert conn.execute("SELECT count(*) FROM pages WHERE ocr = 1").fetchone()[0] == 1
    counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("mentions", "claims", "embeddings")]
    assert all(n > 0 for n in counts), counts


def test_a_worker_killed_mid_file_loses_nothing(tmp_path: Path, cache: Path, ray_address: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        make_pdf(folder / f"brief{i}.pdf", [f"{LETTER}\n\nVolgnummer {i}, pagina {p}." for p in range(40)])
    env = {**os.environ, "DOCMINE_CACHE_DIR": str(cache), "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0"}
    db = tmp_path / "ray.db"
    run = subprocess.Popen(
        [DOCMINE, "--db", str(db), "ingest", str(folder), "--ray-address", ray_address],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and run.poll() is None and time.monotonic() < deadline:
        busy = task_workers("process_file")
        if busy:
            killed = busy[0]
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.05)
    _, stderr = run.communicate(timeout=300)
    assert killed is not None, "no worker was seen running a file"
    assert run.returncode == 0, stderr
    conn = sqlite3.connect(db)
    docs = conn.execute("SELECT path, status, page_count FROM documents ORDER BY path").fetchall()
    assert [(Path(p).name, s, n) for p, s, n in docs] == [(f"brief{i}.pdf", "ok", 40) for i in range(4)]
    # each file stored once: one passage per span, 40 pages each
    assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 160
    assert (
        conn.execute("SELECT count(*) FROM (SELECT DISTINCT doc_id, page, start_char FROM passages)").fetchone()[0]
        == conn.execute("SELECT count(*) FROM passages").fetchone()[0]
    )


def test_a_file_that_kills_its_worker_three_times_fails_and_the_batch_goes_on(
    tmp_path: Path, cache: Path, ray_address: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    make_pdf(folder / "a-lang.pdf", [f"{LETTER}\n\nPagina {p}." for p in range(400)])
    (folder / "b-kort.txt").write_text("De nieuwe inkoop jeugdhulp gaat in per 1 juli 2022.", encoding="utf-8")
    env = {**os.environ, "DOCMINE_CACHE_DIR": str(cache), "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0"}
    db = tmp_path / "ray.db"
    run = subprocess.Popen(
        [DOCMINE, "--db", str(db), "ingest", str(folder), "--ray-address", ray_address],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    killed: set[int] = set()
    deadline = time.monotonic() + 240
    while run.poll() is None and time.monotonic() < deadline and len(killed) < 3:
        for pid in set(task_workers("process_file:a-lang.pdf")) - killed:
            os.kill(pid, signal.SIGKILL)
            killed.add(pid)
        time.sleep(0.02)
    _, stderr = run.communicate(timeout=60)
    assert len(killed) == 3
    assert run.returncode == 0, stderr
    conn = sqlite3.connect(db)
    docs = {Path(p).name: (s, e) for p, s, e in conn.execute("SELECT path, status, error FROM documents")}
    assert docs["b-kort.txt"] == ("ok", None)
    status, error = docs["a-lang.pdf"]
    assert status == "failed" and "died 3 times" in error and "hint:" in error


def test_the_head_and_its_workers_listen_on_loopback_only(tmp_path: Path, cache: Path, ray_head: Head) -> None:
    if not ray_head.session:
        pytest.skip("the Ray head was started elsewhere without saying its session (DOCMINE_TEST_RAY_SESSION)")
    if shutil.which("ss") is None:
        pytest.skip("ss (iproute2) is not installed: it lists the listening sockets")
    # an ingest first, so that workers and the embedding actor are running too
    result = docmine(tmp_path / "one.db", cache, "ingest", str(mixed_folder(tmp_path / "in")), "--ray-address",
                     ray_head.address)  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = listeners(ray_head.session)
    port = ray_head.address.rpartition(":")[2]
    assert any(a.endswith(f":{port}") for a in found), found  # the GCS itself is seen, so the check can fail
    assert non_loopback(found) == []


@pytest.mark.parametrize(
    ("address", "ray_address_env", "expected"),
    [
        (None, None, True),  # a Ray started for this run
        ("127.0.0.1:6390", None, True),
        ("localhost:6390", None, True),
        ("[::1]:6390", None, True),
        ("10.0.0.5:6379", None, False),  # a head on a machine's address: joined by that address
        ("head:6379", None, False),
        (None, "127.0.0.1:6379", True),
        (None, "10.0.0.5:6379", False),
        ("auto", None, False),
    ],
)
def test_a_loopback_address_makes_the_driver_take_127_0_0_1(
    address: str | None, ray_address_env: str | None, expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docmine.distributed.cluster import local_only

    if ray_address_env is None:
        monkeypatch.delenv("RAY_ADDRESS", raising=False)
    else:
        monkeypatch.setenv("RAY_ADDRESS", ray_address_env)
    assert local_only(address) is expected

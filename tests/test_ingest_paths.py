"""File names and folders as a user's disk has them: absolute stored paths, linked folders, names that are
not UTF-8 (Latin-1 bytes from old Windows shares)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docmine.ingest.limits import Limits
from docmine.ingest.paths import display_path
from docmine.ingest.pipeline import hash_file, parse_file, walk
from docmine.service import Docmine

LATIN1_NAME = b"rapport_gemeente_\xe9\xe9n.txt"
TEXT = "Rapport over de inkoop van jeugdzorg in de gemeente Utrecht."


def _latin1_file(folder: Path) -> bytes:
    """A file whose name is Latin-1 bytes, made through the bytes API as a copy from a Windows share would be."""
    raw = os.path.join(os.fsencode(folder), LATIN1_NAME)
    with open(raw, "wb") as fh:
        fh.write(TEXT.encode("utf-8"))
    return raw


def test_paths_are_stored_absolute_so_another_folder_finds_the_file(
    settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "stukken").mkdir()
    (tmp_path / "stukken" / "brief.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "elders").mkdir()
    monkeypatch.chdir(tmp_path)
    with Docmine(settings) as dm:
        dm.ingest([Path("stukken")])
        monkeypatch.chdir(tmp_path / "elders")
        again = dm.ingest([Path("../stukken/brief.txt")])  # the same file named from elsewhere: no copy
        docs = dm.documents()
    stored = (tmp_path / "stukken" / "brief.txt").resolve()
    assert [d.path for d in docs] == [str(stored)]
    assert Path(docs[0].path).is_file()  # found from the other folder
    assert again.duplicates == [(str(stored), str(stored))]


def test_display_path_is_short_under_the_current_folder(tmp_path: Path) -> None:
    inside = str(tmp_path / "stukken" / "brief.txt")
    assert display_path(inside, tmp_path) == os.path.join("stukken", "brief.txt")
    assert display_path(inside, tmp_path / "elders") == inside
    assert display_path("/x/" + os.fsdecode(LATIN1_NAME), "/y") == "/x/rapport_gemeente_\ufffd\ufffdn.txt"


def test_links_inside_a_folder_are_named_not_followed(settings, tmp_path: Path) -> None:
    """A link in a downloaded release may lead anywhere (the user's home): its files must not end up in a case
    file unasked. The run names each link; a link named on the command line is followed."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "prive.txt").write_text("Prive notitie over de gemeente Utrecht.", encoding="utf-8")
    case = tmp_path / "zaak"
    case.mkdir()
    (case / "notitie.txt").write_text("Notitie over de begroting van de gemeente Utrecht.", encoding="utf-8")
    (case / "thuis").symlink_to(home, target_is_directory=True)
    (case / "kopie.txt").symlink_to(home / "prive.txt")
    (case / "weg.txt").symlink_to(tmp_path / "bestaat-niet.txt")  # a broken link
    (case / "terug").symlink_to(case, target_is_directory=True)  # a loop
    walked = walk([case])
    assert (walked.files, walked.missing) == ([str(case.resolve() / "notitie.txt")], [])
    assert sorted(walked.links) == sorted(
        [
            (str(case / "kopie.txt"), str(home / "prive.txt")),
            (str(case / "terug"), str(case)),
            (str(case / "thuis"), str(home)),
            (str(case / "weg.txt"), str(tmp_path / "bestaat-niet.txt")),
        ]
    )
    with Docmine(settings) as dm:
        report = dm.ingest([case])
        assert [Path(d.path).name for d in report.ingested] == ["notitie.txt"]
        assert len(report.links) == 4 and report.failed == []
        named = dm.ingest([case / "thuis"])  # named, the link is followed
        assert [d.path for d in named.ingested] == [str((home / "prive.txt").resolve())]


def test_the_ingest_names_the_links_it_did_not_follow(tmp_path: Path) -> None:
    import subprocess
    import sys

    case = tmp_path / "zaak"
    case.mkdir()
    (case / "notitie.txt").write_text("Notitie over de begroting van de gemeente Utrecht.", encoding="utf-8")
    (case / "thuis").symlink_to(tmp_path, target_is_directory=True)
    env = {**os.environ, "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0", "NO_COLOR": "1", "COLUMNS": "400"}
    run = subprocess.run(
        [sys.executable, "-m", "docmine.cli", "--db", str(tmp_path / "c.db"), "ingest", str(case)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 0, run.stderr
    assert f"skipped link {case / 'thuis'} -> {tmp_path}" in run.stderr
    assert "name the file or folder itself to ingest it" in run.stderr
    assert "1 ingested" in run.stderr


def test_a_moved_folder_is_followed_not_listed_as_duplicates(settings, tmp_path: Path) -> None:
    """A folder renamed after ingest: its files were 'duplicates' of paths that were gone, so show --png and
    open failed for good. Ingesting the new place moves the stored paths there."""
    old = tmp_path / "downloads"
    old.mkdir()
    (old / "brief.txt").write_text(TEXT, encoding="utf-8")
    (old / "notitie.txt").write_text("Notitie over de begroting van de gemeente Utrecht.", encoding="utf-8")
    with Docmine(settings) as dm:
        dm.ingest([old])
        new = tmp_path / "zaak-jeugdzorg"
        old.rename(new)
        report = dm.ingest([new])
        assert (report.ingested, report.duplicates, report.failed) == ([], [], [])
        assert sorted(report.moved) == [(str(new / n), str(old / n)) for n in ("brief.txt", "notitie.txt")]
        assert sorted(d.path for d in dm.documents()) == [str(new / "brief.txt"), str(new / "notitie.txt")]
        assert "duplicate" not in dm.stats().by_status  # the old place is not kept as a copy
        (tmp_path / "kopie").mkdir()
        (tmp_path / "kopie" / "brief.txt").write_bytes((new / "brief.txt").read_bytes())
        again = dm.ingest([tmp_path / "kopie"])  # a copy beside a file that is still there stays a duplicate
        assert (again.moved, len(again.duplicates)) == ([], 1)
        assert str(new / "brief.txt") in {d.path for d in dm.documents()}


def test_a_name_that_is_not_utf8_is_walked_hashed_and_parsed(tmp_path: Path) -> None:
    raw = _latin1_file(tmp_path)
    files = walk([tmp_path]).files
    assert [os.fsencode(f) for f in files] == [os.path.realpath(raw)]  # the bytes survive, losslessly
    doc = parse_file(hash_file(files[0]), Limits(), tmp_path)
    assert (doc.status, doc.pages[0].text, os.fsencode(doc.path)) == ("ok", TEXT, os.path.realpath(raw))
    assert display_path(doc.path, tmp_path) == "rapport_gemeente_\ufffd\ufffdn.txt"


def test_a_name_that_is_not_utf8_does_not_stop_the_batch(settings, tmp_path: Path) -> None:
    folder = tmp_path / "woo"
    folder.mkdir()
    raw = _latin1_file(folder)
    (folder / "z_brief.txt").write_text("Brief over de begroting van de gemeente Utrecht.", encoding="utf-8")
    with Docmine(settings) as dm:
        report = dm.ingest([folder])
        paths = sorted(os.fsencode(d.fs_path) for d in dm.documents())
        shown = sorted(d.path for d in dm.documents())
    assert (len(report.ingested), report.failed) == (2, [])
    assert paths == sorted([os.path.realpath(raw), os.fsencode(str((folder / "z_brief.txt").resolve()))])
    assert shown[0].endswith("rapport_gemeente_\ufffd\ufffdn.txt")


def test_a_newline_in_a_file_name_stays_on_one_line(tmp_path: Path) -> None:
    """Stored as it is (the file opens again by that name); shown with '?' as `ls` does: a search hit and the
    page header broke into two lines."""
    import subprocess
    import sys

    folder = tmp_path / "stukken"
    folder.mkdir()
    name = "brief\nmet regel.txt"
    (folder / name).write_text("De gemeente Groningen koopt jeugdhulp in.", encoding="utf-8")
    db = tmp_path / "case.db"
    env = {**os.environ, "DOCMINE_EMBED": "0", "DOCMINE_EXTRACT": "0", "NO_COLOR": "1"}

    def docmine(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "docmine.cli", "--db", str(db), *args]
        return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=True)

    docmine("ingest", str(folder))
    found = docmine("search", "jeugdhulp").stdout
    assert f"{folder}/brief?met regel.txt  docmine show" in found
    doc_id = found.split("docmine show ")[1].split()[0]
    assert docmine("show", doc_id).stdout.splitlines()[1].startswith(f"{folder}/brief?met regel.txt · pagina 1")
    assert docmine("export", "documents", "-o", "-").stdout.count(f"{folder}/brief\\nmet regel.txt") == 1  # JSON


def test_a_folder_a_thousand_levels_deep_is_walked(tmp_path: Path) -> None:
    """Python 3.11's os.walk recurses: a folder 1,200 levels deep ended the ingest in a RecursionError."""
    deep = str(tmp_path / "diep")
    os.mkdir(deep)
    for _ in range(1200):  # one level at a time: os.makedirs recurses too
        deep = os.path.join(deep, "a")
        os.mkdir(deep)
    Path(deep, "brief.txt").write_text("De gemeente Groningen betaalde.", encoding="utf-8")
    try:
        assert walk([tmp_path / "diep"]).files == [os.path.realpath(os.path.join(deep, "brief.txt"))]
    finally:  # bottom up, here: pytest's clean-up of old temporary folders (shutil.rmtree) recurses as well
        os.unlink(os.path.join(deep, "brief.txt"))
        while deep != str(tmp_path):
            os.rmdir(deep)
            deep = os.path.dirname(deep)


def test_the_walk_lists_files_in_the_order_of_os_walk(tmp_path: Path) -> None:
    for name in ("b/y.txt", "a/z/x.txt", "a/w.txt", "c.txt", "a/z/.verborgen.txt", ".git/config.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("tekst", encoding="utf-8")
    expected = []
    for root, dirs, files in os.walk(tmp_path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        expected += [os.path.join(root, f) for f in sorted(files) if not f.startswith(".")]
    assert walk([tmp_path]).files == [os.path.realpath(p) for p in expected]

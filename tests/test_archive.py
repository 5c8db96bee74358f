"""A Woo release as a zip: unpacked once beside the case file, its files ingested and analysed as a folder's;
hostile members (outside the folder, links, encrypted, too large) named and left out."""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from woo_release import make_release

from docmine.config import Settings
from docmine.service import Docmine


def _zip_folder(folder: Path, path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, f"release/{file.relative_to(folder)}")
    return path


def test_a_zipped_release_is_unpacked_once_and_analysed(settings: Settings, tmp_path: Path) -> None:
    rel = make_release(tmp_path / "made", seed=3, inventory="xlsx")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    zipped = _zip_folder(rel.folder, downloads / "woo-besluit-jeugdzorg.zip")
    files = settings.db.with_name(settings.db.name + ".files")
    with Docmine(settings) as dm:
        report = dm.ingest([zipped])
        assert report.failed == [] and len(report.unpacked) == 1
        archive, folder = report.unpacked[0]
        assert archive == str(zipped) and Path(folder).parent == files
        names = sorted(Path(d.path).name for d in report.ingested)
        assert names == sorted(p.name for p in rel.folder.iterdir())
        assert all(d.path.startswith(f"{folder}/release/") for d in report.ingested)
        for doc in report.ingested:  # where it came from, as a journalist cites it
            assert f"from the archive {zipped}: release/{Path(doc.path).name}" in doc.notes
        summary = dm.woo_summary()
        assert [s["release"] for s in summary] == [f"{folder}/release"]
        assert summary[0]["documents"] == len(rel.docs)
        assert summary[0]["archive"] == str(zipped)  # shown by the name the journalist received
        unpacked_at = Path(folder).stat().st_mtime_ns
        again = dm.ingest([downloads])  # the same archive: found unpacked, its documents stored
        assert (again.ingested, len(again.duplicates), again.failed) == ([], len(names), [])
        assert Path(folder).stat().st_mtime_ns == unpacked_at


def test_hostile_members_are_named_and_not_unpacked(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "release.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("besluit.txt", "Het college van Hengelo besluit tot gedeeltelijke openbaarmaking.")
        archive.writestr("../../ontsnapt.txt", "De gemeente Utrecht buiten de map.")
        archive.writestr("/etc/absoluut.txt", "De gemeente Utrecht met een absoluut pad.")
        link = zipfile.ZipInfo("thuis")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc")
        archive.writestr("geheim.txt", "versleuteld")
        archive.writestr("groot.txt", "jeugdhulp " * 300)  # 3,000 bytes, over the 0.002 MB limit below
        archive.writestr("__MACOSX/._besluit.txt", "rommel")
        archive.writestr("x" * 300 + ".txt", "De gemeente Utrecht met een te lange naam.")  # longer than a disk allows
    _mark_encrypted(path, b"geheim.txt")  # zipfile writes no encrypted members; a Woo zip may hold them
    with Docmine(settings.with_overrides(max_file_mb=0.002)) as dm:
        report = dm.ingest([path])
    assert [Path(d.path).name for d in report.ingested] == ["besluit.txt"]
    assert dict(report.failed) == {
        "release.zip/../../ontsnapt.txt": "its name leads outside the archive's folder: not unpacked",
        "release.zip//etc/absoluut.txt": "its name leads outside the archive's folder: not unpacked",
        "release.zip/thuis": "a link: not followed",
        "release.zip/geheim.txt": "encrypted: unpack the archive with its password and ingest the folder",
        "release.zip/groot.txt": "0.0 MB unpacked, over the 0 MB limit (--max-file-mb)",
        f"release.zip/{'x' * 300}.txt": "cannot be unpacked here (File name too long)",
    }
    unpacked = [p for p in tmp_path.rglob("*") if p.is_file() and "case.db.files" in str(p)]
    assert sorted(p.name for p in unpacked) == [".docmine-unpacked.json", "besluit.txt"]
    assert not (tmp_path / "ontsnapt.txt").exists() and not tmp_path.parent.joinpath("ontsnapt.txt").exists()


def test_an_archive_larger_than_the_free_disk_is_refused_before_a_byte_is_written(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zip bomb (many members over the same compressed bytes) or a release larger than the disk: the members'
    sizes are in the archive's directory, so the room is checked first. The disk here is made small."""
    import collections

    from docmine.ingest import archive as archive_module

    path = tmp_path / "release.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(3):
            zf.writestr(f"stuk{i}.txt", "jeugdhulp " * 100_000)  # 1 MB each, a few KB packed
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(archive_module.shutil, "disk_usage", lambda _: usage(10**9, 10**9 - 2_000_000, 2_000_000))
    with Docmine(settings) as dm:
        report = dm.ingest([path])
    assert report.ingested == [] and report.unpacked == []
    assert report.failed == [
        (
            str(path),
            "unpacking needs 3 MB, and the disk of the case file has 2 MB free (hint: free some space, or "
            "unpack it yourself where there is room and ingest the folder)",
        )
    ]
    files = settings.db.with_name(settings.db.name + ".files")
    assert [p for p in files.rglob("*") if p.is_file()] == []


def _mark_encrypted(path: Path, name: bytes) -> None:
    """Set the 'encrypted' flag of member ``name`` in its local header and its central directory entry."""
    data = bytearray(path.read_bytes())
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at : at + name_at + len(name)] == name:
                data[at + flags_at] |= 0x1
            at = data.find(signature, at + 1)
    path.write_bytes(bytes(data))


def test_an_unpacking_cut_short_is_done_again(settings: Settings, tmp_path: Path) -> None:
    """A run killed while unpacking leaves a folder without its record: the next run unpacks it whole."""
    path = tmp_path / "release.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "De gemeente Hengelo koopt jeugdhulp in.")
        archive.writestr("b.txt", "De gemeente Enschede koopt jeugdhulp in.")
    with Docmine(settings) as dm:
        folder = Path(dm.ingest([path]).unpacked[0][1])
        os.remove(folder / ".docmine-unpacked.json")
        os.remove(folder / "b.txt")
        stale = folder.parent / f".{folder.name}.part-99999"  # the half of a run killed while unpacking
        stale.mkdir()
        (stale / "a.txt").write_text("half", encoding="utf-8")
    with Docmine(settings) as dm:
        report = dm.ingest([path])
        assert sorted(Path(p).name for p, _ in report.duplicates) == ["a.txt", "b.txt"]
        assert (folder / "b.txt").is_file() and (folder / ".docmine-unpacked.json").is_file()
        assert not stale.exists()


def test_an_archive_in_an_archive_is_unpacked_too(settings: Settings, tmp_path: Path) -> None:
    inner = tmp_path / "bijlagen.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("bijlage.txt", "Bijlage over de tarieven jeugdhulp in Twente.")
    outer = tmp_path / "release.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.write(inner, "bijlagen.zip")
        archive.writestr("besluit.txt", "Het college van Hengelo besluit tot openbaarmaking.")
    inner.unlink()
    with Docmine(settings) as dm:
        report = dm.ingest([outer])
    assert sorted(Path(d.path).name for d in report.ingested) == ["besluit.txt", "bijlage.txt"]
    assert [Path(a).name for a, _ in report.unpacked] == ["release.zip", "bijlagen.zip"]


def test_unpacking_killed_hard_is_done_again_whole(tmp_path: Path) -> None:
    """kill -9 in the middle of unpacking: the next unpack removes the half and unpacks every member."""
    import signal
    import subprocess
    import sys
    import time

    from docmine.ingest import archive

    path = tmp_path / "groot.zip"
    body = ("De gemeente Hengelo koopt jeugdhulp in bij aanbieders in Twente. " * 16_000).encode()  # ~1 MB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(300):  # 300 MB to write: about a quarter of a second here
            zf.writestr(f"stukken/{i:03d}.txt", body + str(i).encode())
    root = tmp_path / "case.db.files"
    code = f"from pathlib import Path; from docmine.ingest import archive; archive.unpack({str(path)!r}, 'ab' * 32, Path({str(root)!r}), 10**9)"
    child = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while not any(root.glob(".*.part-*")) and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.002)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL, "the unpacking ended before it could be killed"
    half = list(root.glob(".*.part-*"))
    assert half and not list(root.glob("groot-*"))  # nothing that looks unpacked
    done = archive.unpack(str(path), "ab" * 32, root, 10**9)
    assert len(list(Path(done.folder, "stukken").iterdir())) == 300 and done.skipped == []
    assert not any(root.glob(".*.part-*"))
    shutil.rmtree(root)  # 300 MB

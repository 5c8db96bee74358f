"""Zip archives, as Woo releases are often published: unpacked once into a folder beside the case file, whose
files are then ingested as a folder's are (a release's folder is what ``docmine woo`` analyses).

The folder is named after the archive and its content hash, so the same archive unpacks once and its documents
keep their paths. Not unpacked, and named in the report: a member whose name leads outside the folder (``../``,
an absolute name), a link, an encrypted member and one over --max-file-mb. Hidden members and macOS's
``__MACOSX`` are left out silently, as the walk leaves out hidden files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from docmine.errors import IngestError, is_disk_full

SUFFIX = ".zip"
MAX_MEMBERS = 100_000
_RECORD = ".docmine-unpacked.json"  # hidden, so the walk does not take it for a document
_UNSAFE_NAME = re.compile(r"[^\w.-]+")


@dataclass
class Unpacked:
    folder: str
    skipped: list[tuple[str, str]] = field(default_factory=list)  # ("archive.zip/member", reason)
    fresh: bool = False  # unpacked by this call (not found from an earlier run)


def is_zip(path: str) -> bool:
    """A ``.zip`` that really is one (a name alone would send a text file here)."""
    return path.lower().endswith(SUFFIX) and zipfile.is_zipfile(path)


def unpack(path: str, doc_id: str, root: Path, max_bytes: int) -> Unpacked:
    """The archive at ``path`` unpacked under ``root`` (once: a later call finds the folder), with the members
    that were not unpacked and why. Raises zipfile.BadZipFile for an archive whose directory cannot be read."""
    name = _UNSAFE_NAME.sub("_", Path(path).stem)[:80] or "archive"
    dest = root / f"{name}-{doc_id[:12]}"
    record = dest / _RECORD
    if record.is_file():
        earlier = json.loads(record.read_text(encoding="utf-8"))["skipped"]
        return Unpacked(str(dest), [(member, why) for member, why in earlier])
    root.mkdir(parents=True, exist_ok=True)
    # a run stopped halfway (kill -9) leaves no folder that looks done: its part, or a folder without a record,
    # is removed (one ingest at a time holds the case file, and with it this folder)
    for stale in root.glob(f".{dest.name}.part-*"):
        shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(dest, ignore_errors=True)
    part = root / f".{dest.name}.part-{os.getpid()}"
    skipped: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise zipfile.BadZipFile(f"{len(members):,} members, over the {MAX_MEMBERS:,} docmine unpacks")
            _check_room(path, [i for i in members if _refuse(i, max_bytes) is None], root)
            for info in members:
                why = _refuse(info, max_bytes)
                label = f"{Path(path).name}/{info.filename}"
                if why == "":
                    continue
                if why is not None:
                    skipped.append((label, why))
                    continue
                target = part.joinpath(*_parts(info.filename))
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(info) as src, target.open("wb") as out:
                        shutil.copyfileobj(src, out, 1 << 20)  # zipfile stops at the member's stated size
                except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
                    target.unlink(missing_ok=True)
                    skipped.append((label, f"damaged in the archive ({exc})"))
                except OSError as exc:  # a name too long here, a file where a folder of the same name should be
                    if is_disk_full(exc):
                        raise
                    skipped.append((label, f"cannot be unpacked here ({exc.strerror or exc})"))
        (part / _RECORD).parent.mkdir(parents=True, exist_ok=True)
        (part / _RECORD).write_text(json.dumps({"archive": path, "skipped": skipped}), encoding="utf-8")
        os.replace(part, dest)
    finally:
        shutil.rmtree(part, ignore_errors=True)
    return Unpacked(str(dest), skipped, fresh=True)


def source_of(path: str) -> str | None:
    """The archive that the file or folder at ``path`` was unpacked from (the record its unpacked folder keeps),
    or None."""
    for folder in (Path(path), *Path(path).parents):
        record = folder / _RECORD
        if record.is_file():
            try:
                return str(json.loads(record.read_text(encoding="utf-8"))["archive"])
            except (OSError, ValueError, KeyError):
                return None
    return None


def _check_room(path: str, members: list[zipfile.ZipInfo], root: Path) -> None:
    """Refuse, before a byte is written, an archive whose members need more than the disk has free: a zip bomb
    (many members over the same compressed bytes), or a release larger than the disk."""
    need = sum(info.file_size for info in members)
    free = shutil.disk_usage(root).free
    if need > free * 0.9:
        raise IngestError(
            path,
            f"unpacking needs {_size(need)}, and the disk of the case file has {_size(free)} free",
            "free some space, or unpack it yourself where there is room and ingest the folder",
        )


def _size(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def _parts(name: str) -> tuple[str, ...]:
    return PurePosixPath(name.replace("\\", "/")).parts


def _refuse(info: zipfile.ZipInfo, max_bytes: int) -> str | None:
    """Why a member is not unpacked, "" to leave it out silently, None to unpack it."""
    parts = _parts(info.filename)
    if info.is_dir() or not parts:
        return ""
    if parts[0] == "__MACOSX" or any(p.startswith(".") and p not in (".", "..") for p in parts):
        return ""
    if info.filename.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", parts[0]):
        return "its name leads outside the archive's folder: not unpacked"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a link: not followed"
    if info.flag_bits & 0x1:
        return "encrypted: unpack the archive with its password and ingest the folder"
    if info.file_size > max_bytes:
        return f"{info.file_size / 1e6:.1f} MB unpacked, over the {max_bytes / 1e6:.0f} MB limit (--max-file-mb)"
    return None

"""One file in, one Document out: read, hash, pick the ingestor, parse within limits, guess metadata.

Runs in worker processes; never raises for a bad file: the failure is a Document with status "failed".
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from docmine.errors import IngestError
from docmine.ingest import metadata, registry
from docmine.ingest.limits import Deadline, Limits
from docmine.ingest.ocr import INSTALL_HINT
from docmine.ingest.paths import printable, stored_path
from docmine.model import Document

_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileRef:
    path: str
    size: int
    doc_id: str


def hash_file(path: str) -> FileRef:
    """SHA-256 of the bytes, read in chunks so a huge file costs no memory."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
            size += len(block)
    return FileRef(path, size, digest.hexdigest())


def check_size(path: str, size: int, limits: Limits) -> None:
    """Refuse a file over --max-file-mb, from its size alone."""
    if size > limits.max_bytes:
        raise IngestError(
            path,
            f"file is {size / 1e6:.1f} MB, over the {limits.max_bytes / 1e6:.0f} MB limit",
            "raise the limit with --max-file-mb if you trust the file",
        )


def parse_file(ref: FileRef, limits: Limits, reference_dir: Path) -> Document:
    fmt = registry.by_extension(ref.path)
    base = Document(doc_id=ref.doc_id, path=ref.path, size=ref.size, format=fmt.format if fmt else "unknown")
    try:
        return _parse(ref, base, limits, reference_dir)
    except IngestError as exc:
        return _failed(base, exc.message, exc.hint)
    except MemoryError:
        return _failed(base, "out of memory while parsing", "lower --max-pages or split the file")
    except RecursionError:
        return _failed(base, "document nesting too deep to parse", "the file is probably malformed")
    except Exception as exc:  # last line of defence: a parser bug must not stop the batch
        return _failed(base, f"could not parse ({type(exc).__name__}: {str(exc)[:120]})", "report this file")


def _failed(base: Document, message: str, hint: str) -> Document:
    from dataclasses import replace

    error = printable(f"{message} (hint: {hint})" if hint else message)  # a message may quote the file's name
    return replace(base, status="failed", error=error, title=printable(Path(base.path).name))


def _parse(ref: FileRef, base: Document, limits: Limits, reference_dir: Path) -> Document:
    # the size on disk now, not when hashed: the limit holds before a byte is read into memory
    size = os.stat(ref.path).st_size
    if size == 0:
        raise IngestError(ref.path, "empty file (0 bytes)", "check that the file was downloaded completely")
    check_size(ref.path, size, limits)
    data = Path(ref.path).read_bytes()
    ingestor, mislabel = registry.pick(ref.path, data[:4096])
    deadline = Deadline(limits.timeout_s)
    parsed = ingestor.parse(ref.path, data, limits, deadline)
    notes = [printable(note) for note in parsed.notes]
    if mislabel:
        notes.insert(0, printable(mislabel))
    pages = parsed.pages
    if not any(p.text.strip() for p in pages) and not any(p.needs_ocr for p in pages):
        if parsed.truncated and parsed.notes:
            raise IngestError(ref.path, parsed.notes[-1], "raise --file-timeout or --max-pages for this file")
        raise IngestError(ref.path, "no text found in the file", "if it is a scan, run with --ocr always")
    shown = printable(ref.path)  # the name as text for titles and types; the path itself stays lossless
    title = metadata.guess_title(
        pages, parsed.title, shown, trust_hint=ingestor.format != "pdf", heading=parsed.heading
    )
    municipality = metadata.guess_municipality(pages, reference_dir)
    publisher = parsed.publisher or (f"Gemeente {municipality[1]}" if municipality else None)
    status = "ok"
    error = None
    if any(p.needs_ocr for p in pages):
        status = "needs_ocr"
        error = f"{sum(p.needs_ocr for p in pages)} page(s) have no text layer and were not OCR'd ({INSTALL_HINT})"
    elif parsed.truncated:
        status = "partial"
    return Document(
        doc_id=ref.doc_id,
        path=ref.path,
        size=ref.size,
        format=ingestor.format,
        pages=tuple(pages),
        title=title,
        doc_type=metadata.guess_type(pages, title, shown, ingestor.format, parsed.doc_type),
        date=metadata.guess_date(pages, parsed.date, shown),
        publisher=publisher,
        municipality=municipality[0] if municipality else None,
        status=status,
        error=error,
        notes=tuple(notes),
        page_count=parsed.page_count if parsed.page_count is not None else len(pages),
    )


class Walked(NamedTuple):
    files: list[str]  # absolute resolved paths, sorted per folder
    missing: list[str]  # named paths that do not exist
    links: list[tuple[str, str]]  # (link, where it leads) met inside a folder: not followed


def walk(paths: list[Path]) -> Walked:
    """Files under the given paths (recursive, sorted, hidden files skipped) as absolute resolved paths.

    A named path is followed when it is a link; a link met inside a folder is not, as ``find`` and ``rg`` do:
    a link in a downloaded release could lead to the user's home, whose files would end up in a case file
    that is shared. Such links are returned, so the run can name them."""
    found: list[str] = []
    missing: list[str] = []
    links: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(file: str) -> None:
        # /dev/stdin resolves to a pipe's name under /proc that no path leads to: it keeps its own name
        resolved = stored_path(file)
        if not os.path.exists(resolved):
            resolved = os.path.abspath(file)
        if resolved not in seen:
            seen.add(resolved)
            found.append(resolved)

    for path in paths:
        if path.is_file() or (path.exists() and not path.is_dir()):  # a named pipe is reported, not "missing"
            add(str(path))
        elif path.is_dir():
            for root, dirs, files in _tree(str(path)):
                entered = []  # a linked folder is listed among the folders; the walk enters what is left here
                for name in sorted(d for d in dirs if not d.startswith(".")):
                    if os.path.islink(os.path.join(root, name)):
                        links.append(_link(os.path.join(root, name)))
                    else:
                        entered.append(name)
                dirs[:] = entered
                for name in sorted(f for f in files if not f.startswith(".")):
                    entry = os.path.join(root, name)
                    if os.path.islink(entry):
                        links.append(_link(entry))
                    else:
                        add(entry)
        else:
            missing.append(str(path))
    return Walked(found, missing, links)


def _tree(top: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk(top)``, top-down and in the same order, without recursion: Python 3.11's ``os.walk`` recurses, so
    a folder a thousand levels deep ended the ingest in a RecursionError. Folders the caller removes from the
    yielded list are not entered; folders that cannot be read are passed over, as by ``os.walk``."""
    stack = [top]
    while stack:
        root = stack.pop()
        try:
            with os.scandir(root) as listing:
                entries = list(listing)
        except OSError:
            continue
        dirs: list[str] = []
        files: list[str] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry.name)
        yield root, dirs, files
        stack.extend(os.path.join(root, name) for name in reversed(dirs))


def _link(path: str) -> tuple[str, str]:
    try:
        return path, os.readlink(path)
    except OSError:  # gone since it was listed
        return path, "?"

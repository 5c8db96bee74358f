"""How values cross the Store's edge: word boxes as float32 BLOBs, paths and text made storable, rows into
the read models of docmine.model. Nothing above the Store sees a sqlite3.Row.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sqlite3
from array import array
from collections.abc import Sequence

from docmine.model import Claim, DocInfo, EntityRow, MentionRow, Page, PassageRow, SourceRef, Word

_WORD_FIELDS = 6
# A lone surrogate (an undecodable byte of a file name), and control characters other than tab, line breaks and
# form feed: an escape sequence in a document's text reached the terminal through show and search (it cleared
# the screen and set the window title).
_UNSAFE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def encode_words(words: Sequence[Word]) -> bytes | None:
    if not words:
        return None
    flat = array("f")
    for w in words:
        flat.extend((w.start, w.end, w.x0, w.top, w.x1, w.bottom))
    return flat.tobytes()


def decode_words(blob: bytes | None) -> tuple[Word, ...]:
    if not blob:
        return ()
    flat = array("f")
    flat.frombytes(blob)
    return tuple(
        Word(int(flat[i]), int(flat[i + 1]), flat[i + 2], flat[i + 3], flat[i + 4], flat[i + 5])
        for i in range(0, len(flat), _WORD_FIELDS)
    )


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def clean(text: str) -> str:
    """Text SQLite can store and a terminal can show: a lone surrogate (an undecodable byte of a file name, say)
    or a control character (escape, NUL, ...) becomes U+FFFD.

    One character for one, so character offsets into the text stay right. Applied on the way in, and again on
    the way out to the read models: case files written before it was applied on the way in keep such text."""
    return _UNSAFE.sub("\ufffd", text)


def clean_opt(text: str | None) -> str | None:
    return None if text is None else clean(text)


def path_value(path: str) -> str | bytes:
    """A path as stored: text when the name is UTF-8, else the name's own bytes (a BLOB in the TEXT column).

    SQLite keeps a BLOB as it is whatever the column's affinity, so the name survives byte for byte, keys
    stay unique, and no schema change was needed; ``path_text`` shows it with replacement characters."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def path_text(value: str | bytes) -> str:
    """The stored path for people: a name that is not UTF-8 has U+FFFD where its bytes do not decode."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def fs_path(value: str | bytes) -> str:
    """The stored path as the OS names the file (undecodable bytes as surrogates, as os.fsdecode gives)."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def numeric_value(value: str | None, value_num: float | None) -> str | float | None:
    """A mention's value with the type it was extracted with: a number was stored in ``value_num`` too."""
    return value_num if value_num is not None else value


def docinfo(row: sqlite3.Row) -> DocInfo:
    path = row["path"]
    return DocInfo(
        doc_id=row["doc_id"],
        path=path_text(path),
        title=clean(row["title"]),
        doc_type=row["doc_type"],
        date=row["date"],
        publisher=row["publisher"],
        municipality=row["municipality"],
        size=row["size"],
        format=row["format"],
        page_count=row["page_count"],
        status=row["status"],
        error=row["error"],
        ingested_at=row["ingested_at"],
        notes=tuple(json.loads(row["notes"] or "[]")),
        raw_path=path if isinstance(path, bytes) else None,
    )


def page(row: sqlite3.Row) -> Page:
    return Page(
        number=row["number"],
        text=clean(row["text"]),
        width=row["width"],
        height=row["height"],
        words=decode_words(row["words"]),
        ocr=bool(row["ocr"]),
        ocr_confidence=row["ocr_confidence"],
        needs_ocr=bool(row["needs_ocr"]),
    )


def passage_row(r: sqlite3.Row) -> PassageRow:
    return PassageRow(
        passage_id=r["id"],
        ref=SourceRef(r["doc_id"], r["page"], r["start_char"], r["end_char"]),
        text=r["text"],
        terms=tuple(r["terms"].split()),
        path=path_text(r["path"]),
        title=r["title"],
        doc_type=r["doc_type"],
        date=r["date"],
    )


def shown(row: PassageRow) -> PassageRow:
    """A passage as a hit or a source shows it: its text and title cleaned (``clean``). Ranking reads a search's
    whole pool of passages as stored, and only the few it shows are cleaned (120 cleans a query were 5% of a
    text search)."""
    return dataclasses.replace(row, text=clean(row.text), title=clean(row.title))


def mention_row(r: sqlite3.Row) -> MentionRow:
    return MentionRow(
        ref=SourceRef(r["doc_id"], r["page"], r["start"], r["end"]),
        label=r["label"],
        text=clean(r["text"]),
        value=numeric_value(r["value"], r["value_num"]),
        canonical=r["canonical"],
        entity_key=r["entity_key"],
        path=path_text(r["path"]),
        title=clean(r["title"]),
        doc_date=r["doc_date"],
    )


def entity_row(r: sqlite3.Row) -> EntityRow:
    return EntityRow(
        label=r["label"],
        entity_key=r["entity_key"],
        name=clean(r["name"]),
        value=numeric_value(r["value"], r["value_num"]),
        mentions=r["mentions"],
        documents=r["documents"],
        first_date=r["first_date"],
        last_date=r["last_date"],
    )


def claim(r: sqlite3.Row) -> Claim:
    return Claim(
        ref=SourceRef(r["doc_id"], r["page"], r["start_char"], r["end_char"]),
        sentence=clean(r["sentence"]),
        kind=r["kind"],
        speaker=r["speaker"],
        values=tuple(json.loads(r["claim_values"] or "[]")),
        claim_id=r["id"],
    )


def export_row(row: sqlite3.Row) -> dict[str, object]:
    """A raw table row for export; a path stored as bytes is shown as text."""
    out = dict(row)
    if isinstance(out.get("path"), bytes):
        out["path"] = path_text(out["path"])
    return out

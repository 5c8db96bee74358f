"""JSON and JSON Lines read as data: each string value with words in it becomes a line under its key path
("besluit.titel: ..."); keys, braces, numbers and ids are not text. JSON without such values is refused."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from docmine.errors import IngestError
from docmine.ingest.limits import Deadline, Limits
from docmine.ingest.parsed import Parsed
from docmine.ingest.text import decode

# a word: two letters or more; a value without one (a number, a code, an id, a date) is not read as text
_WORD = re.compile(r"[^\W\d_]{2,}")
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|www\.)\S*$|^\S+@\S+$", re.IGNORECASE)
_MIN_WORDS = 3  # fewer words in the whole file is data (settings, coordinates, a list of ids), not a document
_TITLE_KEYS = ("titel", "title", "onderwerp", "subject", "naam", "name")


def parse_json(path: str, data: bytes, limits: Limits | None = None, deadline: Deadline | None = None) -> Parsed:
    text = decode(data, path).lstrip("\ufeff")
    if path.lower().endswith(".jsonl"):
        records, notes = _lines(text, path)
    else:
        try:
            records = [json.loads(text)]
        except (json.JSONDecodeError, RecursionError) as exc:
            raise IngestError(path, f"malformed JSON ({_describe(exc)})", "check that the file is complete") from exc
        notes = []
    blocks: list[str] = []
    title = ""
    words = 0
    for record in records:
        lines = []
        for key, value in _strings(record, ""):
            lines.append(f"{key}: {value}" if key else value)
            words += len(_WORD.findall(value))
            if not title and key.rsplit(".", 1)[-1].lower() in _TITLE_KEYS:
                title = value.strip()[:300]
        if lines:
            blocks.append("\n".join(lines))
    if words < _MIN_WORDS:
        raise IngestError(
            path,
            "JSON without text: no string values with words to read (only numbers, ids or keys)",
            "docmine reads documents; this file looks like data",
        )
    parsed = Parsed(pages=[], title=title, notes=notes)
    return parsed.paginate("\n\n".join(blocks), limits, deadline)


def _lines(text: str, path: str) -> tuple[list[Any], list[str]]:
    """One record per non-blank line; lines that are not JSON are skipped and counted in a note."""
    records: list[Any] = []
    bad: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except (json.JSONDecodeError, RecursionError):
            bad.append(number)
    if bad and not records:
        raise IngestError(path, f"malformed JSON Lines (line {bad[0]} is not JSON)", "check that the file is complete")
    shown = ", ".join(str(n) for n in bad[:5]) + (", ..." if len(bad) > 5 else "")
    return records, [f"{len(bad)} line(s) that are not JSON were skipped (line {shown})"] if bad else []


def _strings(value: Any, key: str) -> Iterator[tuple[str, str]]:
    """(key path, string) for every string with words in it; list items keep the key of their list."""
    if isinstance(value, str):
        value = value.strip()
        if _WORD.search(value) and not _URL.match(value):
            yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(item, f"{key}.{name}" if key else str(name))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, key)


def _describe(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    return "nested too deeply"

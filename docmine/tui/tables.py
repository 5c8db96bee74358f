"""Rows the TUI exports (hits, entities, trace sources) and the checks before the core writer runs. No Textual here.

The writing itself is ``docmine.export.write_table``; the format follows the file's suffix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from docmine.errors import DocmineError
from docmine.export import FORMATS, guess_format, write_table
from docmine.model import EntityRow, Hit

SUFFIXES = ", ".join(f".{f}" for f in FORMATS[:-1]) + f" or .{FORMATS[-1]}"
ENTITY_COLUMNS = ("label", "name", "value", "mentions", "documents", "first_date", "last_date", "entity_key")


def hit_rows(hits: Sequence[Hit]) -> list[dict[str, Any]]:
    """One flat row per hit, in the order shown."""
    return [
        {
            "rank": i,
            "title": h.title,
            "doc_type": h.doc_type,
            "date": h.date,
            "page": h.ref.page,
            "score": h.score,
            "snippet": h.snippet,
            "matched": ", ".join(h.matched),
            "why": "; ".join(h.why),
            "doc_id": h.ref.doc_id,
            "start": h.ref.start,
            "end": h.ref.end,
            "path": h.path,
        }
        for i, h in enumerate(hits, 1)
    ]


def entity_rows(entities: Sequence[EntityRow]) -> list[dict[str, Any]]:
    """The entities table as shown, with the columns in a fixed order."""
    # value as text: one column type in every format, amounts written as they are stored
    return [{c: _text(e.value) if c == "value" else getattr(e, c) for c in ENTITY_COLUMNS} for e in entities]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def source_rows(sources: Sequence[Any]) -> list[dict[str, Any]]:
    """One row per trace source (``docmine.search.trace.Source``), most likely origin first."""
    return [
        {
            "rank": i,
            "title": s.title,
            "date": s.date,
            "page": s.ref.page,
            "score": s.score,
            "similarity": s.similarity,
            "sentence": s.sentence,
            "shared": "; ".join(s.shared),
            "conflicts": "; ".join(s.conflicts),
            "differs": bool(s.conflicts),
            "doc_id": s.ref.doc_id,
            "start": s.ref.start,
            "end": s.ref.end,
            "path": s.path,
        }
        for i, s in enumerate(sources, 1)
    ]


def export_rows(rows: Sequence[Mapping[str, Any]], path: Path, what: str = "a search with results") -> int:
    """Write ``rows`` to ``path`` in the format its suffix names; returns the number of rows written.

    Unlike the CLI, a typo in a folder name must not silently create folders, so a missing folder is an error.
    """
    if path.suffix.lstrip(".").lower() not in FORMATS:
        raise DocmineError(f"cannot write {path.name!r}: unknown table format", f"end the name in {SUFFIXES}")
    if not rows:
        raise DocmineError("there is nothing to export", f"run {what} first")
    if not path.parent.is_dir():
        raise DocmineError(f"the folder {path.parent} does not exist", "create it first or choose another path")
    return write_table([dict(r) for r in rows], path, guess_format(path, None))

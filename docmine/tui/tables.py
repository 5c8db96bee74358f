"""The checks before the TUI's tables are written, and the rows it writes. No Textual here.

Rows (hits, entities, trace sources) are ``docmine.rows``, the same columns as ``--json``; the writing itself is
``docmine.export.write_table``, in the format the file's suffix names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from docmine.errors import DocmineError
from docmine.export import FORMATS, guess_format, write_table
from docmine.rows import entity_rows, hit_rows, source_rows

SUFFIXES = ", ".join(f".{f}" for f in FORMATS[:-1]) + f" or .{FORMATS[-1]}"
__all__ = ["SUFFIXES", "entity_rows", "export_rows", "hit_rows", "source_rows"]


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

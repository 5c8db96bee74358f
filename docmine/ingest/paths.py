"""File paths as stored (absolute, resolved, undecodable bytes kept as surrogates) and as shown to people."""

from __future__ import annotations

import os
import re
from pathlib import Path

# What to do about a link met inside a folder (the walk does not follow it), said by the CLI and the TUI alike.
LINK_HINT = "links inside a folder are not followed; name the file or folder itself to ingest it"


def stored_path(path: str | os.PathLike[str]) -> str:
    """The absolute path with links resolved: the same file reads the same from any working folder."""
    return os.path.realpath(os.path.abspath(path))


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def printable(path: str) -> str:
    """A path with bytes that are not UTF-8 (kept by the OS layer as surrogates) shown as U+FFFD, and control
    characters as "?" as ``ls`` shows them: a newline in a file name broke the line of a listing in two."""
    return _CONTROL.sub("?", path.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))


def display_path(path: str, cwd: str | os.PathLike[str] | None = None) -> str:
    """Shortened relative to ``cwd`` (default: the current folder) when the file lies under it, else absolute;
    printable either way."""
    shown = path
    try:
        base = Path(cwd) if cwd is not None else Path.cwd()
        if os.path.isabs(path):
            shown = str(Path(path).relative_to(base))
    except (ValueError, OSError):  # not under the folder, or the current folder was deleted
        shown = path
    return printable(shown)

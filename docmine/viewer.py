"""Opening an original file at a page in the system viewer, where one exists."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from docmine.errors import DocmineError

# viewer executable -> arguments; {path} and {page} are filled in. Page-aware viewers first.
_PDF_VIEWERS = (
    ("evince", ["--page-label={page}", "{path}"]),
    ("okular", ["-p", "{page}", "{path}"]),
    ("zathura", ["-P", "{page}", "{path}"]),
    ("qpdfview", ["{path}#{page}"]),
    ("mupdf", ["{path}", "{page}"]),
    ("xdg-open", ["{path}"]),
)


def viewer_command(path: Path, page: int, is_pdf: bool) -> list[str]:
    if not path.exists():
        raise DocmineError(f"the original file is gone: {path}", "it was moved or deleted after ingest")
    if sys.platform == "darwin":
        return ["open", str(path)]
    candidates = _PDF_VIEWERS if is_pdf else (("xdg-open", ["{path}"]),)
    for exe, args in candidates:
        found = shutil.which(exe)
        if found:
            return [found, *(a.format(path=path, page=page) for a in args)]
    raise DocmineError(
        "no document viewer found on this system",
        f"open it yourself: {path} (page {page}); install evince or okular for page jumps",
    )


def open_at_page(path: Path, page: int, is_pdf: bool) -> list[str]:
    cmd = viewer_command(path, page, is_pdf)
    try:
        subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        raise DocmineError(f"could not start {cmd[0]}: {exc.strerror}", f"open it yourself: {path}") from exc
    return cmd

"""A case file holding one generated Woo release (tests/woo_release.py): decision letter, inventory, a bundle
with stamped numbers and redaction boxes, and a loose document."""

from __future__ import annotations

from pathlib import Path

from woo_release import Release, make_release

from docmine.config import Settings
from docmine.service import Docmine


def build_release_case(root: Path, seed: int = 3, missing: bool = True) -> tuple[Settings, Release]:
    """``missing``: the loose document was left out of the release, so its inventory row is unlinked."""
    settings = Settings(
        db=root / "case.db", jobs=1, embed=False, extract=True, ner_model="none", cache_dir=root / "cache"
    )
    release = make_release(root / "release", seed=seed)
    if missing:
        (release.folder / release.docs[-1].file).unlink()
    with Docmine(settings) as dm:
        report = dm.ingest([release.folder])
        assert not report.failed, report.failed
        dm.woo_summary()  # analysed once here, as `docmine woo` does
    return settings, release

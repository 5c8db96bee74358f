"""Shared fixtures: real small documents generated on the fly, and the shared data folder when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from docmine.config import REPO_ROOT, Settings
from docmine.service import Docmine

SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db=tmp_path / "case.db", jobs=1, embed=False, extract=False, cache_dir=tmp_path / "cache")


@pytest.fixture
def dm(settings: Settings):
    with Docmine(settings) as service:
        yield service


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "data" / "docs").is_dir():
        pytest.skip(f"shared data not found at {SHARED} (it sits beside the checkout in CI)")
    return SHARED / "data"

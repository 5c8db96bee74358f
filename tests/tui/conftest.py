"""Fixtures for the TUI tests: one small case file built per session, copied for each test that may change it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from tui_corpus import build_case

from docmine.config import Settings
from docmine.service import Docmine


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def case_master(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_case(tmp_path_factory.mktemp("tui-case"))


@pytest.fixture
def case(case_master: Settings, tmp_path: Path) -> Settings:
    """A private copy of the case file (the documents it points to are shared and read-only)."""
    db = tmp_path / "case.db"
    shutil.copy(case_master.db, db)
    return replace(case_master, db=db)


@pytest.fixture
def dm(case: Settings) -> Iterator[Docmine]:
    with Docmine(case) as service:
        yield service

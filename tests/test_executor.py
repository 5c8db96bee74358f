"""The executor setting: where ingest's per-file work runs."""

from __future__ import annotations

import pytest

from docmine.config import Settings
from docmine.errors import DocmineError
from docmine.service import Docmine
from docmine.work import LocalExecutor


def test_executor_and_ray_address_come_from_the_environment() -> None:
    settings = Settings.load(env={"DOCMINE_EXECUTOR": "ray", "DOCMINE_RAY_ADDRESS": "head:6379"})
    assert (settings.executor, settings.ray_address) == ("ray", "head:6379")
    assert Settings.load(env={}).executor == "local"


def test_an_unknown_executor_is_refused_with_a_hint() -> None:
    with pytest.raises(DocmineError) as caught:
        Settings.load(env={"DOCMINE_EXECUTOR": "spark"})
    assert caught.value.message == "unknown executor 'spark'" and '"ray"' in caught.value.hint


def test_local_is_the_default_executor(dm: Docmine) -> None:
    executor = dm.executor()
    assert isinstance(executor, LocalExecutor) and executor.workers == dm.settings.workers

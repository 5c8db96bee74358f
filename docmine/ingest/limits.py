"""Per-file limits on size, pages and time, enforced while parsing and reported, never silent."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    timeout_s: float = 300.0
    ocr: str = "auto"
    ocr_lang: str = "nld"
    ocr_dpi: int = 200
    ocr_threads: int = 1


class Deadline:
    """A cooperative time budget: parsers check it between pages."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    @property
    def expired(self) -> bool:
        return time.monotonic() > self._end

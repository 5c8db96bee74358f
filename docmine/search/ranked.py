"""Ranked: one entry of a ranking (passage id, score, the reasons shown as 'why'), shared by every ranker."""

from __future__ import annotations

from typing import NamedTuple


class Ranked(NamedTuple):
    passage_id: int
    score: float
    why: tuple[str, ...]

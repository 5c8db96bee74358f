"""Choosing among overlapping character spans found by several patterns."""

from __future__ import annotations

from typing import TypeVar

V = TypeVar("V")


def without_overlaps(spans: list[tuple[int, int, V]]) -> list[tuple[int, int, V]]:
    """Longest span wins; on a tie the earlier listed one. Returned in text order."""
    chosen: list[tuple[int, int, V]] = []
    for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if not any(span[0] < c[1] and c[0] < span[1] for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: (s[0], s[1]))

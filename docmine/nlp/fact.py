"""A rule hit of the ``docmine_rules`` component (rules.py): its exact character span, label and normalised value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Fact:
    """A rule hit: exact character span, label, normalised value and canonical name."""

    start: int
    end: int
    label: str
    value: str | float | None
    canonical: str | None

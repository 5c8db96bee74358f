"""Entity mentions as the TUI draws them: Mention objects or the service's MentionRows, both anchored by ``ref``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from docmine.model import Mention, MentionRow


@dataclass(frozen=True, slots=True)
class Span:
    page: int
    start: int
    end: int
    label: str
    text: str


def mention_spans(rows: Iterable[Mention | MentionRow]) -> list[Span]:
    return [Span(r.ref.page, r.ref.start, r.ref.end, r.label, r.canonical or r.text) for r in rows]

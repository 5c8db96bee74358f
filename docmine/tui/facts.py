"""Entity mentions as the TUI draws them, whatever shape the service returns (row dicts or Mention objects)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    page: int
    start: int
    end: int
    label: str
    text: str


def mention_spans(rows: Iterable[Any]) -> list[Span]:
    spans = []
    for r in rows:
        if isinstance(r, Mapping):
            spans.append(Span(r["page"], r["start"], r["end"], r["label"], r.get("canonical") or r["text"]))
        else:
            spans.append(Span(r.ref.page, r.ref.start, r.ref.end, r.label, r.canonical or r.text))
    return spans

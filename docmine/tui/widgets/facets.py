"""Facets with counts computed from the current hits: document type, year, municipality, entity label.

Shown as ``[x] motie 2`` under a heading per field, so the choice reads the same without colour.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from docmine.model import Hit

Facet = tuple[str, str]  # (field, value), e.g. ("type", "motie")
FIELDS = ("type", "year", "place", "entity")


def hit_facets(hit: Hit, place: str | None = None, labels: Iterable[str] = ()) -> list[Facet]:
    """The facet values of one hit; ``place`` and entity ``labels`` come from the service when it has them."""
    values = [("type", hit.doc_type), ("year", hit.date[:4] if hit.date else "undated")]
    if place:
        values.append(("place", place))
    values.extend(("entity", label) for label in sorted(set(labels)))
    return values


def count_facets(per_hit: Iterable[Iterable[Facet]]) -> dict[Facet, int]:
    counts: Counter[Facet] = Counter()
    for values in per_hit:
        counts.update(set(values))
    return dict(sorted(counts.items(), key=lambda kv: (FIELDS.index(kv[0][0]), -kv[1], kv[0][1])))


def keep(values: Iterable[Facet], chosen: set[Facet]) -> bool:
    """Within a field any chosen value matches (OR); across fields every field must match (AND)."""
    have = set(values)
    for field in FIELDS:
        wanted = {f for f in chosen if f[0] == field}
        if wanted and not wanted & have:
            return False
    return True


class FacetList(OptionList):
    """Enter or Space toggles the highlighted facet and posts ``FacetList.Changed``."""

    BINDINGS = [Binding("space", "select", "Toggle", show=False)]

    class Changed(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.counts: dict[Facet, int] = {}
        self.chosen: set[Facet] = set()

    def show(self, counts: Mapping[Facet, int]) -> None:
        """New counts; choices that still occur are kept."""
        self.counts = dict(counts)
        self.chosen &= set(counts)
        self._render_options()

    def _render_options(self) -> None:
        highlighted = self.highlighted
        options: list[Option] = []
        field = ""
        for (f, value), n in self.counts.items():
            if f != field:
                field = f
                options.append(Option(f.upper(), id=f"head:{f}", disabled=True))
            options.append(Option(_prompt((f, value) in self.chosen, value, n), id=f"{f}:{value}"))
        self.set_options(options)
        if highlighted is not None and highlighted < len(options):
            self.highlighted = highlighted

    def clear(self) -> None:
        """Forget every choice (a new query, or ``x``)."""
        if self.chosen:
            self.chosen = set()
            self._render_options()
            self.post_message(self.Changed())

    def describe(self) -> str:
        """The active filters in a few words, e.g. ``type=motie, year=2021``; "" when none."""
        return ", ".join(f"{f}={v}" for f, v in sorted(self.chosen, key=lambda c: (FIELDS.index(c[0]), c[1])))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        field, _, value = (event.option.id or "").partition(":")
        facet = (field, value)
        self.chosen ^= {facet}
        self._render_options()
        self.post_message(self.Changed())


def _prompt(chosen: bool, value: str, count: int) -> Table:
    """``[x] value  count``: a long value folds onto a second line rather than being cut.

    Text, not a str: Rich reads a str cell as markup, and ``[x]`` is a markup tag that vanished.
    """
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(Text(f"{'[x]' if chosen else '[ ]'} {value}"), Text(str(count)))
    return grid

"""The results list: one multi-line entry per hit with its metadata, why it matched and the marked snippet."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from docmine.model import Hit

MARK = "bold reverse"  # visible without colour too (NO_COLOR)


def hit_prompt(rank: int, hit: Hit) -> Table:
    """Rank in a column of its own, so long titles and snippets wrap under the text, not under the number."""
    body = Text(hit.title or Path(hit.path).name, style="bold")
    body.append(f"\n{hit.doc_type} · {hit.date or 'undated'} · p. {hit.ref.page} · score {hit.score:.3g}", style="cyan")
    if hit.why:
        body.append("\n" + " · ".join(hit.why), style="italic")
    snippet = Text(hit.snippet.replace("\n", " "))
    for start, end in hit.marks:
        snippet.stylize(MARK, start, end)
    body.append("\n")
    body.append_text(snippet)
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=3, justify="right", style="bold")
    grid.add_column(ratio=1)
    grid.add_row(f"{rank}.", body)
    return grid


class ResultsList(OptionList):
    """Hits as options; the screen keeps the Hit objects and maps the option index back to them.

    Up on the first hit, or Escape, goes back to the query box.
    """

    BINDINGS = [
        Binding("up", "up_or_query", "Up", show=False),
        Binding("escape", "to_query", "Query", show=False),
    ]

    def action_to_query(self) -> None:
        self.screen.query_one("#query").focus()

    def action_up_or_query(self) -> None:
        if self.highlighted in (0, None):
            self.action_to_query()
        else:
            self.action_cursor_up()

    def show(self, hits: list[Hit]) -> None:
        self.set_options(Option(hit_prompt(i, h), id=str(i)) for i, h in enumerate(hits, 1))
        if hits:
            self.highlighted = 0

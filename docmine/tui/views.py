"""The views of the TUI in one small registry: the command palette, the keys that work everywhere and the help
are all made from it. A new screen joins with one ``register(View(...))`` line beside its screen class."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docmine.tui.app import DocmineApp


@dataclass(frozen=True, slots=True)
class View:
    """A place to go: ``open(app)`` shows it; ``key`` (a Textual key name, or "") reaches it from every screen;
    ``footer``: the key is also shown in every screen's footer."""

    name: str
    help: str
    open: Callable[[DocmineApp], None]
    key: str = ""
    footer: bool = True


VIEWS: list[View] = []


def register(view: View) -> View:
    """Add ``view`` (a second view of the same name replaces the first, so re-imports do no harm)."""
    VIEWS[:] = [v for v in VIEWS if v.name != view.name]
    VIEWS.append(view)
    return view


def find(name: str) -> View:
    for view in VIEWS:
        if view.name == name:
            return view
    raise KeyError(name)

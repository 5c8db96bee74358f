"""The command palette (ctrl+p): every view of the registry, and every action the current screen binds."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from docmine.tui.keys import screen_actions
from docmine.tui.views import VIEWS

if TYPE_CHECKING:
    from docmine.tui.app import DocmineApp


class DocmineCommands(Provider):
    """Commands named ``Go to <view>`` and ``<Action> (<keys>)``; typing filters them with fuzzy matching."""

    def _commands(self) -> Iterator[tuple[str, str, object]]:
        app: DocmineApp = self.app  # type: ignore[assignment]
        for view in VIEWS:
            keys = f" ({app.get_key_display_for(view.key)})" if view.key else ""
            yield f"Go to {view.name}{keys}", view.help, partial(view.open, app)
        # The screen under the palette: its own actions, run there.
        screen = self.screen
        for action, description, keys in screen_actions(type(screen), app):
            yield (
                f"{description} ({keys})",
                f"on this screen: {description.lower()}",
                partial(screen.run_action, action),
            )

    async def discover(self) -> Hits:
        for name, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)  # type: ignore[arg-type]

"""The key help, made from the bindings themselves (and the view registry), so it cannot drift from them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.app import App


def key_display(app: App[Any], keys: str) -> str:
    """``f4,i`` -> ``F4 / i``: Textual's spelling of each key, function keys as printed on the keyboard."""
    return " / ".join(_one(app.get_key_display(Binding(k.strip(), ""))) for k in keys.split(",") if k.strip())


def _one(shown: str) -> str:
    return shown.upper() if re.fullmatch(r"f\d+", shown) else {"esc": "Escape"}.get(shown, shown)


def screen_actions(owner: type, app: App[Any]) -> list[tuple[str, str, str]]:
    """(action, description, keys) for every binding of ``owner``; keys bound to one action are listed together."""
    merged: dict[str, tuple[str, list[str]]] = {}
    for binding in getattr(owner, "BINDINGS", ()):
        if not isinstance(binding, Binding) or not binding.description:
            continue
        # the tooltip, where there is one, says it in full; the footer keeps the one-word description
        description, keys = merged.setdefault(binding.action, (binding.tooltip or binding.description, []))
        keys.append(key_display(app, binding.key))
    return [(action, description, " / ".join(keys)) for action, (description, keys) in merged.items()]


def help_text(app: App[Any], everywhere: Iterable[tuple[str, str]], sections: Sequence[tuple[str, type]]) -> str:
    """``everywhere``: (keys, what) pairs; ``sections``: (title, screen class) whose bindings and HELP_NOTES list."""
    lines = ["Everywhere"]
    lines += [f"  {keys:<14}{what}" for keys, what in everywhere]
    for title, owner in sections:
        lines += ["", title]
        lines += [f"  {keys:<14}{description}" for _, description, keys in screen_actions(owner, app)]
        lines += [f"  {keys:<14}{what}" for keys, what in getattr(owner, "HELP_NOTES", ())]
    return "\n".join(lines) + "\n"

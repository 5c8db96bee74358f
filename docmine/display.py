"""Values as people write them: `€ 160 mln` for 160000000.00, `Groningen (GM0014)` for GM0014. No Textual here.

The CLI, the demo tour and the TUI show these; in the TUI ``v`` switches to the normalised value the store keeps (``MONEY=160000000.00``).
"""

from __future__ import annotations

from collections.abc import Callable

Namer = Callable[[str], str | None]  # GM0014 -> Groningen (the service's municipality_name)

PLACE_LABELS = ("MUNICIPALITY",)


def dutch_number(value: float, decimals: int = 0) -> str:
    """1.234,5 - dots group thousands and a comma marks decimals, as Dutch documents write amounts."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def amount_text(euros: float) -> str:
    """€ 160 mln, € 4,2 mln, € 1,5 mld, € 20.000: the way a council document states an amount."""
    for size, word in ((1e9, "mld"), (1e6, "mln")):
        if abs(euros) >= size:
            scaled = euros / size
            decimals = 0 if round(scaled, 1).is_integer() else 1
            return f"€ {dutch_number(scaled, decimals)} {word}"
    return f"€ {dutch_number(euros, 0 if float(euros).is_integer() else 2)}"


def place_text(code: str, namer: Namer | None) -> str:
    """Groningen (GM0014); the code alone when it has no name."""
    name = namer(code) if namer is not None else None
    return f"{name} ({code})" if name and name != code else code


def value_text(label: str, value: str | float | None, namer: Namer | None = None) -> str:
    """One normalised value of ``label`` as a person writes it; "" for none."""
    if value is None or value == "":
        return ""
    if label.upper() == "MONEY":
        try:
            return amount_text(float(value))
        except ValueError:
            return str(value)
    if label.upper() in PLACE_LABELS and isinstance(value, str):
        return place_text(value, namer)
    if isinstance(value, float):
        return dutch_number(value, 0 if value.is_integer() else 2)
    return str(value)


def fact_text(fact: str, namer: Namer | None = None, raw: bool = False) -> str:
    """A claim value such as ``MONEY=160000000.00`` as ``€ 160 mln`` (``raw`` keeps it as stored)."""
    label, sep, value = fact.partition("=")
    if raw or not sep:
        return fact
    return value_text(label, value, namer)


# What a conflict's label reads as before its values; MONEY needs none (the € says it).
_CONFLICT_NAMES = {"MONEY": "", "DATE": "date ", "PERCENT": "percentage ", "YEAR": "year "}


def conflict_text(conflict: str, namer: Namer | None = None, raw: bool = False) -> str:
    """``MONEY: 160000000.00 vs 175000000.00`` (as the trace keeps it) as ``€ 160 mln vs € 175 mln``;
    ``COUNT aanbieder: 190 vs 187`` as ``aanbieder 190 vs 187``. ``raw`` keeps it as stored."""
    head, sep, rest = conflict.partition(": ")
    mine, vs, theirs = rest.partition(" vs ")
    if raw or not sep or not vs:
        return conflict
    label = head.split(" ", 1)[0].upper()
    name = f"{head.split(' ', 1)[1]} " if label == "COUNT" and " " in head else _CONFLICT_NAMES.get(label, "")
    if label not in _CONFLICT_NAMES and label != "COUNT":
        name = f"{head.lower()} "

    def side(values: str) -> str:
        shown = []
        for value in values.split(", "):
            if label == "PERCENT":
                try:
                    number = float(value)
                    value = dutch_number(number, 0 if number.is_integer() else 1)
                except ValueError:
                    pass
                shown.append(f"{value}%")
            else:
                shown.append(value_text(label, value, namer))
        return ", ".join(shown)

    return f"{name}{side(mine)} vs {side(theirs)}"

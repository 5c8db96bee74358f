"""Relative dates ("dit jaar", "vorige maand", "afgelopen maart") resolved against the document's own date.

The value is derived, not written, so the canonical name says so: ``"2016 (afgeleid: 'vorig jaar', document
2017-03-05)"``. Phrases whose reference point is unclear ("dat jaar", "afgelopen voorjaar") keep no value.
"""

from __future__ import annotations

import re

from docmine.model import DUTCH_MONTHS

__all__ = ["DERIVED", "resolve_relative"]

DERIVED = "afgeleid"  # the word in a canonical name that marks a value computed from the document date
_PAST = r"vorig|vorige|afgelopen"
_THIS = r"dit|deze|huidig|huidige|lopend|lopende"
_NEXT = r"volgend|volgende|komend|komende"
# "dit jaar", "vorig kalenderjaar", "eind van volgend jaar", "begin van dit jaar", "volgende maand", "vorig kwartaal"
_PHRASE = re.compile(
    rf"(?i)^(?:(?:eind|einde|begin|medio|loop)\s+van\s+)?(?P<when>{_PAST}|{_THIS}|{_NEXT})\s+"
    r"(?P<unit>jaar|kalenderjaar|maand|kwartaal)$"
)
_MONTH_PHRASE = re.compile(rf"(?i)^(?P<when>{_PAST}|{_NEXT})\s+(?P<month>[a-z]+)$")
_DOC_DATE = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2}))?")


def _step(when: str) -> int:
    word = when.lower()
    if re.fullmatch(_PAST, word):
        return -1
    return 1 if re.fullmatch(_NEXT, word) else 0


def resolve_relative(phrase: str, document_date: str | None) -> tuple[str, str] | None:
    """``(value, canonical)`` of a relative date phrase, or None when it cannot be resolved.

    ``document_date`` is ISO (``2017``, ``2017-03`` or ``2017-03-05``); a month or quarter needs its month."""
    if not document_date:
        return None
    anchor = _DOC_DATE.match(document_date)
    if anchor is None:
        return None
    year, month = int(anchor.group("y")), int(anchor.group("m")) if anchor.group("m") else None
    text = " ".join(phrase.split())
    value: str | None = None
    if (m := _PHRASE.match(text)) is not None:
        step, unit = _step(m.group("when")), m.group("unit").lower()
        if unit in {"jaar", "kalenderjaar"}:
            value = str(year + step)
        elif unit == "maand" and month is not None:
            y, mo = divmod(year * 12 + month - 1 + step, 12)
            value = f"{y:04d}-{mo + 1:02d}"
        elif unit == "kwartaal" and month is not None:
            y, q = divmod(year * 4 + (month - 1) // 3 + step, 4)
            value = f"{y:04d}-{q * 3 + 1:02d}/{y:04d}-{q * 3 + 3:02d}"
    elif (m := _MONTH_PHRASE.match(text)) is not None and month is not None:
        named = DUTCH_MONTHS.get(m.group("month").lower())
        if named is not None:
            # "afgelopen maart" is the last March before the document's month, "komende maart" the next one
            past = _step(m.group("when")) < 0
            y = year - (named >= month) if past else year + (named <= month)
            value = f"{y:04d}-{named:02d}"
    if value is None:
        return None
    return value, f"{value} ({DERIVED}: '{text}', document {document_date})"

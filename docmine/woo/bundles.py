"""Bundles split into their documents: boundaries from stamped numbers, first-page layouts and the inventory.

A stamp ('Document 12', 'Documentnummer: 0012', 'Nr. 12') near the top or bottom of a page starts document 12;
pages without one continue the document before, unless their top reads like a first page (Van:, Onderwerp:,
Notitie...). Corrections (split at / merge at a page) are applied last, so they survive a new analysis.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docmine.model import Page, WooPart
from docmine.nlp.dates import find_dates

_STAMP = re.compile(
    r"(?:^|\n)\s*(?:document(?:nummer|nr\.?)?|doc\.?\s*nr\.?|nr\.?)\s*[:#.]?\s*(\d{1,6})\s*(?:$|\n)", re.I
)
_FIRST_PAGE = re.compile(r"^\s*(?:van|from|aan|onderwerp|notitie|nota|memo|verslag|agenda|besluit|brief)\b\s*:?", re.I)
_EDGE_LINES = 3


def stamp_of(page: Page) -> str | None:
    """The document number stamped at the top or bottom of ``page`` (leading zeros dropped)."""
    lines = [ln for ln in page.text.splitlines() if ln.strip()]
    edge = "\n".join(lines[:_EDGE_LINES] + lines[-_EDGE_LINES:])
    m = _STAMP.search("\n" + edge + "\n")
    return str(int(m.group(1))) if m else None


def _starts_document(page: Page) -> bool:
    lines = [ln for ln in page.text.splitlines() if ln.strip() and not _STAMP.search("\n" + ln + "\n")]
    return bool(lines) and bool(_FIRST_PAGE.match(lines[0]))


def split(
    parent: str,
    pages: Sequence[Page],
    known_numbers: Sequence[str] = (),
    corrections: Sequence[tuple[int, str]] = (),
) -> list[WooPart]:
    """The documents in a bundle. ``known_numbers``: the inventory's numbers, to name a document whose stamp is
    missing; ``corrections``: (page, 'split'|'merge') a person made."""
    starts: dict[int, tuple[str | None, str]] = {}
    current: str | None = None
    for page in pages:
        stamp = stamp_of(page)
        if stamp is not None and stamp != current:
            starts[page.number] = (stamp, "stamp")
            current = stamp
        elif stamp is None and page.number > 1 and _starts_document(page):
            starts[page.number] = (None, "layout")
            current = None
    if pages and pages[0].number not in starts:
        starts[pages[0].number] = (stamp_of(pages[0]), "layout")
    for page_no, action in corrections:
        if action == "split":
            starts[page_no] = (starts.get(page_no, (None, ""))[0], "correction")
        elif action == "merge":
            starts.pop(page_no, None)
    _name_unstamped(starts, known_numbers)
    last = pages[-1].number if pages else 0
    firsts = sorted(starts)
    by_number = {p.number: p for p in pages}
    parts = []
    for i, first in enumerate(firsts):
        end = firsts[i + 1] - 1 if i + 1 < len(firsts) else last
        number, origin = starts[first]
        parts.append(
            WooPart(parent, number, first, end, _title(by_number.get(first)), _date(by_number.get(first)), origin)
        )
    return parts


def _name_unstamped(starts: dict[int, tuple[str | None, str]], known: Sequence[str]) -> None:
    """A document without a stamp takes the one inventory number that falls between its neighbours' numbers."""
    ordered = sorted(starts)
    used = {n for n, _ in starts.values() if n}
    numeric = sorted({int(k) for k in known if k.isdigit()} - {int(u) for u in used if u.isdigit()})
    for first in ordered:
        number, origin = starts[first]
        if number is not None:
            continue
        digits = [(p, n) for p in ordered if (n := starts[p][0]) is not None and n.isdigit()]
        before = next((n for p, n in reversed(digits) if p < first), None)
        after = next((n for p, n in digits if p > first), None)
        lo = int(before) if before else 0
        hi = int(after) if after else 10**9
        between = [n for n in numeric if lo < n < hi]
        if len(between) == 1:
            starts[first] = (str(between[0]), "inventory" if origin == "layout" else origin)
            numeric.remove(between[0])


def _title(page: Page | None) -> str:
    if page is None:
        return ""
    for line in page.text.splitlines():
        m = re.match(r"\s*onderwerp\s*:\s*(.+)", line, re.I)
        if m:
            return m.group(1).strip()[:200]
    lines = [ln.strip() for ln in page.text.splitlines() if ln.strip() and not _STAMP.search("\n" + ln + "\n")]
    return lines[0][:200] if lines else ""


def _date(page: Page | None) -> str | None:
    if page is None:
        return None
    found = [d[2] for d in find_dates(page.text[:800]) if d[2] and len(d[2]) == 10]
    return found[0] if found else None

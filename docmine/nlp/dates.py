"""Dutch date expressions to ISO 8601: ``find_dates`` finds them in prose, ``parse_date`` normalises one.

Values: full dates ``2022-07-01``, month ``2021-02``, year ``2015``, no year ``--05-12``, intervals
``2015/2019`` and ``2021-01/2021-06``. A bare year only counts after a temporal word (per, in, sinds ...),
so the 2015 in ``Wmo 2015`` or ``Aanbestedingswet 2012`` is never a date.
"""

from __future__ import annotations

import calendar
import re

from docmine.model import DUTCH_MONTHS
from docmine.nlp.spans import without_overlaps

__all__ = ["find_dates", "parse_date"]

_MONTHS: dict[str, int] = DUTCH_MONTHS
_MONTH_ABBR: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "febr": 2,
    "mrt": 3,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_FULL = "|".join(_MONTHS)
_MONTH_ANY = rf"(?:{_MONTH_FULL}|(?:{'|'.join(sorted(_MONTH_ABBR, key=len, reverse=True))})\.?)"
_YEAR = r"(?:1[89]\d\d|20\d\d|2100)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_L = r"(?<![\w.,/:-])"
_R = r"(?![\w/:-]|[.,]\d)"

# each pattern opens with a one-character lookahead so the engine skips most positions cheaply
_ISO = re.compile(rf"(?=[12]){_L}(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d){_R}")
_NUMERIC = re.compile(
    rf"(?=\d){_L}(?P<d>{_DAY})(?P<sep>[-./])(?P<m>1[0-2]|0?[1-9])(?P=sep)(?P<y>{_YEAR}){_R}"
)
_DAY_MONTH = re.compile(
    # a year glued to the next word ("9 maart 2021onder") is a PDF extraction artefact, still a date
    rf"(?=\d){_L}(?P<d>{_DAY})(?:e|ste|de)?\s+(?P<month>{_MONTH_ANY})(?:\s+(?P<y>{_YEAR})(?![\d-])|(?!\w))"
    rf"(?P<jl>\s+(?:jl|j\.l)\.)?",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(
    rf"(?=[jfmasondJFMASOND])(?<![\w-])(?P<month>{_MONTH_ANY})\s+(?P<y>{_YEAR})(?![\w-])", re.IGNORECASE
)
_PART = re.compile(
    rf"(?=[etdvlqhETDVLQH1-4])(?<!\w)(?P<part>(?:eerste|1e|tweede|2e|derde|3e|vierde|4e|laatste)\s+(?:helft|halfjaar|kwartaal)|"
    rf"Q[1-4]|H[12])(?:\s+(?:van\s+)?(?:het\s+jaar\s+)?)(?P<y>{_YEAR})(?![\w-])",
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(
    rf"(?=[12]){_L}(?P<y1>{_YEAR})\s*(?:-|–|—|/|t/m|tot\s+en\s+met|tot)\s*(?P<y2>{_YEAR}){_R}", re.IGNORECASE
)
_CUED_YEAR = re.compile(
    rf"(?=[pisvtnmbeujdkPISVTNMBEUJDK])(?<!\w)(?P<cue>per|in|sinds|vanaf|vanuit|tot|t/m|na|voor|medio|begin|eind|einde|eind-|uiterlijk|"
    rf"jaar|boekjaar|begrotingsjaar|dienstjaar|kalenderjaar|schooljaar|jaarrekening|jaarverslag|peiljaar)"
    rf"\s+(?P<y>{_YEAR})(?![\w-]|(?-i:\s?[A-Z]{{2}}\b)|[.,]\d)",
    re.IGNORECASE,
)
_PART_MONTHS: dict[str, tuple[int, int]] = {
    "eerste helft": (1, 6),
    "tweede helft": (7, 12),
    "eerste halfjaar": (1, 6),
    "tweede halfjaar": (7, 12),
    "laatste helft": (7, 12),
    "eerste kwartaal": (1, 3),
    "tweede kwartaal": (4, 6),
    "derde kwartaal": (7, 9),
    "vierde kwartaal": (10, 12),
    "laatste kwartaal": (10, 12),
    "h1": (1, 6),
    "h2": (7, 12),
    "q1": (1, 3),
    "q2": (4, 6),
    "q3": (7, 9),
    "q4": (10, 12),
}
_ORDINALS = {"1e": "eerste", "2e": "tweede", "3e": "derde", "4e": "vierde"}


def _month_number(word: str) -> int | None:
    word = word.lower().rstrip(".")
    return _MONTHS.get(word) or _MONTH_ABBR.get(word)


def _valid(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    last = calendar.monthrange(year if year is not None else 2000, month)[1]
    return day <= last


def _iso(year: str | None, month: int, day: int | None) -> str | None:
    y = int(year) if year else None
    if day is not None and not _valid(y, month, day):
        return None
    if day is None:
        return f"{y:04d}-{month:02d}" if y is not None else None
    return f"{y:04d}-{month:02d}-{day:02d}" if y is not None else f"--{month:02d}-{day:02d}"


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """All date expressions in ``text`` as ``(start, end, iso)``; longer expressions win over parts."""
    found: list[tuple[int, int, str]] = []
    for m in _ISO.finditer(text):
        iso = _iso(m.group("y"), int(m.group("m")), int(m.group("d")))
        if iso:
            found.append((m.start(), m.end(), iso))
    for m in _NUMERIC.finditer(text):
        iso = _iso(m.group("y"), int(m.group("m")), int(m.group("d")))
        if iso:
            found.append((m.start(), m.end(), iso))
    for m in _DAY_MONTH.finditer(text):
        month = _month_number(m.group("month"))
        is_abbr = m.group("month").lower().rstrip(".") not in _MONTHS
        if month is None or (is_abbr and not m.group("y")):
            continue  # "12 jan" without a year is too often a name or a code
        iso = _iso(m.group("y"), month, int(m.group("d")))
        if iso:
            found.append((m.start(), m.end(), iso))
    for m in _MONTH_YEAR.finditer(text):
        month = _month_number(m.group("month"))
        if month is not None:
            found.append((m.start(), m.end(), f"{m.group('y')}-{month:02d}"))
    for m in _PART.finditer(text):
        part = " ".join(m.group("part").lower().split())
        first = part.split()[0]
        part = part.replace(first, _ORDINALS.get(first, first), 1)
        months = _PART_MONTHS.get(part)
        if months:
            y = m.group("y")
            found.append((m.start(), m.end(), f"{y}-{months[0]:02d}/{y}-{months[1]:02d}"))
    for m in _YEAR_RANGE.finditer(text):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if y1 < y2 <= y1 + 50:
            found.append((m.start(), m.end(), f"{y1}/{y2}"))
    for m in _CUED_YEAR.finditer(text):
        found.append((m.start("y"), m.end("y"), m.group("y")))
    return without_overlaps(found)


def parse_date(text: str) -> str | None:
    """The ISO 8601 value of one date expression (``1 juli 2022`` -> ``2022-07-01``), or None."""
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    if re.fullmatch(_YEAR, stripped):
        return stripped
    found = find_dates(stripped)
    return found[0][2] if found else None

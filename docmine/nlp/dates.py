"""Dutch date expressions to ISO 8601: ``find_dates`` finds them in prose, ``parse_date`` normalises one.

Values: full dates ``2022-07-01``, month ``2021-02``, year ``2015``, no year ``--05-12`` or ``--11``, intervals
``2015/2019``, ``2021-01/2021-06`` and ``2004-10-18/2010-02-02``; None for relative phrases (``dit jaar``). A bare year only counts after a temporal word (per, in, sinds ...),
so the 2015 in ``Wmo 2015`` or ``Aanbestedingswet 2012`` is never a date.
"""

from __future__ import annotations

import calendar
import re

from docmine.model import DUTCH_MONTHS
from docmine.nlp.amounts import parse_numeral
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
_NUMERIC = re.compile(rf"(?=\d){_L}(?P<d>{_DAY})(?P<sep>[-./])(?P<m>1[0-2]|0?[1-9])(?P=sep)(?P<y>{_YEAR}){_R}")
_DAY_MONTH = re.compile(
    # a year glued to the next word ("9 maart 2021onder") is a PDF extraction artefact, still a date
    rf"(?=\d){_L}(?P<d>{_DAY})(?:e|ste|de)?\s+(?P<month>{_MONTH_ANY})(?:\s+(?P<y>{_YEAR})(?![\d-])|(?!\w))"
    rf"(?P<jl>\s+(?:jl|j\.l)(?:\.|(?=\[\d)))?",  # "11 oktober jl[7]." before a footnote mark
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(
    rf"(?=[jfmasondJFMASOND])(?<![\w-])(?P<month>{_MONTH_ANY})\s+(?P<y>{_YEAR})(?![\w-])", re.IGNORECASE
)
_PART = re.compile(
    rf"(?=[etdvlqhETDVLQH1-4])(?<!\w)(?P<part>(?:eerste|1e|tweede|2e|derde|3e|vierde|4e|laatste)\s+"
    rf"(?:helft|half\s*jaar|kwartaal)|"
    rf"Q[1-4]|H[12])(?:\s+(?:van\s+)?(?:het\s+jaar\s+)?)(?P<y>{_YEAR})(?![\w-])",
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(
    rf"(?=[12]){_L}(?P<y1>{_YEAR})\s*(?:-|–|—|/|t/m|tot\s+en\s+met|tot)\s*(?P<y2>{_YEAR}){_R}", re.IGNORECASE
)
_CUED_YEAR = re.compile(
    rf"(?=[pisvtnmbeujdkPISVTNMBEUJDK])(?<!\w)(?P<cue>per|in|sinds|vanaf|vanuit|uit|van|tot(?:\s+en\s+met)?|t/m|na|voor|"
    rf"medio|begin|eind|einde|eind-|uiterlijk|"
    rf"jaar|boekjaar|begrotingsjaar|dienstjaar|kalenderjaar|schooljaar|jaarrekening|jaarverslag|peiljaar|"
    rf"jaarstukken|begroting|programmabegroting|voorjaarsnota|najaarsnota|kadernota|subsidieverlening|subsidiejaar|"
    rf"kosten|verantwoording|"
    rf"miljoenennota|meicirculaire|septembercirculaire|decembercirculaire)"
    rf"\s+(?P<y>{_YEAR})(?![\w-]|(?-i:\s?[A-Z]{{2}}\b)|[.,]\d)",
    re.IGNORECASE,
)
_SEASON = re.compile(
    rf"(?=[vnzwlhVNZWLH])(?<!\w)(?P<season>voorjaar|najaar|zomer|winter|lente|herfst)(?:\s+van)?\s+(?P<y>{_YEAR})"
    rf"(?![\w-])",
    re.IGNORECASE,
)
# "dit jaar", "afgelopen voorjaar": a date the reader resolves; no ISO value
_RELATIVE = re.compile(
    r"(?=[dvkaeblmDVKAEBLM])(?<!\w)(?:(?:eind|einde|begin|medio|loop)\s+van\s+(?:het|dit|dat|volgend|vorig)\s+jaar|"
    r"(?:dit|deze|vorig|vorige|volgend|volgende|komend|komende|afgelopen)\s+"
    r"(?:jaar|voorjaar|najaar|zomer|winter|kwartaal|halfjaar|schooljaar|kalenderjaar|maand))(?!\w)",
    re.IGNORECASE,
)
# "jaarlijks ... over het afgelopen kalenderjaar": a period that recurs every year, no date
_RECURRING = re.compile(r"(?<!\w)(?i:jaarlijks|ieder\s+jaar|elk\s+jaar)(?!\w)")
_RECURRING_WINDOW = 200
# "afgelopen januari", "komende maart": a month of a year the reader resolves
_RELATIVE_MONTH = re.compile(rf"(?<!\w)(?i:afgelopen|komende|vorige|volgende)\s+(?P<month>{_MONTH_FULL})(?!\w|\s+\d)")
# "12 mei jl.", "april a.s.": the last or next such date
_PAST_OR_NEXT = r"jl\.|j\.l\.|jongstleden|a\.s\.|aanstaande"
_CUED_MONTH = re.compile(
    rf"(?=[ipvstbenmhuIPVSTBENMHU])(?<!\w)(?i:in|per|vanaf|sinds|tot|begin|eind|einde|medio|half|uiterlijk|"
    rf"voor|na|rond|eind-)\s*(?P<month>{_MONTH_FULL})(?!\w|\s+{_YEAR}|\s+\d)"
    rf"|(?<![\w-])(?P<month_jl>{_MONTH_FULL})(?=\s+(?i:{_PAST_OR_NEXT})(?!\w))"
)
# "begin jaren negentig", "de jaren »80": a decade, ISO 8601 "199"
_DECADE_WORDS = {"twintig": 2, "dertig": 3, "veertig": 4, "vijftig": 5, "zestig": 6, "zeventig": 7, "tachtig": 8,
                 "negentig": 9}  # fmt: skip
_DECADE_ONE = r"(?:(?P<word{n}>" + "|".join(_DECADE_WORDS) + r")|['’»]?(?P<digits{n}>[2-9]0))(?![\w'’-])"
_DECADE = re.compile(
    r"(?<!\w)(?i:jaren)\s+(?P<first>" + _DECADE_ONE.format(n=1) + r")"
    r"(?:\s+(?:en|of)\s+(?P<second>" + _DECADE_ONE.format(n=2) + "))?"
)
# "in het najaar": the season of the current year, no ISO value
_CUED_SEASON = re.compile(
    r"(?<!\w)(?i:in\s+het|het\s+komende|het\s+afgelopen)\s+(?P<season>voorjaar|najaar|zomer|winter)(?!\w)"
    r"|(?<!\w)(?i:in|rond|voor|na|tijdens|na\s+afloop\s+van)\s+de\s+(?P<de_season>zomer|winter)(?!\w)"
)
# "week 1 van 2022", "week 12 2021": an ISO week
_WEEK = re.compile(rf"(?<!\w)(?i:week)\s+(?P<w>[1-9]|[1-4]\d|5[0-3])\s+(?:van\s+)?(?P<y>{_YEAR})(?![\w-]|[.,]\d)")
# "tussen 2018 en 2021", "tussen april en juni": one interval
_BETWEEN = re.compile(
    rf"(?<!\w)(?i:tussen)\s+(?:(?P<y1>{_YEAR})\s+en\s+(?P<y2>{_YEAR})(?![\w-]|[.,]\d)"
    rf"|(?P<m1>{_MONTH_FULL})\s+en\s+(?P<m2>{_MONTH_FULL})(?!\w|\s+\d))"
)
# "de eerste 4 maanden van 2022": the first or last months of a year
_MONTHS_OF_YEAR = re.compile(
    rf"(?<!\w)(?P<which>(?i:eerste|laatste))\s+(?P<n>[1-9]|1[01]|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf)"
    rf"\s+maanden\s+van\s+(?:het\s+jaar\s+)?(?P<y>{_YEAR})(?![\w-]|[.,]\d)"
)
# a year closing a quoted title is its edition: "«Zo Doende 2020»", "het MER «Schiphol 2003»"
_TITLE_YEAR = re.compile(rf"(?<=\s)(?P<y>{_YEAR})(?=»)")
# a year alone in brackets, as after a report's title: "«De Staat van Natuur Caribisch Nederland» (2017)"
_BRACKETED_YEAR = re.compile(rf"(?<=\()(?P<y>{_YEAR})(?=\))")
# days the calendar names: "Prinsjesdag" (the third Tuesday of September), "Koningsdag 2023"
_NAMED_DAY = re.compile(
    r"(?<![\w-])(?P<day>Prinsjesdag|Verantwoordingsdag|Koningsdag|Bevrijdingsdag|Nieuwjaarsdag|Oudejaarsdag)"
    rf"(?:\s+(?P<y>{_YEAR})(?![\w-]|[.,]\d))?"
)
# month, and the day or (for a weekday rule) the n-th weekday of that month: 1 = Tuesday, 2 = Wednesday
_NAMED_DAYS: dict[str, tuple[int, int, int | None]] = {
    "Prinsjesdag": (9, 3, 1),
    "Verantwoordingsdag": (5, 3, 2),
    "Koningsdag": (4, 27, None),
    "Bevrijdingsdag": (5, 5, None),
    "Nieuwjaarsdag": (1, 1, None),
    "Oudejaarsdag": (12, 31, None),
}
# any year a compound names: "uitkeringsjaar 2013", "belastingjaar 2021", "ontwerpbegroting 2016"
_COMPOUND_YEAR = re.compile(rf"(?:(?<=[a-z]jaar)|(?<=[a-z]begroting))\s+(?P<y>{_YEAR})(?![\w-]|[.,]\d)")
# words that belong to the date phrase: "begin 2020", "half april 2003", "12 mei jl.", "februari van dit jaar"
# ("loop van 2021", "tweede helft van januari 2003")
_QUALIFIER = re.compile(
    r"(?i:(?<!\w)(?:begin|eind|einde|medio|half|midden|halverwege|maandag|dinsdag|woensdag|donderdag|vrijdag|"
    r"zaterdag|zondag)\s+|(?<!\w)eind-|(?<!\w)(?:(?:begin|eind|einde|loop|midden)|(?:eerste|tweede|laatste)\s+helft)"
    r"\s+van\s+)$"
)
_SUFFIX = re.compile(
    rf"(?:\s+(?:{_PAST_OR_NEXT}|van\s+dit\s+jaar|van\s+het\s+vorige?\s+jaar|"
    r"van\s+vorig\s+jaar|van\s+volgend\s+jaar))(?!\w)",
    re.IGNORECASE,
)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|t/m|tot\s+en\s+met|tot)\s*")
_EN = re.compile(r"\s+en\s+")
_BETWEEN_BEFORE = re.compile(r"(?i:\btussen)\s+$")
_WORD_RANGE_JOIN = re.compile(r"\s+(?:t/m|tot\s+en\s+met|tot)\s+")  # between dates of different precision
_NEXT_YEAR = re.compile(rf"\s*(?:,|en|of)\s*(?P<y>{_YEAR})(?![\w-]|[.,]\d)")
_DAY_BEFORE = re.compile(rf"(?<![\w.,/:-])(?P<d>{_DAY})\s*(?:,|en|of|op|tot|t/m|-|–)\s*$", re.IGNORECASE)
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


def find_dates(text: str) -> list[tuple[int, int, str | None]]:
    """All date expressions in ``text`` as ``(start, end, iso)``; longer expressions win over parts.

    ``iso`` is None for a relative phrase ("dit jaar", "afgelopen voorjaar").
    """
    found: list[tuple[int, int, str | None]] = []
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
        part = " ".join(m.group("part").lower().split()).replace("half jaar", "halfjaar")
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
    for m in _SEASON.finditer(text):
        found.append((m.start(), m.end(), m.group("y")))
    for m in _CUED_MONTH.finditer(text):
        group = "month" if m.group("month") else "month_jl"
        found.append((m.start(group), m.end(group), f"--{_MONTHS[m.group(group)]:02d}"))
    for m in _DECADE.finditer(text):  # "de jaren »80 en »90": two decades
        for n, start, end in ((1, m.start(), m.end("first")), (2, m.start("second"), m.end("second"))):
            word, digits = m.group(f"word{n}"), m.group(f"digits{n}")
            if word or digits:
                found.append((start, end, f"19{_DECADE_WORDS[word.lower()] if word else digits[0]}"))
    found += [(m.start(), m.end(), None) for m in _RELATIVE.finditer(text) if not _recurring(text, m.start())]
    found += [(m.start(), m.end(), f"--{_MONTHS[m.group('month')]:02d}") for m in _RELATIVE_MONTH.finditer(text)]
    for m in _CUED_SEASON.finditer(text):
        group = "season" if m.group("season") else "de_season"
        found.append((m.start(group), m.end(group), None))
    found += [(m.start("y"), m.end("y"), m.group("y")) for m in _COMPOUND_YEAR.finditer(text)]
    found += [
        (m.start(), m.end(), m.group("y")) for m in (*_BRACKETED_YEAR.finditer(text), *_TITLE_YEAR.finditer(text))
    ]
    for m in _MONTHS_OF_YEAR.finditer(text):
        count, year = parse_numeral(m.group("n")) or int(m.group("n")), m.group("y")
        low, high = (1, count) if m.group("which").lower() == "eerste" else (13 - count, 12)
        found.append((m.start(), m.end(), f"{year}-{low:02d}/{year}-{high:02d}"))
    found += [(m.start(), m.end(), _named_day(m.group("day"), m.group("y"))) for m in _NAMED_DAY.finditer(text)]
    found += [(m.start(), m.end(), f"{m.group('y')}-W{int(m.group('w')):02d}") for m in _WEEK.finditer(text)]
    for m in _BETWEEN.finditer(text):
        if m.group("y1"):
            if m.group("y1") < m.group("y2"):
                found.append((m.start("y1"), m.end("y2"), f"{m.group('y1')}/{m.group('y2')}"))
        else:
            between = f"--{_MONTHS[m.group('m1')]:02d}/--{_MONTHS[m.group('m2')]:02d}"
            found.append((m.start("m1"), m.end("m2"), between))
    return _join_ranges(text, without_overlaps([_widen(text, span) for span in found]))


def _recurring(text: str, start: int) -> bool:
    """A "jaarlijks" earlier in the same sentence makes a relative phrase a recurring period."""
    window = text[max(0, start - _RECURRING_WINDOW) : start]
    window = window[max(window.rfind(". "), window.rfind(";"), window.rfind("\n\n")) + 1 :]
    return bool(_RECURRING.search(window))


def _named_day(name: str, year: str | None) -> str | None:
    """``Prinsjesdag 2022`` -> ``2022-09-20``; a fixed day without a year -> ``--04-27``; else None."""
    month, day, weekday = _NAMED_DAYS[name]
    if weekday is not None:  # the day-th such weekday of the month
        if year is None:
            return None
        first = (weekday - calendar.weekday(int(year), month, 1)) % 7 + 1
        return f"{year}-{month:02d}-{first + 7 * (day - 1):02d}"
    if name == "Koningsdag" and year is not None and calendar.weekday(int(year), 4, 27) == 6:
        day = 26  # on a Sunday it moves to the Saturday before
    return f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _widen(text: str, span: tuple[int, int, str | None]) -> tuple[int, int, str | None]:
    """Take in a qualifier before ("begin 2020") and a relative suffix after ("12 mei jl.")."""
    start, end, value = span
    before = _QUALIFIER.search(text, max(0, start - 24), start)
    if before is not None and (not before.group(0).lower().startswith("loop") or value is not None and len(value) == 4):
        start = before.start()  # "loop van 2021", but "in de loop van september 2022" is the month
        if "helft" in before.group(0).lower() and value is not None and len(value) == 7 and value[0].isdigit():
            last = calendar.monthrange(int(value[:4]), int(value[5:]))[1]
            second = not before.group(0).lower().startswith("eerste")
            value = f"{value}-16/{value}-{last}" if second else f"{value}-01/{value}-15"
    suffix = _SUFFIX.match(text, end)
    if suffix is not None and value is not None and not value[:4].isdigit():
        end = suffix.end()
    return start, end, value


def _join_ranges(text: str, spans: list[tuple[int, int, str | None]]) -> list[tuple[int, int, str | None]]:
    """ "1 mei 2020 tot en met 2 juni 2021" -> one interval; the "10" of "10 of 11 februari" gets its own date."""
    out: list[tuple[int, int, str | None]] = []
    for start, end, value in spans:
        prev = out[-1] if out else None
        joined = _interval(text, prev, start, value) if prev is not None else None
        if prev is not None and joined is not None:
            out[-1] = (prev[0], end, joined)
            continue
        day = _DAY_BEFORE.search(text, max(0, start - 14), start) if value and len(value) >= 8 else None
        if value is not None and day is not None and (prev is None or prev[1] <= day.start()):
            iso = _iso(value[:4] if value[0].isdigit() else None, int(value[-5:-3]), int(day.group("d")))
            if iso is not None and iso < value:
                out.append((day.start("d"), day.end("d"), iso))
        out.append((start, end, value))
    return _coordinated_years(text, out)


def _interval(text: str, prev: tuple[int, int, str | None], start: int, value: str | None) -> str | None:
    """The ISO interval of two dates written as one range, or None when they are two dates."""
    first, between = prev[2], text[prev[1] : start]
    if first is None or value is None:
        return None
    dated = first[:1].isdigit() and value[:1].isdigit() and first[:4] <= value[:4]
    if dated and (
        len(first) == len(value) == 10 and _RANGE_JOIN.fullmatch(between) or _WORD_RANGE_JOIN.fullmatch(between)
    ):
        return f"{first}/{value}"
    # "van 20 september tot 14 november": days of one unstated year
    if len(first) == len(value) == 7 and first[:2] == value[:2] == "--" and first < value:
        return f"{first}/{value}" if _WORD_RANGE_JOIN.fullmatch(between) else None
    if not (_EN.fullmatch(between) and _BETWEEN_BEFORE.search(text, max(0, prev[0] - 10), prev[0])):
        return None
    # "tussen september 2017 en oktober 2021"
    if dated:
        return f"{first}/{value}"
    # "tussen 10 oktober en 31 december 2022": the second date's year holds for the first
    if first[:2] == "--" and len(value) == 10 and f"{value[:4]}{first[1:]}" < value:
        return f"{value[:4]}{first[1:]}/{value}"
    return None


def _coordinated_years(text: str, spans: list[tuple[int, int, str | None]]) -> list[tuple[int, int, str | None]]:
    """ "in 2004 en 2006": a year joined to a dated year by en/of/comma is a date too."""
    out = list(spans)
    taken = {s for s, _, _ in spans}
    for _, end, value in spans:
        while value is not None and len(value) == 4 and (m := _NEXT_YEAR.match(text, end)) is not None:
            if m.start("y") in taken:
                break
            out.append((m.start("y"), m.end("y"), m.group("y")))
            taken.add(m.start("y"))
            end, value = m.end("y"), m.group("y")
    return sorted(out, key=lambda s: (s[0], s[1]))


def parse_date(text: str) -> str | None:
    """The ISO 8601 value of one date expression (``1 juli 2022`` -> ``2022-07-01``), or None."""
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    if re.fullmatch(_YEAR, stripped):
        return stripped
    found = find_dates(stripped)
    return found[0][2] if len(found) == 1 else None

"""Checkable numbers in a sentence for trace: counts of things ("187 aanbieders"), percentages and years.

Euros and full dates come from the entity mentions; these are the other numbers a statement can get wrong.
A count is keyed by the stem of the noun it counts, so "190 aanbieders" and "187 aanbieders" are the same
quantity with different values, while "187 aanbieders" and "18 documenten" are not comparable.
"""

from __future__ import annotations

import re

from docmine.nlp.analyzer import STOP_WORDS, Analyzer, fold

# A number (1.450 / 3,9 / 36) and what follows it, up to two words ("ruim 430 jeugdzorgaanbieders",
# "36 procent", "14 ondersteuningsprofielen"). Amounts with a currency are MONEY mentions, not counts.
_NUMBER = re.compile(
    r"(?<![\w€$.,/-])(?P<num>\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)(?![\w.,/-]*\d)\s*(?P<unit>%|[^\W\d_]+)?(?:\s+(?P<next>[^\W\d_]+))?"
)
_PERCENT = {"%", "procent", "pct", "procentpunt"}
_SCALE = {"miljoen", "miljard", "mln", "mld", "ton", "duizend", "euro", "eur"}  # money, left to MONEY mentions
_TIME = {"uur", "minuten", "seconden"}
_YEAR = re.compile(r"^(19|20)\d\d$")
_MONTHS = set("januari februari maart april mei juni juli augustus september oktober november december".split())


_KINDS = ("COUNT:", "PERCENT=", "YEAR=")


def _value(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def quantities(text: str, analyzer: Analyzer) -> set[str]:
    """``COUNT:stem=value``, ``PERCENT=value`` and ``YEAR=yyyy`` for each checkable number in ``text``."""
    out: set[str] = set()
    for m in _NUMBER.finditer(text):
        num, unit, nxt = m.group("num"), fold(m.group("unit") or ""), fold(m.group("next") or "")
        before = text[max(0, m.start() - 2) : m.start()]
        if "€" in before or unit in _SCALE or nxt in _SCALE or unit in _TIME or unit in _MONTHS:
            continue  # money, a clock time or a date: compared through the mentions
        if "-" in before:
            continue  # the second half of a range or a date such as 2-12-2020
        if unit in _PERCENT:
            out.add(f"PERCENT={_value(num):g}")
        elif _YEAR.match(num) and "." not in num:
            out.add(f"YEAR={num}")
        elif unit and unit not in STOP_WORDS:
            out.add(f"COUNT:{analyzer.stem(unit)}={_value(num):g}")
        elif unit in STOP_WORDS and nxt and nxt not in STOP_WORDS:
            out.add(f"COUNT:{analyzer.stem(nxt)}={_value(num):g}")  # "ruim 430 van de aanbieders" is rare: skip
    return out


def conflicts(mine: set[str], theirs: set[str]) -> list[str]:
    """'what: mine vs theirs' where both sides state the same kind of quantity and no value agrees
    (other values in the sets, such as mentions, are left to the caller)."""
    out = []
    for key in sorted({q.split("=", 1)[0] for q in mine if q.startswith(_KINDS)}):
        a = {q.split("=", 1)[1] for q in mine if q.split("=", 1)[0] == key}
        b = {q.split("=", 1)[1] for q in theirs if q.split("=", 1)[0] == key}
        if a and b and not (a & b):
            label = key.replace("COUNT:", "COUNT ")
            out.append(f"{label}: {', '.join(sorted(a))} vs {', '.join(sorted(b))}")
    return out

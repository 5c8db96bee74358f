"""Filters as a person types them, checked once for every front end: dates, labels."""

from __future__ import annotations

import re

from docmine.errors import QueryError
from docmine.model import LABELS, label_of


class FilterError(QueryError):
    """A filter value that cannot be used; ``field`` names the filter so each front end can point at its control."""

    def __init__(self, field: str, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.field = field


def _filter_date(field: str, value: str | None) -> str | None:
    """An ISO date, month or year (2021, 2021-03, 2021-03-15): documents are compared by their ISO date text."""
    if not value:
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise FilterError(field, f"{value!r} is not a date", "use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021-03")
    return value


def filter_dates(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``(since, until)`` checked as ``_filter_date`` does, and in order: "--since 2023 --until 2020" matches
    nothing, which looked like a search that found nothing."""
    since, until = _filter_date("since", since), _filter_date("until", until)
    # the first day since can mean against the last day until can mean: 2021-03 runs to 2021-03-31
    if since and until and since + "-01-01"[len(since) - 4 :] > until + "-12-31"[len(until) - 4 :]:
        raise FilterError("since", f"{since} is after --until {until}", "give the earlier date to --since")
    return since, until


def parse_label(label: str | None) -> str | None:
    """The label as stored (upper case), None for None; an unknown label is a QueryError."""
    if label is None:
        return None
    found = label_of(label)
    if found is None:
        raise QueryError(f"unknown label {label!r}", "one of: " + ", ".join(LABELS))
    return found

"""Search filters are checked by the service, so the CLI and the TUI refuse the same values the same way."""

from __future__ import annotations

import pytest

from docmine.errors import QueryError
from docmine.model import Filters
from docmine.service import Docmine, FilterError


def test_filters_from_what_a_person_typed(dm: Docmine) -> None:
    filters = dm.filters(["raadsbrief"], "2021", "2022-03-15", "gemeente Groningen", ["money"], "RIGG")
    assert filters == Filters(
        doc_types=("raadsbrief",),
        since="2021",
        until="2022-03-15",
        municipality="GM0014",
        labels=("MONEY",),
        entity="RIGG",
    )
    assert dm.filters() == Filters()


@pytest.mark.parametrize(
    ("kwargs", "message", "hint"),
    [
        ({"since": "gisteren"}, "'gisteren' is not a date", "use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021-03"),
        ({"until": "2021-3"}, "'2021-3' is not a date", "use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2021-03"),
        ({"doc_types": ["brief"]}, "unknown document type 'brief'", "one of: raadsbrief, "),
        ({"labels": ["bedrag"]}, "unknown label 'bedrag'", "one of: MUNICIPALITY, "),
        ({"municipality": "Atlantis"}, "unknown municipality 'Atlantis'", "use a current name or a code"),
    ],
)
def test_bad_filters_name_the_problem_not_a_flag(dm: Docmine, kwargs: dict, message: str, hint: str) -> None:
    with pytest.raises(QueryError) as info:
        dm.filters(**kwargs)
    assert info.value.message == message and info.value.hint.startswith(hint)
    assert "--" not in info.value.hint


def test_a_bad_date_says_which_filter(dm: Docmine) -> None:
    with pytest.raises(FilterError) as info:
        dm.filters(until="morgen")
    assert info.value.field == "until"


@pytest.mark.parametrize(
    ("since", "until", "refused"),
    [
        ("2023", "2020", True),
        ("2021-02-01", "2021-01-31", True),
        ("2021-03", "2021", False),  # March 2021 lies within 2021
        ("2021", "2021-01", False),  # so does January
        ("2021-12-31", "2021-12", False),
        ("2022", None, False),
    ],
)
def test_since_after_until_is_refused(dm: Docmine, since: str, until: str | None, refused: bool) -> None:
    """The two the wrong way round matched nothing, which looked like a search that found nothing."""
    if not refused:
        assert dm.filters(since=since, until=until).since == since
        return
    with pytest.raises(FilterError) as info:
        dm.filters(since=since, until=until)
    assert info.value.field == "since"
    assert info.value.message == f"{since} is after --until {until}"


def test_an_unknown_status_is_refused(dm: Docmine) -> None:
    with pytest.raises(FilterError) as info:
        dm.documents("klaar")  # listed "0 documents"
    assert info.value.field == "status" and info.value.hint.startswith("one of: ok, failed")
    assert dm.documents("failed") == []

"""Relative dates resolved against the document's date, the value marked as derived."""

from __future__ import annotations

import pytest

from docmine.model import Page
from docmine.nlp.pipeline import Extractor
from docmine.nlp.relative import resolve_relative


@pytest.mark.parametrize(
    ("phrase", "document_date", "value"),
    [
        ("dit jaar", "2017-03-05", "2017"),
        ("vorig jaar", "2017-03-05", "2016"),
        ("afgelopen jaar", "2017", "2016"),
        ("volgend jaar", "2017-12-31", "2018"),
        ("komende jaar", "2017-06", "2018"),
        ("begin van volgend jaar", "2017-06-01", "2018"),
        ("vorige maand", "2017-01-15", "2016-12"),
        ("deze maand", "2017-03-15", "2017-03"),
        ("volgende maand", "2017-12-01", "2018-01"),
        ("vorig kwartaal", "2017-02-10", "2016-10/2016-12"),
        ("dit kwartaal", "2017-05-10", "2017-04/2017-06"),
        ("afgelopen maart", "2017-03-05", "2016-03"),
        ("afgelopen maart", "2017-06-05", "2017-03"),
        ("komende maart", "2017-01-05", "2017-03"),
        ("komende maart", "2017-03-05", "2018-03"),
    ],
)
def test_resolved(phrase: str, document_date: str, value: str) -> None:
    assert resolve_relative(phrase, document_date) == (
        value,
        f"{value} (afgeleid: '{phrase}', document {document_date})",
    )


@pytest.mark.parametrize(
    ("phrase", "document_date"),
    [
        ("dit jaar", None),  # no document date: nothing to resolve against
        ("vorige maand", "2017"),  # a month needs the document's month
        ("afgelopen voorjaar", "2017-03-05"),  # which spring is unclear around the turn of the season
        ("dat jaar", "2017-03-05"),  # refers to a year named elsewhere
    ],
)
def test_unresolved(phrase: str, document_date: str | None) -> None:
    assert resolve_relative(phrase, document_date) is None


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _dates(extractor: Extractor, text: str, date: str | None) -> list[tuple[str, object, object]]:
    found = extractor.extract("d", [Page(1, text)], document_date=date)
    return [(m.text, m.value, m.canonical) for m in found if m.label == "DATE"]


def test_extractor_resolves_against_the_document_date(extractor: Extractor) -> None:
    text = "Dit jaar geeft de gemeente meer uit dan vorig jaar; vorige maand kwam het rapport uit."
    assert _dates(extractor, text, "2017-03-05") == [
        ("Dit jaar", "2017", "2017 (afgeleid: 'Dit jaar', document 2017-03-05)"),
        ("vorig jaar", "2016", "2016 (afgeleid: 'vorig jaar', document 2017-03-05)"),
        ("vorige maand", "2017-02", "2017-02 (afgeleid: 'vorige maand', document 2017-03-05)"),
    ]


def test_without_a_document_date_relative_dates_keep_no_value(extractor: Extractor) -> None:
    text = "Dit jaar geeft de gemeente meer uit dan op 3 maart 2016."
    assert _dates(extractor, text, None) == [("Dit jaar", None, None), ("3 maart 2016", "2016-03-03", None)]

"""Dates to ISO 8601: exact values, the numbers that are not dates, and no crash on any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docmine.nlp.dates import find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2-12-2020", "2020-12-02"),
        ("12 mei", "--05-12"),
        ("1 juli 2022", "2022-07-01"),
        ("februari 2021", "2021-02"),
        ("per 2015", "2015"),
        ("eerste helft van 2021", "2021-01/2021-06"),
        ("tweede helft 2021", "2021-07/2021-12"),
        ("2015-2019", "2015/2019"),
        ("2015 t/m 2019", "2015/2019"),
        ("1-7-2022", "2022-07-01"),
        ("01.07.2022", "2022-07-01"),
        ("2022-07-01", "2022-07-01"),
        ("op 3 maart jl.", "--03-03"),
        ("Q3 2021", "2021-07/2021-09"),
        ("1e kwartaal 2022", "2022-01/2022-03"),
        ("29 feb. 2024", "2024-02-29"),
        ("2015", "2015"),
        ("Begin 2020", "2020"),
        ("half april 2003", "2003-04"),
        ("najaar van 2021", "2021"),
        ("15 november a.s.", "--11-15"),
        ("1 januari van dit jaar", "--01-01"),
        ("18 oktober 2004 tot en met 2 februari 2010", "2004-10-18/2010-02-02"),
        ("in november", "--11"),
        ("jaarstukken 2014", "2014"),
    ],
)
def test_parse_date(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["31-2-2020", "Wmo 2015", "", "12 jan", "2019-13-01"])
def test_parse_date_none(text: str) -> None:
    assert parse_date(text) is None


def found(text: str) -> list[tuple[str, str | None]]:
    return [(text[s:e], iso) for s, e, iso in find_dates(text)]


def test_council_letter() -> None:
    text = (
        "Groningen, 2 december 2020. Op 3 maart jl. besloot de raad (vergadering 29 juni 2015) de inkoop "
        "per 1-7-2022 te starten; in 2017 en in de periode 2015 - 2019 gold het oude contract."
    )
    assert found(text) == [
        ("2 december 2020", "2020-12-02"),
        ("3 maart jl.", "--03-03"),
        ("29 juni 2015", "2015-06-29"),
        ("1-7-2022", "2022-07-01"),
        ("2017", "2017"),
        ("2015 - 2019", "2015/2019"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "De Wmo 2015 en de Aanbestedingswet 2012 gelden.",
        "Zie artikel 2.3 en artikel 10 lid 2.",
        "Het bedrag is € 2.015,00 of 2015 euro.",
        "Postcode 2015 AB Haarlem, in 2015 AB.",
        "Bel 023-5112015 of 14 023.",
        "Zaak 2021/123456 en Z-2021-12345.",
        "Versie 1.7.2022b van het document.",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_input_crashes(text: str) -> None:
    parse_date(text)
    for start, end, iso in find_dates(text):
        assert 0 <= start < end <= len(text)
        assert isinstance(iso, str)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789-./ meijulimaartQ12helftvan", max_size=40))
def test_no_crash_on_date_like_input(text: str) -> None:
    parse_date(text)
    find_dates(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an alternative day takes the month and year of the date after it
        ("op 10 of 11 februari 2003", [("10", "2003-02-10"), ("11 februari 2003", "2003-02-11")]),
        ("in de nacht van 9 op 10 september 2008", [("9", "2008-09-09"), ("10 september 2008", "2008-09-10")]),
        # relative phrases are dates without an ISO value
        ("Dit jaar starten de eerste netwerken.", [("Dit jaar", None)]),
        ("Afgelopen voorjaar heb ik gesproken.", [("Afgelopen voorjaar", None)]),
        ("Eind 2021 is een brochure verspreid.", [("Eind 2021", "2021")]),
        # a month alone only after a temporal word; a year alone never after a law's name
        ("Ik stuur uw Kamer in november het plan.", [("november", "--11")]),
        ("Mei de Vries en de Wmo 2015.", []),
        ("Eind april informeren wij u.", [("Eind april", "--04")]),
        ("op maandag 13 augustus 2012", [("maandag 13 augustus 2012", "2012-08-13")]),
        ("die in het najaar verschijnt", [("najaar", None)]),
        ("de uitkomsten rond de zomer en na de winter", [("zomer", None), ("winter", None)]),
        ("Voor het uitkeringsjaar 2013 worden de bedragen vastgesteld.", [("2013", "2013")]),
        ("Tussen 2018 en 2021 is de veestapel gekrompen.", [("2018 en 2021", "2018/2021")]),
        ("de besprekingen die tussen april en juni plaatsvonden", [("april en juni", "--04/--06")]),
        (
            "een studie over de periode van 20 september tot 14 november.",
            [("20 september tot 14 november", "--09-20/--11-14")],
        ),
        ("Meerjarenperspectief 2016-2020 en ontwerpbegroting 2016", [("2016-2020", "2016/2020"), ("2016", "2016")]),
        (
            "gemeenten die tussen 10 oktober en 31 december 2022 opvang boden",
            [("10 oktober en 31 december 2022", "2022-10-10/2022-12-31")],
        ),
        ("In week 1 van 2022 hadden de GGD’en een record.", [("week 1 van 2022", "2022-W01")]),
        ("Tot en met 2019 zijn de bedragen geïndexeerd.", [("2019", "2019")]),
        ("zoals afgelopen januari door de universiteit", [("afgelopen januari", "--01")]),
        ("doorgerekend op basis van de kosten 2022, zodat", [("2022", "2022")]),
        (
            "hanteerden sinds begin jaren negentig een vergoeding; uit de jaren »80",
            [("begin jaren negentig", "199"), ("jaren »80", "198")],
        ),
        ("naar aanleiding van de verkiezingen van april jl. in Hongarije", [("april jl.", "--04")]),
        ("In de loop van het jaar zal de staatssecretaris", [("loop van het jaar", None)]),
        (
            "aan het eind van het jaar, nog voor het einde van dit jaar",
            [("eind van het jaar", None), ("einde van dit jaar", None)],
        ),
        (
            "in de periode tussen september 2017 en\noktober 2021.",
            [("september 2017 en\noktober 2021", "2017-09/2021-10")],
        ),
        (
            "de loodsen (in 2004 en 2006) en de meicirculaire 2022",
            [("2004", "2004"), ("2006", "2006"), ("2022", "2022")],
        ),
        ("in de periode vanaf 2015 tot begin november 2022", [("2015 tot begin november 2022", "2015/2022-11")]),
        # the part of a year or month is part of the date; "in de loop van" a month leaves the month
        ("In de loop van 2021 kwam hij in beeld.", [("loop van 2021", "2021")]),
        ("te weten in de loop van september 2022.", [("september 2022", "2022-09")]),
        (
            "Vanaf de tweede helft van januari 2003 heeft hij",
            [("tweede helft van januari 2003", "2003-01-16/2003-01-31")],
        ),
        (
            "het halfjaarverslag over het eerste half jaar\nvan 2021.",
            [("eerste half jaar\nvan 2021", "2021-01/2021-06")],
        ),
        ("in de eerste 4 maanden van 2022 196.000 ton", [("eerste 4 maanden van 2022", "2022-01/2022-04")]),
        ("Uit de landelijke monitor studentenhuisvesting van 2021 blijkt", [("2021", "2021")]),
        # a report's year in brackets; days the calendar names, dated when a year is stated
        ("In «De Staat van Natuur Caribisch Nederland» (2017) wordt", [("2017", "2017")]),
        ("Op Prinsjesdag wordt u geïnformeerd.", [("Prinsjesdag", None)]),
        (
            "de stukken van Prinsjesdag 2022 en Verantwoordingsdag 2021",
            [("Prinsjesdag 2022", "2022-09-20"), ("Verantwoordingsdag 2021", "2021-05-19")],
        ),
        (
            "Koningsdag 2025 valt op een zaterdag, Bevrijdingsdag niet",
            [("Koningsdag 2025", "2025-04-26"), ("Bevrijdingsdag", "--05-05")],
        ),
        # a recurring period is no date; decades and a "jl" before a footnote mark are
        ("De stichting legt jaarlijks een verslag af over het afgelopen kalenderjaar.", []),
        ("Wij leggen verantwoording af over het afgelopen jaar.", [("afgelopen jaar", None)]),
        ("slachtoffers uit de jaren »80 en »90.", [("jaren »80", "198"), ("»90", "199")]),
        ("de stand op 11 oktober jl[7]. aangepast", [("11 oktober jl", "--10-11")]),
        ("op het MER «Schiphol 2003». En «Zo Doende 2020»", [("2003", "2003"), ("2020", "2020")]),
    ],
)
def test_date_phrases(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert found(text) == expected

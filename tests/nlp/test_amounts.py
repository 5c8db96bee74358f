"""Euro amounts: exact values for real Dutch phrasings, the non-money numbers, and no crash on any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docmine.nlp.amounts import find_amounts, find_other_amounts, parse_amount, parse_number, parse_numeral


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("€ 160 miljoen", 160e6),
        ("150 miljoen euro", 150e6),
        ("EUR 1,2 mln", 1.2e6),
        ("€ 1.234.567,89", 1234567.89),
        ("€1.5 mld", 1.5e9),
        ("3 ton", 300_000.0),
        ("2,5 miljard euro", 2.5e9),
        ("€ 450.000,-", 450_000.0),
        ("ruim € 12 miljoen", 12e6),
        ("circa EUR 3,5 mln", 3.5e6),
        ("twee miljoen euro", 2e6),
        ("€ 1,5 m", 1.5e6),
        ("€ 75,50", 75.5),
        ("€ 80 000", 80_000.0),
        ("€\u00a01 250 000,50", 1_250_000.5),
        ("65 mln. euro", 65e6),
        ("2 000 euro", 2000.0),
    ],
)
def test_parse_amount(text: str, value: float) -> None:
    assert parse_amount(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "geen bedrag", "50.000 inwoners", "12%", "1.2.3.4"])
def test_parse_amount_none(text: str) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234.567,89", 1234567.89),
        ("1,2", 1.2),
        ("1.5", 1.5),
        ("450.000", 450000.0),
        ("1,234,567", 1234567.0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


def spans(text: str) -> list[tuple[str, float]]:
    return [(text[s:e], v) for s, e, v in find_amounts(text)]


def test_bare_miljoen_after_money_word() -> None:
    assert spans("De uitgaven bedragen 160 miljoen in 2021.") == [("160 miljoen", 160e6)]
    assert spans("Het tekort loopt op tot 2,5 miljard.") == [("2,5 miljard", 2.5e9)]


def test_an_amount_just_before_is_a_money_cue() -> None:
    text = "Daarbij reserveert het kabinet 600 miljoen per jaar, met een aanloop van 200 miljoen in 2022."
    assert spans(text) == [("600 miljoen", 600e6), ("200 miljoen", 200e6)]
    assert spans("Het budget is € 3 miljoen; er komen 4 miljoen bezoekers.") == [("€ 3 miljoen", 3e6)]
    assert spans("In 2021 reserveerde het kabinet 40 miljoen.") == [("40 miljoen", 40e6)]
    assert spans("Het budget is € 3 miljoen. Daarna kwamen 4 miljoen.") == [("€ 3 miljoen", 3e6)]


def test_bare_miljoen_without_money_word_is_not_money() -> None:
    assert spans("Nederland telt 17 miljoen mensen.") == []
    assert spans("Het budget is bedoeld voor 17 miljoen inwoners.") == []


def test_qualifier_is_outside_the_span() -> None:
    assert spans("Er is ruim € 12 miljoen extra nodig, waarvan 3 ton voor jeugd.") == [
        ("€ 12 miljoen", 12e6),
        ("3 ton", 300_000.0),
    ]


def test_range_gives_both_amounts_with_the_shared_scale() -> None:
    assert spans("Het tekort loopt op tot € 10 à 12 miljoen per jaar.") == [("€ 10", 10e6), ("12 miljoen", 12e6)]
    assert spans("Vanuit DGNEAR wordt steun verleend, EUR\n30–40 mln. per jaar.") == [
        ("EUR\n30", 30e6),
        ("40 mln.", 40e6),
    ]


def test_alternatives_share_the_currency() -> None:
    text = "De schepen hebben een scheepshuur van respectievelijk 63.250 en 86.250 euro per dag."
    assert spans(text) == [("63.250", 63_250.0), ("86.250 euro", 86_250.0)]
    assert spans("Het kost 5 of 6 miljoen euro.") == [("5", 5e6), ("6 miljoen euro", 6e6)]


def test_a_year_before_an_amount_is_no_range() -> None:
    assert spans("Begroting 2019 – € 2.500.000 voor jeugd.") == [("€ 2.500.000", 2_500_000.0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("extra kredietruimte van 250.000,-- gegeven", ("250.000,--", 250_000.0)),
        ("| 40 | Vast bedrag voor Amsterdam | 189.367.109,91 |", ("189.367.109,91", 189_367_109.91)),
        ("een geldboete van EUR 3.000,00 (drieduizend euro), bij", ("drieduizend euro", 3000.0)),
        ("griffierecht van € 207,00 (tweehonderdzeven euro)", ("tweehonderdzeven euro", 207.0)),
        ("ten bedrage van vijfentwintigduizend euro", ("vijfentwintigduizend euro", 25_000.0)),
        ("de ondergrond van het park voor de prijs van één Euro.", ("één Euro", 1.0)),
    ],
)
def test_figures_only_money_is_written_as(text: str, expected: tuple[str, float]) -> None:
    assert expected in spans(text)


@pytest.mark.parametrize(
    ("word", "value"),
    [("drieduizend", 3000), ("tweehonderdzeven", 207), ("vijfentwintig", 25), ("tweeëntwintig", 22),
     ("vijfendertig", 35), ("honderd", 100), ("elfduizendvierhonderd", 11_400), ("zeventienhonderdvijftig", 1750), ("tafel", None),
     ("", None), ("enen", None)],
)  # fmt: skip
def test_parse_numeral(word: str, value: int | None) -> None:
    assert parse_numeral(word) == value


def test_council_sentence() -> None:
    text = "De raad stelt een krediet beschikbaar van € 450.000,- en verhoogt het budget met EUR 1,2 mln."
    assert spans(text) == [("€ 450.000,-", 450_000.0), ("EUR 1,2 mln.", 1.2e6)]  # the abbreviation keeps its dot


@pytest.mark.parametrize(
    "text",
    [
        "Bel 020-1234567 of 06-12345678.",
        "Postcode 1781 AB Den Helder.",
        "Zaaknummer Z-2021-12345 en kenmerk 2021/123456.",
        "Zie pagina 12 en bijlage 3.",
        "In 2015 en 2016 is het beleid herzien.",
        "De gemeente heeft 50.000 inwoners.",
        "Het aantal ging van 80 naar 13 contracten.",
        "Een stijging van 12% of 3,5 procent.",
        "Artikel 2.3, tweede lid, van de Jeugdwet.",
        "Het perceel meet 1.234,56 m2 en de weg 2.345,10 km.",
        "Het aandeel steeg tot 1.234,56 % van de norm.",
        "In de periode 2015-2019 en 2020 tot 2022.",
        "Het gaat om twee of drie kinderen en een euro-obligatie.",
        "Draag kniebeschermers en bij voorkeur een helm.",  # "eur een" ends a word
        "De VN heeft een bedrag van USD 20 miljoen vrijgemaakt.",  # no euros
        "De uitstoot bedraagt geschat 59 ton ammoniak per jaar.",  # a weight
    ],
)
def test_not_money(text: str) -> None:
    assert find_amounts(text) == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_input_crashes(text: str) -> None:
    parse_amount(text)
    for start, end, value in find_amounts(text):
        assert 0 <= start < end <= len(text)
        assert isinstance(value, float)
    for start, end, other in find_other_amounts(text):
        assert 0 <= start < end <= len(text)
        assert isinstance(other, str)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="€0123456789.,- miljoenmlndEURton", max_size=40))
def test_no_crash_on_money_like_input(text: str) -> None:
    parse_amount(text)
    find_amounts(text)


def test_number_words() -> None:
    assert spans("De kosten bedragen anderhalf miljard.") == [("anderhalf miljard", 1.5e9)]
    assert spans("Er is een half miljoen euro nodig.") == [("een half miljoen euro", 0.5e6)]
    assert spans("Er wonen twee miljoen mensen.") == []


def test_bare_miljoen_with_a_money_word_after_it() -> None:
    text = "Het kabinet heeft structureel 65 miljoen vrijgemaakt; daarvan gaat 124 miljoen naar investeringen."
    assert [v for _, _, v in find_amounts(text)] == [65e6, 124e6]
    assert find_amounts("Nederland telt 18 miljoen inwoners, vrijgemaakt of niet.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # guilders in older rulings: the value keeps the currency, it is not converted
        ("De griffier heeft een recht geheven van ƒ 809,--.", [("ƒ 809,--", "NLG 809.00")]),
        ("een belastbaar inkomen van ƒ 259.802. Na bezwaar", [("ƒ 259.802", "NLG 259802.00")]),
        (
            "een boete van fl. 1.250,00 en f 250,-- aan kosten",
            [("fl. 1.250,00", "NLG 1250.00"), ("f 250,--", "NLG 250.00")],
        ),
        ("een schadevergoeding van 100.000 gulden", [("100.000 gulden", "NLG 100000.00")]),
        ("De VN heeft een bedrag van USD 20 miljoen vrijgemaakt.", [("USD 20 miljoen", "USD 20000000.00")]),
        ("de oproep om 1,7\nmiljard dollar vrij te maken", [("1,7\nmiljard dollar", "USD 1700000000.00")]),
        ("£ 300 en 3 pond sterling", [("£ 300", "GBP 300.00"), ("3 pond sterling", "GBP 3.00")]),
        # a pound is also a weight; "f" alone only before cents or a dash; "onder f" is a list item
        ("een pond gehakt kost 5 euro", []),
        ("artikel 3, onder f, 2 leden", []),
    ],
)
def test_other_currencies(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(text[s:e], v) for s, e, v in find_other_amounts(text)] == expected


def test_guilders_are_no_euro_amount() -> None:
    assert find_amounts("De griffier heeft een recht geheven van ƒ 809,-- en fl. 1.250,00.") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ƒ$£¥0123456789.,- miljoendollarguldenUSDf", max_size=40))
def test_other_currencies_never_crash(text: str) -> None:
    for start, end, value in find_other_amounts(text):
        assert 0 <= start < end <= len(text)
        code, amount = value.split(" ")
        assert len(code) == 3 and float(amount) >= 0

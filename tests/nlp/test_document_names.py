"""Names as one document uses them: its own acronym expansions, recurring names, names inside compounds."""

from __future__ import annotations

import pytest

from docmine.model import Page
from docmine.nlp.pipeline import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _found(extractor: Extractor, text: str, label: str) -> list[tuple[str, object, object]]:
    return [(m.text, m.value, m.canonical) for m in extractor.extract("d", [Page(1, text)]) if m.label == label]


def test_table_knows_the_acronym(extractor: Extractor) -> None:
    # the baseline the next test departs from: "AP" alone is the supervisor the table names
    assert _found(extractor, "De AP kijkt mee.", "ORGANIZATION") == [
        ("AP", "Autoriteit Persoonsgegevens", "Autoriteit Persoonsgegevens")
    ]


def test_the_documents_own_expansion_wins_over_the_table(extractor: Extractor) -> None:
    text = "De Actiegroep Pleegouders (AP) schreef de raad. Later vroeg de AP om meer geld."
    assert _found(extractor, text, "ORGANIZATION") == [
        ("Actiegroep Pleegouders", "Actiegroep Pleegouders", "Actiegroep Pleegouders"),
        ("AP", "Actiegroep Pleegouders", "Actiegroep Pleegouders"),
        ("AP", "Actiegroep Pleegouders", "Actiegroep Pleegouders"),
    ]


def _mentions(extractor: Extractor, pages: list[str], labels: set[str]) -> list[tuple[int, str, str, object]]:
    found = extractor.extract("d", [Page(i + 1, text) for i, text in enumerate(pages)])
    return [(m.ref.page, m.label, m.text, m.value) for m in found if m.label in labels]


def test_a_surname_alone_after_the_full_name_is_the_same_person(extractor: Extractor) -> None:
    pages = ["Wethouder Kees de Boer opende de vergadering.", "Volgens De Boer is het geld op. Anna de Boer zweeg."]
    assert _mentions(extractor, pages, {"PERSON"}) == [
        (1, "PERSON", "Kees de Boer", "Kees de Boer"),
        (2, "PERSON", "De Boer", "Kees de Boer"),
        (2, "PERSON", "Anna de Boer", "Anna de Boer"),  # another first name: another person
    ]


def test_a_surname_never_named_in_full_stays_unfound(extractor: Extractor) -> None:
    assert _mentions(extractor, ["Volgens De Boer is het geld op."], {"PERSON"}) == []


def test_an_organisation_found_once_is_found_where_it_recurs(extractor: Extractor) -> None:
    # the pattern finds the body by its legal form once; the bare name later is the same body
    text = "Zorgbureau Noordwest B.V. kreeg de opdracht. Later bleek Zorgbureau Noordwest failliet."
    assert _mentions(extractor, [text], {"ORGANIZATION", "LOCATION"}) == [
        (1, "ORGANIZATION", "Zorgbureau Noordwest B.V.", "Zorgbureau Noordwest B.V."),
        (1, "ORGANIZATION", "Zorgbureau Noordwest", "Zorgbureau Noordwest B.V."),  # no longer a place "Noordwest"
    ]


def test_names_inside_hyphenated_compounds(extractor: Extractor) -> None:
    text = "De PvdA-wethouder en de GGD-arts spraken met de VVD-fractie en andere GGD-en."  # a plural is no body
    assert _mentions(extractor, [text], {"ORGANIZATION"}) == [
        (1, "ORGANIZATION", "PvdA", "PvdA"),
        (1, "ORGANIZATION", "GGD", "GGD"),
        (1, "ORGANIZATION", "VVD", "VVD"),
    ]


def test_a_person_ends_where_van_de_organisation_begins(extractor: Extractor) -> None:
    text = "Wethouder Kees de Boer van de Jeugdbescherming Noord en Jan van de Berg spraken."
    assert _mentions(extractor, [text], {"PERSON"}) == [
        (1, "PERSON", "Kees de Boer", "Kees de Boer"),
        (1, "PERSON", "Jan van de Berg", "Jan van de Berg"),  # a surname with "van de" stays whole
    ]

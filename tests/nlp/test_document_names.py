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

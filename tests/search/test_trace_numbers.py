"""Trace compares every number a statement states: counts of things, percentages and years, not only euros."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hashing_case import hashing_case

from docmine.embed import HashingEmbedder
from docmine.nlp.analyzer import Analyzer
from docmine.search.numbers import conflicts, quantities
from docmine.search.searcher import Searcher

DOCS = {
    "raadsbrief.txt": "Tot 1 december 2021 hebben 187 aanbieders een verzoek tot toetreding ingediend bij de RIGG.",
    "rapport.txt": "De uitgaven aan specialistische jeugdhulp stegen in de periode 2015-2020 met 36 procent.",
    "sport.txt": "De gemeente opent in 2023 een nieuw zwembad met een wedstrijdbad en een recreatiebad.",
}


@pytest.fixture
def searcher(tmp_path: Path) -> Iterator[Searcher]:
    with hashing_case(tmp_path, DOCS) as dm:
        yield Searcher(dm.store, Analyzer(), HashingEmbedder(64))


def test_a_wrong_count_of_things_is_a_conflict(searcher: Searcher) -> None:
    sources = searcher.trace("Tot 1 december 2021 hebben 190 aanbieders een verzoek tot toetreding ingediend.")
    top = sources[0]
    assert Path(top.path).name == "raadsbrief.txt"
    assert "COUNT aanbieder: 190 vs 187" in top.conflicts


def test_the_right_count_is_shared_not_a_conflict(searcher: Searcher) -> None:
    top = searcher.trace("Tot 1 december 2021 hebben 187 aanbieders een verzoek tot toetreding ingediend.")[0]
    assert "COUNT:aanbieder=187" in top.shared and top.conflicts == ()


def test_a_wrong_percentage_is_a_conflict(searcher: Searcher) -> None:
    top = searcher.trace("De uitgaven aan specialistische jeugdhulp stegen in 2015-2020 met 40 procent.")[0]
    assert Path(top.path).name == "rapport.txt"
    assert "PERCENT: 40 vs 36" in top.conflicts


def test_a_statement_without_checkable_content_says_so(searcher: Searcher) -> None:
    sources = searcher.trace("Dit is een goed idee.")
    assert list(sources) == []
    assert sources.notice is not None and sources.notice.startswith("nothing checkable")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Het aantal groeide tot 432 aanbieders in 2020.", {"COUNT:aanbieder=432", "YEAR=2020"}),
        ("ruim 1.450 jeugdigen wachtten langer dan tien weken", {"COUNT:jeugdig=1450"}),
        ("Een daling van 20% na 1 juli 2022", {"PERCENT=20", "YEAR=2022"}),
        ("€ 160 miljoen, 3,9 miljoen euro, om 19.30 uur, op 2-12-2020", set()),  # money and dates: mentions
    ],
)
def test_quantities(text: str, expected: set[str]) -> None:
    assert quantities(text, Analyzer()) == expected


def test_conflicts_compare_like_with_like() -> None:
    mine = {"COUNT:aanbieder=190", "PERCENT=40", "MONEY=160000000.00"}
    assert conflicts(mine, {"COUNT:aanbieder=187", "COUNT:contract=13", "PERCENT=40"}) == [
        "COUNT aanbieder: 190 vs 187"
    ]
    assert conflicts(mine, {"COUNT:contract=13"}) == []

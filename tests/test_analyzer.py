"""Decompounding and stemming decisions, on the Dutch words users type."""

from __future__ import annotations

import pytest

from docmine.nlp.analyzer import Analyzer, fold


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("jeugdzorgaanbieders", ("jeugdzorg", "aanbieders")),
        ("inkoopmodel", ("inkoop", "model")),
        ("besluitenlijst", ("besluit", "lijst")),
        ("raadsvoorstel", ("raad", "voorstel")),
        ("tekortenbeleid", ("tekort", "beleid")),
        ("kinderen", ()),  # a common word, not kind+eren
        ("onderzoek", ()),  # onder- is a prefix, not a part
        ("wethouder", ()),
        ("aanbieders", ()),
    ],
)
def test_decompounding(analyzer: Analyzer, word: str, parts: tuple[str, ...]) -> None:
    assert analyzer.parts(word) == parts


def test_compound_terms_include_nested_parts(analyzer: Analyzer) -> None:
    assert analyzer.terms("jeugdzorgaanbieders") == ("jeugdzorgaanbieder", "jeugdzorg", "jeugd", "zorg", "aanbieder")


def test_classic_snowball_keeps_ge_words_apart(analyzer: Analyzer) -> None:
    assert analyzer.stem("gezinnen") != analyzer.stem("zin")
    assert analyzer.stem("gemeenten") == analyzer.stem("gemeente")


def test_fold() -> None:
    assert fold("Coördinatie Fryslân ÉÉN") == "coordinatie fryslan een"

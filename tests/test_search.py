"""Dutch full-text search on a real case file: stemming, compounds, phrases, accents, syntax, filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from docmine.errors import QueryError
from docmine.model import Filters
from docmine.service import Docmine

DOCS = {
    "aanbieders.txt": "Alle jeugdzorgaanbieders in de regio ondertekenden het convenant over wachtlijsten.",
    "inkoop.txt": "Het college kiest voor een nieuw inkoop model voor de jeugdhulp, met minder contracten.",
    "model.txt": "Het inkoopmodel Open House laat nieuwe aanbieder toe gedurende de looptijd.",
    "coordinatie.txt": "De coördinatie van de zorg ligt bij het wijkteam in Súdwest-Fryslân.",
    "groningen.txt": (
        "De nieuwe inkoop jeugdhulp in Groningen gaat op zijn vroegst per 1 juli 2022 in, zo meldt het college."
    ),
    "ruis.txt": "De gemeente Groningen opent een nieuwe bibliotheek in het centrum; de inkoop van boeken loopt.",
    "woo.txt": "Het verzoek is deels afgewezen op grond van artikel 5.1.2e Woo (persoonlijke levenssfeer).",
}


@pytest.fixture
def case(dm: Docmine, tmp_path: Path) -> Docmine:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = dm.ingest([folder])
    assert len(report.ingested) == len(DOCS)
    return dm


def names(dm: Docmine, query: str, limit: int = 10, **filters: object) -> list[str]:
    return [Path(h.path).name for h in dm.search(query, Filters(**filters), limit)]  # type: ignore[arg-type]


def test_plural_finds_the_compound(case: Docmine) -> None:
    assert set(names(case, "aanbieders")) == {"aanbieders.txt", "model.txt"}


def test_words_apart_find_the_compound(case: Docmine) -> None:
    assert names(case, "jeugdzorg aanbieder")[0] == "aanbieders.txt"


def test_compound_finds_words_apart_and_back(case: Docmine) -> None:
    assert set(names(case, "inkoopmodel")[:2]) == {"inkoop.txt", "model.txt"}
    assert set(names(case, '"inkoop model"')) == {"inkoop.txt", "model.txt"}


def test_accents_are_folded(case: Docmine) -> None:
    assert names(case, "coordinatie") == ["coordinatie.txt"]
    assert names(case, "Sudwest Fryslan") == ["coordinatie.txt"]
    assert names(case, "coördinatie") == ["coordinatie.txt"]


def test_a_question_is_ranked_not_required(case: Docmine) -> None:
    hits = names(case, "wanneer gaat de nieuwe inkoop jeugdhulp in Groningen in")
    assert hits[0] == "groningen.txt"
    assert "ruis.txt" in hits  # matches some terms, ranked lower, not dropped


def test_snippet_highlights_the_matched_words(case: Docmine) -> None:
    hit = next(h for h in case.search("nieuwe inkoop Groningen") if h.path.endswith("groningen.txt"))
    marked = {hit.snippet[s:e] for s, e in hit.marks}
    assert marked == {"nieuwe", "inkoop", "Groningen"}
    assert hit.ref.page == 1 and hit.ref.start == 0 and hit.ref.end == len(DOCS["groningen.txt"])


def test_phrase_required_and_excluded(case: Docmine) -> None:
    # A phrase matches on stems: "nieuw inkoop model" holds "nieuwe inkoop" too.
    assert set(names(case, '"nieuwe inkoop"')) == {"groningen.txt", "inkoop.txt"}
    # "inkoop" also matches the part of "inkoopmodel"; both lack "jeugdhulp".
    assert set(names(case, "inkoop -jeugdhulp")) == {"ruis.txt", "model.txt"}
    assert set(names(case, "inkoop NOT jeugdhulp")) == {"ruis.txt", "model.txt"}
    assert names(case, "+bibliotheek inkoop") == ["ruis.txt"]
    assert set(names(case, "bibliotheek OR wijkteam")) == {"ruis.txt", "coordinatie.txt"}
    assert names(case, "wachtlijst*") == ["aanbieders.txt"]


def test_woo_ground_as_typed(case: Docmine) -> None:
    assert names(case, "5.1.2e") == ["woo.txt"]


def test_filters(case: Docmine) -> None:
    assert names(case, "inkoop", doc_types=("motie",)) == []
    assert names(case, "inkoop", since="2030") == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "(",
        ")",
        "*",
        "AND",
        "OR OR",
        "NOT",
        "-",
        "+",
        "NEAR(a b)",
        "a:b",
        "col:inkoop",
        "^inkoop",
        "inkoop AND",
        '"unclosed phrase',
        "{inkoop}",
        "inkoop*jeugd",
        "\x00",
        "' OR 1=1; DROP TABLE documents; --",
        'inkoop"; DELETE FROM passages',
        "😀 inkoop",
        "a" * 999,
        "ü" * 200,
        "- - - +",
        "** inkoop **",
    ],
)
def test_hostile_queries_never_break_fts(case: Docmine, query: str) -> None:
    try:
        case.search(query)
    except QueryError as exc:
        assert exc.hint
    assert case.stats().documents == len(DOCS)


def test_nothing_to_search_is_a_clear_error(case: Docmine) -> None:
    with pytest.raises(QueryError, match="nothing to search for"):
        case.search("-inkoop")
    with pytest.raises(QueryError, match="characters long"):
        case.search("x" * 5001)

"""Hybrid result order: one place per document, exact titles and phrases on top, documents full-text search is
sure of next, long questions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hashing_case import hashing_case
from typer.testing import CliRunner

from docmine.cli import app
from docmine.errors import QueryError
from docmine.model import Document, Page, Passage, PassageRow, SourceRef
from docmine.nlp.analyzer import Analyzer
from docmine.search.fulltext import contains_run
from docmine.search.fusion import (
    LEAD_COVERAGE,
    PHRASE,
    SIZE_PRIOR,
    SURE_COVERAGE,
    SURE_DEPTH,
    SURE_MARGIN,
    TITLE,
    TITLE_PHRASE,
    exact_tiers,
    leading_document,
    one_place_per_document,
    prioritise,
    short_title,
    size_prior,
    sure_documents,
)
from docmine.search.query import KEY_TERMS, MAX_QUERY_CHARS, key_terms, parse_query
from docmine.search.ranked import Ranked
from docmine.service import Docmine

LAW_PARAGRAPH = (
    "Het college draagt zorg voor de inkoop van jeugdhulp en stelt regels over de inkoop van jeugdhulp, de "
    "kwaliteit van jeugdhulp en de toegang tot jeugdhulp. De inkoop van jeugdhulp gebeurt in regionaal "
    "verband wanneer dat voor de continuïteit van jeugdhulp nodig is. "
)
DOCS = {
    # one long document: many passages on the same subject
    "wet.md": "# Wet op de inkoop\n\n" + "\n\n".join(f"Artikel {i}. " + LAW_PARAGRAPH * 3 for i in range(1, 9)),
    "raadsbrief.md": "# Raadsbrief inkoop jeugdhulp 2022\n\nDe inkoop van jeugdhulp start per 1 juli 2022.",
    "motie.md": "# Motie minder aanbieders meer zorg\n\nDe raad vraagt minder aanbieders van jeugdhulp te contracteren.",
    "krant.md": "# Krantenbericht\n\nDe gemeenten kochten jeugdhulp in bij 430 aanbieders; de inkoop is duur.",
    "zwembad.md": "# Nieuw zwembad\n\nDe gemeente opent een zwembad met een wedstrijdbad.",
}


@pytest.fixture
def dm(tmp_path: Path) -> Iterator[Docmine]:
    with hashing_case(tmp_path, DOCS) as service:
        yield service


def _names(hits: list) -> list[str]:
    return [Path(h.path).name for h in hits]


def test_a_long_document_takes_one_place_until_every_document_had_its_turn(dm: Docmine) -> None:
    law_passages = sum(
        1 for pid in dm.store.all_passage_ids() if dm.store.passages([pid])[pid].title == "Wet op de inkoop"
    )
    assert law_passages >= 4  # the premise: the law is split into several passages about the subject
    hits = dm.search("inkoop van jeugdhulp", limit=10, mode="hybrid")
    names = _names(hits)
    first_round = names[: len(set(names))]
    assert len(first_round) == len(set(first_round))  # no document twice before every document was listed
    assert {"wet.md", "raadsbrief.md", "motie.md", "krant.md"} <= set(names[:4])
    assert names.count("wet.md") > 1  # its other passages still come, after the other documents


def test_an_exact_title_comes_first(dm: Docmine) -> None:
    # every word of this title occurs many times in the law; the motion only has them once, in its title
    hits = dm.search("Motie minder aanbieders meer zorg", limit=5, mode="hybrid")
    assert _names(hits)[0] == "motie.md"
    assert "title match" in hits[0].why


def test_a_phrase_typed_word_for_word_comes_first(dm: Docmine) -> None:
    hits = dm.search("start per 1 juli 2022", limit=5, mode="hybrid")
    assert _names(hits)[0] == "raadsbrief.md"
    assert "exact phrase" in hits[0].why


def test_a_clear_full_text_match_keeps_its_place(dm: Docmine) -> None:
    # every word only in the news item, not in a row: no phrase or title tier, text mode is sure of it
    text = dm.search("aanbieders duur gemeenten", limit=5, mode="text")
    assert _names(text)[0] == "krant.md"
    hits = dm.search("aanbieders duur gemeenten", limit=5, mode="hybrid")
    assert _names(hits)[0] == "krant.md"
    assert "clear full-text match" in hits[0].why
    assert "clear full-text match" not in hits[1].why  # the motion holds one of the three words


def test_full_text_is_sure_only_with_most_words_and_a_clear_lead() -> None:
    doc_of = {1: "a", 2: "a", 3: "b", 4: "c", 5: "d", 6: "e"}
    ranked = [Ranked(1, 10.0, ()), Ranked(2, 9.0, ()), Ranked(3, 5.0, ()), Ranked(4, 4.0, ()), Ranked(5, 3.0, ())]
    full = dict.fromkeys(range(1, 7), 1.0)
    assert SURE_DEPTH == 3 and SURE_COVERAGE == 0.75 and SURE_MARGIN == 1.3
    # passage 2 is document a's second passage: the lead is measured against the next document (10 vs 5)
    assert sure_documents(ranked, full, doc_of) == ["a", "b", "c"]
    assert sure_documents(ranked, {**full, 3: 0.5}, doc_of) == ["a", "c"]  # b holds half the words: skipped
    assert sure_documents(ranked, {**full, 1: 0.5}, doc_of) == []  # the first holds too few words
    close = [Ranked(1, 10.0, ()), Ranked(3, 8.0, ())]  # 10 < 1.3 x 8: no clear lead
    assert sure_documents(close, full, doc_of) == []
    assert sure_documents([Ranked(1, 2.0, ())], full, doc_of) == ["a"]  # alone: nothing to lead
    assert sure_documents([], full, doc_of) == []
    # order: title, phrase, sure documents in their order, then the rest as given
    fused = [Ranked(i, 1.0 / i, ()) for i in (6, 5, 4, 3, 2, 1)]
    order = prioritise(fused, {5: TITLE, 6: PHRASE}, ["c", "a"], doc_of)
    assert [r.passage_id for r in order] == [5, 6, 4, 2, 1, 3]
    assert order[2].why == ("clear full-text match",) and order[0].why == ("title match",)


def _row(pid: int, doc: str, title: str, text: str, analyzer: Analyzer) -> PassageRow:
    return PassageRow(
        pid, SourceRef(doc, 1, 0, len(text)), text, tuple(analyzer.index_text(text).split()), doc, title, "", None
    )


def test_tiers_and_order_without_a_store() -> None:
    analyzer = Analyzer()
    rows = {
        1: _row(1, "a", "Jeugdwet", "De Jeugdwet regelt de jeugdhulp.", analyzer),
        2: _row(2, "b", "Besluit Jeugdwet", "Regels ter uitvoering van de Jeugdwet.", analyzer),
        3: _row(3, "c", "Krant", "Wethouder: de Jeugdwet regelt de jeugdhulp niet goed.", analyzer),
    }
    assert exact_tiers(analyzer, parse_query("Jeugdwet", analyzer), rows) == {1: TITLE}
    tiers = exact_tiers(analyzer, parse_query("Jeugdwet regelt de jeugdhulp", analyzer), rows)
    assert tiers == {1: PHRASE, 3: PHRASE}
    ranked = [Ranked(2, 0.9, ()), Ranked(3, 0.8, ()), Ranked(1, 0.5, ())]
    assert [r.passage_id for r in prioritise(ranked, {1: TITLE, 3: PHRASE})] == [1, 3, 2]
    doc_of = {1: "a", 2: "a", 3: "b", 4: "a", 5: "c"}
    order = one_place_per_document([Ranked(i, 1.0 / i, ()) for i in (1, 2, 3, 4, 5)], doc_of)
    assert [r.passage_id for r in order] == [1, 3, 5, 2, 4]


def test_a_law_is_found_by_the_short_name_its_title_ends_with() -> None:
    analyzer = Analyzer()
    formal = "Wet van 1 maart 2014 inzake regels over de zorg aan jeugdigen (Jeugdwet)"
    decree = "Besluit van 16 december 2004 ter uitvoering van de Wet op de jeugdzorg (Uitvoeringsbesluit Wet op de jeugdzorg)"
    assert short_title(formal) == "Jeugdwet"
    assert short_title(decree) == "Uitvoeringsbesluit Wet op de jeugdzorg"
    assert short_title("Motie (aangenomen) minder aanbieders") == ""  # brackets inside a title name nothing
    rows = {
        1: _row(1, "a", formal, "Artikel 1. Deze wet regelt de jeugdhulp.", analyzer),
        2: _row(2, "b", decree, "Artikel 2. Regels over de jeugdzorg.", analyzer),
        # another document citing the decree word for word in its text
        3: _row(
            3, "c", "Regeling jeugdzorg", "Op grond van het Uitvoeringsbesluit Wet op de jeugdzorg geldt dit.", analyzer
        ),
        # a title holding the decree's name in a row, but more besides
        4: _row(4, "d", "Wijziging Uitvoeringsbesluit Wet op de jeugdzorg 2010", "Artikel I. Wijzigingen.", analyzer),
    }
    assert exact_tiers(analyzer, parse_query("Jeugdwet", analyzer), rows) == {1: TITLE}
    tiers = exact_tiers(analyzer, parse_query("Uitvoeringsbesluit Wet op de jeugdzorg", analyzer), rows)
    assert tiers == {2: TITLE, 3: PHRASE, 4: TITLE_PHRASE}
    ranked = [Ranked(3, 0.9, ()), Ranked(4, 0.8, ()), Ranked(2, 0.1, ())]
    order = prioritise(ranked, tiers)
    assert [r.passage_id for r in order] == [2, 4, 3]  # title, then the phrase in a title, then in a text
    assert [r.why[0] for r in order] == ["title match", "exact phrase in the title", "exact phrase"]


def test_text_mode_leads_when_its_first_document_alone_holds_most_words() -> None:
    doc_of = {1: "a", 2: "b", 3: "c", 4: "a"}
    text = [Ranked(1, 9.0, ()), Ranked(2, 8.5, ())]  # no clear lead in scores: full-text search is not sure
    assert LEAD_COVERAGE == 0.5
    assert sure_documents(text, {1: 0.67, 2: 0.33}, doc_of) == []
    # passage 3 came from the vectors only; passage 4 is a's second passage and holds the most words of a
    assert leading_document(text, {1: 0.67, 2: 0.33, 3: 0.33}, doc_of) == ["a"]
    assert leading_document(text, {1: 0.5, 2: 0.25, 3: 0.25}, doc_of) == []  # half the words is not most
    assert leading_document(text, {1: 0.67, 2: 0.33, 3: 0.67}, doc_of) == []  # another document holds as many
    assert leading_document([*text, Ranked(4, 1.0, ())], {1: 0.4, 2: 0.6, 4: 1.0}, doc_of) == ["a"]
    assert leading_document([], {1: 1.0}, doc_of) == []


def test_a_document_of_many_passages_pays_for_its_chances() -> None:
    doc_of = {1: "law", 2: "law", 3: "letter"}
    fused = [Ranked(1, 0.50, ("x",)), Ranked(2, 0.45, ()), Ranked(3, 0.40, ())]
    counts = {"law": 100, "letter": 1}
    assert SIZE_PRIOR == 0.04
    out = size_prior(fused, doc_of, counts)
    # 0.50 - 0.04 x ln(100) = 0.316 < 0.40: the letter's one passage now comes first
    assert [r.passage_id for r in out] == [3, 1, 2]
    assert out[0].score == pytest.approx(0.40) and out[1].score == pytest.approx(0.50 - 0.04 * 4.60517, abs=1e-5)
    assert out[1].why == ("x",)
    assert [r.passage_id for r in size_prior(fused, doc_of, {"law": 1, "letter": 1})] == [1, 2, 3]


def test_passages_are_counted_per_document(dm: Docmine, tmp_path: Path) -> None:
    by_doc: dict[str, list[int]] = {}
    for pid, row in dm.store.passages(dm.store.all_passage_ids()).items():
        by_doc.setdefault(row.ref.doc_id, []).append(pid)
    law = max(by_doc, key=lambda d: len(by_doc[d]))
    other = min(by_doc, key=lambda d: len(by_doc[d]))
    assert len(by_doc[law]) >= 4 and len(by_doc[other]) == 1
    assert dm.store.passages_per_document([law, other, law]) == {law: len(by_doc[law]), other: 1}
    assert dm.store.passages_per_document(["0" * 64]) == {"0" * 64: 0}
    assert dm.store.passages_per_document([]) == {}
    # the counts are kept between searches, but not past a change: the law stored again with one passage
    text = "Artikel 1. Alles in een."
    law_doc = Document(doc_id=law, path=str(tmp_path / "wet.md"), size=len(text), format="text", pages=(Page(1, text),))
    dm.store.add_document(law_doc, [Passage(law, 1, 0, len(text), text)], [Analyzer().index_text(text)])
    assert dm.store.passages_per_document([law, other]) == {law: 1, other: 1}


def test_a_long_question_searches_on_its_rarest_words(dm: Docmine) -> None:
    analyzer = Analyzer()
    filler = " ".join(f"woord{i}" for i in range(60))
    question = f"Wat weet u over het wedstrijdbad? {filler} " * 3
    parsed = parse_query(question, analyzer, max_clauses=None)
    assert len(parsed.should) > KEY_TERMS
    counts = dm.store.term_document_counts(t for c in parsed.should for t in c.terms)
    kept = key_terms(parsed, counts, dm.store.passage_count())
    assert len(kept.should) == KEY_TERMS
    assert "wedstrijdbad" in {c.text.strip("?") for c in kept.should}  # the one word the case file knows
    long_question = (question + " ") * (4000 // len(question) + 1)
    long_question = long_question[:4900]
    for mode in ("text", "hybrid"):
        hits = dm.search(long_question, limit=3, mode=mode)
        assert _names(hits)[0] == "zwembad.md", mode


def test_a_question_over_the_limit_is_a_clear_error(dm: Docmine, tmp_path: Path) -> None:
    too_long = "jeugdhulp " * (MAX_QUERY_CHARS // 10 + 1)
    with pytest.raises(QueryError) as err:
        dm.search(too_long)
    assert "5,000" in err.value.message and err.value.hint
    result = CliRunner().invoke(app, ["--db", str(dm.settings.db), "search", too_long])
    assert result.exit_code == 1
    assert "over the 5,000 a question may have" in result.output
    assert "Traceback" not in result.output


def test_weak_results_say_no_close_match(dm: Docmine) -> None:
    weak = dm.search("kwantumfysica supergeleiding", limit=10, mode="hybrid")
    assert weak.notice is not None and weak.notice.startswith("no close match")
    assert 0 < len(weak) <= 3
    assert dm.search("wedstrijdbad", limit=10, mode="hybrid").notice is None
    env = {"DOCMINE_EMBEDDING_MODEL": "hashing:64"}
    result = CliRunner().invoke(app, ["--db", str(dm.settings.db), "search", "kwantumfysica supergeleiding"], env=env)
    assert result.exit_code == 0 and "no close match" in result.output


@pytest.mark.parametrize(
    ("terms", "run", "found"),
    [
        (["a", "b", "a", "c"], ["a", "c"], True),  # not at the first "a"
        (["a", "b", "c"], ["b", "c"], True),  # at the end
        (["a", "b"], ["b", "c"], False),  # runs past the end
        (("x", "a", "x", "b"), ("a", "b"), False),  # both words, not in a row
        (["a"], [], False),
    ],
)
def test_contains_run(terms: list[str], run: list[str], found: bool) -> None:
    assert contains_run(terms, run) is found

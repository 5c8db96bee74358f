"""The Searcher on its own: built from a store, an analyzer and an embedder (or a factory), no service needed."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from docmine.config import Settings
from docmine.embed import Embedder, HashingEmbedder
from docmine.errors import QueryError
from docmine.model import Filters
from docmine.nlp.analyzer import Analyzer
from docmine.search.query import parse_query
from docmine.search.ranked import Ranked
from docmine.search.searcher import Searcher
from docmine.search.semantic import rank_hybrid
from docmine.service import Docmine

DOCS = {
    "rekenkamer.txt": "De uitgaven aan jeugdzorg bedragen in 2020 € 160 miljoen, zo blijkt uit ons onderzoek.",
    "krant.txt": "Volgens de krant gaven de Groninger gemeenten in 2020 € 175 miljoen uit aan jeugdzorg.",
    "sport.txt": "De gemeente opent in 2023 een nieuw zwembad met een wedstrijdbad en een recreatiebad.",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = Settings(db=tmp_path / "case.db", jobs=1, embed=True, extract=False, embedding_model="hashing:64")
    with Docmine(settings) as dm:
        assert dm.ingest([folder]).embedded == len(DOCS)
    return settings


@pytest.fixture
def dm(settings: Settings) -> Iterator[Docmine]:
    with Docmine(settings) as service:
        yield service


def test_search_and_trace_from_a_store_alone(dm: Docmine) -> None:
    searcher = Searcher(dm.store, Analyzer(), HashingEmbedder(64))
    hits = searcher.search("uitgaven jeugdzorg")
    assert hits.mode == "hybrid" and hits.notice is None
    assert {Path(h.path).name for h in hits[:2]} == {"rekenkamer.txt", "krant.txt"}
    # without a mentions callable a trace compares meaning and words, and shares no values
    sources = searcher.trace("De uitgaven aan jeugdzorg bedragen € 160 miljoen")
    assert sources.notice is None
    assert Path(sources[0].path).name == "rekenkamer.txt" and sources[0].shared == ()


def test_the_embedder_factory_runs_only_when_vectors_are_used(dm: Docmine) -> None:
    made: list[Embedder] = []

    def factory() -> Embedder:
        made.append(HashingEmbedder(64))
        return made[-1]

    searcher = Searcher(dm.store, Analyzer(), factory, vectors_by_default=False)
    assert searcher.search("zwembad").mode == "text"
    assert made == []
    assert searcher.search("zwembad", mode="hybrid").mode == "hybrid"
    assert searcher.search("zwembad", mode="semantic").mode == "semantic"
    assert len(made) == 1


def test_rankings_are_named(dm: Docmine) -> None:
    analyzer = Analyzer()
    searcher = Searcher(dm.store, analyzer, HashingEmbedder(64))
    query = parse_query("wedstrijdbad", analyzer)
    for mode in ("text", "semantic", "hybrid"):
        ranked = searcher.rank("wedstrijdbad", query, Filters(), 2, mode)
        assert all(isinstance(r, Ranked) for r in ranked), mode
        top = dm.store.passages([ranked[0].passage_id])[ranked[0].passage_id]
        assert Path(top.path).name == "sport.txt", mode
        assert ranked[0].score >= ranked[-1].score
    # the one passage holding the one word: full-text search is sure of it, and says so before the similarity
    assert ranked[0].why[0] == "clear full-text match"
    assert ranked[0].why[1].startswith("semantic similarity") and "100% of terms" in ranked[0].why


def test_a_search_sees_vectors_that_another_connection_added(settings: Settings, tmp_path: Path) -> None:
    with Docmine(settings) as reader:
        assert len(reader.search("jeugdzorg", mode="semantic", limit=10)) == len(DOCS)  # the index is loaded now
        more = tmp_path / "more"
        more.mkdir()
        (more / "bieb.txt").write_text("De bibliotheek in het centrum gaat in 2024 open.", encoding="utf-8")
        with Docmine(settings) as writer:
            assert writer.ingest([more]).embedded == 1
        hits = reader.search("bibliotheek centrum", mode="semantic", limit=10)
    assert "bieb.txt" in {Path(h.path).name for h in hits}
    assert len(hits) == len(DOCS) + 1


class _Counting(HashingEmbedder):
    """The hashing embedder, counting the questions it encodes."""

    def __init__(self, dim: int) -> None:
        super().__init__(dim)
        self.questions = 0

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.questions += len(texts)
        return super().embed_queries(texts)


def test_hybrid_encodes_the_question_once_and_ranks_as_with_the_vector_given(dm: Docmine) -> None:
    analyzer = Analyzer()
    embedder = _Counting(64)
    searcher = Searcher(dm.store, analyzer, embedder)
    question = "uitgaven jeugdzorg 2020"
    ranked = searcher.rank(question, searcher.parse(question), Filters(), 10, "hybrid")
    assert embedder.questions == 1
    # the same order as with the vector handed over at once
    vec = HashingEmbedder(64).embed_queries([question])[0]
    direct = rank_hybrid(dm.store, analyzer, searcher.parse(question), vec, searcher.vector_index(), Filters(), None)[
        :10
    ]
    assert [r.passage_id for r in ranked] == [r.passage_id for r in direct]
    assert [r.why for r in ranked] == [r.why for r in direct]


class _Failing(HashingEmbedder):
    """An embedder whose model breaks while a question is encoded."""

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        raise QueryError("the embedding model failed", "check the model files")


def test_an_error_while_encoding_beside_the_word_side_reaches_the_caller(dm: Docmine) -> None:
    searcher = Searcher(dm.store, Analyzer(), _Failing(64))
    searcher.vector_index()
    question = "uitgaven jeugdzorg 2020"
    with pytest.raises(QueryError, match="embedding model failed"):
        searcher.rank(question, searcher.parse(question), Filters(), 10, "hybrid")
    # the thread that encodes is free again: the next question is answered
    ok = Searcher(dm.store, Analyzer(), HashingEmbedder(64))
    assert ok.rank(question, ok.parse(question), Filters(), 10, "hybrid")


def _search_in_child(path: str, out: Any) -> None:
    with Docmine(Settings(db=Path(path), embed=True, extract=False, embedding_model="hashing:64")) as child:
        searcher = Searcher(child.store, Analyzer(), HashingEmbedder(64))
        out.put([h.passage_id for h in searcher.search("uitgaven jeugdzorg", mode="hybrid")])


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method")
def test_hybrid_search_in_a_forked_child_after_one_in_the_parent(settings: Settings) -> None:
    """A process forked after a hybrid search (the parent's encoding thread does not exist in the child)
    searches without hanging."""
    with Docmine(settings) as parent:
        searcher = Searcher(parent.store, Analyzer(), HashingEmbedder(64))
        expected = [h.passage_id for h in searcher.search("uitgaven jeugdzorg", mode="hybrid")]
    fork = multiprocessing.get_context("fork")
    out = fork.Queue()
    child = fork.Process(target=_search_in_child, args=(str(settings.db), out))
    child.start()
    child.join(60)
    if child.is_alive():
        child.kill()
        pytest.fail("the forked child hung in hybrid search")
    assert child.exitcode == 0
    assert out.get(timeout=5) == expected


def test_a_question_asked_again_is_not_encoded_again(dm: Docmine) -> None:
    """Another filter, limit or page asks the same question: its vector is kept (and read-only)."""
    embedder = _Counting(64)
    searcher = Searcher(dm.store, Analyzer(), embedder)
    question = "uitgaven jeugdzorg 2020"
    first = searcher.search(question, Filters(), 10, "hybrid")
    again = searcher.search(question, Filters(), 2, "hybrid")
    searcher.search(question, Filters(doc_types=("overig",)), 10, "hybrid")
    assert embedder.questions == 1
    assert [h.passage_id for h in again] == [h.passage_id for h in first][:2]
    searcher.search("een nieuw zwembad", Filters(), 10, "hybrid")
    assert embedder.questions == 2
    assert not searcher.question_vector(question).flags.writeable

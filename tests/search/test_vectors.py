"""VectorIndex: exact top-k, incremental add/remove, filters, persistence beside the case file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from docmine.embed import HashingEmbedder
from docmine.errors import QueryError, StoreError
from docmine.search import vectors
from docmine.search.vectors import VectorIndex, index_path_for

E = np.eye(4, dtype=np.float32)  # four orthogonal unit vectors


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def index(tmp_path: Path) -> VectorIndex:
    idx = VectorIndex(index_path_for(tmp_path / "case.db"), dim=4)
    idx.add([10, 20, 30, 40], E)
    return idx


def ids_of(hits: list[tuple[int, float]]) -> list[int]:
    return [i for i, _ in hits]


def test_index_lives_beside_the_case_file(tmp_path: Path) -> None:
    assert index_path_for(tmp_path / "case.db") == tmp_path / "case.db.vec"


def test_search_returns_exact_top_k_with_scores(index: VectorIndex) -> None:
    hits = index.search(unit(0.1, 0.7, 0.0, 0.3), k=3)
    assert ids_of(hits) == [20, 40, 10]
    q = unit(0.1, 0.7, 0.0, 0.3)
    assert [round(s, 6) for _, s in hits] == [
        round(float(q[1]), 6),
        round(float(q[3]), 6),
        round(float(q[0]), 6),
    ]
    assert len(index) == 4
    assert index.ids().tolist() == [10, 20, 30, 40]


def test_k_larger_than_index_and_empty_index(tmp_path: Path, index: VectorIndex) -> None:
    assert ids_of(index.search(E[2], k=10)) == [30, 10, 20, 40]  # zero scores: ties go to the smaller id
    empty = VectorIndex(tmp_path / "empty.vec", dim=4)
    assert empty.search(E[0], k=5) == []
    assert index.search(E[0], k=0) == []


def test_remove_and_add_are_incremental_and_persisted(index: VectorIndex) -> None:
    assert index.remove([20, 99]) == 1
    assert 20 not in index and 10 in index
    assert ids_of(index.search(E[1], k=1)) != [20]
    index.add([50], unit(0, 1, 0, 0.1)[None, :])
    index.add([10], E[3][None, :])  # replaces id 10's vector
    reopened = VectorIndex(index.path)
    assert reopened.ids().tolist() == [10, 30, 40, 50]
    assert ids_of(reopened.search(E[1], k=1)) == [50]
    np.testing.assert_array_equal(reopened.get([10]), E[3][None, :])
    assert ids_of(reopened.search(E[3], k=2)) == [10, 40]  # equal scores: smaller id first


def test_allowed_ids_restrict_the_search(index: VectorIndex) -> None:
    assert ids_of(index.search(E[0], k=2, allowed_ids={30, 40, 77})) == [30, 40]
    assert index.search(E[0], k=2, allowed_ids=[]) == []
    assert ids_of(index.search(E[0], k=1, allowed_ids=np.array([10, 20]))) == [10]


def test_last_vector_wins_within_one_add(tmp_path: Path) -> None:
    idx = VectorIndex(tmp_path / "x.vec", dim=4)
    idx.add([1, 1, 2], np.stack([E[0], E[1], E[2]]))
    assert len(idx) == 2
    np.testing.assert_array_equal(idx.get([1, 2]), np.stack([E[1], E[2]]))
    with pytest.raises(KeyError):
        idx.get([3])


def test_compaction_keeps_results_and_shrinks_files(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    vecs = rng.standard_normal((200, 8)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    idx = VectorIndex(tmp_path / "c.vec", dim=8)
    idx.add(range(200), vecs)
    idx.remove(range(0, 200, 2))  # half the rows become holes: compaction runs
    assert (tmp_path / "c.vec" / "ids.i64").stat().st_size == 100 * 8
    expected = sorted(range(1, 200, 2), key=lambda i: (-float(vecs[i] @ vecs[1]), i))[:5]
    assert ids_of(idx.search(vecs[1], k=5)) == expected
    assert ids_of(VectorIndex(tmp_path / "c.vec").search(vecs[1], k=5)) == expected


def test_a_torn_append_is_ignored(index: VectorIndex) -> None:
    with (index.path / "vectors.f32").open("ab") as fh:
        fh.write(np.ones(6, np.float32).tobytes())  # a row and a half, no id: a crash mid-add
    reopened = VectorIndex(index.path)
    assert reopened.ids().tolist() == [10, 20, 30, 40]
    assert (index.path / "vectors.f32").stat().st_size == 4 * 4 * 4


def test_bad_input_raises_docmine_errors(tmp_path: Path, index: VectorIndex) -> None:
    with pytest.raises(QueryError):
        index.search(np.ones(3, np.float32))
    with pytest.raises(QueryError):
        index.add([1, 2], E[:1])
    with pytest.raises(QueryError):
        index.add([-1], E[:1])
    with pytest.raises(QueryError):
        index.add([5], np.full((1, 4), np.nan, np.float32))
    with pytest.raises(StoreError) as info:
        VectorIndex(index.path, dim=8)
    assert info.value.hint
    with pytest.raises(StoreError):
        VectorIndex(tmp_path / "missing.vec")
    (tmp_path / "junk.vec").mkdir()
    (tmp_path / "junk.vec" / "meta.json").write_text("{not json")
    with pytest.raises(StoreError):
        VectorIndex(tmp_path / "junk.vec")


def test_model_name_is_recorded_and_checked(tmp_path: Path) -> None:
    VectorIndex(tmp_path / "m.vec", dim=4, model="hashing:4")
    assert VectorIndex(tmp_path / "m.vec").model == "hashing:4"
    with pytest.raises(StoreError, match="built with"):
        VectorIndex(tmp_path / "m.vec", model="other")


def test_with_hashing_embedder_end_to_end(tmp_path: Path) -> None:
    emb = HashingEmbedder(64)
    texts = ["jeugdzorg wachtlijst", "fietspad kust", "begroting tekort", "jeugdzorg kosten"]
    idx = VectorIndex(tmp_path / "h.vec", dim=emb.dim, model=emb.name)
    idx.add(range(len(texts)), emb.embed_passages(texts))
    hits = idx.search(emb.embed_queries(["fietspad kust"])[0], k=1)
    assert hits[0][0] == 1 and hits[0][1] == pytest.approx(1.0, abs=1e-6)


def test_random_adds_and_removes_match_a_plain_dict(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    pool = rng.standard_normal((500, 16)).astype(np.float32)
    idx = VectorIndex(tmp_path / "r.vec", dim=16)
    model: dict[int, np.ndarray] = {}
    for step in range(200):
        ids = rng.integers(0, 300, size=int(rng.integers(1, 20)))
        if step % 3 == 2:
            idx.remove(ids.tolist())
            for i in ids.tolist():
                model.pop(i, None)
        else:
            rows = pool[rng.integers(0, len(pool), size=len(ids))]
            idx.add(ids, rows)
            model.update(zip(ids.tolist(), rows, strict=True))
    keys = sorted(model)
    scores = np.stack([model[k] for k in keys]) @ pool[0]
    expected = [keys[i] for i in sorted(range(len(keys)), key=lambda i: (-scores[i], keys[i]))[:10]]
    for index in (idx, VectorIndex(idx.path)):
        assert index.ids().tolist() == keys
        assert ids_of(index.search(pool[0], k=10)) == expected


def test_large_index_float16_scan_gives_the_exact_top_k(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From FAST_MIN_ROWS rows on, search scans a float16 copy in faiss and re-scores in float32: the
    result must equal the exact numpy scan, with holes, filters and later adds."""
    rng = np.random.default_rng(7)
    vecs = rng.standard_normal((3000, 32)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    index = VectorIndex(tmp_path / "big.vec", 32)
    index.add(np.arange(3000) * 2, vecs)
    index.remove(range(0, 600, 2))  # holes
    index.add([99_999], rng.standard_normal((1, 32)).astype(np.float32))
    for trial in range(12):
        q = rng.standard_normal(32).astype(np.float32)
        allowed = None if trial % 2 else rng.choice(np.arange(3000) * 2, 2000, replace=False).tolist()
        monkeypatch.setattr(vectors, "FAST_MIN_ROWS", 10**9)
        exact = index.search(q, 10, allowed)
        monkeypatch.setattr(vectors, "FAST_MIN_ROWS", 100)
        fast = index.search(q, 10, allowed)
        assert [i for i, _ in fast] == [i for i, _ in exact]
        assert [s for _, s in fast] == pytest.approx([s for _, s in exact])
        assert index._fast is not None  # the float16 path really ran
    assert index.search(index.get([99_999])[0], 1)[0][0] == 99_999

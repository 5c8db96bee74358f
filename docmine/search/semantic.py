"""Semantic and hybrid search: passage embeddings (stored once per content hash), the vector index beside
the case file, and the fusion of full-text and vector rankings (score fusion; reciprocal rank for trace).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from docmine.embed import Embedder
from docmine.errors import VectorIndexDamaged
from docmine.model import Filters
from docmine.nlp.analyzer import Analyzer
from docmine.search.fulltext import order_candidates, text_candidates
from docmine.search.fusion import (
    exact_tiers,
    leading_document,
    one_place_per_document,
    prioritise,
    size_prior,
    sure_documents,
)
from docmine.search.query import ParsedQuery
from docmine.search.ranked import Ranked
from docmine.search.rerank import (
    Centering,
    bm25,
    centred_cosines,
    clause_idf,
    count_terms,
    load_centering,
    one_blas_thread,
    passage_space,
)
from docmine.search.vectors import VectorIndex, index_path_for
from docmine.store import Store, casefile

BATCH = 32
_VECTOR_SIDE: tuple[int, ThreadPoolExecutor] | None = None  # (process id, the thread that encodes questions)
RRF_K = 60
FUSION_DEPTH = 100
# Hybrid score fusion: weight of the (centred) cosine, and the full-text score's share of the word score
# (the rest is pool BM25). Chosen on half a of the kamervragen dev queries (weight 0.6-0.8, share 0.3-1.0
# tried), reported on half b: see scripts/eval_retrieval.py.
SEMANTIC_WEIGHT = 0.7
FTS_SHARE = 0.3
# After scoring: the prior against documents of many passages, exact title and phrase matches first, then
# documents text mode is sure of, then one place per document (see fusion.py). Switches for measuring each
# step (scripts/eval_retrieval.py --ablate).
SIZE_PRIOR = True
EXACT_FIRST = True
SURE_FIRST = True
LEAD_FIRST = True
ONE_PER_DOCUMENT = True


@dataclass(frozen=True)
class EmbedStatus:
    missing: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.missing == 0


def open_index(store: Store, embedder: Embedder) -> VectorIndex:
    """The vector index beside the case file. A damaged one (unreadable, not docmine's) is set aside as
    ``<name>.damaged`` and made again: ``sync_index`` fills it from the vectors the case file stores, so
    nothing is embedded again. On a read-only case file the damage is reported instead."""
    path = index_path_for(store.path)
    try:
        return VectorIndex(path, embedder.dim, model=embedder.name)
    except VectorIndexDamaged:
        if store.readonly:
            raise
    with contextlib.suppress(FileNotFoundError):  # another process set it aside first
        path.rename(casefile.unused_name(path, ".damaged"))
    return VectorIndex(path, embedder.dim, model=embedder.name)


def embed_pending(
    store: Store, embedder: Embedder, progress: Callable[[int, int], None] | None = None, batch: int = BATCH
) -> int:
    """Embed every passage whose text has no vector for this model yet, then bring the index up to date.

    Resumable: each batch is committed, so an interrupted run loses at most one batch.
    Returns the number of texts embedded.
    """
    missing, total = store.count_unembedded(embedder.name)
    done = 0
    if progress:
        progress(0, missing)
    while True:
        todo = store.unembedded(embedder.name, batch * 16)
        if not todo:
            break
        todo.sort(key=lambda item: len(item[1]))  # similar lengths per batch: less padding
        for i in range(0, len(todo), batch):
            chunk = todo[i : i + batch]
            vectors = embedder.embed_passages([text for _, text in chunk])
            store.add_embeddings(embedder.name, [h for h, _ in chunk], vectors)
            done += len(chunk)
            if progress:
                progress(done, missing)
    sync_index(store, embedder)
    return done


def sync_index(store: Store, embedder: Embedder) -> VectorIndex:
    """Add embedded passages the index lacks and drop ids whose passages are gone."""
    index = open_index(store, embedder)
    have = set(index.ids().tolist())
    ids: list[int] = []
    rows: list[np.ndarray] = []
    for pid, blob in store.passage_vectors(embedder.name):
        if pid in have:
            continue
        ids.append(pid)
        rows.append(np.frombuffer(blob, dtype="<f4"))
        if len(ids) >= 20_000:
            index.add(ids, np.vstack(rows))
            ids, rows = [], []
    if ids:
        index.add(ids, np.vstack(rows))
    stale = have - set(store.all_passage_ids())
    if stale:
        index.remove(sorted(stale))
    return index


def status(store: Store, embedder_name: str) -> EmbedStatus:
    missing, total = store.count_unembedded(embedder_name)
    return EmbedStatus(missing, total)


@one_blas_thread
def rank_semantic(
    store: Store, embedder: Embedder, index: VectorIndex, text: str, filters: Filters, n: int
) -> list[Ranked]:
    query_vec = embedder.embed_queries([text])[0]
    found = rank_vectors(index, query_vec, n, store.passage_ids(filters), load_centering(embedder.name))
    return [Ranked(pid, score, (f"semantic similarity {score:.2f}",)) for pid, score in found]


def rank_vectors(
    index: VectorIndex,
    query_vec: np.ndarray,
    n: int,
    allowed: Iterable[int] | None = None,
    centering: Centering | None = None,
) -> list[tuple[int, float]]:
    """The ``n`` passages nearest to the query: by centred cosine when the model has a centering (the index
    is probed with the centred query, the top FUSION_DEPTH re-scored exactly), else by plain cosine."""
    if centering is None:
        return _probe(index, query_vec, n, allowed, None)
    probe = _probe(index, query_vec, max(n, FUSION_DEPTH), allowed, centering)
    if not probe:
        return []
    ids = [pid for pid, _ in probe]
    cosines = centred_cosines(index.get(ids), query_vec, centering, passage_space(index))
    ranked = sorted(zip(ids, cosines.tolist(), strict=True), key=lambda item: (-item[1], item[0]))
    return ranked[:n]


def _probe(
    index: VectorIndex, query_vec: np.ndarray, n: int, allowed: Iterable[int] | None, centering: Centering | None
) -> list[tuple[int, float]]:
    """Index search with the centred query when there is a centering: ranking the rows by
    (q - query mean) . d is ranking them by (q - query mean) . (d - passage mean), the mean's term being the
    same for every row (also for the adapted centred query); the caller re-scores its candidates by the exact
    centred cosine."""
    probe = query_vec if centering is None else centering.query(query_vec)
    return index.search(probe, n, allowed_ids=allowed)


def _vector_thread() -> ThreadPoolExecutor:
    """This process's thread for the vector side of hybrid search (a forked child makes its own: the
    parent's thread does not exist there)."""
    global _VECTOR_SIDE
    if _VECTOR_SIDE is None or _VECTOR_SIDE[0] != os.getpid():
        _VECTOR_SIDE = (os.getpid(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="docmine-vectors"))
    return _VECTOR_SIDE[1]


def _nearest(
    encode: Callable[[], np.ndarray], index: VectorIndex, allowed: list[int] | None, centering: Centering | None
) -> tuple[np.ndarray, list[int]]:
    """The question's vector and the passages nearest to it (run beside the full-text side)."""
    query_vec = encode()
    return query_vec, [pid for pid, _ in _probe(index, query_vec, FUSION_DEPTH, allowed, centering)]


@one_blas_thread
def rank_hybrid(
    store: Store,
    analyzer: Analyzer,
    query: ParsedQuery | None,
    query_vec: np.ndarray | Callable[[], np.ndarray],
    index: VectorIndex,
    filters: Filters,
    centering: Centering | None = None,
) -> list[Ranked]:
    """The hybrid ranking of the candidate pool: the FTS5 top list and the vector top list together, every
    candidate scored by centred cosine and words (see ``fuse_scores``) less a prior against documents of many
    passages, exact title and phrase matches first, then the documents full-text search is sure of or that
    lead it, and one place per document (see ``fusion``).

    ``query_vec`` may be a callable that encodes the question: the question is then encoded and the vector
    index probed in a second thread while this one asks SQLite for the full-text candidates. Both sides let go
    of the GIL (onnxruntime and faiss, SQLite), so hybrid costs about the slower of them, not both; the Python
    work comes after, as a thread busy in Python would hold the other up at each handover of the GIL."""
    allowed = store.passage_ids(filters)
    encode = query_vec if callable(query_vec) else None
    side = _vector_thread().submit(_nearest, encode, index, allowed, centering) if encode is not None else None
    candidates = text_candidates(store, query, filters, FUSION_DEPTH) if query is not None else []
    if side is not None:
        query_vec, nearest = side.result()
    else:
        query_vec = np.asarray(query_vec)
        nearest = [pid for pid, _ in _probe(index, query_vec, FUSION_DEPTH, allowed, centering)]
    # One read and one count of the whole pool: the full-text candidates are ordered from the same counts.
    in_text = {pid for pid, _ in candidates}
    rows = store.passages([*in_text, *(pid for pid in nearest if pid not in in_text)])
    if not rows:
        return []
    counts = count_terms(query, list(rows), rows)
    ids = counts.ids
    held = dict(zip(ids, counts.held.tolist(), strict=True))
    text = order_candidates(query, candidates, held, rows, FUSION_DEPTH) if query is not None else []
    idf = clause_idf(store, query)
    tiers = exact_tiers(analyzer, query, rows) if EXACT_FIRST else {}
    space = passage_space(index) if centering is not None else None
    cosines = centred_cosines(index.get(ids), query_vec, centering, space)
    fused = fuse_scores(text, ids, cosines, bm25(counts, idf), SEMANTIC_WEIGHT, FTS_SHARE)
    doc_of = {pid: row.ref.doc_id for pid, row in rows.items()}
    if SIZE_PRIOR:
        fused = size_prior(fused, doc_of, store.passages_per_document(doc_of.values()))
    sure: list[str] = []
    if (SURE_FIRST or LEAD_FIRST) and text:
        if SURE_FIRST:
            sure = sure_documents(text, {r.passage_id: held.get(r.passage_id, 0.0) for r in text[:20]}, doc_of)
        if not sure and LEAD_FIRST:
            sure = leading_document(text, held, doc_of)
    if tiers or sure:
        fused = prioritise(fused, tiers, sure, doc_of)
    if ONE_PER_DOCUMENT:
        fused = one_place_per_document(fused, doc_of)
    return fused


def fuse_scores(
    text: list[Ranked],
    ids: list[int],
    cosines: np.ndarray,
    lexical: np.ndarray,
    weight: float = SEMANTIC_WEIGHT,
    fts_share: float = FTS_SHARE,
) -> list[Ranked]:
    """CombSUM over the pool ``ids``: ``weight`` x min-max normalised cosine + (1 - weight) x word score.

    The word score mixes docmine's full-text score (``fts_share``, 0 outside its top list) with BM25
    recomputed for every candidate (``lexical``), each divided by its best value in the pool. Every
    candidate has both an exact cosine and a BM25, so a passage found by one list only is not punished
    for missing from the other. Measured better than reciprocal rank fusion on held-out queries."""
    reasons: dict[int, list[str]] = {}
    text_score = {}
    for pid, score, why in text:
        text_score[pid] = score
        reasons.setdefault(pid, []).extend(why)
    if not ids:
        return []
    cos = np.asarray(cosines, dtype=np.float64)
    lo, hi = float(cos.min()), float(cos.max())
    best_text = max(text_score.values(), default=0.0) or 1.0
    best_lexical = float(np.max(lexical)) or 1.0
    fused = []
    for pid, c, lex in zip(ids, cos.tolist(), np.asarray(lexical).tolist(), strict=True):
        words = fts_share * text_score.get(pid, 0.0) / best_text + (1 - fts_share) * lex / best_lexical
        score = weight * (c - lo) / ((hi - lo) or 1.0) + (1 - weight) * words
        fused.append(Ranked(pid, score, (f"semantic similarity {c:.2f}", *reasons.get(pid, ()))))
    fused.sort(key=lambda item: (-item.score, item.passage_id))
    return fused


def fuse(rankings: list[list[Ranked]]) -> list[Ranked]:
    """Reciprocal rank fusion: score = sum over rankings of 1 / (k + rank); reasons are merged."""
    scores: dict[int, float] = {}
    why: dict[int, list[str]] = {}
    for ranking in rankings:
        for rank, (pid, _, reasons) in enumerate(ranking, start=1):
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (RRF_K + rank)
            why.setdefault(pid, []).extend(reasons)
    order = sorted(scores, key=lambda pid: (-scores[pid], pid))
    return [Ranked(pid, scores[pid], tuple(why[pid])) for pid in order]

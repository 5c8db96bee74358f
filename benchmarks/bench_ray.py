"""Ingest throughput on this machine, local worker processes against a local Ray cluster, in one run.

    .venv/bin/python benchmarks/bench_ray.py [--files 24] [--pages 10] [--cpus 2] [--extract/--no-extract]

The same generated folder (text PDFs of Dutch council letters) is ingested twice into new case files:
once with the local executor (--jobs CPUS) and once as Ray tasks on a Ray started here with CPUS CPUs. The
ratio of pages/s shows what Ray's scheduling and object transfer cost on one machine; Ray's own start is
timed apart. Embedding is off in both (it is the same model in both, in a Ray actor or here).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from docfactory import LETTER, make_pdf  # noqa: E402

from docmine.config import Settings  # noqa: E402
from docmine.service import Docmine  # noqa: E402


def folder(root: Path, files: int, pages: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        texts = [
            f"{LETTER}\n\nHet budget voor jeugdhulp bedraagt {i},{p} miljoen euro. Bijlage {i}-{p}."
            for p in range(pages)
        ]
        make_pdf(root / f"brief{i:03d}.pdf", texts)
    return root


def ingest(settings: Settings, path: Path) -> tuple[int, float]:
    with Docmine(settings) as dm:
        report = dm.ingest([path])
    assert not report.failed, report.failed
    return report.pages, report.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=24)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--cpus", type=int, default=2)
    parser.add_argument("--extract", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    with tempfile.TemporaryDirectory(prefix="dmbench") as tmp:
        root = folder(Path(tmp) / "in", args.files, args.pages)
        base = Settings.load(embed=False, extract=args.extract, jobs=args.cpus)
        pages, local_s = ingest(base.with_overrides(db=Path(tmp) / "local.db"), root)
        started = time.perf_counter()
        ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
        start_s = time.perf_counter() - started
        try:
            # the first Ray run also starts the workers and loads the pipelines in them
            _, cold_s = ingest(base.with_overrides(db=Path(tmp) / "ray-cold.db", executor="ray"), root)
            _, warm_s = ingest(base.with_overrides(db=Path(tmp) / "ray-warm.db", executor="ray"), root)
        finally:
            ray.shutdown()
    facts = "with entities and claims" if args.extract else "parse and passages only"
    print(f"{args.files} PDFs x {args.pages} pages = {pages} pages, {args.cpus} CPUs, {facts}")
    print(f"local processes : {pages / local_s:7.1f} pages/s ({local_s:.1f} s)")
    print(f"Ray, first run  : {pages / cold_s:7.1f} pages/s ({cold_s:.1f} s; Ray itself started in {start_s:.1f} s)")
    print(f"Ray, warm       : {pages / warm_s:7.1f} pages/s ({warm_s:.1f} s)")
    print(f"Ray / local     : {local_s / warm_s:.2f} warm, {local_s / cold_s:.2f} first run")


if __name__ == "__main__":
    main()

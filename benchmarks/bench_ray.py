"""Ingest throughput on this machine, local worker processes against a local Ray cluster, in one run; and
with --stages, what each stage of ingest costs per page on one CPU.

    .venv/bin/python benchmarks/bench_ray.py [--files 24] [--pages 10] [--cpus 2] [--extract/--no-extract]
        [--stages] [--scans 6]

The same generated folder (text PDFs of Dutch council letters) is ingested twice into new case files:
once with the local executor (--jobs CPUS) and once as Ray tasks on a Ray started here with CPUS CPUs (on
127.0.0.1 only). The ratio of pages/s shows what Ray's scheduling and object transfer cost on one machine;
Ray's own start is timed apart. Embedding is off in both (it is the same model in both, in a Ray actor or
here). --stages first ingests the folder with one job four ways (parse only; with entities and claims; with
embeddings; and image-only scans of the same letters), and prints seconds per page of each stage as the
difference to parse only, model and pipeline loading included once per run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from docfactory import LETTER, make_pdf, make_scanned_pdf  # noqa: E402

from docmine.config import Settings  # noqa: E402
from docmine.distributed.cluster import ray_module  # noqa: E402
from docmine.service import Docmine  # noqa: E402
from docmine.store import Store  # noqa: E402


def folder(root: Path, files: int, pages: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        texts = [
            f"{LETTER}\n\nHet budget voor jeugdhulp bedraagt {i},{p} miljoen euro. Bijlage {i}-{p}."
            for p in range(pages)
        ]
        make_pdf(root / f"brief{i:03d}.pdf", texts)
    return root


def scans(root: Path, files: int) -> Path:
    """Image-only one-page PDFs of a letter (about 30 lines at 150 dpi): what OCR gets from a Woo release."""
    root.mkdir(parents=True, exist_ok=True)
    lines = [line for line in LETTER.splitlines() if line.strip()]
    for i in range(files):
        body = [f"Het budget voor jeugdhulp bedraagt {i},5 miljoen euro in {2015 + i}."] * 4
        make_scanned_pdf(root / f"scan{i:03d}.pdf", (lines * 3)[:26] + body)
    return root


def ingest(settings: Settings, path: Path) -> tuple[int, float]:
    started = time.perf_counter()
    with Docmine(settings) as dm:
        report = dm.ingest([path])
    assert not report.failed, report.failed
    return report.pages, time.perf_counter() - started


def stages(tmp: Path, root: Path, n_scans: int) -> None:
    """Seconds per page of each ingest stage with one job (so about CPU-seconds of one core)."""
    one = Settings.load(embed=False, extract=False, jobs=1)
    pages, parse_s = ingest(one.with_overrides(db=tmp / "parse.db"), root)
    _, extract_s = ingest(one.with_overrides(db=tmp / "extract.db", extract=True), root)
    _, embed_s = ingest(one.with_overrides(db=tmp / "embed.db", embed=True), root)
    scan_pages, scan_s = ingest(one.with_overrides(db=tmp / "scans.db", ocr="always"), scans(tmp / "scans", n_scans))
    print(f"stages, one job, {pages} text PDF pages and {scan_pages} scanned pages:")
    print(f"parse + passages        : {parse_s / pages:6.3f} s/page ({parse_s:.1f} s)")
    print(f"entities and claims     : {(extract_s - parse_s) / pages:6.3f} s/page ({extract_s:.1f} s with parse)")
    store = Store.open(tmp / "embed.db")
    passages = store.passage_count()
    store.close()
    print(
        f"embedding (e5, ONNX)    : {(embed_s - parse_s) / pages:6.3f} s/page ({embed_s:.1f} s with parse; "
        f"{passages / pages:.1f} passages a page, {(embed_s - parse_s) / passages:.3f} s/passage)"
    )
    print(f"OCR of a scanned page   : {scan_s / scan_pages:6.3f} s/page ({scan_s:.1f} s, parse included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=24)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--cpus", type=int, default=2)
    parser.add_argument("--extract", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--stages", action="store_true")
    parser.add_argument("--scans", type=int, default=6)
    args = parser.parse_args()
    ray = ray_module()  # no usage stats, and a Ray of its own on 127.0.0.1 only

    with tempfile.TemporaryDirectory(prefix="dmbench") as tmp:
        root = folder(Path(tmp) / "in", args.files, args.pages)
        if args.stages:
            stages(Path(tmp), root, args.scans)
        base = Settings.load(embed=False, extract=args.extract, jobs=args.cpus)
        pages, local_s = ingest(base.with_overrides(db=Path(tmp) / "local.db"), root)
        started = time.perf_counter()
        ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
        start_s = time.perf_counter() - started
        node = ray.util.get_node_ip_address()  # 127.0.0.1: this Ray listens on loopback only
        try:
            # the first Ray run also starts the workers and loads the pipelines in them
            _, cold_s = ingest(base.with_overrides(db=Path(tmp) / "ray-cold.db", executor="ray"), root)
            _, warm_s = ingest(base.with_overrides(db=Path(tmp) / "ray-warm.db", executor="ray"), root)
        finally:
            ray.shutdown()
    facts = "with entities and claims" if args.extract else "parse and passages only"
    print(f"{args.files} PDFs x {args.pages} pages = {pages} pages, {args.cpus} CPUs, {facts}")
    print(f"local processes : {pages / local_s:7.1f} pages/s ({local_s:.1f} s)")
    print(
        f"Ray, first run  : {pages / cold_s:7.1f} pages/s ({cold_s:.1f} s; Ray itself started in {start_s:.1f} s on {node})"
    )
    print(f"Ray, warm       : {pages / warm_s:7.1f} pages/s ({warm_s:.1f} s)")
    print(f"Ray / local     : {local_s / warm_s:.2f} warm, {local_s / cold_s:.2f} first run")


if __name__ == "__main__":
    main()

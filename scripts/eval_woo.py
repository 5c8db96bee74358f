"""Score the Woo release analysis on held-back generated releases (seeds the tests never use).

Prints redaction F1 (IoU >= 0.5) for text-layer and scanned pages, ground accuracy, bundle boundary
precision/recall (and the share of documents whose pages are exactly right), the share of bundle passages that
belong to the right split-out document (its number), inventory row accuracy, link accuracy, and what redaction
detection costs as a share of ingest time on text PDFs.

    .venv/bin/python scripts/eval_woo.py [--text 6] [--scanned 2] [--seed 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from woo_release import Release, make_release  # noqa: E402

from docmine.config import Settings  # noqa: E402
from docmine.service import Docmine  # noqa: E402
from docmine.woo.redactions import iou  # noqa: E402


def score_release(dm: Docmine, rel: Release, tally: dict[str, list[int]], kind: str) -> None:
    doc_of = {Path(d.path).name: d.doc_id for d in dm.documents() if Path(d.path).parent == rel.folder}
    name_of = {v: k for k, v in doc_of.items()}
    dm.woo_analyse(str(rel.folder))
    found = [r for r in dm.store.woo.redactions(list(doc_of.values()))]
    # text-layer files of a scanned release (letter, inventory, loose note) count as text pages
    for source, label in (("vector", "text"), ("image", "scan")):
        preds = [r for r in found if r.source == source]
        truth = [b for b in rel.boxes if (b.file == "bundel.pdf" and kind == "scan") == (label == "scan")]
        used: set[int] = set()
        tp = grounds = 0
        for b in truth:
            best = max(
                (
                    (iou(r.bbox, b.bbox), i)
                    for i, r in enumerate(preds)
                    if i not in used and name_of[r.doc_id] == b.file and r.page == b.page
                ),
                default=(0.0, -1),
            )
            if best[0] >= 0.5:
                used.add(best[1])
                tp += 1
                grounds += preds[best[1]].ground == b.ground
        t = tally[label]
        t[0] += tp
        t[1] += len(preds)
        t[2] += len(truth)
        tally["ground"][0] += grounds
        tally["ground"][1] += tp
    parts = {(name_of[p.parent], p.first_page, p.last_page) for p in dm.store.woo.parts() if p.parent in name_of}
    truth_parts = {(d.file, d.first_page, d.last_page) for d in rel.docs if d.file == "bundel.pdf"}
    starts = {(f, a) for f, a, _ in parts}
    truth_starts = {(f, a) for f, a, _ in truth_parts}
    tally["bound"][0] += len(starts & truth_starts)
    tally["bound"][1] += len(starts)
    tally["bound"][2] += len(truth_starts)
    tally["exact"][0] += len(parts & truth_parts)
    tally["exact"][1] += len(truth_parts)
    # each bundle passage as search and listings see it: owned by the split-out document whose pages hold it
    children = dm.woo_children()
    bundle = doc_of.get("bundel.pdf", "")
    number_at = {p: d.number for d in rel.docs if d.file == "bundel.pdf" for p in range(d.first_page, d.last_page + 1)}
    for row in dm.table_rows("passages"):
        part = children.get(row["doc_id"])
        if row["path"].endswith("/bundel.pdf") and (
            part is not None and part.parent == bundle or row["doc_id"] == bundle
        ):
            tally["attrib"][0] += part is not None and part.number == number_at.get(row["page"])
            tally["attrib"][1] += 1
    rows = {r.number: r for rel_, r in dm.store.woo.inventory(str(rel.folder))}
    for d in rel.docs:
        r = rows.get(d.number)
        ok = r is not None and (r.date, r.decision, sorted(r.grounds), r.description) == (
            d.date,
            d.decision,
            sorted(d.grounds),
            d.description,
        )
        tally["rows"][0] += ok
        tally["rows"][1] += 1
        linked = r is not None and r.doc_id == doc_of.get(d.file) and r.first_page == d.first_page
        tally["links"][0] += linked
        tally["links"][1] += 1
    tally["extra_rows"][0] += len(rows) - len(rel.docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--text", type=int, default=6, help="generated text-layer releases")
    parser.add_argument("--scanned", type=int, default=2, help="generated scanned releases (OCR: slow)")
    parser.add_argument("--seed", type=int, default=1000, help="first seed of the held-back set")
    args = parser.parse_args()
    tally: dict[str, list[int]] = {
        k: [0, 0, 0] for k in ("text", "scan", "ground", "bound", "exact", "attrib", "rows", "links", "extra_rows")
    }
    kinds = ("pdf", "xlsx", "csv")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = Settings(db=root / "case.db", jobs=1, embed=False, extract=False, cache_dir=root / "cache")
        ingest_s = detect_s = 0.0
        pages = 0
        with Docmine(settings) as dm:
            for i in range(args.text):
                rel = make_release(root / f"text{i}", args.seed + i, inventory=kinds[i % 3], n_docs=8)
                report = dm.ingest([rel.folder])
                ingest_s += report.seconds
                pages += report.pages
                score_release(dm, rel, tally, "text")
            detect_s = dm.store._read().execute("SELECT coalesce(sum(seconds), 0) FROM woo_scanned").fetchone()[0]
            for i in range(args.scanned):
                rel = make_release(root / f"scan{i}", args.seed + 500 + i, scanned=True, n_docs=5)
                dm.ingest([rel.folder])
                score_release(dm, rel, tally, "scan")

    def f1(t: list[int]) -> tuple[float, float, float]:
        p = t[0] / t[1] if t[1] else 0.0
        r = t[0] / t[2] if t[2] else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    print(f"held-back releases: {args.text} text-layer, {args.scanned} scanned (seeds from {args.seed})")
    for label in ("text", "scan"):
        p, r, f = f1(tally[label])
        t = tally[label]
        print(f"redactions {label:4}: P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {t[0]}, predicted {t[1]}, true {t[2]})")
    g = tally["ground"]
    print(f"ground accuracy on matched boxes: {g[0] / max(1, g[1]):.3f} ({g[0]}/{g[1]})")
    p, r, _ = f1(tally["bound"])
    e = tally["exact"]
    print(
        f"bundle boundaries: P {p:.3f}  R {r:.3f}; documents with exact pages {e[0] / max(1, e[1]):.3f} ({e[0]}/{e[1]})"
    )
    a = tally["attrib"]
    print(f"bundle passages owned by the right document: {a[0] / max(1, a[1]):.3f} ({a[0]}/{a[1]})")
    rows, links = tally["rows"], tally["links"]
    print(
        f"inventory rows exact: {rows[0] / max(1, rows[1]):.3f} ({rows[0]}/{rows[1]}); extra rows {tally['extra_rows'][0]}"
    )
    print(f"links right: {links[0] / max(1, links[1]):.3f} ({links[0]}/{links[1]})")
    print(
        f"cost: redaction detection {detect_s:.2f} s of {ingest_s:.2f} s ingest on {pages} text-layer pages "
        f"= {detect_s / max(ingest_s, 1e-9):.1%} (entity extraction off, the strictest ratio)"
    )


if __name__ == "__main__":
    main()

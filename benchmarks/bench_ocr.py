"""OCR speed and accuracy on clean 150-dpi scans of Dutch text: pages/s and character error rate.

    .venv/bin/python benchmarks/bench_ocr.py [--pages 12] [--jobs 2]

Scans are rendered from known text (so the error rate is exact), one page per file, and ingested with
docmine (Tesseract -l nld, one thread per process, --jobs processes). Prints pages/s and CER.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from docfactory import make_scanned_pdf  # noqa: E402

SENTENCES = [
    "Het college van burgemeester en wethouders heeft besloten de inkoop van jeugdhulp opnieuw te regelen.",
    "De uitgaven aan specialistische jeugdzorg stegen in 2021 tot ruim 48 miljoen euro.",
    "Aanbieders kunnen zich gedurende de looptijd van de overeenkomst aanmelden via het Open House model.",
    "Op grond van artikel 5.1.2e van de Woo worden persoonsgegevens van medewerkers niet openbaar gemaakt.",
    "De gemeenteraad wordt in de eerste helft van 2022 geïnformeerd over de evaluatie van het inkoopmodel.",
    "Volgens de wethouder is de samenwerking met de regio Groningen verbeterd sinds 1 juli 2021.",
]


def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    from docmine.config import Settings
    from docmine.service import Docmine

    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "scans"
        folder.mkdir()
        truth: dict[str, str] = {}
        for i in range(args.pages):
            lines = [rng.choice(SENTENCES)[:80] for _ in range(25)]
            path = make_scanned_pdf(folder / f"scan{i:03d}.pdf", lines, dpi=150)
            truth[str(path)] = " ".join(lines)
        start = time.perf_counter()
        with Docmine(Settings(db=Path(tmp) / "ocr.db", jobs=args.jobs, embed=False, extract=False)) as dm:
            report = dm.ingest([folder])
            seconds = time.perf_counter() - start
            errors = chars = 0
            for doc in dm.documents():
                _, page = dm.page(doc.doc_id, 1)
                got = " ".join(page.text.split())
                errors += levenshtein(got, truth[doc.path])
                chars += len(truth[doc.path])
        print(
            f"{len(report.ingested)} scanned pages (150 dpi, 25 lines each), --jobs {args.jobs}: "
            f"{len(report.ingested) / seconds:.2f} pages/s, CER {100 * errors / chars:.2f}% ({errors}/{chars} chars)"
        )


if __name__ == "__main__":
    main()

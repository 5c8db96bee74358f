"""Ingest speed for text PDFs: docmine next to pdfplumber's extract_text and poppler's pdftotext, same files, same run.

    .venv/bin/python benchmarks/bench_ingest.py [--docs 40] [--pages 6]

Prints pages/s for each and docmine's ratios to the two baselines. Speeds are only compared within one run.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

WORDS = (
    "de het een gemeente raad college wethouder jeugdhulp jeugdzorg inkoop aanbieder aanbieders contract regio "
    "besluit voorstel budget tekort miljoen euro zorg kinderen ouders wijkteam toegang beleid uitvoering "
    "financiering verantwoording aanbesteding model open house resultaatgericht bekostiging indicatie wachtlijst "
    "specialistische ambulante verblijf pleegzorg gezinshuis jeugdbescherming rekenkamer onderzoek rapport"
).split()


def reference_names(limit: int = 300) -> list[str]:
    """Municipality and organisation names of ``corpora/reference`` (Latin-1 only: the PDF font's range)."""
    import csv

    ref = Path(__file__).resolve().parents[1] / "corpora" / "reference"
    names: list[str] = []
    for table in ("municipalities.csv", "organizations.csv"):
        with (ref / table).open(encoding="utf-8") as fh:
            names += [row["name"] for row in csv.DictReader(fh)][:limit]
    return [n for n in names if n.isprintable() and all(ord(c) < 256 for c in n)]


def make_corpus(folder: Path, docs: int, pages: int, seed: int = 7, names: bool = False) -> int:
    """``docs`` PDFs of ``pages`` pages of nine 40-70-word sentences; with ``names``, two names in each sentence."""
    from fpdf import FPDF

    rng = random.Random(seed)
    pool = reference_names() if names else []
    for d in range(docs):
        pdf = FPDF(format="A4")
        pdf.set_font("Helvetica", size=10)
        for _ in range(pages):
            pdf.add_page()
            for _ in range(9):
                words = [rng.choice(WORDS) for _ in range(rng.randint(40, 70))]
                for name in rng.sample(pool, 2) if pool else ():
                    words.insert(rng.randrange(1, len(words)), name)
                sentence = " ".join(words)
                sentence = sentence[:1].upper() + sentence[1:] + "."
                pdf.multi_cell(0, 5, sentence)
                pdf.ln(3)
        pdf.output(str(folder / f"doc{d:03d}.pdf"))
    return docs * pages


def bench_docmine(folder: Path, jobs: int, extract: bool = False, ner_model: str = "") -> float:
    from docmine.config import Settings
    from docmine.service import Docmine

    db = folder.parent / (f"bench-{jobs}-{extract}.db" if not ner_model else f"bench-ner-{Path(ner_model).name}.db")
    for p in folder.parent.glob(db.name + "*"):
        p.unlink()
    start = time.perf_counter()
    with Docmine(Settings(db=db, jobs=jobs, embed=False, extract=extract, ocr="never", ner_model=ner_model)) as dm:
        report = dm.ingest([folder])
    assert not report.failed, report.failed
    return time.perf_counter() - start


def bench_pdfplumber(folder: Path) -> float:
    import pdfplumber

    start = time.perf_counter()
    for path in sorted(folder.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
    return time.perf_counter() - start


def bench_pdftotext(folder: Path) -> float | None:
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    start = time.perf_counter()
    for path in sorted(folder.glob("*.pdf")):
        subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument(
        "--ner-model",
        action="append",
        default=[],
        help="also ingest with entities by this NER model (a folder, or none)",
    )
    parser.add_argument(
        "--names", action="store_true", help="two reference names in every sentence (work for a statistical NER)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pdfs"
        folder.mkdir()
        total = make_corpus(folder, args.docs, args.pages, names=args.names)
        extra = ", two names a sentence" if args.names else ""
        print(f"corpus: {args.docs} generated text PDFs, {total} pages (Dutch-like text, ~3,000 chars/page{extra})")
        results = {
            "pdfplumber extract_text (1 process)": bench_pdfplumber(folder),
            "docmine ingest --jobs 1, no entities": bench_docmine(folder, 1),
            "docmine ingest --jobs 2, no entities": bench_docmine(folder, 2),
            "docmine ingest --jobs 2, with entities": bench_docmine(folder, 2, extract=True),
        }
        for model in args.ner_model:
            results[f"  ... with entities, NER {Path(model).name}"] = bench_docmine(folder, 2, True, model)
        poppler = bench_pdftotext(folder)
        if poppler is not None:
            results["pdftotext -layout (1 process)"] = poppler
        base_plumber = total / results["pdfplumber extract_text (1 process)"]
        for name, seconds in results.items():
            rate = total / seconds
            line = f"{name:45s} {rate:8.1f} pages/s   x{rate / base_plumber:5.2f} vs pdfplumber"
            if poppler is not None:
                line += f"   x{rate / (total / poppler):5.3f} vs pdftotext"
            print(line)
        share = 1 - results["docmine ingest --jobs 2, no entities"] / results["docmine ingest --jobs 2, with entities"]
        sentences = count_sentences(folder)
        extra = results["docmine ingest --jobs 2, with entities"] - results["docmine ingest --jobs 2, no entities"]
        print(
            f"entity extraction: {share:.0%} of ingest time; {sentences} sentences, "
            f"{sentences / max(extra, 1e-9):.0f} sentences/s (wall clock, 2 workers)"
        )


def count_sentences(folder: Path) -> int:
    from docmine.config import Settings
    from docmine.nlp.claims import sentences
    from docmine.service import Docmine

    with Docmine(Settings(db=folder.parent / "bench-2-False.db", embed=False)) as dm:
        return sum(
            len(list(sentences(dm.page(d.doc_id, n)[1].text)))
            for d in dm.documents()
            for n in range(1, d.page_count + 1)
        )


if __name__ == "__main__":
    main()

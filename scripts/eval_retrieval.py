"""Retrieval quality for text, semantic and hybrid search on two sets, each split into a tune and a test half:

- the project's own in-domain questions (corpora/retrieval/questions.jsonl) over a real case file of
  ../shared/data/docs and corpora/demo/docs, scored per document (a document counts at its best passage),
  with recall@3 by question kind;
- the Kamervragen BEIR set (corpus.jsonl, queries.jsonl, qrels.tsv), half a = tune, half b = test.

Choose methods and weights on the tune halves only; score the test halves once at the end.

    python scripts/eval_retrieval.py --set both          # both sets, both halves, every mode
    python scripts/eval_retrieval.py --set indomain --db case.db   # reuse an ingested and embedded case file

The BEIR part on its own (older options, still supported):

Each mode turns (corpus, queries) into a ranked run; ``evaluate`` scores any run, so text and hybrid
modes only need a new entry in ``MODES``. The hybrid mode runs docmine's own ``rank_hybrid``. Passage
embeddings are cached under the user's cache directory, keyed by embedder and corpus content. Default
data: ../shared/data/retrieval/kamervragen. Choose and fit on ``--half a`` only; report b and all.

    python scripts/eval_retrieval.py [--modes text semantic hybrid semantic-plain] [--data DIR] [--k 10]
        [--half all|a|b] [--fusion combsum|rrf] [--no-centering]
    python scripts/eval_retrieval.py --half a --fit-centering   # (re)writes docmine/search/centering.json
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docmine.config import DEFAULT_EMBEDDING_MODEL, Settings  # noqa: E402
from docmine.embed import Embedder, make_embedder  # noqa: E402
from docmine.errors import QueryError  # noqa: E402
from docmine.model import Document, Filters, Page, Passage  # noqa: E402
from docmine.nlp.analyzer import Analyzer  # noqa: E402
from docmine.search.fulltext import rank_text  # noqa: E402
from docmine.search.rerank import CENTERING_FILE, load_centering, model_key  # noqa: E402
from docmine.search.searcher import word_query  # noqa: E402
from docmine.search.semantic import fuse, rank_hybrid, rank_vectors  # noqa: E402
from docmine.search.vectors import VectorIndex  # noqa: E402
from docmine.store import Store  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "retrieval" / "kamervragen"
Run = dict[str, list[str]]
Qrels = dict[str, dict[str, int]]


@dataclass
class Dataset:
    corpus: dict[str, str]
    queries: dict[str, str]
    qrels: Qrels


def load_beir(folder: Path) -> Dataset:
    def jsonl(name: str) -> dict[str, str]:
        out = {}
        with (folder / name).open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    title = row.get("title") or ""
                    out[str(row["_id"])] = f"{title}\n{row['text']}" if title else row["text"]
        return out

    qrels: Qrels = {}
    with (folder / "qrels.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = int(row["score"])
    queries = {q: t for q, t in jsonl("queries.jsonl").items() if q in qrels}
    return Dataset(jsonl("corpus.jsonl"), queries, qrels)


def evaluate(run: Run, qrels: Qrels, k: int = 10) -> dict[str, float]:
    """Mean nDCG@k, recall@k and recall@3 over the queries in ``qrels`` (a query missing from ``run`` scores 0)."""
    ndcg = recall = recall3 = 0.0
    judged = [q for q, rel in qrels.items() if any(v > 0 for v in rel.values())]
    for qid in judged:
        rel = qrels[qid]
        ranked = run.get(qid, [])[:k]
        dcg = sum(rel.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked))
        ideal = sorted((v for v in rel.values() if v > 0), reverse=True)[:k]
        idcg = sum(v / math.log2(i + 2) for i, v in enumerate(ideal))
        ndcg += dcg / idcg
        relevant = {d for d, v in rel.items() if v > 0}
        recall += len(relevant.intersection(ranked)) / len(relevant)
        recall3 += len(relevant.intersection(ranked[:3])) / min(len(relevant), 3)
    n = len(judged) or 1
    return {f"ndcg@{k}": ndcg / n, f"recall@{k}": recall / n, "recall@3": recall3 / n, "queries": float(len(judged))}


# --- semantic modes ---------------------------------------------------------------------------------


def _corpus_key(corpus: dict[str, str]) -> str:
    h = hashlib.sha1()
    for doc_id, text in corpus.items():
        h.update(doc_id.encode())
        h.update(b"\0")
        h.update(text.encode())
        h.update(b"\1")
    return h.hexdigest()[:16]


def cached_passage_vectors(embedder: Embedder, corpus: dict[str, str], cache: Path) -> np.ndarray:
    """Embeddings of the corpus in its order, computed once per (embedder, corpus)."""
    slug = "".join(c if c.isalnum() or c in "-." else "_" for c in embedder.name)
    path = cache / f"{slug}-{_corpus_key(corpus)}.npy"
    if path.is_file():
        return np.load(path)
    vecs = embedder.embed_passages(list(corpus.values()))
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vecs)
    os.replace(tmp, path)
    return vecs


def semantic_run(embedder: Embedder, data: Dataset, k: int, cache: Path, centred: bool = True) -> Run:
    """docmine's semantic ranking (``rank_vectors``: centred cosine where the model has a centering)."""
    doc_ids = list(data.corpus)
    vecs = cached_passage_vectors(embedder, data.corpus, cache)
    qids = list(data.queries)
    qvecs = embedder.embed_queries([data.queries[q] for q in qids])
    centering = load_centering(embedder.name) if centred else None
    with tempfile.TemporaryDirectory() as tmp:
        index = VectorIndex(Path(tmp) / "eval.db.vec", dim=vecs.shape[1])
        index.add(np.arange(len(doc_ids)), vecs)
        return {
            q: [doc_ids[i] for i, _ in rank_vectors(index, v, k, centering=centering)]
            for q, v in zip(qids, qvecs, strict=True)
        }


def _semantic(name: str) -> Callable[[Dataset, argparse.Namespace], Run]:
    def mode(data: Dataset, args: argparse.Namespace) -> Run:
        return semantic_run(
            make_embedder(name, settings=Settings.load()), data, args.k, args.cache, not args.no_centering
        )

    return mode


# --- text and hybrid modes: docmine's own full-text ranking over a real case file -----------------------

DEPTH = 100


def _case_file(data: Dataset, folder: Path) -> tuple[Store, list[str]]:
    """Each corpus passage as a one-page document in a real Store, indexed by docmine's analyzer."""
    store = Store.open(folder / "eval.db")
    analyzer = Analyzer()
    doc_ids = list(data.corpus)
    for i, cid in enumerate(doc_ids):
        text = data.corpus[cid]
        doc_id = f"{i:064x}"
        doc = Document(doc_id=doc_id, path=cid, size=len(text), format="text", pages=(Page(1, text),), title=cid)
        store.add_document(doc, [Passage(doc_id, 1, 0, len(text), text)], [analyzer.index_text(text)])
    return store, doc_ids


def _text_rankings(data: Dataset, store: Store) -> dict[str, list[tuple[int, float, tuple[str, ...]]]]:
    analyzer = Analyzer()
    out = {}
    for qid, text in data.queries.items():
        try:
            out[qid] = rank_text(store, word_query(text, analyzer, store), Filters(), DEPTH)
        except QueryError:
            out[qid] = []
    return out


def _ids_to_corpus(store: Store, ranked: list[tuple[int, float, tuple[str, ...]]]) -> list[str]:
    rows = store.passages(pid for pid, _, _ in ranked)
    return [rows[pid].path for pid, _, _ in ranked]


def text_mode(data: Dataset, args: argparse.Namespace) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        store, _ = _case_file(data, Path(tmp))
        runs = _text_rankings(data, store)
        result = {q: _ids_to_corpus(store, r[: args.k]) for q, r in runs.items()}
        store.close()
    return result


def hybrid_mode(data: Dataset, args: argparse.Namespace) -> Run:
    """docmine's hybrid ranking (``rank_hybrid``, what ``Docmine.search`` runs), or --fusion rrf for comparison."""
    embedder = make_embedder(DEFAULT_EMBEDDING_MODEL, settings=Settings.load())
    vecs = cached_passage_vectors(embedder, data.corpus, args.cache)
    qids = list(data.queries)
    qvecs = embedder.embed_queries([data.queries[q] for q in qids])
    centering = None if args.no_centering else load_centering(embedder.name)
    analyzer = Analyzer()
    with tempfile.TemporaryDirectory() as tmp:
        store, doc_ids = _case_file(data, Path(tmp))
        pid_of = {cid: pid for pid, cid in enumerate(doc_ids, start=1)}  # passages are inserted in corpus order
        index = VectorIndex(Path(tmp) / "sem.vec", dim=vecs.shape[1])
        index.add(np.array([pid_of[c] for c in doc_ids]), vecs)
        runs = _text_rankings(data, store) if args.fusion == "rrf" else {}
        result = {}
        for qid, qvec in zip(qids, qvecs, strict=True):
            if args.fusion == "rrf":
                semantic = index.search(qvec, DEPTH)
                fused = fuse([[(pid, score, ()) for pid, score in semantic], runs[qid]])[: args.k]
            else:
                try:
                    query = word_query(data.queries[qid], analyzer, store)
                except QueryError:
                    query = None  # too long for the text side: the vectors still rank it
                fused = rank_hybrid(store, analyzer, query, qvec, index, Filters(), centering)[: args.k]
            result[qid] = _ids_to_corpus(store, fused)
        store.close()
    return result


def fit_centering(data: Dataset, out: Path) -> None:
    """Write the mean query embedding of ``data.queries`` (half a only: see main) for the default model."""
    embedder = make_embedder(DEFAULT_EMBEDDING_MODEL, settings=Settings.load())
    mean = embedder.embed_queries(list(data.queries.values())).mean(axis=0)
    entries = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    entries[model_key(embedder.name)] = {
        "query_mean": [round(float(x), 6) for x in mean],
        "fitted_on": f"{len(data.queries)} kamervragen dev questions, half a (eval_retrieval.py --fit-centering)",
    }
    out.write_text(json.dumps(entries, indent=1) + "\n", encoding="utf-8")
    print(f"wrote the query mean of {len(data.queries)} queries to {out}")


MODES: dict[str, tuple[str, Callable[[Dataset, argparse.Namespace], Run]]] = {
    "text": ("docmine full-text: FTS5 BM25, Dutch stemming, decompounding, re-ranking", text_mode),
    "semantic": ("fast path: ONNX int8 multilingual-e5-small", _semantic(DEFAULT_EMBEDDING_MODEL)),
    "semantic-plain": ("plain sentence-transformers, same model", _semantic(f"st:{DEFAULT_EMBEDDING_MODEL}")),
    "hybrid": ("docmine hybrid: centred cosine + FTS5 + pool BM25 (depth 100)", hybrid_mode),
}


# --- the in-domain set: the project's own questions over a real case file -------------------------------

QUESTIONS = Path(__file__).resolve().parents[1] / "corpora" / "retrieval" / "questions.jsonl"
DEMO_DOCS = Path(__file__).resolve().parents[1] / "corpora" / "demo" / "docs"
SHARED_DOCS = Path(__file__).resolve().parents[2] / "shared" / "data" / "docs"
HALVES = ("tune", "test")
KINDS = ("word", "compound", "paraphrase", "title", "number", "entity")


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def indomain_case_file(db: Path | None, cache: Path, vectors: bool = True) -> Path:
    """An ingested and embedded case file of the shared documents and the demo corpus (built once)."""
    from docmine.service import Docmine

    path = db or cache / "indomain.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    with Docmine(replace(Settings.load(), db=path)) as dm:
        missing = [p for p in (SHARED_DOCS, DEMO_DOCS) if p.is_dir()]
        if not dm.documents():
            dm.ingest(missing)
        if vectors and dm.embedding_status()[0]:
            dm.embed()
    return path


def indomain_runs(db: Path, questions: list[dict], modes: list[str], depth: int = 30) -> dict[str, Run]:
    """Per mode: each question's documents in order of their best passage (docmine's own Searcher)."""
    from docmine.service import Docmine

    runs: dict[str, Run] = {}
    with Docmine(replace(Settings.load(), db=db)) as dm:
        for mode in modes:
            run: Run = {}
            for q in questions:
                hits = dm.search(q["question"], limit=depth, mode=mode)
                run[q["id"]] = list(dict.fromkeys(h.ref.doc_id for h in hits))
            runs[mode] = run
    return runs


def indomain_report(db: Path, modes: list[str], k: int, halves: list[str] | tuple[str, ...] = HALVES) -> None:
    questions = [q for q in load_questions() if q["half"] in halves]
    modes = [m for m in modes if m in ("text", "semantic", "hybrid")]
    t0 = time.perf_counter()
    runs = indomain_runs(db, questions, modes)
    print(f"in-domain: {len(questions)} questions over {db} ({time.perf_counter() - t0:.0f} s)")
    header = f"{'half':<5} {'mode':<9} {'n':>4} {'nDCG@' + str(k):>8} {'R@' + str(k):>6} {'R@3':>6} |"
    print(header + "".join(f" {kind[:10]:>10}" for kind in KINDS) + "   (R@3 by kind)")
    for half in halves:
        part = [q for q in questions if q["half"] == half]
        for mode in modes:
            qrels = {q["id"]: {r["doc_id"]: 1 for r in q["relevant"]} for q in part}
            scores = evaluate(runs[mode], qrels, k)
            by_kind = []
            for kind in KINDS:
                sub = {
                    qid: rel for qid, rel in qrels.items() if any(q["id"] == qid and q["kind"] == kind for q in part)
                }
                by_kind.append(f" {evaluate(runs[mode], sub, k)['recall@3']:10.3f}" if sub else f" {'-':>10}")
            print(
                f"{half:<5} {mode:<9} {len(part):>4} {scores[f'ndcg@{k}']:8.4f} {scores[f'recall@{k}']:6.3f} "
                f"{scores['recall@3']:6.3f} |" + "".join(by_kind),
                flush=True,
            )


def kamervragen_report(args: argparse.Namespace) -> None:
    data = load_beir(args.data)
    ordered = sorted(data.queries)
    halves = {"tune": set(ordered[0::2]), "test": set(ordered[1::2])}  # the old halves a and b
    halves = {h: keep for h, keep in halves.items() if h in args.halves}
    chosen = set().union(*halves.values())
    data.queries = {q: t for q, t in data.queries.items() if q in chosen}
    n_pairs = sum(len(v) for v in data.qrels.values())
    print(f"kamervragen: {args.data} ({len(data.corpus)} passages, {len(data.queries)} queries, {n_pairs} qrels)")
    print(f"{'half':<5} {'mode':<9} {'n':>4} {'nDCG@' + str(args.k):>8} {'R@' + str(args.k):>6} {'R@3':>6}")
    runs = {mode: MODES[mode][1](data, args) for mode in args.modes}
    for half, keep in halves.items():
        qrels = {q: r for q, r in data.qrels.items() if q in keep and q in data.queries}
        for mode in args.modes:
            scores = evaluate(runs[mode], qrels, args.k)
            print(
                f"{half:<5} {mode:<9} {len(qrels):>4} {scores[f'ndcg@{args.k}']:8.4f} "
                f"{scores[f'recall@{args.k}']:6.3f} {scores['recall@3']:6.3f}",
                flush=True,
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="BEIR folder")
    ap.add_argument("--modes", nargs="+", default=["text", "semantic", "hybrid"], choices=sorted(MODES))
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument(
        "--set",
        choices=["indomain", "kamervragen", "both"],
        default=None,
        help="report both halves (tune, test) of one set or both; without it: the older BEIR-only report",
    )
    ap.add_argument(
        "--ablate",
        nargs="*",
        default=[],
        choices=["exact", "aggregate", "sure", "lead", "size"],
        help="hybrid without exact title/phrase priority, without one place per document, without keeping the "
        "documents full-text search is sure of (or that lead it) on top, or without the prior against documents "
        "of many passages",
    )
    ap.add_argument(
        "--halves",
        nargs="+",
        choices=HALVES,
        default=list(HALVES),
        help="with --set: the halves to report (tune while choosing; test once at the end)",
    )
    ap.add_argument("--weight", type=float, default=None, help="hybrid: weight of the cosine (tune half only)")
    ap.add_argument("--db", type=Path, default=None, help="in-domain case file to reuse (default: built in the cache)")
    ap.add_argument("--fusion", choices=["combsum", "rrf"], default="combsum", help="hybrid fusion (docmine: combsum)")
    ap.add_argument(
        "--half",
        choices=["all", "a", "b"],
        default="all",
        help="queries: all, or half a (sorted ids, even positions: used to choose the fusion weights and fit the "
        "query mean) or b (held out)",
    )
    ap.add_argument("--no-centering", action="store_true", help="semantic and hybrid with plain cosine (ablation)")
    ap.add_argument(
        "--adapter", action="store_true", help="semantic and hybrid with the query adapter (off by default)"
    )
    ap.add_argument(
        "--fit-centering",
        type=Path,
        nargs="?",
        const=CENTERING_FILE,
        default=None,
        help=f"write the mean query embedding of half a to this JSON (default {CENTERING_FILE.name}) and exit",
    )
    ap.add_argument("--cache", type=Path, default=None, help="embedding cache (default: user cache dir)")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.cache is None:
        args.cache = Settings.load().model_cache.parent / "eval-embeddings"
    if not (args.data / "corpus.jsonl").is_file():
        print(f"no BEIR data at {args.data}", file=sys.stderr)
        return 1
    from docmine.search import semantic

    semantic.EXACT_FIRST = "exact" not in args.ablate
    semantic.ONE_PER_DOCUMENT = "aggregate" not in args.ablate
    semantic.SURE_FIRST = "sure" not in args.ablate
    semantic.LEAD_FIRST = "lead" not in args.ablate
    semantic.SIZE_PRIOR = "size" not in args.ablate
    from docmine.search import rerank

    rerank.USE_ADAPTER = args.adapter
    if args.weight is not None:
        semantic.SEMANTIC_WEIGHT = args.weight
    if args.set in ("indomain", "both"):
        vectors = any(m != "text" for m in args.modes)
        indomain_report(indomain_case_file(args.db, args.cache, vectors), args.modes, args.k, args.halves)
    if args.set in ("kamervragen", "both"):
        kamervragen_report(args)
    if args.set is not None:
        return 0
    data = load_beir(args.data)
    if args.half != "all":
        ordered = sorted(data.queries)
        keep = set(ordered[0::2] if args.half == "a" else ordered[1::2])
        data.queries = {q: t for q, t in data.queries.items() if q in keep}
        data.qrels = {q: r for q, r in data.qrels.items() if q in keep}
    if args.fit_centering is not None:
        if args.half != "a":
            print("--fit-centering fits on half a only: add --half a", file=sys.stderr)
            return 1
        fit_centering(data, args.fit_centering)
        return 0
    n_pairs = sum(len(v) for v in data.qrels.values())
    print(f"data: {args.data}  ({len(data.corpus)} passages, {len(data.queries)} queries, {n_pairs} qrels)")
    print(f"{'mode':<16} {'nDCG@' + str(args.k):>8} {'recall@' + str(args.k):>10} {'seconds':>8}  what")
    for mode in args.modes:
        label, fn = MODES[mode]
        t0 = time.perf_counter()
        run = fn(data, args)
        scores = evaluate(run, data.qrels, args.k)
        print(
            f"{mode:<16} {scores[f'ndcg@{args.k}']:8.4f} {scores[f'recall@{args.k}']:10.4f} "
            f"{time.perf_counter() - t0:8.1f}  {label}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

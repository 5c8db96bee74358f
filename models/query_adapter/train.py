"""Train the query-side adapter of multilingual-e5-small (a 384 x 384 matrix) and write multilingual-e5-small.npy beside this file.

    DOCMINE_CACHE_DIR=... python models/query_adapter/train.py --db indomain.db [--lam 0.1]

Pairs (tune halves only): Kamervragen tune questions -> their answer passages, the in-domain tune questions
(corpora/retrieval/questions.jsonl) -> their passages in the case file ``--db`` (built and embedded by
``scripts/eval_retrieval.py --set indomain``), and every document title of that case file -> its first
passage. Both sides are centred as docmine centres them (the model's mean query vector from
docmine/search/centering.json, each corpus's mean passage vector); the matrix starts at the identity and is
trained with a contrastive loss over every passage of the same corpus, held near the identity (``--lam``).
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import eval_retrieval as ev  # noqa: E402

from docmine.config import DEFAULT_EMBEDDING_MODEL, Settings  # noqa: E402
from docmine.embed import make_embedder  # noqa: E402
from docmine.search.rerank import load_centering, model_key  # noqa: E402
from docmine.search.vectors import VectorIndex, index_path_for  # noqa: E402

OUT = Path(__file__).with_name(f"{model_key(DEFAULT_EMBEDDING_MODEL)}.npy")  # what docmine loads for that model


def centred(x: np.ndarray, mean: np.ndarray) -> np.ndarray:
    x = x - mean
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def pairs(db: Path, settings: Settings) -> list[tuple[np.ndarray, np.ndarray, list[list[int]]]]:
    """(centred queries, centred passages, positives per query) for each of the three sources."""
    embedder = make_embedder(DEFAULT_EMBEDDING_MODEL, settings=settings)
    centering = load_centering(embedder.name)
    assert centering is not None, "the default model has a centering entry"
    mq = centering.query_mean
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT p.id, p.doc_id, p.page, p.start_char, d.title FROM passages p JOIN documents d USING (doc_id) "
        "ORDER BY p.id"
    ).fetchall()
    ids = [r[0] for r in rows]
    position = {(doc, page, start): i for i, (_, doc, page, start, _) in enumerate(rows)}
    vectors = VectorIndex(index_path_for(db), embedder.dim, model=embedder.name).get(ids)
    passages = centred(vectors, vectors.mean(axis=0))
    tune = [q for q in ev.load_questions() if q["half"] == "tune"]
    positives = [
        [position[k] for r in q["relevant"] for p in r["passages"] if (k := (r["doc_id"], p["page"], p["start"])) in position]
        for q in tune
    ]
    questions = centred(embedder.embed_queries([q["question"] for q in tune]), mq)
    first: dict[str, tuple[str, int]] = {}
    for i, (_, doc, _, _, title) in enumerate(rows):
        if doc not in first and title.strip():
            first[doc] = (title, i)
    titles = centred(embedder.embed_queries([t for t, _ in first.values()]), mq)
    data = ev.load_beir(ev.DEFAULT_DATA)
    ordered = sorted(data.queries)
    kv_tune = ordered[0::2]  # eval_retrieval's tune half
    corpus = list(data.corpus)
    column = {c: i for i, c in enumerate(corpus)}
    kv_vectors = ev.cached_passage_vectors(embedder, data.corpus, settings.model_cache.parent / "eval-embeddings")
    kv_questions = centred(embedder.embed_queries([data.queries[q] for q in kv_tune]), mq)
    kv_positives = [[column[c] for c, v in data.qrels[q].items() if v > 0 and c in column] for q in kv_tune]
    return [
        (questions, passages, positives),
        (titles, passages, [[i] for _, i in first.values()]),
        (kv_questions, centred(kv_vectors, kv_vectors.mean(axis=0)), kv_positives),
    ]


def train(groups: list[tuple[np.ndarray, np.ndarray, list[list[int]]]], lam: float, tau: float, epochs: int) -> np.ndarray:
    torch.manual_seed(0)
    dim = groups[0][0].shape[1]
    eye = torch.eye(dim)
    w = eye.clone().requires_grad_(True)
    opt = torch.optim.Adam([w], lr=0.01)
    tensors = [(torch.tensor(q), torch.tensor(p), pos) for q, p, pos in groups]
    for _ in range(epochs):
        opt.zero_grad()
        loss = torch.zeros(())
        n = 0
        for q, p, pos in tensors:
            logits = torch.nn.functional.normalize(q @ w.T, dim=1) @ p.T / tau
            total = torch.logsumexp(logits, 1)
            for i, ps in enumerate(pos):
                if ps:
                    loss = loss + total[i] - torch.logsumexp(logits[i, ps], 0)
                    n += 1
        loss = loss / n + lam * ((w - eye) ** 2).sum()
        loss.backward()
        opt.step()
    return w.detach().numpy()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="the in-domain case file, embedded")
    ap.add_argument("--lam", type=float, default=0.1, help="pull toward the identity")
    ap.add_argument("--tau", type=float, default=0.05, help="softmax temperature")
    ap.add_argument("--epochs", type=int, default=60)
    args = ap.parse_args()
    torch.set_num_threads(1)
    settings = Settings.load()
    matrix = train(pairs(args.db, settings), args.lam, args.tau, args.epochs).astype(np.float16)
    np.save(OUT, matrix)
    digest = hashlib.sha256(OUT.read_bytes()).hexdigest()[:12]
    print(f"wrote {OUT} ({model_key(DEFAULT_EMBEDDING_MODEL)}, {matrix.shape}, sha256 {digest})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

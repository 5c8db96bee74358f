"""Fine-tune the query side of multilingual-e5-small for docmine's centred cosine, and measure it by cross-fit.

Passages keep the vectors stored in case files (no case file is embedded again); only the query tower moves.
Pairs come from the tune halves only: Kamervragen tune questions -> their answer passages, the in-domain tune
questions (corpora/retrieval/questions.jsonl) -> their passages in the case file ``--db``, and every document
title of that case file -> its first passage. Loss: each query against every passage of its corpus (softmax,
temperature ``--tau``), both sides centred as docmine centres them, plus ``--lam`` x the squared distance of the
query vector to the untrained model's (so questions the pairs do not cover keep their vectors).

    DOCMINE_CACHE_DIR=... python scripts/train_query_encoder.py --db indomain.db --crossfit
        trains one model per fold of the tune questions (titles in both), encodes each fold's questions with the
        model that did not see them, and prints scripts/eval_retrieval.py's tune-half tables with those vectors,
        beside the untrained fp32 tower (the control) read the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import eval_retrieval as ev  # noqa: E402

from docmine.config import DEFAULT_EMBEDDING_MODEL, Settings  # noqa: E402
from docmine.embed import make_embedder  # noqa: E402
from docmine.embed.sources import resolve_model_path  # noqa: E402
from docmine.search.rerank import load_centering  # noqa: E402
from docmine.search.vectors import VectorIndex, index_path_for  # noqa: E402


@dataclass
class Group:
    """Query texts, the centred passages of their corpus, and each query's positive rows; fold per query."""

    texts: list[str]
    passages: np.ndarray
    positives: list[list[int]]
    folds: list[int]


def fold_of(key: str) -> int:
    return hashlib.sha1(key.encode()).digest()[0] % 2


def centred(x: np.ndarray, mean: np.ndarray) -> np.ndarray:
    x = x - mean
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def groups(db: Path, settings: Settings) -> list[Group]:
    embedder = make_embedder(DEFAULT_EMBEDDING_MODEL, settings=settings)
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT p.id, p.doc_id, p.page, p.start_char, d.title FROM passages p JOIN documents d USING (doc_id) "
        "ORDER BY p.id"
    ).fetchall()
    position = {(doc, page, start): i for i, (_, doc, page, start, _) in enumerate(rows)}
    vectors = VectorIndex(index_path_for(db), embedder.dim, model=embedder.name).get([r[0] for r in rows])
    passages = centred(vectors, vectors.mean(axis=0))
    tune = [q for q in ev.load_questions() if q["half"] == "tune"]
    positives = [
        [
            position[k]
            for r in q["relevant"]
            for p in r["passages"]
            if (k := (r["doc_id"], p["page"], p["start"])) in position
        ]
        for q in tune
    ]
    first: dict[str, tuple[str, int]] = {}
    for i, (_, doc, _, _, title) in enumerate(rows):
        if doc not in first and title.strip():
            first[doc] = (title, i)
    data = ev.load_beir(ev.DEFAULT_DATA)
    kv_tune = sorted(data.queries)[0::2]  # eval_retrieval's tune half
    column = {c: i for i, c in enumerate(data.corpus)}
    kv_vectors = ev.cached_passage_vectors(embedder, data.corpus, settings.model_cache.parent / "eval-embeddings")
    return [
        Group([q["question"] for q in tune], passages, positives, [fold_of(q["id"]) for q in tune]),
        Group([t for t, _ in first.values()], passages, [[i] for _, i in first.values()], [-1] * len(first)),
        Group(
            [data.queries[q] for q in kv_tune],
            centred(kv_vectors, kv_vectors.mean(axis=0)),
            [[column[c] for c, v in data.qrels[q].items() if v > 0 and c in column] for q in kv_tune],
            [fold_of(q) for q in kv_tune],
        ),
    ]


class Tower:
    """The e5 encoder as docmine's ONNX graph computes it (prompt, masked mean, L2), in torch, trainable on top."""

    def __init__(self, settings: Settings, layers: int) -> None:
        from tokenizers import Tokenizer
        from transformers import AutoModel

        folder = Path(resolve_model_path(DEFAULT_EMBEDDING_MODEL, settings.model_cache))
        self.model = AutoModel.from_pretrained(str(folder), local_files_only=True, attn_implementation="eager")
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.enable_truncation(512)
        self.prefix = "query: "
        total = self.model.config.num_hidden_layers
        for name, p in self.model.named_parameters():
            p.requires_grad = any(name.startswith(f"encoder.layer.{i}.") for i in range(total - layers, total))
        centering = load_centering(make_embedder(DEFAULT_EMBEDDING_MODEL, settings=settings).name)
        assert centering is not None
        self.query_mean = torch.tensor(centering.query_mean)

    def encode(self, texts: list[str]) -> torch.Tensor:
        encs = self.tok.encode_batch([self.prefix + t for t in texts])
        width = max(len(e.ids) for e in encs)
        ids = torch.zeros((len(encs), width), dtype=torch.long)
        mask = torch.zeros((len(encs), width), dtype=torch.long)
        for r, e in enumerate(encs):
            ids[r, : len(e.ids)] = torch.tensor(e.ids)
            mask[r, : len(e.ids)] = 1
        hidden = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).float()
        return torch.nn.functional.normalize((hidden * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=1)

    def vectors(self, texts: list[str], batch: int = 64) -> np.ndarray:
        self.model.eval()
        with torch.no_grad():
            return np.concatenate([self.encode(texts[i : i + batch]).numpy() for i in range(0, len(texts), batch)])


def train(tower: Tower, data: list[Group], fold: int | None, args: argparse.Namespace) -> None:
    """Train on every query not in ``fold`` (titles always)."""
    items = [(g, i) for g in data for i, f in enumerate(g.folds) if f != fold and g.positives[i]]
    base = {id(g): torch.tensor(tower.vectors(g.texts)) for g in data}
    passages = {id(g): torch.tensor(g.passages) for g in data}
    params = [p for p in tower.model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.0)
    rng = np.random.default_rng(13)
    steps = args.epochs * -(-len(items) // args.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * (1 - s / steps))
    t0 = time.perf_counter()
    for epoch in range(args.epochs):
        tower.model.train()
        order = rng.permutation(len(items))
        total = 0.0
        for start in range(0, len(order), args.batch):
            chunk = [items[j] for j in order[start : start + args.batch]]
            q = tower.encode([g.texts[i] for g, i in chunk])
            loss = torch.zeros(())
            for r, (g, i) in enumerate(chunk):
                c = torch.nn.functional.normalize(q[r] - tower.query_mean, dim=0)
                logits = passages[id(g)] @ c / args.tau
                loss = loss + torch.logsumexp(logits, 0) - torch.logsumexp(logits[g.positives[i]], 0)
                loss = loss + args.lam * ((q[r] - base[id(g)][i]) ** 2).sum() / args.tau
            loss = loss / len(chunk)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            total += float(loss) * len(chunk)
        print(f"  fold {fold} epoch {epoch + 1}: loss {total / len(items):.4f} ({time.perf_counter() - t0:.0f} s)")


def crossfit(db: Path, args: argparse.Namespace) -> None:
    settings = Settings.load()
    data = groups(db, settings)
    questions = [(g, i) for g in data for i, f in enumerate(g.folds) if f >= 0]
    control = Tower(settings, args.layers)
    table = {
        "control": {
            g.texts[i]: v
            for (g, i), v in zip(questions, control.vectors([g.texts[i] for g, i in questions]), strict=True)
        }
    }
    trained: dict[str, np.ndarray] = {}
    for fold in (0, 1):
        torch.manual_seed(13)
        tower = Tower(settings, args.layers)
        train(tower, data, fold, args)
        held = [(g, i) for g, i in questions if g.folds[i] == fold]
        trained.update(zip([g.texts[i] for g, i in held], tower.vectors([g.texts[i] for g, i in held]), strict=True))
    table["trained"] = trained
    from docmine.embed.onnx_runtime import OnnxEmbedder

    original = OnnxEmbedder.embed_queries
    for name, vectors in table.items():
        misses: list[str] = []

        def embed_queries(
            self: OnnxEmbedder, texts: list[str], vectors: dict = vectors, misses: list = misses
        ) -> np.ndarray:
            known = [vectors.get(t) for t in texts]
            if all(v is not None for v in known):
                return np.stack(known)
            misses.extend(t for t, v in zip(texts, known, strict=True) if v is None)
            return original(self, texts)

        OnnxEmbedder.embed_queries = embed_queries  # type: ignore[method-assign]
        print(f"== {name} query tower ({args})")
        ev.main(["--set", "both", "--halves", "tune", "--modes", *args.modes, "--db", str(db)])
        print(f"   ({len(misses)} texts fell back to the ONNX tower: {misses[:3]})")
    OnnxEmbedder.embed_queries = original  # type: ignore[method-assign]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="the in-domain case file, embedded")
    ap.add_argument("--crossfit", action="store_true", help="train per fold and print the tune-half tables")
    ap.add_argument("--layers", type=int, default=4, help="top encoder layers trained")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--tau", type=float, default=0.05)
    ap.add_argument("--lam", type=float, default=1.0, help="pull toward the untrained query vector")
    ap.add_argument("--modes", nargs="+", default=["semantic", "hybrid"])
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.set_flush_denormal(True)
    if args.crossfit:
        crossfit(args.db, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

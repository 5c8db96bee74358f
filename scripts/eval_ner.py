"""Span-level evaluation of docmine's entity extraction: gold sets, MultiCoNER dev, WikiANN-nl, WikiNEuRal-nl, EHRI.

Prints per-label precision/recall/F1 (exact character-span match, label included, as conlleval) for the rules
alone, the rules with an old model (``--old-model``) and with the new one, on ``corpora/gold/dev.jsonl`` (or
``--gold``), on the tune parts (``--sets tune``: MultiCoNER-nl dev, case restored) and on the eval-only test sets
in ``../shared/data/ner/eval-only`` (PER/ORG/LOC; measured once at the end of a round, never tuned on).
Usage: ``python scripts/eval_ner.py [--model DIR] [--old-model DIR] [--gold FILE] [--sets gold,tune,wiki,ehri]``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gold import GOLD_DIR, LABELS, ROOT, SHARED_DATA, GoldSentence, document_text, gold_half, load_gold  # noqa: E402

Span = tuple[int, int, str]
EHRI = SHARED_DATA / "ner" / "ehri" / "ehri_nl.txt"
EHRI_LABELS = {"PER": "PERSON", "PERS": "PERSON", "ORG": "ORGANIZATION", "LOC": "LOC", "DATE": "DATE"}
EVAL_ONLY = SHARED_DATA / "ner" / "eval-only"
WIKI_SETS = {
    "WikiANN-nl": EVAL_ONLY / "wikiann-nl" / "test.conllu",
    "WikiNEuRal-nl": EVAL_ONLY / "wikineural-nl" / "test.conllu",
}
WIKI_LABELS = ("PER", "ORG", "LOC")
# docmine labels -> the CoNLL scheme of the eval-only sets; MISC and the rule-only labels are not scored
WIKI_MAPPING = {
    "PERSON": "PER",
    "ORGANIZATION": "ORG",
    "PROVIDER": "ORG",
    "MUNICIPALITY": "LOC",
    "PROVINCE": "LOC",
    "REGION": "LOC",
    "LOCATION": "LOC",
}
# rule labels that are places, and the Extractor's LOCATION for statistical LOC, all compared with EHRI LOC
LOCATION_LABELS = frozenset({"MUNICIPALITY", "PROVINCE", "REGION", "LOC", "LOCATION"})


@dataclass
class Scores:
    """True positives, false positives and false negatives per label, plus a few examples of each error."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, text: str, gold: Iterable[Span], pred: Iterable[Span]) -> None:
        """Count one sentence; spans are ``(start, end, label)`` character offsets into ``text``."""
        gold_set, pred_set = set(gold), set(pred)
        self.count(gold_set, pred_set)
        self.errors.extend(("FN", label, text[start:end], text) for start, end, label in gold_set - pred_set)
        self.errors.extend(("FP", label, text[start:end], text) for start, end, label in pred_set - gold_set)

    def count(self, gold: Iterable[tuple[Any, ...]], pred: Iterable[tuple[Any, ...]]) -> None:
        """Count one sentence's spans (any tuples whose last item is the label; exact match), keeping no examples."""
        gold_set, pred_set = set(gold), set(pred)
        self.tp.update(span[-1] for span in gold_set & pred_set)
        self.fn.update(span[-1] for span in gold_set - pred_set)
        self.fp.update(span[-1] for span in pred_set - gold_set)

    def prf(self, label: str | None = None) -> tuple[float, float, float]:
        """Precision, recall and F1 of ``label``, or micro-averaged over every label."""
        if label is None:
            tp, fp, fn = (sum(c.values()) for c in (self.tp, self.fp, self.fn))
        else:
            tp, fp, fn = self.tp[label], self.fp[label], self.fn[label]
        return _prf(tp, fp, fn)

    def table(self, labels: Sequence[str]) -> str:
        """Per-label P/R/F1 rows and a micro-average over ``labels``."""
        rows = [f"{'label':<14}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}"]
        totals = [0, 0, 0]
        for label in labels:
            tp, fp, fn = self.tp[label], self.fp[label], self.fn[label]
            totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
            rows.append(_row(label, tp, fp, fn))
        rows.append(_row("micro", *totals))
        return "\n".join(rows)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _row(label: str, tp: int, fp: int, fn: int) -> str:
    p, r, f = _prf(tp, fp, fn)
    return f"{label:<14}{tp + fn:>6}{tp + fp:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}"


def read_ehri(path: Path = EHRI) -> list[tuple[str, list[Span]]]:
    """EHRI BIO file as ``(text, spans)`` sentences; tokens joined by single spaces, labels mapped."""
    return read_bio(path, EHRI_LABELS)


def bio_sentence(tokens: Sequence[tuple[str, str]], labels: dict[str, str]) -> tuple[str, list[Span]]:
    """``(word, tag)`` pairs as text joined by single spaces and its spans, labels mapped (others dropped).

    A span is a B- tag and the I- tags of the same kind that follow it (an I- tag after another kind opens a new
    span, as conlleval does)."""
    text, spans, pos = "", [], 0
    current: list[int | str] | None = None
    for word, tag in tokens:
        start = pos
        text += word + " "
        pos += len(word) + 1
        kind = tag[2:] if tag != "O" else ""
        if tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[2] != kind)):
            if current is not None:
                spans.append(current)
            current = [start, start + len(word), kind]
        elif tag.startswith("I-") and current is not None:
            current[1] = start + len(word)
        else:
            if current is not None:
                spans.append(current)
            current = None
    if current is not None:
        spans.append(current)
    return text.rstrip(), [(int(s), int(e), labels[str(k)]) for s, e, k in spans if str(k) in labels]


def read_bio(path: Path, labels: dict[str, str], limit: int | None = None) -> list[tuple[str, list[Span]]]:
    """A BIO/IOB2 file (token first, tag last on each line) as ``(text, spans)`` sentences, labels mapped.

    Sentences are read by ``bio_sentence``. ``limit`` keeps the first N sentences."""
    sentences: list[tuple[str, list[Span]]] = []
    tokens: list[tuple[str, str]] = []

    def flush() -> None:
        if tokens:
            sentences.append(bio_sentence(tokens, labels))
            tokens.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if limit is not None and len(sentences) >= limit:
            break
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) < 2 or not parts[-1].strip():
            flush()
            continue
        # "index<TAB>token<TAB>tag" (eval-only sets) or "token ... tag" (EHRI)
        word = parts[1] if len(parts) >= 3 and parts[0].isdigit() else parts[0]
        tokens.append((word.strip(), parts[-1].strip()))
    flush()
    return sentences[:limit] if limit is not None else sentences


def pipeline_predictor(model: Path | None) -> Callable[[str], list[Span]]:
    """``text -> spans`` through ``docmine.nlp.pipeline.Extractor`` (rules, plus the model if given)."""
    from docmine.model import Page
    from docmine.nlp.pipeline import Extractor

    extractor = Extractor(model)

    def predict(text: str) -> list[Span]:
        return [(m.ref.start, m.ref.end, m.label) for m in extractor.extract("eval", [Page(1, text)])]

    return predict


def model_predictor(model: Path) -> Callable[[str], list[Span]]:
    """``text -> spans`` from the trained model alone (a spaCy pipeline, or a neural folder after a sentencizer)."""
    import spacy

    from docmine.nlp import neural

    if neural.is_neural_model(model):
        neural.register()
        nlp = spacy.blank("nl")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe(neural.NEURAL_PIPE, config={"model": str(model)})
    else:
        nlp = spacy.load(model)

    def predict(text: str) -> list[Span]:
        return [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]

    return predict


def evaluate(
    data: Sequence[tuple[str, list[Span]]], predict: Callable[[str], list[Span]], mapping: dict[str, str] | None = None
) -> Scores:
    """Score ``predict`` on ``data``; ``mapping`` renames predicted labels (e.g. MUNICIPALITY -> LOC)."""
    scores = Scores()
    for text, gold in data:
        pred = [(s, e, (mapping or {}).get(label, label)) for s, e, label in predict(text)]
        scores.add(text, gold, pred)
    return scores


def evaluate_in_context(gold: Sequence[GoldSentence], model: Path | None) -> Scores:
    """Score the Extractor run over each whole source text, keeping predictions inside each gold sentence.

    This is how docmine runs (page by page), so context across a sentence cut counts: e.g. "10.2.e; 11.1"
    split after the semicolon. Predictions that cross a sentence boundary are dropped.
    """
    from docmine.model import Page
    from docmine.nlp.pipeline import Extractor

    extractor = Extractor(model)
    cache: dict[tuple[str, str], list[Span]] = {}
    scores = Scores()
    for item in gold:
        key = (item.source, repr(sorted(item.locator.items())))
        if key not in cache:
            text = document_text(item.source, item.locator)
            cache[key] = [(m.ref.start, m.ref.end, m.label) for m in extractor.extract("eval", [Page(1, text)])]
        pred = [
            (s - item.start, e - item.start, label) for s, e, label in cache[key] if item.start <= s and e <= item.end
        ]
        scores.add(item.text, item.spans, pred)
    return scores


def _show_errors(scores: Scores, labels: Sequence[str], limit: int) -> None:
    shown: Counter[str] = Counter()
    for kind, label, span, text in scores.errors:
        if label in labels and shown[label] < limit:
            shown[label] += 1
            context = " ".join(text.split())
            print(f"  {kind} {label:<13} {span!r:<40} | {context[:150]}")


def is_model(path: Path) -> bool:
    """A spaCy pipeline folder or a ``docmine.nlp.neural`` folder."""
    return (path / "config.cfg").is_file() or (path / "docmine.json").is_file()


def main(argv: Sequence[str] | None = None) -> int:
    """Run every evaluation and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "nl_docmine_ner")
    parser.add_argument("--old-model", type=Path, default=None, help="a previous model to print beside --model")
    parser.add_argument("--gold", type=Path, default=GOLD_DIR / "dev.jsonl")
    parser.add_argument("--errors", type=int, default=0, help="print up to N errors per label (gold sets only)")
    parser.add_argument("--sets", default="gold,tune,wiki,ehri", help="comma-separated: gold, tune, wiki, ehri")
    parser.add_argument(
        "--half",
        choices=("train", "tune"),
        default=None,
        help="gold sentences of documents in this half only (scripts/gold.py:gold_half; the model trains on the "
        "train half of tune.jsonl, so on dev.jsonl 'tune' means documents it never saw)",
    )
    parser.add_argument("--wiki-limit", type=int, default=3000, help="first N sentences of each eval-only test set")
    args = parser.parse_args(argv)
    sets = set(args.sets.split(","))
    has_model = is_model(args.model)
    runs: list[tuple[str, Path | None]] = [("rules only", None)]
    if args.old_model is not None and is_model(args.old_model):
        runs.append((f"rules + OLD model ({args.old_model})", args.old_model))
    if has_model:
        runs.append((f"rules + model ({args.model.name})", args.model))
    if "gold" in sets:
        _gold_tables(args.gold, runs, args.errors, args.half)
    if "tune" in sets:
        _multiconer_tables(runs)
    if "wiki" in sets:
        _wiki_tables(runs, args.wiki_limit)
    if "ehri" in sets and EHRI.is_file():
        _ehri_tables(args.model, runs, has_model, args.errors)
    return 0


def _per_org_loc_tables(
    heading: str, data: list[tuple[str, list[Span]]], runs: Sequence[tuple[str, Path | None]]
) -> None:
    """The gold counts of ``data``, then PER/ORG/LOC scores of each extractor run on it."""
    counts = Counter(label for _, spans in data for _, _, label in spans)
    print(f"\n== {heading}")
    print("   " + ", ".join(f"{label} {counts[label]}" for label in WIKI_LABELS))
    for title, model in runs:
        scores = evaluate(data, pipeline_predictor(model), WIKI_MAPPING)
        print(f"\n-- Extractor, {title}; PERSON -> PER, ORGANIZATION/PROVIDER -> ORG, places -> LOC")
        print(scores.table(WIKI_LABELS))


def _wiki_tables(runs: Sequence[tuple[str, Path | None]], limit: int) -> None:
    """PER/ORG/LOC on the eval-only test sets: measured, never looked at to tune a rule."""
    for name, path in WIKI_SETS.items():
        if not path.is_file():
            print(f"\n== {name}: {path} absent, skipped")
            continue
        data = read_bio(path, {label: label for label in WIKI_LABELS}, limit)
        _per_org_loc_tables(f"{name} test: first {len(data)} sentences of {path}", data, runs)


def _multiconer_tables(runs: Sequence[tuple[str, Path | None]]) -> None:
    """PER/ORG/LOC on MultiCoNER-nl dev (case restored as in training; CW/PROD not scored): a tune set."""
    import random

    import ner_corpora as nc

    if not nc.MULTICONER_DEV.is_file():
        print(f"\n== MultiCoNER-nl dev: {nc.MULTICONER_DEV} absent, skipped")
        return
    back = {"PERSON": "PER", "ORGANIZATION": "ORG", "LOC": "LOC"}
    data = [
        bio_sentence(list(zip(words, tags, strict=True)), back)
        for words, tags in nc.multiconer(nc.MULTICONER_DEV, random.Random(0), 0.0, misc=False)
    ]
    _per_org_loc_tables(f"MultiCoNER-nl dev (tune set, case restored): {len(data)} sentences", data, runs)


def _gold_tables(path: Path, runs: Sequence[tuple[str, Path | None]], errors: int, half: str | None = None) -> None:
    sentences = [g for g in load_gold(path) if half is None or gold_half(g.source, g.locator) == half]
    gold = [(g.text, g.spans) for g in sentences]
    counts = Counter(label for _, spans in gold for _, _, label in spans)
    where = f" (documents of the {half} half)" if half else ""
    print(f"== Gold: {path}{where}: {len(gold)} sentences, {sum(counts.values())} spans")
    print("   " + ", ".join(f"{label} {counts[label]}" for label in LABELS))
    if len(runs) == 1:
        print("   (no model: only the rules are evaluated)")
    for title, model in runs:
        scores = evaluate(gold, pipeline_predictor(model))
        print(f"\n-- Extractor, {title}: exact span + label")
        print(scores.table(LABELS))
        unscored = sum(scores.fp[label] for label in scores.fp if label not in LABELS)
        if unscored:
            print(f"   ({unscored} predictions with labels outside the gold scheme, e.g. LOCATION, not scored)")
        if errors:
            _show_errors(scores, LABELS, errors)
    for title, model in runs:
        scores = evaluate_in_context(sentences, model)
        print(f"\n-- Extractor, {title}, run on each whole source text (page/record/file), scored per gold sentence")
        print(scores.table(LABELS))


def _ehri_tables(model_path: Path, runs: Sequence[tuple[str, Path | None]], has_model: bool, errors: int) -> None:
    """Span scores on the EHRI Dutch sample (PERSON/ORGANIZATION/LOC/DATE)."""
    ehri = read_ehri()
    counts = Counter(label for _, spans in ehri for _, _, label in spans)
    tokens = sum(len(text.split()) for text, _ in ehri)
    print(f"\n== EHRI sample: {EHRI}: {len(ehri)} sentences, {tokens} tokens")
    print("   " + ", ".join(f"{label} {n}" for label, n in sorted(counts.items())))
    ehri_labels = ("PERSON", "ORGANIZATION", "LOC", "DATE")
    if has_model:
        scores = evaluate(ehri, model_predictor(model_path))
        print(f"\n-- trained model alone ({model_path.name}); it predicts no DATE")
        print(scores.table(ehri_labels))
    mapping = {label: "LOC" for label in LOCATION_LABELS} | {"PROVIDER": "ORGANIZATION"}
    for title, model in runs:
        scores = evaluate(ehri, pipeline_predictor(model), mapping)
        print(f"\n-- Extractor, {title}; MUNICIPALITY/PROVINCE/REGION/LOCATION -> LOC, PROVIDER -> ORGANIZATION")
        print(scores.table(ehri_labels))
        if errors:
            _show_errors(scores, ehri_labels, errors)


if __name__ == "__main__":
    raise SystemExit(main())

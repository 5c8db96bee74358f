"""Train docmine's small Dutch NER (PERSON, ORGANIZATION, LOC); CPU, fixed seeds.

Data: (a) MultiCoNER-nl train (CC BY 4.0) with its case restored, EHRI (EUPL-1.2) and GLOBALISE VOC (MIT)
training parts (``ner_corpora.py``); (b) a cleaned, subsampled part of the CC0 Europeana NER corpus; (c) modern
government text in ``../shared/data`` (laws, rulings, council pages, kamervragen) labelled by the rule layer
(``docmine.nlp.pipeline.build_pipeline``) plus place and hospital gazetteers, minus every sentence of the gold
sets (by sha1). Every epoch is scored on the tune parts (MultiCoNER dev, hash-split parts of the others, gold tune).
Output: a ``spacy.blank("nl")`` pipeline with the lookup lemmatizer and ``ner`` in ``--output``. This built the
spaCy model 0.2; the bundled model is now the transformer of ``train_ner_tf.py``, which reuses this data.

    OMP_NUM_THREADS=1 .venv/bin/python scripts/train_ner.py --output /tmp/nl_docmine_ner_spacy
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_ner import Scores  # noqa: E402
from gold import GOLD_DIR, SHARED_DATA, gold_hashes, iter_documents, load_gold, segment, sha1  # noqa: E402

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
    from spacy.training import Example

MODEL_LABELS = ("PERSON", "ORGANIZATION", "LOC")
# rule labels -> model labels; the rest (MONEY, DATE, LAW, WOO_GROUND) are "outside" for the model
RULE_TO_MODEL = {
    "PERSON": "PERSON",
    "ORGANIZATION": "ORGANIZATION",
    "PROVIDER": "ORGANIZATION",
    "MUNICIPALITY": "LOC",
    "PROVINCE": "LOC",
    "REGION": "LOC",
}
EUROPEANA = SHARED_DATA / "ner" / "europeana" / "enp_NL.kb.bio"
DEDUCE = SHARED_DATA / "reference" / "names-deduce"
EUROPEANA_LABELS = {"PER": "PERSON", "ORG": "ORGANIZATION", "LOC": "LOC"}
_CLEAN_TOKEN = re.compile(r"^(?:[A-Za-zÀ-ÖØ-öø-ÿ]+(?:[-'’][A-Za-zÀ-ÖØ-öø-ÿ]+)*\.?|\d+(?:[.,]\d+)*|[.,;:!?()\"'’&-])$")
_SHORT_WORDS = frozenset({"de", "en", "in", "te", "op", "na", "zy", "ik", "al", "om"})
_GENERIC = frozenset({"gemeente", "provincie"})
_CAPITALISED = re.compile(r"^[A-ZÀ-Þ][a-zß-ÿ]")

NER_MODEL = {
    "@architectures": "spacy.TransitionBasedParser.v2",
    "state_type": "ner",
    "extra_state_tokens": False,
    "hidden_width": 64,
    "maxout_pieces": 2,
    "use_upper": True,
    "nO": None,
    "tok2vec": {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": 96,
        "depth": 4,
        "embed_size": 2000,
        "window_size": 1,
        "maxout_pieces": 3,
        "subword_features": True,
    },
}


def modern_sentences(exclude: set[str], data_dir: Path = SHARED_DATA) -> list[str]:
    """Unique sentences (15-400 chars) of the modern shared texts, without the gold ones."""
    seen: set[str] = set(exclude)
    out: list[str] = []
    for _source, _locator, text in iter_documents(data_dir):
        for start, end in segment(text):
            sentence = text[start:end]
            digest = sha1(sentence)
            if 15 <= len(sentence) <= 400 and digest not in seen and sum(c.isalpha() for c in sentence) > 10:
                seen.add(digest)
                out.append(sentence)
    return out


def _gazetteer(path: Path, min_len: int = 4) -> frozenset[str]:
    return frozenset(
        line.strip() for line in path.read_text(encoding="utf-8").splitlines() if len(line.strip()) >= min_len
    )


def weak_docs(sentences: Sequence[str], nlp: Language, rules: Language) -> list[Doc]:
    """Reference docs: rule entities mapped to the model labels, gazetteer hits, uncertain tokens missing.

    A capitalised token that neither the rules nor the gazetteers explain is marked
    *missing* (no loss) rather than *outside*, unless its lower-cased form is a common word of the corpus:
    the rule layer's recall is the weak point of this supervision, not its precision.
    """
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Span

    lower_counts: Counter[str] = Counter()
    for sentence in sentences:
        lower_counts.update(w for w in re.findall(r"\w+", sentence) if w.islower())
    places = PhraseMatcher(nlp.vocab, attr="ORTH")
    places.add("LOC", [nlp.make_doc(p) for p in _gazetteer(DEDUCE / "residences_woonplaatsen.txt")
                       if lower_counts[p.lower()] < 3])  # fmt: skip
    places.add("ORGANIZATION", [nlp.make_doc(h) for h in _gazetteer(DEDUCE / "hospitals.txt", 8)])
    docs: list[Doc] = []
    for rule_doc in rules.pipe(sentences, batch_size=64):
        doc = nlp.make_doc(rule_doc.text)
        spans = []
        blocked = []
        for fact in rule_doc._.dm_facts or ():
            span = doc.char_span(fact.start, fact.end, alignment_mode="expand")
            if span is None:
                continue
            label = RULE_TO_MODEL.get(fact.label)
            if label is None:
                blocked.append(span)
                continue
            if fact.label in {"MUNICIPALITY", "PROVINCE"} and len(span) > 1 and span[0].lower_ in _GENERIC:
                blocked.append(span[:1])  # gold guideline: "gemeente Groningen" -> LOC "Groningen"
                span = span[1:]
            spans.append(Span(doc, span.start, span.end, label=label))
        taken = {i for s in [*spans, *blocked] for i in range(s.start, s.end)}
        for match_id, start, end in places(doc):
            if not taken.intersection(range(start, end)):
                spans.append(Span(doc, start, end, label=match_id))
                taken.update(range(start, end))
        spans = _non_overlapping([s for s in spans if s is not None])
        taken = {i for s in spans for i in range(s.start, s.end)}
        missing = [
            doc[i : i + 1]
            for i, token in enumerate(doc)
            if i not in taken and _CAPITALISED.match(token.text) and lower_counts[token.lower_] < 3
        ]
        doc.set_ents(spans, missing=missing, default="outside")
        docs.append(doc)
    return docs


def _non_overlapping(spans: Iterable[Span]) -> list[Span]:
    from spacy.util import filter_spans

    return list(filter_spans(spans))


def europeana_docs(
    nlp: Language, limit: int, rng: random.Random, path: Path = EUROPEANA
) -> tuple[list[Doc], int, int, list[Doc]]:
    """Cleaned Europeana sentences as labelled docs: ``(docs, sentences, clean sentences, tune docs)``.

    The tune docs are the clean sentences that ``ner_corpora.tune_part`` puts aside (never trained on).

    The file has no sentence boundaries worth trusting: cut at . ! ? tokens, at most 50 tokens. A sentence is
    dropped as OCR junk when more than 8 % of its tokens are not clean words/numbers/punctuation, when a third
    of its words are one or two letters long, or when it has fewer than 6 tokens.
    """
    from spacy.tokens import Doc, Span

    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 2:
            continue
        current.append((parts[0], parts[1]))
        if parts[0] in {".", "!", "?"} or len(current) >= 50:
            sentences.append(current)
            current = []
    from ner_corpora import tune_part

    kept = [s for s in sentences if _clean(s)]
    tune = [s for s in kept if tune_part([w for w, _ in s])]
    kept_train = [s for s in kept if not tune_part([w for w, _ in s])]
    with_ents = [s for s in kept_train if any(tag != "O" for _, tag in s)]
    without = [s for s in kept_train if all(tag == "O" for _, tag in s)]
    rng.shuffle(with_ents)
    rng.shuffle(without)
    chosen = with_ents[: int(limit * 0.85)] + without[: limit - int(limit * 0.85)]
    docs: list[Doc] = []
    for sentence in chosen + tune:
        words = [w for w, _ in sentence]
        doc = Doc(nlp.vocab, words=words, spaces=[True] * (len(words) - 1) + [False])
        ents = []
        start: int | None = None
        kind = ""
        for i, (_, tag) in enumerate([*sentence, ("", "O")]):
            if start is not None and not (tag.startswith("I-") and tag[2:] == kind):
                ents.append(Span(doc, start, i, label=EUROPEANA_LABELS[kind]))
                start = None
            if tag.startswith("B-") or (tag.startswith("I-") and start is None):
                start, kind = i, tag[2:]
        doc.set_ents(ents, default="outside")
        docs.append(doc)
    return docs[: len(chosen)], len(sentences), len(kept), docs[len(chosen) :]


_ROLE_WORDS = frozenset(
    {"wethouder", "burgemeester", "minister", "staatssecretaris", "mevrouw", "dhr.", "mw.", "gedeputeerde", "griffier"}
)


def name_swaps(docs: Sequence[Doc], nlp: Language, rng: random.Random, limit: int) -> list[Doc]:
    """Copies of weakly labelled sentences with every PERSON replaced by a random name from the deduce lists.

    Half of the time the role word before the name is dropped as well, so the model sees names in running
    text without the "wethouder"/"mevrouw" cue the rules depend on.
    """
    from spacy.tokens import Doc

    firsts = sorted(n for n in _gazetteer(DEDUCE / "first_names.txt", 3) if n.isalpha() and n[0].isupper())
    surnames = sorted(_gazetteer(DEDUCE / "surnames.txt", 3) | _gazetteer(DEDUCE / "interfix_surnames.txt", 3))
    sources = [d for d in docs if any(e.label_ == "PERSON" for e in d.ents)]
    out: list[Doc] = []
    for _ in range(limit if sources else 0):
        doc = rng.choice(sources)
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        i = 0
        while i < len(doc):
            token = doc[i]
            nxt = doc[i + 1] if i + 1 < len(doc) else None
            starts_person = nxt is not None and nxt.ent_iob_ == "B" and nxt.ent_type_ == "PERSON"
            if token.lower_ in _ROLE_WORDS and starts_person and rng.random() < 0.5:
                i += 1
                continue
            if token.ent_iob_ == "B" and token.ent_type_ == "PERSON":
                end = i + 1
                while end < len(doc) and doc[end].ent_iob_ == "I":
                    end += 1
                name = _random_name(rng, firsts, surnames)
                words += name
                spaces += [True] * (len(name) - 1) + [bool(doc[end - 1].whitespace_)]
                tags += ["B-PERSON"] + ["I-PERSON"] * (len(name) - 1)
                i = end
                continue
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
            tags.append(f"{token.ent_iob_}-{token.ent_type_}" if token.ent_iob_ in {"B", "I"} else token.ent_iob_)
            i += 1
        out.append(Doc(nlp.vocab, words=words, spaces=spaces, ents=tags))
    return out


def _random_name(rng: random.Random, firsts: Sequence[str], surnames: Sequence[str]) -> list[str]:
    surname = rng.choice(surnames).split()
    surname[-1] = surname[-1][:1].upper() + surname[-1][1:]
    style = rng.random()
    if style < 0.45:
        return [rng.choice(firsts), *surname]
    if style < 0.7:
        initials = "".join(f"{rng.choice(firsts)[0]}." for _ in range(rng.randint(1, 3)))
        return [initials, *surname]
    if style < 0.85:
        return [surname[0][:1].upper() + surname[0][1:], *surname[1:]]
    return [rng.choice(firsts), rng.choice(firsts), *surname]


def _clean(sentence: list[tuple[str, str]]) -> bool:
    words = [w for w, _ in sentence]
    if len(words) < 6:
        return False
    junk = sum(1 for w in words if not _CLEAN_TOKEN.match(w))
    alpha = [w for w in words if w.isalpha()]
    tiny = sum(1 for w in alpha if len(w) <= 2 and w.lower() not in _SHORT_WORDS)
    return junk <= 0.08 * len(words) and (not alpha or tiny < len(alpha) / 3)


def make_examples(nlp: Language, docs: Iterable[Doc]) -> list[Example]:
    """Training examples: a fresh unannotated doc with the same tokens against each reference doc."""
    from spacy.tokens import Doc
    from spacy.training import Example

    return [
        Example(Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]), d) for d in docs
    ]


def tune_scores(nlp: Language, path: Path) -> str:
    """Model-only exact-span F1 per model label on a gold file (rule labels mapped as in training)."""
    scores = Scores()
    for item in load_gold(path):
        gold = {(s, e, RULE_TO_MODEL[label]) for s, e, label in item.spans if label in RULE_TO_MODEL}
        scores.count(gold, {(e.start_char, e.end_char, e.label_) for e in nlp(item.text).ents})
    parts = []
    for label in MODEL_LABELS:
        p, r, f = scores.prf(label)
        parts.append(f"{label} P={p:.2f} R={r:.2f} F={f:.2f}")
    return "; ".join(parts)


USED_LABELS_NOTE = (
    "labels whose predictions docmine uses; PERSON is left to the rules: on corpora/gold/tune.jsonl the model's "
    "PERSON spans lowered PERSON F1 with the rules from 0.931 to 0.876 (models/README.md)"
)


def bio_docs(nlp: Language, sentences: Iterable[tuple[list[str], list[str]]]) -> list[Doc]:
    """Fully labelled reference docs from ``(words, BIO tags)`` sentences (tokens joined by single spaces)."""
    from spacy.tokens import Doc

    return [
        Doc(nlp.vocab, words=words, spaces=[True] * (len(words) - 1) + [False], ents=tags) for words, tags in sentences
    ]


def corpus_f1(nlp: Language, docs: Sequence[Doc]) -> tuple[float, dict[str, float]]:
    """Model-only exact-span micro F1 and per-label F1 on fully labelled reference docs."""
    if not docs:
        return 0.0, {}
    scores = nlp.evaluate(make_examples(nlp, docs))
    per = {k: round(v["f"], 3) for k, v in (scores.get("ents_per_type") or {}).items()}
    return round(float(scores.get("ents_f") or 0.0), 3), per


def main(argv: Sequence[str] | None = None) -> int:
    """Build the data, train, score every epoch on the tune parts, save the pipeline and ``training.json``."""
    import ner_corpora as nc
    import spacy
    from spacy.pipeline import EntityRecognizer
    from spacy.util import compounding, fix_random_seed, minibatch

    from docmine.nlp.pipeline import build_pipeline

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--checkpoints", type=Path, default=None, help="also save every epoch's model here")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--modern", type=int, default=5000, help="weakly labelled government sentences (0: none)")
    parser.add_argument("--europeana", type=int, default=2500, help="Europeana sentences after cleaning")
    parser.add_argument("--multiconer", type=int, default=20000, help="MultiCoNER training sentences (max)")
    parser.add_argument("--lower-share", type=float, default=0.1, help="MultiCoNER sentences left lower case")
    parser.add_argument("--misc", action="store_true", help="MultiCoNER CW/PROD as MISC instead of outside")
    parser.add_argument("--globalise", type=int, default=1000, help="GLOBALISE VOC sentences (0: none)")
    parser.add_argument("--ehri", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--swaps", type=int, default=0, help="name-swapped copies of PERSON sentences (0: off)")
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--embed-size", type=int, default=4000)
    parser.add_argument("--use-labels", default="ORGANIZATION,LOC", help="labels docmine takes (meta)")
    args = parser.parse_args(argv)

    fix_random_seed(args.seed)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    exclude = gold_hashes(GOLD_DIR / "dev.jsonl", GOLD_DIR / "tune.jsonl")
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    tok2vec = dict(NER_MODEL["tok2vec"], width=args.width, embed_size=args.embed_size)  # type: ignore[call-overload]
    ner = nlp.add_pipe("ner", config={"model": dict(NER_MODEL, tok2vec=tok2vec)})
    assert isinstance(ner, EntityRecognizer)
    for label in (*MODEL_LABELS, *(["MISC"] if args.misc else [])):
        ner.add_label(label)

    modern: list[Doc] = []
    sentences: list[str] = []
    if args.modern:
        sentences = modern_sentences(exclude)
        weak = weak_docs(sentences, nlp, build_pipeline())
        with_ents = [d for d in weak if d.ents]
        without = [d for d in weak if not d.ents]
        rng.shuffle(with_ents)
        rng.shuffle(without)
        n_with = min(len(with_ents), int(args.modern * 0.8))
        modern = with_ents[:n_with] + without[: args.modern - n_with]
    swapped = name_swaps(modern, nlp, rng, args.swaps)
    old, old_total, old_clean, old_tune = europeana_docs(nlp, args.europeana, rng)
    mc_train = list(nc.multiconer(nc.MULTICONER_TRAIN, rng, args.lower_share, args.misc))
    rng.shuffle(mc_train)
    mc_tune = list(nc.multiconer(nc.MULTICONER_DEV, random.Random(args.seed), 0.0, args.misc))
    ehri_train, ehri_tune = nc.split(nc.read_bio(nc.EHRI, nc.EHRI_LABELS)) if args.ehri else ([], [])
    glob_train, glob_tune = nc.split(nc.read_bio(nc.GLOBALISE, nc.GLOBALISE_LABELS, max_tokens=60))
    rng.shuffle(glob_train)
    parts = [
        ("modern", modern),
        ("swapped", swapped),
        ("europeana", old),
        ("multiconer", bio_docs(nlp, mc_train[: args.multiconer])),
        ("ehri", bio_docs(nlp, ehri_train)),
        ("globalise", bio_docs(nlp, glob_train[: args.globalise])),
    ]
    tunes = {
        "multiconer-dev": bio_docs(nlp, mc_tune),
        "europeana-tune": old_tune,
        "ehri-tune": bio_docs(nlp, ehri_tune) if args.ehri else [],
        "globalise-tune": bio_docs(nlp, glob_tune),
    }
    docs = [d for _, part in parts for d in part]
    counts = Counter(f"{name}:{e.label_}" for name, part in parts for d in part for e in d.ents)
    print(f"modern: {len(sentences)} sentences after excluding {len(exclude)} gold sha1s, {len(modern)} used")
    print(f"europeana: {old_total} sentences, {old_clean} clean, {len(old)} sampled, {len(old_tune)} tune")
    print("sentences " + ", ".join(f"{name} {len(part)}" for name, part in parts))
    print("tune " + ", ".join(f"{name} {len(part)}" for name, part in tunes.items()))
    print(f"entities {dict(sorted(counts.items()))}", flush=True)

    examples = make_examples(nlp, docs)
    optimizer = nlp.initialize(lambda: examples[:500])
    tune = GOLD_DIR / "tune.jsonl"
    history = []
    for epoch in range(args.epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, drop=args.dropout, sgd=optimizer, losses=losses)
        scored = {name: corpus_f1(nlp, part) for name, part in tunes.items()}
        line = f"epoch {epoch + 1}: loss {losses.get('ner', 0.0):.1f}, {time.perf_counter() - started:.0f}s; "
        line += "; ".join(f"{name} {f:.3f} {per}" for name, (f, per) in scored.items())
        print(line + (f"; gold tune {tune_scores(nlp, tune)}" if tune.is_file() else ""), flush=True)
        history.append({"epoch": epoch + 1, **{name: f for name, (f, _) in scored.items()}})
        if args.checkpoints:
            (args.checkpoints / f"epoch{epoch + 1}").mkdir(parents=True, exist_ok=True)
            nlp.to_disk(args.checkpoints / f"epoch{epoch + 1}")

    args.output.mkdir(parents=True, exist_ok=True)
    used = [label for label in args.use_labels.split(",") if label]
    nlp.meta.update(
        {
            "name": "docmine_ner",
            "version": "0.2.0",
            "description": "docmine Dutch NER: PERSON, ORGANIZATION, LOC (see models/README.md)",
            "license": "CC BY 4.0 (MultiCoNER-nl) and LGPL-3.0-or-later (deduce gazetteers); see models/README.md",
            "docmine": {"labels": used, "note": USED_LABELS_NOTE},
        }
    )
    nlp.to_disk(args.output)
    record = {
        "args": {k: str(v) for k, v in vars(args).items()},
        "modern_sentences_available": len(sentences),
        "sentences": {name: len(part) for name, part in parts},
        "tune_sentences": {name: len(part) for name, part in tunes.items()},
        "europeana_sentences": old_total,
        "europeana_clean_sentences": old_clean,
        "entities": dict(sorted(counts.items())),
        "gold_sha1s_excluded": len(exclude),
        "tune_history": history,
        "seconds": round(time.perf_counter() - started),
    }
    (args.output / "training.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"saved {args.output} in {record['seconds']}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

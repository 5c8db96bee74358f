"""Human-labelled Dutch NER corpora in ``../shared/data/ner`` read as BIO sentences for ``train_ner.py``.

MultiCoNER-nl (CC BY 4.0, all lower case: case is restored here), EHRI (EUPL-1.2), GLOBALISE VOC (MIT).
Every corpus is split by a hash of the sentence text into a training part and a tune part (used to choose
epochs and mix, never for training); MultiCoNER's own dev file is its tune part.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator
from pathlib import Path

from gold import SHARED_DATA

NER_DIR = SHARED_DATA / "ner"
MULTICONER_TRAIN = NER_DIR / "multiconer-nl" / "nl_train.conll"
MULTICONER_DEV = NER_DIR / "multiconer-nl" / "nl_dev.conll"
EHRI = NER_DIR / "ehri" / "ehri_nl.txt"
GLOBALISE = NER_DIR / "globalise-voc" / "inference_training.conll"  # overlaps trainA/trainB: used alone

Sentence = tuple[list[str], list[str]]  # words, BIO tags with model labels
# GRP (parties, bands, clubs, broadcasters) and CORP are organisations; CW and PROD are titles and products,
# which the model should learn to leave alone (they are MISC in the CoNLL scheme, not PER/ORG/LOC).
MULTICONER_LABELS = {"PER": "PERSON", "LOC": "LOC", "GRP": "ORGANIZATION", "CORP": "ORGANIZATION"}
MULTICONER_MISC = {"CW": "MISC", "PROD": "MISC"}
EHRI_LABELS = {"PER": "PERSON", "PERS": "PERSON", "ORG": "ORGANIZATION", "LOC": "LOC"}
GLOBALISE_LABELS = {"PER_NAME": "PERSON", "LOC_NAME": "LOC", "ORG": "ORGANIZATION"}
# Dutch name particles and function words stay lower case inside a name unless they open it
_PARTICLES = frozenset(
    "van de der den het ter ten te 't 's in op aan bij voor en of uit tot von du da di la le les des del y "
    "of the and für zu am im".split()
)
_INITIALS = re.compile(r"(?:[a-z]\.)+")
_VOWELS = frozenset("aeiouyàáâäèéêëìíîïòóôöùúûü")


def tune_part(words: list[str], share: int = 4) -> bool:
    """True for about 1 in ``share`` sentences, by a hash of their text (stable across runs and machines)."""
    digest = hashlib.sha1(" ".join(words).encode("utf-8")).digest()
    return digest[0] % share == 0


def read_bio(path: Path, labels: dict[str, str], max_tokens: int = 0) -> list[Sentence]:
    """A CoNLL-like file (token first, tag last; ``#`` comment lines skipped) with tags mapped by ``labels``.

    Tags whose kind is not in ``labels`` become ``O``. ``max_tokens`` cuts long segments (GLOBALISE pages)
    after a sentence-final token or at that length, never inside an entity.
    """
    out: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if words:
            out.append((list(words), _repair(tags)))
        words.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# id ") or line.startswith("-DOCSTART-"):
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) < 2:
            flush()
            continue
        tag = parts[-1].strip()
        kind = tag[2:] if tag[:2] in {"B-", "I-"} else ""
        words.append(parts[0].strip())
        tags.append(f"{tag[:2]}{labels[kind]}" if kind in labels else "O")
        if max_tokens and tag == "O" and (parts[0] in {".", "!", "?"} or len(words) >= max_tokens):
            flush()
    flush()
    return [s for s in out if s[0]]


def _repair(tags: list[str]) -> list[str]:
    """I- after O or after another kind opens a span (as conlleval reads it)."""
    fixed: list[str] = []
    for i, tag in enumerate(tags):
        if tag.startswith("I-") and (i == 0 or fixed[i - 1] == "O" or fixed[i - 1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        fixed.append(tag)
    return fixed


def restore_case(words: list[str], tags: list[str]) -> list[str]:
    """Case a lower-cased MultiCoNER sentence as Dutch text is written.

    The sentence start and every token of a named span (also CW/PROD titles) get a capital, except name
    particles ("van", "de", "'t") after the span's first token; short vowel-less ORGANIZATION tokens are
    acronyms ("vvd" -> "VVD", "d66" -> "D66"). Hyphen parts are capitalised each ("noord-holland").
    """
    out: list[str] = []
    for i, (word, tag) in enumerate(zip(words, tags, strict=True)):
        first_of_span = tag.startswith("B-")
        if tag == "O":
            out.append(_capitalise(word) if i == 0 else word)
        elif tag.endswith("ORGANIZATION") and _acronym(word):
            out.append(word.upper())
        elif tag.endswith("PERSON") and _INITIALS.fullmatch(word):
            out.append(word.upper())  # "h.h." -> "H.H."
        elif word in _PARTICLES and not first_of_span:
            out.append(word)
        else:
            out.append("-".join(_capitalise(part) for part in word.split("-")))
    return out


def _acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return 2 <= len(word) <= 5 and bool(letters) and not _VOWELS.intersection(letters)


def _capitalise(word: str) -> str:
    if word.startswith("'s") or word.startswith("'t"):
        return word
    for i, char in enumerate(word):
        if char.isalpha():
            return word[:i] + char.upper() + word[i + 1 :]
    return word


def multiconer(path: Path, rng: random.Random, lower_share: float, misc: bool) -> Iterator[Sentence]:
    """MultiCoNER sentences, case restored except for ``lower_share`` of them (kept as given, lower case).

    ``misc``: keep CW/PROD as a MISC label instead of outside."""
    labels = MULTICONER_LABELS | MULTICONER_MISC
    for words, tags in read_bio(path, labels):
        cased = words if rng.random() < lower_share else restore_case(words, tags)
        if not misc:
            tags = ["O" if t.endswith("MISC") else t for t in tags]
        yield cased, tags


def split(sentences: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """``(train, tune)`` by ``tune_part``."""
    train = [s for s in sentences if not tune_part(s[0])]
    tune = [s for s in sentences if tune_part(s[0])]
    return train, tune

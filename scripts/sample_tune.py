"""Candidate sentences for the tune gold set (``corpora/gold/tune.jsonl``), sampled reproducibly.

Sentences come from ``gold.segment`` over ``gold.iter_documents()``, filtered as for the dev set: 30-400
characters and holding a capital after the first character, a digit or a euro sign. Every sentence whose sha1
is in ``dev.jsonl`` or in the first 51 lines of ``tune.jsonl`` (the tune set before this sample; the file is
append-only, so the output does not change once the sampled sentences are appended) is excluded, and so are
duplicate texts. With ``random.Random(20261129)`` the script draws, in this order and without replacement
across strata (a stratum that runs dry gives what it has):

* by source: council-denhelder HTML/PDF 40, Wob inventories 40, laws 25, rulings 35, kamervragen whose record
  mentions jeugd/gemeente/aanbesteding 50, other kamervragen 20;
* by keyword in the sentence (never from the Wob inventories): money words (€, euro, miljoen, mln, ton) 30,
  care providers/instellingen/jeugdzorgaanbieder 20, provincie/regio 15, wethouder/burgemeester/minister/
  staatssecretaris followed by a capitalised name 20.

Usage: ``python scripts/sample_tune.py > /tmp/tune_work/candidates.jsonl``. Each output line holds stratum,
source, locator, start, end, sha1 and text; the text is for the annotator only and never goes into the repo.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gold import GOLD_DIR, gold_hashes, iter_documents, segment, sha1  # noqa: E402

SEED = 20261129
TUNE_LINES_BEFORE = 51
_INNER_CAPITAL = re.compile(r"[A-ZÀ-Þ]")
_DIGIT_OR_EURO = re.compile(r"[0-9€]")
_TOPICAL = re.compile(r"jeugd|gemeente|aanbesteding", re.IGNORECASE)
_MONEY = re.compile(r"€|\beuro\b|\bmiljoen|\bmln\b|\bton\b", re.IGNORECASE)
_PROVIDER = re.compile(r"zorgaanbieder|\baanbieder|instelling", re.IGNORECASE)
_PLACE = re.compile(r"provincie|regio", re.IGNORECASE)
# the role word in any case, the word after it capitalised ("minister De Jonge", not "minister van VWS")
_NAME_AFTER_OFFICIAL = re.compile(r"(?i:\b(?:wethouder|burgemeester|minister|staatssecretaris))\s+[A-ZÀ-Þ]")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence that passes the filter: where it is, its text and the kind of document it comes from."""

    source: str
    locator: dict[str, object]
    start: int
    end: int
    text: str
    kind: str


def _earlier_tune_hashes(path: Path, lines: int) -> set[str]:
    with path.open(encoding="utf-8") as handle:
        rows = [line for line in handle if line.strip()][:lines]
    return {json.loads(row)["sha1"] for row in rows}


def _kind(source: str, document: str) -> str:
    if source.startswith("docs/council-denhelder/"):
        return "council"
    if source.startswith("docs/wob-inventories/"):
        return "wob"
    if source.startswith("docs/laws/"):
        return "laws"
    if source.startswith("docs/rulings/"):
        return "rulings"
    return "kamervragen_topical" if _TOPICAL.search(document) else "kamervragen_other"


def _keeps(sentence: str) -> bool:
    if not 30 <= len(sentence) <= 400:
        return False
    return bool(_INNER_CAPITAL.search(sentence[1:]) or _DIGIT_OR_EURO.search(sentence))


def candidates(excluded: set[str]) -> list[Candidate]:
    """Every filtered sentence of the shared documents whose sha1 is not in ``excluded``, first copy only."""
    seen = set(excluded)
    out: list[Candidate] = []
    for source, locator, document in iter_documents():
        kind = _kind(source, document)
        for start, end in segment(document):
            sentence = document[start:end]
            digest = sha1(sentence)
            if digest in seen or not _keeps(sentence):
                continue
            seen.add(digest)
            out.append(Candidate(source, locator, start, end, sentence, kind))
    return out


STRATA: list[tuple[str, int, Callable[[Candidate], bool]]] = [
    ("council", 40, lambda c: c.kind == "council"),
    ("wob", 40, lambda c: c.kind == "wob"),
    ("laws", 25, lambda c: c.kind == "laws"),
    ("rulings", 35, lambda c: c.kind == "rulings"),
    ("kamervragen_topical", 50, lambda c: c.kind == "kamervragen_topical"),
    ("kamervragen_other", 20, lambda c: c.kind == "kamervragen_other"),
    ("money", 30, lambda c: c.kind != "wob" and bool(_MONEY.search(c.text))),
    ("provider", 20, lambda c: c.kind != "wob" and bool(_PROVIDER.search(c.text))),
    ("place", 15, lambda c: c.kind != "wob" and bool(_PLACE.search(c.text))),
    ("official", 20, lambda c: c.kind != "wob" and bool(_NAME_AFTER_OFFICIAL.search(c.text))),
]


def sample(pool: list[Candidate], rng: random.Random) -> list[tuple[str, Candidate]]:
    """Draw each stratum in order from what earlier strata left, so no sentence is drawn twice."""
    taken: set[int] = set()
    drawn: list[tuple[str, Candidate]] = []
    for name, size, matches in STRATA:
        eligible = [i for i, c in enumerate(pool) if i not in taken and matches(c)]
        for i in rng.sample(eligible, min(size, len(eligible))):
            taken.add(i)
            drawn.append((name, pool[i]))
    return drawn


def main() -> int:
    """Print the sampled candidates as JSON lines."""
    tune = GOLD_DIR / "tune.jsonl"
    excluded = gold_hashes(GOLD_DIR / "dev.jsonl") | _earlier_tune_hashes(tune, TUNE_LINES_BEFORE)
    rng = random.Random(SEED)
    for stratum, c in sample(candidates(excluded), rng):
        row = {
            "stratum": stratum, "source": c.source, "locator": c.locator, "start": c.start, "end": c.end,
            "sha1": sha1(c.text), "text": c.text,
        }  # fmt: skip
        print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

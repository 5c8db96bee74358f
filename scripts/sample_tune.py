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

Round 3 (``--round 3``) uses ``random.Random(20261130)``, excludes the first 304 lines of ``tune.jsonl`` as
well as ``dev.jsonl`` and draws by keyword only (never from the Wob inventories): money words (€, euro,
miljoen, mln, ton, bedrag, kosten) 60; a municipality name or alias from ``corpora/reference/municipalities.csv``
as a whole word (case-sensitive), or "gemeente" before a capitalised word, 50; date words (a Dutch month,
jaar, kwartaal, voorjaar, najaar, or a year 1990-2030) 40.

Round 4 (``--round 4``) uses ``random.Random(20261201)``, excludes the first 454 lines of ``tune.jsonl`` as
well as ``dev.jsonl`` and draws by keyword only (never from the Wob inventories): money words (€, euro, EUR,
miljoen, mln, miljard) 50; a municipality name or alias from ``corpora/reference/municipalities.csv`` as a
whole word (case-sensitive; no "gemeente" rule) 50; organisation cues (Stichting, Vereniging, ministerie, Raad,
Autoriteit, Inspectie, Bureau, Centrum, Instituut, B.V., N.V. as words, or a run of two or more capitalised
words that does not start the sentence) 40.

Round 5 (``--round 5``) uses ``random.Random(20261202)``, excludes the first 594 lines of ``tune.jsonl`` as
well as ``dev.jsonl`` and draws by keyword only (never from the Wob inventories): organisation cues as in round 4
or an all-capital acronym of two or more characters 70; money words as in round 4 40; a municipality name or
alias as in round 4 40.

Round 6 (``--round 6``) uses ``random.Random(20261203)``, excludes the first 744 lines of ``tune.jsonl`` as
well as ``dev.jsonl`` and draws by keyword only (never from the Wob inventories), the three labels still under
target in equal parts: a municipality name or alias as in round 3 ("gemeente" before a capital included) 50;
organisation cues or an acronym as in round 5 50; money words as in round 3 or round 4 50.

Round 7 (``--round 7``) uses ``random.Random(20261204)``, excludes the first 894 lines of ``tune.jsonl`` as
well as ``dev.jsonl`` and draws by source, as the dev set was drawn, so that its scores before any rule change
estimate dev-like text: council-denhelder 20, laws 30, rulings 40, kamervragen about jeugd/gemeente/aanbesteding
40, then money words as in round 6 20 (never from the Wob inventories, which earlier rounds used up).

Round 8 (``--round 8``) uses ``random.Random(20261205)``, excludes the first 1044 lines of ``tune.jsonl`` as
well as ``dev.jsonl`` and draws by source as round 7: council-denhelder 20, laws 30, rulings 40, kamervragen
about jeugd/gemeente/aanbesteding 40, other kamervragen 20.

Round 9 (``--round 9``) uses ``random.Random(20261206)``, excludes the first 1194 lines of ``tune.jsonl`` as
well as ``dev.jsonl`` and draws by source: council-denhelder 20, laws 25, rulings 35, kamervragen about
jeugd/gemeente/aanbesteding 40, then money words as in round 6 30.

Round 10 (``--round 10``) uses ``random.Random(20261207)``, excludes the first 1339 lines of ``tune.jsonl`` as
well as ``dev.jsonl`` and draws by keyword (never from the Wob inventories): money words as in round 6 50, date
words as in round 3 50, a municipality name or alias (or "gemeente" before a capital) 50.

Round 11 (``--round 11``) uses ``random.Random(20261208)``, excludes the first 1489 lines of ``tune.jsonl`` as
well as ``dev.jsonl`` and draws by keyword (never from the Wob inventories): money words as in round 6 75, date
words as in round 3 75.

Round 12 (``--round 12``) uses ``random.Random(20261209)``, excludes the first 1639 lines of ``tune.jsonl`` as
well as ``dev.jsonl`` and draws by source, as the dev set was drawn, but only sentences with money or date words
(as in rounds 3, 4 and 10): laws 25, rulings 45, kamervragen about jeugd/gemeente/aanbesteding 55, other
kamervragen 25 (the council-denhelder sentences with such words are all in dev or tune already).

Usage: ``python scripts/sample_tune.py [--round 3..12] > /tmp/tune_work/candidates.jsonl``; the default is round 2.
Each output line holds stratum, source, locator, start, end, sha1 and text; the text is for the annotator only
and never goes into the repo.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gold import GOLD_DIR, ROOT, gold_hashes, iter_documents, segment, sha1  # noqa: E402

MUNICIPALITIES = ROOT / "corpora" / "reference" / "municipalities.csv"
_INNER_CAPITAL = re.compile(r"[A-ZÀ-Þ]")
_DIGIT_OR_EURO = re.compile(r"[0-9€]")
_TOPICAL = re.compile(r"jeugd|gemeente|aanbesteding", re.IGNORECASE)
_MONEY = re.compile(r"€|\beuro\b|\bmiljoen|\bmln\b|\bton\b", re.IGNORECASE)
_PROVIDER = re.compile(r"zorgaanbieder|\baanbieder|instelling", re.IGNORECASE)
_PLACE = re.compile(r"provincie|regio", re.IGNORECASE)
# the role word in any case, the word after it capitalised ("minister De Jonge", not "minister van VWS")
_NAME_AFTER_OFFICIAL = re.compile(r"(?i:\b(?:wethouder|burgemeester|minister|staatssecretaris))\s+[A-ZÀ-Þ]")
# round 3
_MONEY_WIDE = re.compile(r"€|\beuro\b|\bmiljoen|\bmln\b|\bton\b|\bbedrag|\bkosten", re.IGNORECASE)
_GEMEENTE_NAME = re.compile(r"(?i:\bgemeente)\s+[A-ZÀ-Þ]")
_DATE_WORD = re.compile(
    r"(?i:\b(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jaar|"
    r"kwartaal|voorjaar|najaar)\b)|\b(?:199[0-9]|20[0-2][0-9]|2030)\b"
)

# round 4
_MONEY_R4 = re.compile(r"(?i:€|\beuro\b|\bmiljoen|\bmln\b|\bmiljard)|\bEUR\b")
_ORG_CUE = re.compile(
    r"\b(?:Stichting|Vereniging|[Mm]inisterie|Raad|Autoriteit|Inspectie|Bureau|Centrum|Instituut)\b"
    r"|(?<!\w)(?:B\.V\.|N\.V\.)|(?<=\s)[A-ZÀ-Þ][\w'’-]*(?:[ \t]+[A-ZÀ-Þ][\w'’-]*)+"
)


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


Stratum = tuple[str, int, Callable[[Candidate], bool]]


def _source(kind: str, size: int, *patterns: re.Pattern[str]) -> Stratum:
    """Sentences of one kind of document; with ``patterns``, only those that match any of them."""
    return (kind, size, lambda c: c.kind == kind and (not patterns or any(p.search(c.text) for p in patterns)))


def _keyword(name: str, size: int, *patterns: re.Pattern[str]) -> Stratum:
    """Sentences outside the Wob inventories that match any of ``patterns``."""
    return (name, size, lambda c: c.kind != "wob" and any(p.search(c.text) for p in patterns))


ROUND_2: list[Stratum] = [
    _source("council", 40),
    _source("wob", 40),
    _source("laws", 25),
    _source("rulings", 35),
    _source("kamervragen_topical", 50),
    _source("kamervragen_other", 20),
    _keyword("money", 30, _MONEY),
    _keyword("provider", 20, _PROVIDER),
    _keyword("place", 15, _PLACE),
    _keyword("official", 20, _NAME_AFTER_OFFICIAL),
]


def _municipality_names(path: Path = MUNICIPALITIES) -> str:
    """Any municipality name or alias as a whole word, case-sensitive (a regex)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = {row["name"] for row in rows} | {a for row in rows for a in row["aliases"].split("|") if a}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    return rf"(?<!\w)(?:{alternatives})(?!\w)"


def _municipality_pattern(path: Path = MUNICIPALITIES) -> re.Pattern[str]:
    """Any municipality name or alias as a whole word, case-sensitive, or "gemeente" before a capital."""
    return re.compile(rf"{_municipality_names(path)}|{_GEMEENTE_NAME.pattern}")


@dataclass(frozen=True, slots=True)
class Round:
    """One annotation round: its seed, how many tune lines existed before it, and its strata."""

    seed: int
    tune_lines_before: int
    strata: Callable[[], list[Stratum]]


# round 5: organisations first (the weakest label), acronyms included
_ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z0-9&-]*[A-Z0-9](?![\w-])")


def _round_3() -> list[Stratum]:
    return [
        _keyword("money", 60, _MONEY_WIDE),
        _keyword("municipality", 50, _municipality_pattern()),
        _keyword("date", 40, _DATE_WORD),
    ]


def _round_4() -> list[Stratum]:
    municipality = re.compile(_municipality_names())
    return [_keyword("money", 50, _MONEY_R4), _keyword("municipality", 50, municipality),
            _keyword("organisation", 40, _ORG_CUE)]  # fmt: skip


def _round_5() -> list[Stratum]:
    municipality = re.compile(_municipality_names())
    return [_keyword("organisation", 70, _ORG_CUE, _ACRONYM), _keyword("money", 40, _MONEY_R4),
            _keyword("municipality", 40, municipality)]  # fmt: skip


# round 6: the three labels still under target, in equal parts
def _round_6() -> list[Stratum]:
    return [_keyword("municipality", 50, _municipality_pattern()), _keyword("organisation", 50, _ORG_CUE, _ACRONYM),
            _keyword("money", 50, _MONEY_WIDE, _MONEY_R4)]  # fmt: skip


# round 7: by source, like the dev set, so that its scores before any change estimate dev-like text
def _round_7() -> list[Stratum]:
    return [_source("council", 20), _source("laws", 30), _source("rulings", 40), _source("kamervragen_topical", 40),
            _keyword("money", 20, _MONEY_WIDE, _MONEY_R4)]  # fmt: skip


# round 8: by source again, with the other kamervragen instead of money words
def _round_8() -> list[Stratum]:
    return [_source("council", 20), _source("laws", 30), _source("rulings", 40), _source("kamervragen_topical", 40),
            _source("kamervragen_other", 20)]  # fmt: skip


# round 9: by source with money words, a last check on unseen dev-like text
def _round_9() -> list[Stratum]:
    return [_source("council", 20), _source("laws", 25), _source("rulings", 35), _source("kamervragen_topical", 40),
            _keyword("money", 30, _MONEY_WIDE, _MONEY_R4)]  # fmt: skip


# round 10: the three labels a little under target on dev, by keyword
def _round_10() -> list[Stratum]:
    return [_keyword("money", 50, _MONEY_WIDE, _MONEY_R4), _keyword("date", 50, _DATE_WORD),
            _keyword("municipality", 50, _municipality_pattern())]  # fmt: skip


# round 11: the two labels still under target on dev
def _round_11() -> list[Stratum]:
    return [_keyword("money", 75, _MONEY_WIDE, _MONEY_R4), _keyword("date", 75, _DATE_WORD)]


# round 12: money and date words, by source as dev was drawn: the two labels still under target on dev-like text
def _round_12() -> list[Stratum]:
    words = (_MONEY_WIDE, _MONEY_R4, _DATE_WORD)
    return [_source("laws", 25, *words), _source("rulings", 45, *words), _source("kamervragen_topical", 55, *words),
            _source("kamervragen_other", 25, *words)]  # fmt: skip


ROUNDS = {
    2: Round(20261129, 51, lambda: ROUND_2),
    3: Round(20261130, 304, _round_3),
    4: Round(20261201, 454, _round_4),
    5: Round(20261202, 594, _round_5),
    6: Round(20261203, 744, _round_6),
    7: Round(20261204, 894, _round_7),
    8: Round(20261205, 1044, _round_8),
    9: Round(20261206, 1194, _round_9),
    10: Round(20261207, 1339, _round_10),
    11: Round(20261208, 1489, _round_11),
    12: Round(20261209, 1639, _round_12),
}


def sample(pool: list[Candidate], rng: random.Random, strata: list[Stratum]) -> list[tuple[str, Candidate]]:
    """Draw each stratum in order from what earlier strata left, so no sentence is drawn twice."""
    taken: set[int] = set()
    drawn: list[tuple[str, Candidate]] = []
    for name, size, matches in strata:
        eligible = [i for i, c in enumerate(pool) if i not in taken and matches(c)]
        for i in rng.sample(eligible, min(size, len(eligible))):
            taken.add(i)
            drawn.append((name, pool[i]))
    return drawn


def main(argv: Sequence[str] | None = None) -> int:
    """Print the sampled candidates of one round as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round", type=int, choices=sorted(ROUNDS), default=2, help="annotation round (default 2)")
    spec = ROUNDS[parser.parse_args(argv).round]
    tune = GOLD_DIR / "tune.jsonl"
    excluded = gold_hashes(GOLD_DIR / "dev.jsonl") | _earlier_tune_hashes(tune, spec.tune_lines_before)
    rng = random.Random(spec.seed)
    for stratum, c in sample(candidates(excluded), rng, spec.strata()):
        row = {
            "stratum": stratum, "source": c.source, "locator": c.locator, "start": c.start, "end": c.end,
            "sha1": sha1(c.text), "text": c.text,
        }  # fmt: skip
        print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

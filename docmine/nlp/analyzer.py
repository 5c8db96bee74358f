"""Dutch text analysis for full-text search: tokens with offsets, accent folding, stemming, decompounding.

Index and query go through the same analysis, so ``aanbieders`` finds ``jeugdzorgaanbieders`` (the compound is
indexed with its parts) and ``inkoopmodel`` finds ``inkoop model`` (the query is split the same way).
Stemming is Snowball's classic Dutch stemmer (``dutch_porter``): the newer one strips ``ge-`` and conflates
``gezinnen`` with ``zin``. The compound lexicon is the Dutch word list of the ``wordfreq`` package.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

STOP_WORDS = frozenset(
    [
        "aan",
        "al",
        "alle",
        "alles",
        "als",
        "dan",
        "dat",
        "de",
        "der",
        "deze",
        "die",
        "dit",
        "doch",
        "doen",
        "door",
        "dus",
        "een",
        "en",
        "er",
        "ga",
        "gaat",
        "gaan",
        "ge",
        "had",
        "heb",
        "hebben",
        "heeft",
        "hem",
        "het",
        "hier",
        "hij",
        "hoe",
        "hun",
        "iemand",
        "iets",
        "ik",
        "in",
        "is",
        "ja",
        "je",
        "kan",
        "kon",
        "kunnen",
        "maar",
        "me",
        "meer",
        "men",
        "met",
        "mij",
        "mijn",
        "moet",
        "na",
        "naar",
        "niet",
        "niets",
        "nog",
        "nu",
        "of",
        "om",
        "omdat",
        "ons",
        "ook",
        "op",
        "over",
        "reeds",
        "te",
        "tegen",
        "toch",
        "toen",
        "tot",
        "u",
        "uit",
        "uw",
        "van",
        "veel",
        "voor",
        "waren",
        "was",
        "wat",
        "welk",
        "welke",
        "wanneer",
        "waar",
        "waarom",
        "we",
        "wel",
        "werd",
        "wezen",
        "wie",
        "wij",
        "wil",
        "worden",
        "wordt",
        "zal",
        "ze",
        "zei",
        "zelf",
        "zich",
        "zij",
        "zijn",
        "zo",
        "zonder",
        "zou",
        "zouden",
        "hoeveel",
        "hoe",
        "kunt",
        "u",
        "wordt",
        "werden",
        "bij",
    ]
)
# Function words and prefixes that must never be a part of a compound split.
_NOT_PARTS = STOP_WORDS | frozenset(
    ["onder", "boven", "tegen", "tussen", "achter", "voor", "door", "over", "mede", "samen", "zelf"]
)
_LINKS = ("", "s", "en", "e")
MIN_PART = 4
MAX_COMPOUND = 64  # longer "words" (a pasted hash, a run of letters) are not split: the split recurses per letter
COMMON_ZIPF = 4.3  # a word this frequent is a word of its own (kinderen), not a compound to split
PART_ZIPF = 3.0


@functools.lru_cache(maxsize=262_144)
def fold(token: str) -> str:
    """Lower-case and strip accents: Fryslân -> fryslan, coördinatie -> coordinatie."""
    decomposed = unicodedata.normalize("NFKD", token.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    norm: str  # folded surface form


def tokens(text: str) -> Iterator[Token]:
    for match in TOKEN.finditer(text):
        yield Token(match.start(), match.end(), fold(match.group()))


class Analyzer:
    """Turns text into index terms and query words into the terms that should match them."""

    def __init__(self, decompound: bool = True) -> None:
        import Stemmer

        self._stemmer = Stemmer.Stemmer("dutch_porter")
        self._decompound = decompound
        self._cache: dict[str, tuple[str, ...]] = {}

    @staticmethod
    @functools.cache
    def _lexicon() -> dict[str, float]:
        from wordfreq import get_frequency_dict

        return {
            word: freq
            for word, freq in get_frequency_dict("nl", wordlist="best").items()
            if word.isalpha() and len(word) >= MIN_PART
        }

    def stem(self, norm: str) -> str:
        if not norm.isalpha():
            return norm
        return str(self._stemmer.stemWord(norm))

    def parts(self, norm: str) -> tuple[str, ...]:
        """Compound parts of a folded word (empty when it is no compound): jeugdzorgaanbieders -> jeugd zorg aanbieders."""
        if not self._decompound or not 2 * MIN_PART <= len(norm) <= MAX_COMPOUND or not norm.isalpha():
            return ()
        return _split(norm, self._lexicon())

    def terms(self, norm: str) -> tuple[str, ...]:
        """Index terms of one token: its stem, then the stems of its compound parts."""
        cached = self._cache.get(norm)
        if cached is None:
            cached = (self.stem(norm),)
            for part in self.parts(norm):
                cached += tuple(t for t in self.terms(part) if t not in cached)
            if len(self._cache) < 500_000:
                self._cache[norm] = cached
        return cached

    def index_text(self, text: str) -> str:
        """The space-separated term string stored for FTS5."""
        return " ".join(term for tok in tokens(text) for term in self.terms(tok.norm))


@functools.cache
def _zipf(freq: float) -> float:
    import math

    return math.log10(freq * 1e9) if freq > 0 else 0.0


def _split(word: str, lexicon: dict[str, float]) -> tuple[str, ...]:
    """Best split into known, reasonably frequent parts (recursively for the head), or () when none fits."""
    if _zipf(lexicon.get(word, 0.0)) >= COMMON_ZIPF:
        return ()
    best: tuple[float, tuple[str, ...]] | None = None
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        tail = word[i:]
        if tail in _NOT_PARTS or _zipf(lexicon.get(tail, 0.0)) < PART_ZIPF:
            continue
        left = word[:i]
        for link in _LINKS:
            if link and not left.endswith(link):
                continue
            head = left[: len(left) - len(link)] if link else left
            if len(head) < MIN_PART or head in _NOT_PARTS:
                continue
            if _zipf(lexicon.get(head, 0.0)) >= PART_ZIPF:
                head_parts: tuple[str, ...] = (head,)
            else:
                head_parts = _split(head, lexicon) if len(head) >= 2 * MIN_PART else ()
                if not head_parts:
                    continue
            parts = (*head_parts, tail)
            score = min(_zipf(lexicon.get(p, 0.0)) for p in parts) - 0.5 * (len(parts) - 2)
            if best is None or score > best[0]:
                best = (score, parts)
    return best[1] if best else ()

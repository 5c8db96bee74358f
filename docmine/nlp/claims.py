"""Claims: sentences that state something checkable, with kind, speaker, values and their page anchor.

Kinds: ``amount`` (a euro amount), ``count`` (a number of things), ``date`` (something happens on or by a
date), ``decision`` (a decision or commitment), ``quote`` (a statement attributed to a person or body).
Values are ``LABEL=value`` strings from the sentence's mentions, so claims compare across documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from docmine.model import CLAIM_LABELS, Claim, Mention, Page, SourceRef, mention_value

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’]?\s+(?=[„\"“‘'(]?[A-Z0-9ÀÉÈËÏÖÜ])|\n\s*\n")
_DECISION = re.compile(
    r"\b(?:besl(?:uit|uiten|oot|oten)|heeft besloten|stemt in|stemde in|ingestemd|aangenomen|verworpen|"
    r"vastgesteld|stelt vast|gaat (?:[\w ]{0,40})?in\b|treedt (?:[\w ]{0,20})?in werking|wordt ingevoerd|"
    r"(?:zal|zullen) (?:[\w ]{0,40})?(?:invoeren|starten|besluiten|informeren|aanbesteden|uitvoeren)|gaan over|kiest voor|koos voor|verzoekt het college|draagt (?:het college )?op|toegezegd|"
    r"zegt toe|per \d{1,2}[-\s])",
    re.IGNORECASE,
)
_ACTOR = re.compile(
    r"\b(?:college|raad|gemeente|wethouder|burgemeester|minister|staatssecretaris|kabinet|bestuur|"
    r"regio|provincie)\b",
    re.IGNORECASE,
)
_CUE = re.compile(r"\b(?:aldus|volgens|zegt|zei|stelt|stelde|meldt|meldde|vindt|verklaarde|verklaart)\b")
_QUOTE = re.compile(r"[„“\"‘'][^„“\"”‘’']{12,}[”\"’']")
_COUNT = re.compile(r"\b\d{1,3}(?:\.\d{3})*\s+(?!euro\b|procent\b|miljoen\b|miljard\b)[a-z]{3,}(?:en|s)\b")
_MIN_WORDS = 6


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Sentence spans of a page: cut after . ! ? before a capital, and at blank lines; whitespace trimmed."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield from _trimmed(text, start, match.start() + (len(match.group()) - len(match.group().lstrip("\"'”’"))))
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    body = piece.strip()
    if body:
        s = start + lead
        yield s, s + len(body)


def find_claims(doc_id: str, pages: Sequence[Page], mentions: Sequence[Mention]) -> list[Claim]:
    by_page: dict[int, list[Mention]] = {}
    for m in mentions:
        by_page.setdefault(m.ref.page, []).append(m)
    claims: list[Claim] = []
    for page in pages:
        page_mentions = sorted(by_page.get(page.number, []), key=lambda m: m.ref.start)
        for start, end in sentences(page.text):
            sentence = page.text[start:end]
            if len(sentence.split()) < _MIN_WORDS or len(sentence) > 1200:
                continue
            inside = [m for m in page_mentions if m.ref.start >= start and m.ref.end <= end]
            claim = _classify(doc_id, page.number, start, end, " ".join(sentence.split()), inside)
            if claim is not None:
                claims.append(claim)
    return claims


def _classify(doc_id: str, page: int, start: int, end: int, sentence: str, inside: list[Mention]) -> Claim | None:
    labels = {m.label for m in inside}
    speaker = _speaker(sentence, inside)
    if (speaker and _CUE.search(sentence)) or _QUOTE.search(sentence):
        kind = "quote"
    elif "MONEY" in labels:
        kind = "amount"
    elif _DECISION.search(sentence) and (labels or _ACTOR.search(sentence)):
        kind = "decision" if "DATE" not in labels else "date"
    elif "DATE" in labels and len(labels) > 1:
        kind = "date"
    elif _COUNT.search(sentence) and labels:
        kind = "count"
    else:
        return None
    values = tuple(dict.fromkeys(f"{m.label}={mention_value(m)}" for m in inside if m.label in CLAIM_LABELS))
    return Claim(SourceRef(doc_id, page, start, end), sentence, kind, speaker, values)


def _speaker(sentence: str, inside: list[Mention]) -> str | None:
    people = [m for m in inside if m.label in ("PERSON", "ORGANIZATION", "PROVIDER")]
    if not people:
        return None
    person = next((m for m in people if m.label == "PERSON"), people[0])
    return person.canonical or person.text

"""When a place name from the tables names no place: a surname, a gas field or works, a land-registry area, a word
of another name ("TU Delft", "Omroep Gelderland")."""

from __future__ import annotations

import re

from spacy.tokens import Doc

SENTENCE_START = re.compile(r"(?:^|[.!?:;\n•\-–(«„“‘'\"]\s*|\n\s*\d+[.)]\s*)$")
# "de heren Van Delft, Van Dongen": a capitalised tussenvoegsel before a place name makes it a surname
_SURNAME_PREFIX = re.compile(r"(?<![.!?]\s)\b(?:Van|Van der|Van den|Van de|Ter|Ten|Op de|Op ten)\s$")
# a place name that names a gas or oil field, a fairway or a works: "olieveld Rotterdam", "gaswinning in Groningen",
# "de Groningen winning", "het werk Asten", "vaargeul Holwerd – Ameland"
_NOT_A_PLACE_BEFORE = re.compile(
    r"(?:(?:gas|olie)?veld|(?:gas|olie)winning\s+(?:in|uit)|\bwerk|vaargeul|opvanglocatie|\bdistrict|zittingsplaats|"
    r"metropool\s*regio)\s+(?:\S+\s+[–-]\s+)?$",
    re.IGNORECASE,
)
# a project's name: "project Nieuwe Sluis\nTerneuzen"
_PROJECT_BEFORE = re.compile(r"(?i:\bproject)\s+(?:[A-ZÀ-Þ][\w'’-]*\s+){0,3}$")
# a land-registry area, not the municipality: "kadastraal bekend als gemeente Sassenheim", "kadastrale gemeente Petten"
_CADASTRAL = re.compile(r"\bkadastra(?:al|le)\s+(?:bekend\s+)?(?:als\s+|onder\s+)?(?:gemeente\s+)?$", re.IGNORECASE)
_NOT_A_PLACE_AFTER = re.compile(r"[\s-]*(?:gas|olie)?(?:winning|veld|gasveld)\b", re.IGNORECASE)
# capitalised words that may stand before a place name without making it part of another name
_PLACE_CONTEXT = frozenset(
    {"Gemeente", "Provincie", "Stad", "Regio", "Jeugdregio", "Zorgregio", "Dorp", "Centrum", "Binnenstad", "Heel",
     "Groot", "Noord", "Zuid", "Oost", "West", "Midden", "Regiogemeenten", "Gemeenten", "Zuidoost", "Centraal"}
)  # fmt: skip


_POSTCODE = re.compile(r"\b\d{4}\s?[A-Z]{2}\s+$")
# capitalised words that start a new clause after a place name in headings and tables
_CLAUSE_WORDS = frozenset(
    {"De", "Het", "Een", "In", "Op", "Voor", "Van", "Dit", "Deze", "Die", "Er", "Bij", "Met", "Per", "Naar", "Uit",
     "Als", "Om", "Te", "Tot", "En", "Of", "Wij", "Ik", "U", "Datum", "Aan", "Onderwerp", "Postbus", "Eur", "Euro"}
)  # fmt: skip


def not_a_place(doc: Doc, text: str, start: int, end: int, original: str) -> bool:
    """A place name from the tables that the context makes a surname, a field, a works or part of a name
    (``text`` is ``doc.text``, which spaCy joins from every token at each reading)."""
    s, e = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    if _CADASTRAL.search(text[max(0, s - 40) : s]):
        return True
    if doc[start].lower_ in {"gemeente", "provincie"}:
        return False
    if _SURNAME_PREFIX.search(text[max(0, s - 12) : s]):
        return True  # "de heren Van Delft"
    if _NOT_A_PLACE_BEFORE.search(text[max(0, s - 40) : s]) or _NOT_A_PLACE_AFTER.match(text, e):
        return True
    if _PROJECT_BEFORE.search(text[max(0, s - 60) : s]):
        return True
    return inside_name(doc, start, end, original)


def inside_name(doc: Doc, start: int, end: int | None = None, text: str | None = None) -> bool:
    """ "Fort Velsen", "Omroep Gelderland", "TU Delft", "Amsterdam Declarations": a capitalised word that is not
    the first of its sentence or line, or an acronym, stands right before the place name (or a capitalised word
    right after it on the same line of ``text``, when ``end`` is given), so the place is part of another name."""
    text = doc.text if text is None else text
    if end is not None and end < len(doc):
        nxt = doc[end]
        same_line = "\n" not in text[doc[end - 1].idx : nxt.idx]
        if (
            same_line
            and nxt.is_title
            and nxt.is_alpha
            and nxt.text not in _PLACE_CONTEXT
            and nxt.text not in _CLAUSE_WORDS
            and not nxt.is_sent_start
        ):
            return True
    if start == 0:
        return False
    prev = doc[start - 1]
    if "\n" in text[prev.idx : doc[start].idx] or _POSTCODE.search(text[max(0, prev.idx - 8) : doc[start].idx]):
        return False  # a line break in between, or an address: "7500 AB Enschede"
    if prev.is_upper and prev.is_alpha and len(prev) > 1 and prev.text not in _PLACE_CONTEXT:
        return True  # "TU Delft", "KIB Amsterdam"
    capitalised = prev.is_title or prev.text[:1].isupper() and not prev.is_upper  # "Tilburg", "AsfaltNu", "HvB"
    if not capitalised or not prev.is_alpha or prev.text in _PLACE_CONTEXT or prev.i == 0:
        return False
    return not SENTENCE_START.search(text[max(0, prev.idx - 12) : prev.idx])

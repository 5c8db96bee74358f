"""Where a statistical NER and the rules disagree: a model name that holds a rule place keeps the place inside it.

"PSV Eindhoven", "Omroep Brabant", "Jan van Leiden": the rules see a municipality or province, the model the
whole club, broadcaster or person. The longer model span wins, unless it opens with a word that makes it the
place itself ("gemeente Groningen", which the rules own).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from spacy.tokens import Span

PLACE_LABELS = frozenset({"MUNICIPALITY", "PROVINCE", "REGION"})
NAME_LABELS = frozenset({"ORGANIZATION", "ORG", "PERSON", "PER"})
_PLACE_WORDS = frozenset({"gemeente", "provincie", "regio", "stad", "dorp", "de", "het"})


class _Fact(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


def places_inside_names(facts: Sequence[_Fact], ents: Sequence[Span]) -> set[int]:
    """Indexes of place ``facts`` that lie strictly inside a model ORGANIZATION/PERSON entity of ``ents``."""
    names = [e for e in ents if e.label_ in NAME_LABELS and e.text.split(maxsplit=1)[0].lower() not in _PLACE_WORDS]
    dropped: set[int] = set()
    for i, fact in enumerate(facts):
        if fact.label not in PLACE_LABELS:
            continue
        for ent in names:
            inside = ent.start_char <= fact.start and fact.end <= ent.end_char
            if inside and ent.end_char - ent.start_char > fact.end - fact.start:
                dropped.add(i)
                break
    return dropped


def plausible_model_name(text: str, label: str, is_word: Callable[[str], bool] | None = None) -> bool:
    """Whether a model ORGANIZATION span the rules did not claim looks like a name, not an artefact.

    Rejected: spans that start in lower case ("hof", "rechtbank en Hof"), carry a footnote bracket
    ("Jeugdjournaal[3"), or are written all in capitals: the rules decide on acronyms and headings themselves
    (dictionary words, Roman numerals, ``organizations.NOT_BODIES``), so a capitals span they left is one
    they turned down ("BTW", "III", "VONNIS VAN DE KANTONRECHTER"). With ``is_word`` (the lemma table), also
    spans whose every capitalised word is an ordinary Dutch word: "Kamer", "Raad van Toezicht", "Nederlandse".
    A model PERSON needs a name of two words or more (see ``_plausible_person``).
    """
    if label == "PERSON":
        return _plausible_person(text)
    if label != "ORGANIZATION":
        return True
    letters = [c for c in text if c.isalpha()]
    if not letters or not text[0].isupper() and not text[0].isdigit():
        return False
    if "[" in text or "]" in text:
        return False
    if all(c.isupper() for c in letters):
        return False
    capitalised = [w.strip(".,;:()'\"»«") for w in text.split() if w[:1].isupper()]
    return is_word is None or not all(is_word(w.lower()) for w in capitalised if w)


_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.)+$")
_COMPOUND_TAIL = re.compile(r"-[a-zà-ÿ]+$")


def _plausible_person(text: str) -> bool:
    """Two words or more, not only initials, not ending in a compound ("Rudi Völler-kapsel").

    A lone capitalised word is where the model confuses companies with people ("Orano", "AlleeWonen"); the
    rules and the document-level pass (``consistency.recurring_names``) find lone surnames of named people.
    """
    words = text.split()
    if len(words) < 2 or all(_INITIALS.match(w.strip(",")) for w in words):
        return False
    return not _COMPOUND_TAIL.search(words[-1])


_BEFORE_BODY = re.compile(r"\s+(?:van|bij)(?:\s+(?:de|het|der))?\s+$")


def persons_cut_before_bodies(text: str, facts: Sequence[_Fact], ents: Sequence[Span]) -> dict[int, int]:
    """``{fact index: new end}`` for rule PERSON facts that run on into a model organisation after "van"/"bij".

    "Sanne Visser van Deloitte": the name pattern reads "van Deloitte" as part of a surname; the model says it is
    an organisation, so the person ends before "van" (the organisation stays the model's).
    """
    bodies = [e for e in ents if e.label_ in {"ORGANIZATION", "ORG"}]
    cuts: dict[int, int] = {}
    for i, fact in enumerate(facts):
        if fact.label != "PERSON":
            continue
        for ent in bodies:
            if fact.start < ent.start_char < fact.end <= ent.end_char:
                link = _BEFORE_BODY.search(text, fact.start, ent.start_char)
                if link and link.start() > fact.start:
                    cuts[i] = link.start()
                break
    return cuts

"""The ``docmine_rules`` spaCy component: gazetteer phrases, money, dates, Woo grounds, persons as doc.ents
(organisations and acts by pattern in patterns.py, the place names that are no place in places.py).

Rule entities override any entity a statistical NER set earlier in the pipeline where they overlap; the
exact rule hits (character offsets, value, canonical) are in ``doc._.dm_facts``, the entities of earlier
components that survived in ``doc._.dm_others``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from docmine.nlp.amounts import find_amounts, find_other_amounts
from docmine.nlp.dates import find_dates
from docmine.nlp.fact import Fact
from docmine.nlp.gazetteer import COMMON_WORD_NAMES, PROVINCE_ADJECTIVES, Entry, Gazetteer, province_context
from docmine.nlp.grounds import find_grounds
from docmine.nlp.interplay import persons_cut_before_bodies, places_inside_names
from docmine.nlp.patterns import PLURAL_NAME, PatternsMixin
from docmine.nlp.persons import find_persons
from docmine.nlp.places import SENTENCE_START, inside_name, not_a_place

__all__ = ["Fact", "RuleEntities", "inside_name", "load_gazetteer"]

# Which label wins where rule matches overlap; the labels themselves are docmine.model.LABELS.
PRIORITY = {
    "MONEY": 10,
    "WOO_GROUND": 9,
    "DATE": 8,
    "LAW": 7,
    "ORGANIZATION": 6,
    "PROVIDER": 6,
    "REGION": 6,
    "PROVINCE": 5,
    "MUNICIPALITY": 5,
    "PERSON": 3,
}
_NAMED = frozenset({"ORGANIZATION", "PROVIDER", "REGION"})  # names that are written capitalised
_GLUED_STOP = re.compile(r"(?<=[a-z][A-Z])\.(?=\s|$)")
# a full name ("Voornaam [tussenvoegsel] Achternaam") followed by "van de/het" and a capitalised word
_PERSON_OF_BODY = re.compile(
    r"(?P<name>\S+\s+(?:\S+\s+){0,3}?[A-ZÀ-Þ][\w'’-]+)\s+van\s+(?:de|het|der|den)\s+(?=(?P<head>[A-ZÀ-Þ][\w-]*))"
)
# words that begin the name of a body, not a surname ("van de Raad voor ...", "van het Openbaar Ministerie")
_BODY_HEADS = (
    "raad", "gemeente", "jeugdbescherming", "provincie", "stichting", "vereniging", "ministerie", "inspectie",
    "ggd", "rechtbank", "politie", "regio", "dienst", "afdeling", "commissie", "fractie", "partij", "bond",
    "bureau", "centrum", "openbaar", "kinderbescherming", "rekenkamer", "veiligheidsregio", "autoriteit",
)  # fmt: skip
_REGION_BEFORE = re.compile(r"(?<![\w-])regio\s+$")
# "zaaknummer AWB 10/540": the law's abbreviation is part of a case number
_CASE_NUMBER_AFTER = re.compile(r"\s+\d+/\d+")
_ADJECTIVE = re.compile(
    r"(?<!\w)(?P<adj>" + "|".join(PROVINCE_ADJECTIVES) + r")\s+(?:gemeenten|gemeentes)\b", re.IGNORECASE
)

if not Doc.has_extension("dm_facts"):
    Doc.set_extension("dm_facts", default=None)
if not Doc.has_extension("dm_others"):
    Doc.set_extension("dm_others", default=None)


def _person_until(fact: Fact, text: str, end: int) -> Fact:
    """A PERSON fact shortened to end at ``end``; the cut-off words leave its value and canonical name too."""
    tail = text[end : fact.end]

    def cut(name: str | float | None) -> str | float | None:
        return "".join(name.rsplit(tail, 1)) if isinstance(name, str) and tail in name else name

    canonical = cut(fact.canonical)
    return Fact(fact.start, end, fact.label, cut(fact.value), canonical if isinstance(canonical, str) else None)


@lru_cache(maxsize=4)
def load_gazetteer(reference_dir: str) -> Gazetteer:
    """Gazetteers are read once per directory and shared by every pipeline built on it."""
    return Gazetteer.load(Path(reference_dir) if reference_dir else None)


class RuleEntities(PatternsMixin):
    """Finds rule entities in a Doc and writes them to ``doc.ents`` with their facts."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.names_hold_places = True  # a model's "PSV Eindhoven" beats the rules' "Eindhoven" (interplay.py)
        self.make_doc = nlp.make_doc
        self.lowercase_names = frozenset(t.text for t in gazetteer if t.text.islower())
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.loose = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.entries: dict[int, Entry] = {}
        exact: dict[str, list[Doc]] = {}
        loose: dict[str, list[Doc]] = {}
        seen: set[tuple[str, bool]] = set()
        for term in gazetteer:
            if (term.text.lower() if not term.exact else term.text, term.exact) in seen:
                continue
            seen.add((term.text.lower() if not term.exact else term.text, term.exact))
            key = f"{term.entry.label}|{term.entry.value}"
            self.entries[nlp.vocab.strings.add(key)] = term.entry
            (exact if term.exact else loose).setdefault(key, []).append(nlp.make_doc(term.text))
        for key, docs in exact.items():
            self.exact.add(key, docs)
        for key, docs in loose.items():
            self.loose.add(key, docs)
        self.places = frozenset(
            e.canonical for e in gazetteer.by_key.values() if e.label in {"MUNICIPALITY", "PROVINCE"}
        ) | frozenset(k.title() for k, e in gazetteer.by_key.items() if e.label in {"MUNICIPALITY", "PROVINCE"})
        self.dutch_words = _DutchWords(nlp)
        self.grounds = frozenset(e.value for e in gazetteer.by_key.values() if e.label == "WOO_GROUND")
        self.ground_labels = {e.value: e.canonical for e in gazetteer.by_key.values() if e.label == "WOO_GROUND"}

    def __call__(self, doc: Doc) -> Doc:
        vetoed: set[tuple[int, int]] = set()
        facts = self.find(doc, vetoed)
        # reading doc.ents walks every token: only do it when an earlier component set entities
        earlier = list(doc.ents) if doc.has_annotation("ENT_IOB") else []
        if earlier and self.names_hold_places:
            dropped = places_inside_names(facts, earlier)
            facts = [f for i, f in enumerate(facts) if i not in dropped]
        if earlier:
            text = doc.text  # Doc.text joins every token anew: read it once
            for i, end in persons_cut_before_bodies(text, facts, earlier).items():
                facts[i] = _person_until(facts[i], text, end)
        spans: list[Span] = []
        for fact in facts:
            # two facts inside one token ("Wagner/Kos") share a span: doc.ents gets the first, facts keep both
            span = doc.char_span(fact.start, fact.end, label=fact.label, alignment_mode="expand")
            if span is not None and not any(span.start < s.end and s.start < span.end for s in spans):
                spans.append(span)
        others = [e for e in earlier if not any(e.start_char < f.end and f.start < e.end_char for f in facts)]
        others = [e for e in others if not any(e.start < s.end and s.start < e.end for s in spans)]
        # a place name the rules passed over on purpose ("olieveld Rotterdam", "KIB Amsterdam") stays unlabelled
        others = [e for e in others if (e.start_char, e.end_char) not in vetoed and not PLURAL_NAME.match(e.text)]
        doc.ents = sorted([*spans, *others], key=lambda s: s.start)
        doc._.dm_facts = facts
        doc._.dm_others = others
        return doc

    def find(self, doc: Doc, vetoed: set[tuple[int, int]] | None = None) -> list[Fact]:
        """Every rule hit in ``doc``, overlaps resolved: longest first, then by label priority. Place names
        the context rules out are added to ``vetoed`` as ``(start, end)``."""
        text = doc.text
        amounts: list[tuple[int, int, float | str]] = [*find_amounts(text), *find_other_amounts(text)]
        facts = [Fact(s, e, "MONEY", v, None) for s, e, v in amounts]
        facts += [Fact(s, e, "DATE", v, None) for s, e, v in find_dates(text)]
        facts += [
            Fact(s, e, "WOO_GROUND", c, self.ground_labels.get(c)) for s, e, c in find_grounds(text, self.grounds)
        ]
        # names broken over two PDF lines ("Ministerie van\nVolksgezondheid") and short names the tokenizer glues
        # to a full stop ("de PvdA.", "IenW.") are matched on a copy of the text with those line breaks and
        # stops as spaces: same length, so every offset stays valid
        phrase_text = _GLUED_STOP.sub(" ", text.replace("\n", " ").replace("[", " "))  # "Samenleving.[6 ]"
        phrase_doc = self.make_doc(phrase_text) if phrase_text != text else doc
        facts += self._phrases(phrase_doc, text, set() if vetoed is None else vetoed)
        # a pattern never stretches a name the tables know ("Wet open overheid" stays itself), except that an
        # organisation may grow ("Tata Steel" + "Limited", "GGD" + "Hollands Noorden"); a ministry may not
        # ("Ministerie van IenW" + "en Rijkswaterstaat")
        known = {(f.start, f.label) for f in facts}
        expanded: set[tuple[int, int]] = set()
        patterns = self._patterns(text, expanded)
        # an acronym the document expands itself ("Regionale Inkoop Jeugd (RIGG)") means what the document says,
        # whatever a table holds for the same letters
        if expanded:
            facts = [f for f in facts if (f.start, f.end) not in expanded or f.label not in _NAMED]
            known = {(f.start, f.label) for f in facts}
        facts += [
            f
            for f in patterns
            if (f.start, f.label) not in known
            or f.label == "ORGANIZATION"
            and not text[f.start : f.start + 10].lower().startswith("ministerie")
        ]
        for m in _ADJECTIVE.finditer(text):
            iso = PROVINCE_ADJECTIVES[m.group("adj").lower()]
            name = self.gazetteer.province_names.get(iso)
            facts.append(Fact(m.start("adj"), m.end("adj"), "PROVINCE", iso, name))
        bodies = {f.start for f in facts if f.label in {"ORGANIZATION", "PROVIDER", "MUNICIPALITY"}}
        for start, end, name, role in find_persons(text, self.gazetteer.first_names, self.places):
            # "Kees de Boer van de Jeugdbescherming": the name ends where "van de <organisation>" begins
            cut = _PERSON_OF_BODY.match(text, start, end)
            if cut is not None and (cut.end() in bodies or cut.group("head").lower().startswith(_BODY_HEADS)):
                end = cut.end("name")
                name = " ".join(text[start:end].split())
            facts.append(Fact(start, end, "PERSON", name, f"{name} ({role})" if role else name))
        facts = self._without_non_bodies(text, facts, vetoed)
        chosen: list[Fact] = []
        taken = bytearray(len(text))  # linear-time overlap test, also on pages full of table numbers
        for fact in sorted(facts, key=lambda f: (-(f.end - f.start), -PRIORITY[f.label], f.start)):
            if not any(taken[fact.start : fact.end]):
                chosen.append(fact)
                taken[fact.start : fact.end] = b"\x01" * (fact.end - fact.start)
        return sorted(chosen, key=lambda f: f.start)

    def _phrases(self, doc: Doc, original: str, vetoed: set[tuple[int, int]]) -> list[Fact]:
        text = doc.text
        facts: list[Fact] = []
        for match_id, start, end in [*self.exact(doc), *self.loose(doc)]:
            entry = self.entries[match_id]
            span = doc[start:end]
            s, e = span.start_char, span.end_char
            if span.text in COMMON_WORD_NAMES and SENTENCE_START.search(text[max(0, s - 12) : s]):
                continue
            if entry.label in {"MUNICIPALITY", "PROVINCE"} and not_a_place(doc, text, start, end, original):
                vetoed.add((s, e))
                continue
            if entry.label == "LAW" and _CASE_NUMBER_AFTER.match(text, e):
                continue
            if span.text.islower() and entry.label in _NAMED and span.text not in self.lowercase_names:
                continue  # "een veilig thuis" is no mention of Veilig Thuis; "openbaar ministerie" is listed
            named_gemeente = span[0].lower_ == "gemeente"
            if entry.label == "MUNICIPALITY" and entry.extra and not named_gemeente and province_context(text, s, e):
                name = self.gazetteer.province_names.get(entry.extra)
                facts.append(Fact(s, e, "PROVINCE", entry.extra, name))
                continue
            region = _REGION_BEFORE.search(text, max(0, s - 8), s) if entry.label == "MUNICIPALITY" else None
            if region is not None and not named_gemeente:
                name = f"regio {' '.join(span.text.split())}"  # "de regio Rotterdam": the area around the city
                facts.append(Fact(region.start(), e, "REGION", name, name))
                continue
            if entry.label in _NAMED and span[0].text in {"stichting", "vereniging"} and len(span) > 1:
                s = span[1].idx  # "stichting Kinderpostzegels": the lower-case word is no part of the name
            facts.append(Fact(s, e, entry.label, entry.value, entry.canonical))
        return facts


class _DutchWords:
    """Word forms and lemmas of the lookup lemmatizer's table: "GRONDEN" in a heading is a word, not a body."""

    def __init__(self, nlp: Language) -> None:
        table = None
        if "lemmatizer" in nlp.pipe_names:
            table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")  # type: ignore[attr-defined]
        self.forms = table  # keyed by hash; a string test works: "luidt" in table
        self.lemmas = frozenset(str(v) for v in table.values()) if table is not None else frozenset()

    def __contains__(self, word: object) -> bool:
        return word in self.lemmas or (self.forms is not None and isinstance(word, str) and word in self.forms)


@Language.factory("docmine_rules", default_config={"reference_dir": ""})
def make_rule_entities(nlp: Language, name: str, reference_dir: str) -> RuleEntities:
    """spaCy factory; ``reference_dir`` empty means the checkout's ``corpora/reference``."""
    del name
    return RuleEntities(nlp, load_gazetteer(reference_dir))

"""The ``docmine_rules`` spaCy component: gazetteer phrases, money, dates, Woo grounds, persons as doc.ents.

Rule entities override any entity a statistical NER set earlier in the pipeline where they overlap; the
exact rule hits (character offsets, value, canonical) are in ``doc._.dm_facts``, the entities of earlier
components that survived in ``doc._.dm_others``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from docmine.nlp.amounts import find_amounts, find_other_amounts
from docmine.nlp.dates import find_dates
from docmine.nlp.gazetteer import COMMON_WORD_NAMES, PROVINCE_ADJECTIVES, Entry, Gazetteer, province_context
from docmine.nlp.grounds import find_grounds
from docmine.nlp.interplay import persons_cut_before_bodies, places_inside_names
from docmine.nlp.laws import find_laws
from docmine.nlp.organizations import find_acronyms, find_organizations, find_providers
from docmine.nlp.persons import find_persons

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
_HOSPITAL = re.compile(r"(?:UMC|Universitair\s+Medisch\s+Centrum)\b")  # hospitals are care providers
_NAMED = frozenset({"ORGANIZATION", "PROVIDER", "REGION"})  # names that are written capitalised
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n•\-–(«„“‘'\"]\s*|\n\s*\d+[.)]\s*)$")
# "de heren Van Delft, Van Dongen": a capitalised tussenvoegsel before a place name makes it a surname
_SURNAME_PREFIX = re.compile(r"(?<![.!?]\s)\b(?:Van|Van der|Van den|Van de|Ter|Ten|Op de|Op ten)\s$")
# a place name that names a gas or oil field, a fairway or a works: "olieveld Rotterdam", "gaswinning in Groningen",
# "de Groningen winning", "het werk Asten", "vaargeul Holwerd – Ameland"
_NOT_A_PLACE_BEFORE = re.compile(
    r"(?:(?:gas|olie)?veld|(?:gas|olie)winning\s+(?:in|uit)|\bwerk|vaargeul|opvanglocatie|\bdistrict|zittingsplaats|"
    r"metropool\s*regio)\s+(?:\S+\s+[–-]\s+)?$",
    re.IGNORECASE,
)
# "art. 13 ROOO", "artikel 8:75, eerste lid, Awb", "artikel 6.5a, vijfde lid, aanhef en onder b, van het Vb":
# the short name after an article number is the act it belongs to
_ARTICLE_ACT = re.compile(
    r"(?i:\bart(?:ikel|\.)?)\s*\d+[a-z]?(?:[.:]\d+[a-z]?)*"
    r"(?:,?\s+(?:lid\s+\d+|\w+\s+lid)(?:\s+sub\s+\w+)?)?(?:,?\s+(?:aanhef\s+en\s+)?onder\s+\w+)?,?"
    r"(?:\s+\((?:oud|nieuw)\))?"  # "art. 294 (oud) Sr": the article as it read before a change
    r"\s+(?:van\s+(?:de|het)\s+)?(?P<act>[A-Z](?:[A-Z]{1,5}|[a-z]{1,2}[A-Z]?))(?![\w-])"
)
# treaties and local ordinances are no acts in the sense of LAW
_NOT_ACTS = frozenset({"EVRM", "IVRK", "VWEU", "VEU", "EU", "VN", "IVBPR", "APV"})
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
# heads of bodies named after their place ("Rechtbank Den Haag", "GGD Hollands Noorden")
_PLACE_HEADS = ("rechtbank", "gerechtshof", "rekenkamer", "ggd", "veiligheidsregio", "omgevingsdienst", "politie")
_COMPASS = frozenset({"Noord", "Zuid", "Oost", "West", "Noorden", "Zuiden", "Oosten", "Westen", "Midden"})
_REGION_BEFORE = re.compile(r"(?<![\w-])regio\s+$")
# a project's name: "project Nieuwe Sluis\nTerneuzen"
_PROJECT_BEFORE = re.compile(r"(?i:\bproject)\s+(?:[A-ZÀ-Þ][\w'’-]*\s+){0,3}$")
# a ministry in an office title is no mention of the ministry ("de Minister van VWS", "Staatssecretaris van
# EZK"), nor is a project or system named like a company ("het project BAM")
_NOT_A_BODY_BEFORE = re.compile(
    r"(?i:\b(?:minister|staatssecretaris)s?)\s+(?:van|voor)\s+$|(?i:\b(?:project|programma|systeem|applicatie|platform))\s+$"
)
# "een ADV", "geen GGD": an acronym after an indefinite word names a kind of body, not one
_KIND_BEFORE = re.compile(r"(?i:\b(?:een|geen|elke|iedere|ieder))\s+$")
# "JOR 2003, 22", "NJ 2007/173": a law report cited by year and number, not a body
_JOURNAL_AFTER = re.compile(r"\s+(?:19|20)\d\d\s*[,/]\s*\d+")
# "de GGD’en", "de RUD's": all bodies of a kind, no named one
_PLURAL_AFTER = re.compile(r"['’](?:en|s)(?!\w)")
_PLURAL_NAME = re.compile(r"[A-Z]{2,}['’](?:en|s)$")
# "zaaknummer AWB 10/540": the law's abbreviation is part of a case number
_CASE_NUMBER_AFTER = re.compile(r"\s+\d+/\d+")
# a land-registry area, not the municipality: "kadastraal bekend als gemeente Sassenheim", "kadastrale gemeente Petten"
_CADASTRAL = re.compile(r"\bkadastra(?:al|le)\s+(?:bekend\s+)?(?:als\s+|onder\s+)?(?:gemeente\s+)?$", re.IGNORECASE)
_NOT_A_PLACE_AFTER = re.compile(r"[\s-]*(?:gas|olie)?(?:winning|veld|gasveld)\b", re.IGNORECASE)
_ADJECTIVE = re.compile(
    r"(?<!\w)(?P<adj>" + "|".join(PROVINCE_ADJECTIVES) + r")\s+(?:gemeenten|gemeentes)\b", re.IGNORECASE
)

if not Doc.has_extension("dm_facts"):
    Doc.set_extension("dm_facts", default=None)
if not Doc.has_extension("dm_others"):
    Doc.set_extension("dm_others", default=None)


@dataclass(frozen=True, slots=True)
class Fact:
    """A rule hit: exact character span, label, normalised value and canonical name."""

    start: int
    end: int
    label: str
    value: str | float | None
    canonical: str | None


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


class RuleEntities:
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
        self.ground_labels = {
            e.value: e.canonical for e in gazetteer.by_key.values() if e.label == "WOO_GROUND"
        }

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
        others = [e for e in others if (e.start_char, e.end_char) not in vetoed and not _PLURAL_NAME.match(e.text)]
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
            Fact(s, e, "WOO_GROUND", c, self.ground_labels.get(c))
            for s, e, c in find_grounds(text, self.grounds)
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
            or f.label == "ORGANIZATION" and not text[f.start : f.start + 10].lower().startswith("ministerie")
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

    @staticmethod
    def _without_non_bodies(text: str, facts: list[Fact], vetoed: set[tuple[int, int]] | None) -> list[Fact]:
        """Drop organisation hits that name no body here: a ministry in an office title ("de Minister van VWS"),
        a project or system ("het project BAM"), all bodies of a kind ("de GGD’en", "een ADV"), a law report
        ("JOR 2003, 22"); an office's acronym in brackets goes with it. Their spans are vetoed, so the statistical
        model cannot add them back."""
        drop = [
            f
            for f in facts
            if f.label == "ORGANIZATION"
            and (
                _NOT_A_BODY_BEFORE.search(text[max(0, f.start - 30) : f.start])
                or _PLURAL_NAME.match(text[f.start : f.end])
                or text[f.start : f.end].isupper()
                and (
                    _PLURAL_AFTER.match(text, f.end)
                    or _KIND_BEFORE.search(text[max(0, f.start - 8) : f.start])
                    or _JOURNAL_AFTER.match(text, f.end)
                )
            )
        ]
        ends = {f.end for f in drop}  # "Minister voor Volkshuisvesting en Ruimtelijke Ordening (VRO)"
        drop += [
            f for f in facts if f.label == "ORGANIZATION" and f.start >= 2 and text[f.start - 2 : f.start] == " ("
            and f.start - 2 in ends
        ]  # fmt: skip
        if not drop:
            return facts
        if vetoed is not None:
            vetoed.update((f.start, f.end) for f in drop)
        return [f for f in facts if f not in drop]

    def _patterns(self, text: str, expanded: set[tuple[int, int]] | None = None) -> list[Fact]:
        """Organisations and laws by pattern, normalised through the gazetteer where it knows the name.

        Uses of an acronym the text defines itself are added to ``expanded`` as ``(start, end)``."""
        facts: list[Fact] = []
        for start, end, canonical in find_organizations(text):
            end, canonical = self._cut_after_place(text, start, end, canonical)
            name = text[start:end]
            if _is_expanded_acronym(name, canonical):
                # the document's own expansion, normalised only when a table knows that full name
                entry = self.gazetteer.lookup(canonical)
                known_full = entry is not None and entry.label in {"ORGANIZATION", "PROVIDER"}
                value = entry.canonical if entry is not None and known_full else canonical
                facts.append(Fact(start, end, entry.label if entry is not None and known_full else "ORGANIZATION",
                                  entry.value if entry is not None and known_full else canonical, value))  # fmt: skip
                if expanded is not None:
                    expanded.add((start, end))
                continue
            head, _, rest = name.partition(" ")
            if head.isupper() and rest.isupper() and rest.lower() in self.dutch_words and not self.gazetteer.lookup(rest):
                continue  # "DE UITSPRAAK VAN DE RECHTBANK LUIDT": a heading, not the court of a place
            entry = self.gazetteer.lookup(name) or self.gazetteer.lookup(canonical)
            if entry is not None and entry.label in {"MUNICIPALITY", "PROVINCE"}:
                entry = self.gazetteer.lookup(canonical)  # "rechtbanken (Limburg, ...)": the court, not the place
            bare = self.gazetteer.lookup(" ".join(rest.split())) if head.capitalize() in {"Stichting", "Fractie"} else None
            if bare is not None and (bare.label == "PROVIDER" or head.capitalize() == "Fractie"):
                continue  # "Stichting Pluryn", "Fractie VVD": the known name without the generic head word
            if bare is not None and bare.label == "ORGANIZATION":
                entry = bare  # "Stichting Advies- en Klachtenbureau Jeugdzorg": the foundation's full name
            if entry is not None and entry.label in {"ORGANIZATION", "PROVIDER", "REGION"}:
                facts.append(Fact(start, end, entry.label, entry.value, entry.canonical))
            elif entry is None:
                label = "PROVIDER" if _HOSPITAL.match(canonical) else "ORGANIZATION"
                facts.append(Fact(start, end, label, canonical, canonical))
        for start, end, name in find_providers(text):
            entry = self.gazetteer.lookup(name)
            if entry is None or entry.label in {"PROVIDER", "ORGANIZATION"}:
                facts.append(Fact(start, end, "PROVIDER", *((entry.value, entry.canonical) if entry else (name, name))))
        for start, end in find_acronyms(text):
            word = text[start:end]
            entry = self.gazetteer.lookup(word)
            if entry is None and (len(word) < 5 or word.lower() not in self.dutch_words):
                facts.append(Fact(start, end, "ORGANIZATION", word, word))
            elif entry is not None and entry.label in {"ORGANIZATION", "PROVIDER"}:
                facts.append(Fact(start, end, entry.label, entry.value, entry.canonical))  # "het RIVM[5]"
        for m in _ARTICLE_ACT.finditer(text):
            # "art. 13 ROOO", "artikel 14 Vb", "art. 81 RO": the short name of the act the article belongs to
            short = m.group("act")
            entry = self.gazetteer.lookup(short)
            if short in _NOT_ACTS or short.lower() in self.dutch_words or entry is not None and entry.label != "LAW":
                continue
            name = entry.canonical if entry is not None else short
            facts.append(Fact(m.start("act"), m.end("act"), "LAW", name, name))
        for start, end, title in find_laws(text):
            entry = self.gazetteer.lookup(text[start:end]) or self.gazetteer.lookup(title)
            name = entry.canonical if entry is not None and entry.label == "LAW" else title
            facts.append(Fact(start, end, "LAW", name, name))
        return facts

    def _cut_after_place(self, text: str, start: int, end: int, canonical: str) -> tuple[int, str]:
        """A body named after its place ends with the place: "Rekenkamercommissie Den Helder Evalueerbaarheid"
        (a title in the next cell) -> "Rekenkamercommissie Den Helder"."""
        words = list(re.finditer(r"\S+", text[start:end]))
        if len(words) < 3 or not words[0].group().lower().startswith(_PLACE_HEADS) or words[-1].group() in _COMPASS:
            return end, canonical
        place = " ".join(w.group() for w in words[1:-1])
        known = self.gazetteer.lookup(place)
        if known is None or known.label not in {"MUNICIPALITY", "PROVINCE"}:
            return end, canonical
        if self.gazetteer.lookup(" ".join(w.group() for w in words[1:])) is not None:
            return end, canonical
        end = start + words[-2].end()
        return end, " ".join(text[start:end].split())

    def _phrases(self, doc: Doc, original: str, vetoed: set[tuple[int, int]]) -> list[Fact]:
        text = doc.text
        facts: list[Fact] = []
        for match_id, start, end in [*self.exact(doc), *self.loose(doc)]:
            entry = self.entries[match_id]
            span = doc[start:end]
            s, e = span.start_char, span.end_char
            if span.text in COMMON_WORD_NAMES and _SENTENCE_START.search(text[max(0, s - 12) : s]):
                continue
            if entry.label in {"MUNICIPALITY", "PROVINCE"} and self._not_a_place(doc, text, start, end, original):
                vetoed.add((s, e))
                continue
            if entry.label == "LAW" and _CASE_NUMBER_AFTER.match(text, e):
                continue
            if span.text.islower() and entry.label in _NAMED and span.text not in self.lowercase_names:
                continue  # "een veilig thuis" is no mention of Veilig Thuis; "openbaar ministerie" is listed
            named_gemeente = span[0].lower_ == "gemeente"
            if (
                entry.label == "MUNICIPALITY"
                and entry.extra
                and not named_gemeente
                and province_context(text, s, e)
            ):
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

    def _not_a_place(self, doc: Doc, text: str, start: int, end: int, original: str) -> bool:
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


def inside_name(doc: Doc, start: int, end: int | None = None, text: str | None = None) -> bool:
    """"Fort Velsen", "Omroep Gelderland", "TU Delft", "Amsterdam Declarations": a capitalised word that is not
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
    return not _SENTENCE_START.search(text[max(0, prev.idx - 12) : prev.idx])


@Language.factory("docmine_rules", default_config={"reference_dir": ""})
def make_rule_entities(nlp: Language, name: str, reference_dir: str) -> RuleEntities:
    """spaCy factory; ``reference_dir`` empty means the checkout's ``corpora/reference``."""
    del name
    return RuleEntities(nlp, load_gazetteer(reference_dir))


def _is_expanded_acronym(written: str, canonical: str | None) -> bool:
    """A one-word organisation hit whose canonical name is a longer name: an acronym the text itself defined."""
    return bool(canonical) and not any(c.isspace() for c in written) and " " in str(canonical)

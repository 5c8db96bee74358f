"""Organisations, care providers and acts found by pattern (organizations.py, laws.py), normalised through the
gazetteer; organisation hits that name no body here are dropped (a mixin of ``RuleEntities``)."""

from __future__ import annotations

import re
from collections.abc import Container

from docmine.nlp.fact import Fact
from docmine.nlp.gazetteer import Gazetteer
from docmine.nlp.laws import find_laws
from docmine.nlp.organizations import find_acronyms, find_organizations, find_providers

_HOSPITAL = re.compile(r"(?:UMC|Universitair\s+Medisch\s+Centrum)\b")  # hospitals are care providers
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
# heads of bodies named after their place ("Rechtbank Den Haag", "GGD Hollands Noorden")
_PLACE_HEADS = ("rechtbank", "gerechtshof", "rekenkamer", "ggd", "veiligheidsregio", "omgevingsdienst", "politie")
_COMPASS = frozenset({"Noord", "Zuid", "Oost", "West", "Noorden", "Zuiden", "Oosten", "Westen", "Midden"})
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
PLURAL_NAME = re.compile(r"[A-Z]{2,}['’](?:en|s)$")


class PatternsMixin:
    # What these rules use of RuleEntities (rules.py), declared for the type checker.
    gazetteer: Gazetteer
    dutch_words: Container[str]

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
                or PLURAL_NAME.match(text[f.start : f.end])
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
            if (
                head.isupper()
                and rest.isupper()
                and rest.lower() in self.dutch_words
                and not self.gazetteer.lookup(rest)
            ):
                continue  # "DE UITSPRAAK VAN DE RECHTBANK LUIDT": a heading, not the court of a place
            entry = self.gazetteer.lookup(name) or self.gazetteer.lookup(canonical)
            if entry is not None and entry.label in {"MUNICIPALITY", "PROVINCE"}:
                entry = self.gazetteer.lookup(canonical)  # "rechtbanken (Limburg, ...)": the court, not the place
            bare = (
                self.gazetteer.lookup(" ".join(rest.split())) if head.capitalize() in {"Stichting", "Fractie"} else None
            )
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


def _is_expanded_acronym(written: str, canonical: str | None) -> bool:
    """A one-word organisation hit whose canonical name is a longer name: an acronym the text itself defined."""
    return bool(canonical) and not any(c.isspace() for c in written) and " " in str(canonical)

"""Organisations by pattern, for names no reference table can list.

* a head word that makes what follows a name: ``Stichting Jeugdbescherming Noord``, ``Rechtbank Noord-Holland``,
  ``gerechtshof te Arnhem``, ``Rekenkamer Den Haag``, ``GGD Hollands Noorden``, ``Rijksuniversiteit Groningen``,
  ``TU Delft``, ``UMC Utrecht``, ``Ministerie van Justitie en Veiligheid``;
* a legal form after the name: ``Zorgbelang B.V.``;
* an acronym defined in brackets, ``Transitie Autoriteit Jeugd (TAJ)``: the full name and the acronym, and every
  later use of the acronym in the same text, with the full name as canonical name.

Each hit is ``(start, end, canonical)``; the span is the name as written, head word and legal form included.
"""

from __future__ import annotations

import re

__all__ = ["find_acronyms", "find_organizations", "find_providers"]

_UP = r"[A-ZÀ-ÖØ-Þ]"
_CAP = rf"(?:{_UP}[\w'’&]*(?:-[\w'’]+)*(?:-[ \t]+en(?=[ \t]+{_UP}))?)"  # "Advies- en Klachtenbureau"
_FUNCTION = frozenset(
    {"De", "Het", "Een", "In", "Op", "Dit", "Deze", "Die", "Dat", "Er", "Zij", "Wij", "Ik", "Hij", "Ook", "Bij",
     # the next cell of a Woo inventory row or the next line of an address block
     "Deels", "Niet", "Geheel", "Openbaar", "Reeds", "Postbus", "Ja", "Nee", "Nota", "Brief", "Email", "E-mail"}
)  # fmt: skip
# a place or short name after a head word: Den Haag, 's-Hertogenbosch, Arnhem-Leeuwarden, Hollands Noorden
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # a PDF line break may fall inside a name
_PLACE = rf"(?:['’‘]s-)?{_CAP}(?:{_GAP}{_CAP}){{0,2}}"
# within a longer name only spaces: a line break before the next capital is as often a new cell or line
_JOIN = r"(?:[ \t]+(?:(?:van|voor|de|der|den|het|in|op|aan|&)[ \t]+)*)"
_NAME = rf"{_CAP}(?:{_JOIN}{_CAP}){{0,5}}"
# a foundation's name may go on in lower case to a place: "Stichting Meerwerf basisscholen Den Helder"
_NAME_TO_PLACE = (
    rf"(?:{_GAP}[a-z]{{3,}}(?:en|ing|zorg|wijs|opvang){_GAP}{_CAP}(?:{_GAP}{_CAP})?(?=[ \t]*(?:[.,;:)]|$))"
    rf"|[ \t]+[a-z]{{3,}}(?:scholen|onderwijs|zorg|opvang)(?![\w-]))?"  # "Stichting Meerwerf basisscholen heeft"
)
_HEADED = re.compile(
    # a committee or group named by its portfolios: "de commissie Welzijn, Gezondheid en Sport", "de Stuurgroep
    # Infrastructuur en Mobiliteit"
    rf"(?<![\w-])(?P<committee>(?:[Cc]ommissie|[A-Z][a-z]+(?:team|commissie|groep))[ \t]+{_CAP}(?:,?[ \t]+{_CAP})*"
    rf"[ \t]+en[ \t]+{_CAP})"
    rf"|(?<![\w-])(?P<head>Stichting|Vereniging|Coöperatie|Coöperatieve\s+Vereniging|[Ff]ractie|[Cc]ommissie|Adviescollege|"
    rf"Inspectie|[Ss]taatscommissie|Gemeenschappelijke\s+Regeling|GR|Taskforce|[A-Z][a-z]+(?:team|commissie|groep))"
    rf"{_GAP}(?P<name>{_NAME}{_NAME_TO_PLACE})"
    rf"|(?<![\w-])(?P<court>(?i:(?:arrondissements)?rechtbank|gerechtshof|(?:lokale\s+)?rekenkamer(?:commissie)?)|"
    rf"GGD|(?i:veiligheidsregio)|Omgevingsdienst|Politie(?:eenheid)?|Waterschap|Hoogheemraadschap|Omroep|RTV|"
    rf"(?:Rijks)?[Uu]niversiteit|Hogeschool|TU|Technische\s+Universiteit|Erasmus\s+Universiteit|UMC|"
    rf"Universitair\s+Medisch\s+Centrum)"
    rf"(?:[ \t]+(?:van|te))?(?:[ \t]+de[ \t]+gemeente)?{_GAP}(?P<place>{_PLACE})"
    rf"|(?<![\w-])(?P<ministry>[Mm]inisterie[ \t]+van[ \t]+{_CAP}(?:(?:,[ \t]+|[ \t]+en[ \t]+|[ \t]+){_CAP}){{0,4}})"
)
# a body named by its city's adjective: "de Rotterdamse Rekenkamer", "de Amsterdamse Ombudsman"
_CITY_BODY = re.compile(r"(?<![\w-])[A-Z][a-zë]+se[ \t]*\n?[ \t]*(?:Rekenkamer|Ombudsman)(?![\w-])")
# a care provider named after what it is: "FPC De Rooyse Wissel", "JJI Juvaid", "jeugd-GGZ instelling Jonx"
_PROVIDER_CUE = re.compile(
    rf"(?<![\w-])(?:FPC|JJI|(?i:(?:jeugd-?)?(?:ggz|GGZ)[- ]instelling|(?:jeugd)?zorgaanbieder|zorginstelling))"
    rf"[ \t]+(?P<name>(?:De[ \t]+|Het[ \t]+)?{_NAME})"
)
# a hospital is a care provider: "het Bernhoven ziekenhuis" (the name), "Rivas Ziekenhuis", "Ziekenhuis Amstelland"
_HOSPITAL = re.compile(
    rf"(?<![\w-])(?P<name>{_CAP}(?:[ \t]+{_CAP})?)(?=[ \t]+ziekenhuis(?![\w-]))"
    rf"|(?<![\w-])(?P<full>{_CAP}(?:[ \t]+{_CAP})?[ \t]+Ziekenhuis|Ziekenhuis[ \t]+{_PLACE})(?![\w-])"
)
_NOT_A_HOSPITAL = re.compile(r"(?:se|sche)$")  # "het Groningse ziekenhuis", "het Academisch Ziekenhuis"
# "rechtbanken (Limburg, Den Haag, Rotterdam en Gelderland)": each district names a court
_COURT_LIST = re.compile(
    rf"(?<![\w-])(?i:rechtbanken|gerechtshoven)[ \t]+\(?(?P<places>{_PLACE}(?:(?:,[ \t]*|[ \t]+en[ \t]+){_PLACE})+)\)?"
)
_LEGAL_FORM = re.compile(
    rf"(?<![\w-])(?P<name>{_CAP}(?:(?:[ \t]+&)?{_GAP}{_CAP}){{0,3}}){_GAP}"
    rf"(?:B\.V\.|N\.V\.|BV|NV|Limited|Ltd\.?|Inc\.|GmbH|plc|S\.A\.|(?P<holding>Beheer|Holding|Holdings|Group|Groep|Partners|Investments|Ventures)(?:[ \t]+B\.?V\.?)?)(?![\w-])"
)
# "Financieel Beheer" is a department, not a company
_NOT_A_COMPANY = re.compile(r"(?:eel|ijk|isch|aal|air|ief|ele|ijke|ische)$")
_DEFINED = re.compile(r"\((?P<acronym>[A-Z][A-Za-z&]*[A-Z][A-Za-z&]*)\)")
_ACT = re.compile(r"(?i)wet\b|wetboek|besluit|regeling|verordening|richtlijn|verdrag|\bbestuur$")
# a defined name that ends in one of these names a thing, not a body
_THING = re.compile(
    r"(?:Nummer|Systeem|Register|Registratie|Fonds|Programma|Akkoord|Arrangement|Plan|Index|Monitor|Code|Protocol|"
    r"Model|Methode|Opgave|Principles|Agenda|Aanpak|Regeling)$"
)
_REGISTER = re.compile(r"\b(?:Basisregistratie|Registratie|Register)\b")  # "Basis Registratie Personen (BRP)"
_INITIAL_SKIP = frozenset({"van", "voor", "de", "der", "den", "het", "en", "in", "op", "aan", "&", "'s"})


def find_organizations(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, canonical)`` of organisations found by pattern in ``text``."""
    found: list[tuple[int, int, str]] = []
    for m in _HEADED.finditer(text):
        if m.group("ministry") or m.group("committee"):
            start, end = m.start(), _trim(text, m.start(), m.end())
        else:
            part = "name" if m.group("head") else "place"
            start = m.start()
            end = _trim(text, m.start(part), _caps_end(text, m.start(part), m.end(part)))
            if end <= m.start(part):
                continue
        found.append((start, end, _clean(text[start:end])))
    found += [(m.start(), m.end(), _clean(m.group())) for m in _CITY_BODY.finditer(text)]
    for m in _COURT_LIST.finditer(text):
        for place in re.finditer(rf"{_PLACE}", m.group("places")):
            start = m.start("places") + place.start()
            found.append((start, start + len(place.group()), f"Rechtbank {_clean(place.group())}"))
    for m in _LEGAL_FORM.finditer(text):
        start = _trim_left(text, m.start("name"), m.end("name"))
        if m.group("holding") and _NOT_A_COMPANY.search(text[start : m.end("name")]):
            continue
        if start < m.end("name"):
            found.append((start, m.end(), _clean(text[start : m.end()])))
    found += _defined_acronyms(text)
    return found


# An acronym no table knows ("DGNEAR", "NOGEPA", "JLOS") is, in government text, most often a body: a
# directorate, team, company or agency. These are the common ones that name things, not bodies.
NOT_BODIES = frozenset(
    """ADHD AGB AMHK AMVB ANBI AOW APB API APV AVG AZC BBP BCC BIG BNP BOA BRP BSN BTW CAO CCS CEO CFO COVID CPU
    CSV DIGID DNA ECLI EEZ ERTMS EUR FAQ FTE GBP GDP GFT GGZ GPS HAVO HBO HTML IATI ICP ICT IPCC IVRK JGZ JPG
    LED LHBTI LHBTIQ LNG LPG MBO MDT MIRT MSZ NAP NDICI NGO OOV OZB PDF PGB PTSS PVC RAM RES RSS SDE SDG SMS TBS
    UCPM URL USB USD VAO VMBO VWO WAO WGO WIA WIFI WMO WOZ WWW XML ZZP FPC JJI RIBW PPC RIS
    BDU CORV CTB ISA NIP PFAS SRGR GLB SIA TEK EXPL VERZ DPZW HVP IRM MIEK NPLG RAAK BRON ROD MKBA EVRM VWEU MER OTS LWI SSRS
    WWS""".split()
)
# "het project BAM", "het systeem CORV": the acronym names what the word before says it is
_THING_BEFORE = re.compile(r"(?i:\b(?:project|programma|systeem|applicatie|platform|regeling|fonds|stof|stoffen))\s+$")
_FUNCTION_CAPS = frozenset({"VAN", "DE", "DER", "DEN", "HET", "EN", "IN", "TE", "OP", "VOOR", "MET", "TOT", "AAN"})
# three to seven capitals; not inside a code ("ECLI:NL:GHARL:2013", "EBA/Op/2022/01", "MCC-19")
_ACRONYM = re.compile(
    r"(?<![\w&'’./:-])[A-Z]{3,7}(?:-[A-Z]{2,7})?(?![\w&'’:/-]|\.\w)"
    r"|(?<![\w&'’./:-])[A-Z]{3,7}(?=/[A-Z]{3,7}(?![\w&'’:/-]))|(?<=[A-Z]{3}/)[A-Z]{3,7}(?![\w&'’:/-]|\.\w)"
)  # "IMG/NCG": two bodies
# a long word in capitals next to it: a heading, not an acronym
_LONG_CAPS_BEFORE = re.compile(r"(?<![\w-])[A-Z]{8,}[ \t]+$")
_LONG_CAPS_AFTER = re.compile(r"[ \t]+[A-Z]{8,}(?![\w-])")
# a court's case-number code: "393043 EJ VERZ 12-12", "2530127 VV EXPL 13-269"
_CASE_NUMBER = re.compile(r"[ \t]+\d+[-/]\d+")
_ROMAN = re.compile(r"[IVXLCDM]+")


def find_providers(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, canonical)`` of care providers named after a word that says what they are, hospitals
    included."""
    found: list[tuple[int, int, str]] = []
    for m in _PROVIDER_CUE.finditer(text):
        end = _trim(text, m.start("name"), m.end("name"))
        if end > m.start("name"):
            found.append((m.start("name"), end, _clean(text[m.start("name") : end])))
    for m in _HOSPITAL.finditer(text) if "iekenhuis" in text else ():  # a cheap test first: most pages have none
        part = "name" if m.group("name") else "full"
        first = m.group(part).split()[0]
        if first in _FUNCTION or first in {"Het", "Academisch", "Algemeen"} or _NOT_A_HOSPITAL.search(first):
            continue
        found.append((m.start(part), m.end(part), _clean(m.group(part))))
    return found


def find_acronyms(text: str) -> list[tuple[int, int]]:
    """All-capital words of three to seven letters that may name a body: not a Roman numeral, not a common
    abbreviation for a thing (``NOT_BODIES``), not a word of an all-capital heading ("VONNIS VAN DE ...")."""
    found: list[tuple[int, int]] = []
    things = _defined_things(text)
    headings: dict[int, bool] = {}  # line start -> the line holds a function word in capitals
    for m in _ACRONYM.finditer(text):
        word = m.group()
        if word in NOT_BODIES or word in _FUNCTION_CAPS or word in things or _ROMAN.fullmatch(word):
            continue
        if _THING_BEFORE.search(text[max(0, m.start() - 20) : m.start()]) or _CASE_NUMBER.match(text, m.end()):
            continue
        if _LONG_CAPS_BEFORE.search(text, max(0, m.start() - 20), m.start()) or _LONG_CAPS_AFTER.match(text, m.end()):
            continue  # "Tegenspraak VERKORT STRAFVONNIS": a heading in capitals
        line_start = text.rfind("\n", 0, m.start()) + 1
        if line_start not in headings:
            line_end = text.find("\n", m.end())
            line = text[line_start : line_end if line_end != -1 else len(text)]
            headings[line_start] = bool(set(re.findall(r"[A-Z]{2,}", line)) & _FUNCTION_CAPS)
        if not headings[line_start]:
            found.append((m.start(), m.end()))
    return found


def _trim(text: str, start: int, end: int) -> int:
    """Drop trailing words that start a new clause ("Rechtbank Amsterdam De rechter ...")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[-1].group() in _FUNCTION:
        words.pop()
    return start + words[-1].end() if words else start


def _caps_end(text: str, start: int, end: int) -> int:
    """A name in capitals ends with its last word in capitals: "RECHTBANK ALKMAAR\nSector Kanton"."""
    words = [(w, re.sub(r"^['’‘]s-", "", w.group())) for w in re.finditer(r"\S+", text[start:end])]
    if not words or not words[0][1].isupper() or len(words[0][1]) < 2:
        return end
    last = words[0][0]
    for word, bare in words[1:]:
        if not bare.isupper():
            break
        last = word
    return start + last.end()


def _trim_left(text: str, start: int, end: int) -> int:
    """Skip words before a legal form's name that start the clause ("Bij Zorgbelang B.V." -> "Zorgbelang");
    a capitalised article stays: it is often part of a company's name ("De Boo Eindhoven B.V.")."""
    for word in re.finditer(r"\S+", text[start:end]):
        if word.group() not in _FUNCTION or word.group() in {"De", "Het"}:
            return start + word.start()
    return end


def _defined_things(text: str) -> set[str]:
    """Acronyms the text defines as a law or a thing: "Overheid Instantie Nummer (OIN)"."""
    things: set[str] = set()
    for m in _DEFINED.finditer(text):
        span = _definition(text, m)
        if span is not None and _not_a_body(_clean(text[span[0] : span[1]])):
            things.add(m.group("acronym"))
    return things


def _not_a_body(full: str) -> bool:
    """ "Algemene Wet Bijzondere Ziektekosten" is a law, "Overheid Instantie Nummer" a code."""
    return bool(_ACT.search(full) or _THING.search(full) or _REGISTER.search(full))


def _definition(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """The span of the capitalised words before ``(ACR)`` whose initials spell it, or None."""
    letters = [c for c in m.group("acronym") if c.isupper()]
    offset = max(0, m.start() - 160)
    words = list(re.finditer(r"[\w'’&-]+", text[offset : m.start()]))
    picked: list[re.Match[str]] = []
    for word in reversed(words):
        if word.group().lower() in _INITIAL_SKIP and picked:
            continue
        if not word.group()[0].isupper():
            break
        picked.append(word)
        if len(picked) == len(letters):
            break
    if len(picked) < 2 or [w.group()[0] for w in reversed(picked)] != letters:
        return None
    return offset + picked[-1].start(), offset + picked[0].end()


def _defined_acronyms(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for m in _DEFINED.finditer(text):
        span = _definition(text, m)
        if span is None:
            continue
        full = _clean(text[span[0] : span[1]])
        if _not_a_body(full):
            continue
        found.append((span[0], span[1], full))
        for use in re.finditer(rf"(?<![\w-]){re.escape(m.group('acronym'))}(?![\w-])", text):
            found.append((use.start(), use.end(), full))
    return found


def _clean(name: str) -> str:
    return " ".join(name.split())

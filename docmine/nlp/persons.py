"""Person names by pattern: role or title + name (``wethouder Kos``, ``minister De Jonge``),
initials + surname (``H.J. de Boer``) and known first name + surname (``Marieke van Dam``).

Each hit gives the name as written (without role/title) and the role when one was stated.
"""

from __future__ import annotations

import re
from collections.abc import Set

__all__ = ["find_persons", "plausible_name", "ROLES"]

ROLES = (
    "wethouders", "wethouder", "leden", "locoburgemeester", "burgemeester", "directeur", "raadsleden", "raadslid",
    "staatssecretaris", "minister-president", "minister president", "minister", "premier", "president",
    "gedeputeerde", "gemeentesecretaris", "griffier", "fractievoorzitter",
    "voorzitter", "secretaris", "kamerlid", "commissaris van de koning", "ombudsman", "inspecteur",
    "projectleider", "beleidsmedewerker", "lid", "adviseur", "bestuurder", "woordvoerder", "accountmanager",
    "notaris", "advocaat-generaal", "advocaat", "raadsheer", "officier van justitie", "gemachtigde", "raadsman",
)  # fmt: skip
_TITLES = (
    r"(?:mevrouw|mevr\.|mw\.|de\s+heer|de\s+heren|de\s+dames|dhr\.|heer|"
    r"mr\.|mrs\.|drs\.|dr\.|ir\.|ing\.|prof\.|ds\.)"
)
_UP = r"[A-ZÀ-ÖØ-Þ]"
_LOW = r"[a-zß-öø-ÿ'’]"
_WORD = rf"{_UP}{_LOW}+"
_SURNAME = (
    rf"{_WORD}(?:-(?:(?:van|de|der|den)\s)?{_WORD})?"
    rf"(?:\s(?:van|de|der|den|van\sder|van\sden|van\sde)\s{_WORD}(?:-{_WORD})?)?"  # Veldhuijzen van Zanten
)
_TUSSEN = r"(?:(?i:van|de|der|den|het|ter|ten|te|op|in|'t|’t|von|du|la|le|d')\s+){0,3}"
_INITIALS = (
    rf"(?:(?:IJ|Th|Chr|Ph|{_UP})\.(?:[ \t]|\n(?=[A-Z]\.))?){{1,5}}"  # "D.\nJ. Brus": a PDF line break between initials
)
_TUSSEN_CAP = r"(?:(?:Van|De|Der|Den|Ter|Ten|Te|Op|In|'t|’t)\s+(?:(?i:van|de|der|den|het|'t|’t)\s+){0,2})?"
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_ROLE = r"(?P<role>" + "|".join(r.replace(" ", r"\s+") for r in ROLES) + r")"

# role or title, then an optional first name or initials, tussenvoegsels and a surname
_WITH_ROLE = re.compile(
    rf"(?<!\w)(?i:{_ROLE}|{_TITLES})(?:\s+(?i:{_TITLES}))*{_GAP}"
    rf"(?P<name>(?:{_INITIALS}|(?:{_WORD}[ \t]+){{1,2}}(?={_TUSSEN}{_SURNAME}))\s?{_TUSSEN}{_SURNAME}"
    rf"|{_TUSSEN_CAP}{_SURNAME})"
)
# the monarch's signature under an act, after its place and date: "’s-Gravenhage 6 september 2011 Beatrix"
_SIGNATURE = re.compile(r"(?<=\d{4})\s+(?P<name>Beatrix|Willem-Alexander|Juliana)(?![\w-])")
# no line break after a single initial: "J.\nGelet op ..." is a list item, not a person
_INITIALS_NAME = re.compile(rf"(?<![\w.&])(?P<name>{_INITIALS}[ \t]?{_TUSSEN}{_SURNAME})")
_FIRST_NAME = re.compile(rf"(?<![\w.])(?=(?P<first>{_WORD})\s+(?P<rest>{_TUSSEN}{_SURNAME}))")
# a first name and the initial that stands for a withheld surname: "Youssef T.", "Ridouan T."
_FIRST_AND_INITIAL = re.compile(rf"(?<![\w.])(?P<first>{_WORD})[ \t]+{_UP}\.(?=[ \t]|[,;:)]|$)")
_NEXT_NAME = re.compile(rf"(?:\s*\([^()\n]{{1,24}}\))?\s*(?:,|en|/)\s*(?P<name>(?:{_INITIALS})?{_TUSSEN}{_SURNAME})")
# capitalised words that follow a role but are a portfolio or organisation, not a name
_NOT_NAMES = frozenset(
    {
        "Jeugd", "Zorg", "Welzijn", "Financiën", "Onderwijs", "Sociaal", "Economie", "Wonen", "Werk",
        "Cultuur", "Sport", "Volksgezondheid", "Justitie", "Veiligheid", "Binnenlandse", "Financien",
        "Jeugdzorg", "Gemeente", "College", "Raad", "Staat", "Koning", "Koningin", "Minister",
        "Wethouder", "Burgemeester", "De", "Het", "Een", "Van", "Voor", "Namens", "Per", "Op", "In",
        "Bij", "Dit", "Deze", "Die", "Wij", "Ik", "Zij", "Hij", "Provincie", "Ministerie", "Rijk",
        "Directie", "Bestuur", "Jeugdhulp", "Wmo", "Woo", "Wob", "Jeugdwet", "Staten", "Staatssecretaris",
        "Secretaris", "Gedeputeerde", "Griffier", "Voorzitter", "Directeur", "Minister-President",
        "Generaal", "President", "Premier", "Er", "Zie", "Bijlage", "Artikel", "Onze", "Commissie", "Kamer", "Tweede", "Eerste",
    }
)  # fmt: skip


def find_persons(
    text: str, first_names: Set[str] = frozenset(), places: Set[str] = frozenset()
) -> list[tuple[int, int, str, str | None]]:
    """``(start, end, name, role)`` for each person; the span covers the name only, not role or title.

    ``places`` (municipality and province names) ends a name at "van <place>": ``burgemeester Leo Pieter
    Stoel van Ameland`` -> ``Leo Pieter Stoel``.
    """
    found: list[tuple[int, int, str, str | None]] = []
    for m in _WITH_ROLE.finditer(text):
        name = _without_place(m.group("name"), places)
        if _bad(name, after_role=True):
            continue
        role = " ".join(m.group("role").lower().split()) if m.group("role") else None
        if role in {"wethouders", "raadsleden", "leden"}:
            role = {"wethouders": "wethouder", "raadsleden": "raadslid", "leden": "lid"}[role]
        found.append((m.start("name"), m.start("name") + len(name), name, role))
        pos = m.end()
        plural = role in {"wethouder", "raadslid", "lid"} or re.search(r"heren|dames", m.group(0)[:12])
        while plural and (nxt := _NEXT_NAME.match(text, pos)) is not None and not _bad(nxt.group("name")):
            found.append((nxt.start("name"), nxt.end("name"), nxt.group("name"), role))
            pos = nxt.end()
    for m in _SIGNATURE.finditer(text):
        role = "koning" if m.group("name") == "Willem-Alexander" else "koningin"
        found.append((m.start("name"), m.end("name"), m.group("name"), role))
    for m in _INITIALS_NAME.finditer(text):
        if not _bad(m.group("name")):
            found.append((m.start("name"), m.end("name"), m.group("name"), None))
    if first_names:
        for m in _FIRST_NAME.finditer(text):
            if m.group("first") in first_names and not _bad(m.group("rest")) and m.group("first") not in _NOT_NAMES:
                end = m.end("rest")
                found.append((m.start(), end, text[m.start() : end], None))
        for m in _FIRST_AND_INITIAL.finditer(text):
            if m.group("first") in first_names and m.group("first") not in _NOT_NAMES:
                found.append((m.start(), m.end(), m.group(), None))
    # "Zorgbelang B.V." is a company, "een Rudi Völler-kapsel" a compound
    found = [f for f in found if not _COMPANY_AFTER.match(text, f[1]) and not text.startswith("-", f[1])]
    chosen: list[tuple[int, int, str, str | None]] = []
    for span in sorted(found, key=lambda s: (s[3] is None, -(s[1] - s[0]), s[0])):
        if not any(span[0] < c[1] and c[0] < span[1] for c in chosen):
            chosen.append(span)
    return sorted(chosen)


_TUSSEN_WORDS = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "op", "in", "'t", "’t", "von", "du"})


def plausible_name(text: str) -> bool:
    """Whether a name a statistical model proposes looks like one: capitalised words (tussenvoegsels aside) on
    one line, none of them a role, portfolio or noun ending ("President", "Raadhuis", "J.\nGelet")."""
    words = text.split()
    if "\n" in text or not words or _bad(text):
        return False
    return all(w[:1].isupper() or w.lower() in _TUSSEN_WORDS for w in words)


def _without_place(name: str, places: Set[str]) -> str:
    """After a role, "van X" is a place or a body when X is one: ``burgemeester Halsema van Amsterdam``,
    ``minister De Jonge van VWS``; a surname otherwise (``minister Veldhuijzen van Zanten``)."""
    head, sep, tail = name.rpartition(" van ")
    if sep and (tail in places or tail.isupper() or tail.split()[0] in _NOT_NAMES):
        return head
    return name


_COMPANY_AFTER = re.compile(r"\s*(?:B\.?V\.?|N\.?V\.?|V\.?O\.?F\.?|C\.?V\.?)(?!\w)")


def _bad(name: str, after_role: bool = False) -> bool:
    """Not a name: ends in a tussenvoegsel, or holds a portfolio/organisation word. After a stated role a
    surname may look like a noun ("staatssecretaris Blokhuis"), so only the stop list applies there."""
    if name.split()[-1].lower() in _TUSSEN_WORDS:
        return True
    words = [w for w in re.split(r"[\s.]+", name) if w and w.lower() not in _TUSSEN_WORDS]
    return not words or any(
        w in _NOT_NAMES or (not after_role and (_NOT_SURNAME.search(w) or w in _COMPASS)) for w in words
    )


# without a role, "P.I. Midden Holland" is an institution's name, not a person
_COMPASS = frozenset({"Midden", "Noord", "Zuid", "Oost", "West"})


_NOT_SURNAME = re.compile(
    r"(?:wet|besluit|regeling|verordening|beleid|plan|fonds|zorg|hulp|museum|huis|school|centrum|plein|straat|"
    r"weg|laan|kerk|theater|zaal|park|gebouw|instituut|stichting|groep|team|raad|dienst|beheer|holding|zaken|"
    r"zitting|schrift|sproken)$",
    re.IGNORECASE,
)

"""Laws by pattern, for acts the reference table does not list.

* a compound on ``-wet`` or ``-wetboek``: ``Mediawet``, ``Omgevingswet``, ``Huisvestingswet 2014``;
* ``Wet``, ``Besluit`` or ``Regeling`` + the lower-case words of its title: ``Wet kwaliteit kinderopvang``,
  ``Wet op de jeugdzorg``, ``Besluit markt en overheid``;
* EU acts: ``Richtlijn 2014/24/EU``, ``richtlijn nr. 2004/17/EG``, ``Verordening (EU) 2016/679``,
  ``Kaderbesluit 2008/909/JBZ``, ``Gemeenschappelijk Optreden 98/733/JBZ``.

A year written right after the name is part of it (``Wet inburgering 2021``). A short name in brackets after a
title (``Wet voorkeursrecht gemeenten (Wvg)``) is found there and wherever else it is used, with the title as its
canonical name. Each hit is ``(start, end, canonical)``.
"""

from __future__ import annotations

import re

__all__ = ["find_laws"]

# words that end a title: verbs, pronouns and prepositions that start the rest of the sentence
_STOP = frozenset(
    """is was wordt werd worden zijn waren zal zou zullen kan kon moet moeten mag heeft hebben had geldt gelden
    gold bepaalt regelt trad treedt treden biedt bieden gaat ging geeft legt vraagt stelt schrijft verplicht
    die dat welke wat waarin waarbij waarvan waar zoals als om omdat maar of dan ook niet nog wel al
    in met aan bij per sinds vanaf tot door na over onder uit naar zonder tegen tijdens vanwege
    te er hier daar deze dit een geen""".split()
)
_TAIL = frozenset({"op", "van", "de", "het", "en", "inzake", "ter", "voor", "der"})
_YEAR = r"(?:[ \t]+(?:19|20)\d\d(?![\d/.,-]\d))?"
# "Mediawet", "Tabaks- en rookwarenwet"
_COMPOUND = re.compile(
    rf"(?<![\w-])[A-ZÀ-Þ][a-zß-ÿ-]{{2,}}(?:-[ \t]+en[ \t]+[a-zß-ÿ]+)?(?:wet|wetboek){_YEAR}(?![\w-])"
)
_WET = re.compile(
    r"(?<![\w-])(?P<head>Wet|Algemene[ \t]+wet|Besluit|Regeling|(?:Beginselen|Kader|Invoerings|Aanpassings)wet)"
    r"(?=[ \t]*\n?[ \t]*[a-zß-ÿ])"
)
_WORD = re.compile(r"(?:[ \t]+|[ \t]*\n[ \t]*)([a-zß-ÿ][\w'’-]*|[A-Z]{2,}(?![\w-]))")
# "Besluit van de raad", "Regeling tot ...": a decision or an arrangement, not a named regulation
_NOT_FIRST = frozenset(
    {"en", "of", "van", "tot", "om", "inzake", "over", "op", "voor", "de", "het", "nr", "nummer", "toekenning",
     "weigering", "afwijzing", "vaststelling", "intrekking", "verlening", "subsidieverlening", "bezwaar", "geen"}
)  # fmt: skip
_SHORT = re.compile(r"\s*\((?P<short>[A-Z][A-Za-z]{1,7}(?:[ \t]\d{4})?)\)")
_EU = re.compile(
    r"(?<![\w-])(?:[Rr]ichtlijn|[Vv]erordening)[ \t]+(?:nr\.[ \t]*)?(?:\((?:EU|EG|EEG)\)[ \t]*)?(?:nr\.[ \t]*)?"
    r"\d{2,4}/\d+(?:/(?:EU|EG|EEG))?"
    # the former third pillar: "Kaderbesluit 2008/909/JBZ", "Gemeenschappelijk Optreden 98/733/JBZ"
    r"|(?<![\w-])(?:[Kk]aderbesluit|[Bb]esluit|Gemeenschappelijk[ \t]+[Oo]ptreden|Gemeenschappelijk[ \t]+[Ss]tandpunt)"
    r"[ \t]+(?:nr\.[ \t]*)?\d{2,4}/\d+/(?:JBZ|GBVB|EU|EG|EEG)(?![\w/])"
)


def _ends_title(word: str) -> bool:
    """A verb, pronoun or preposition, or a past participle ("gevraagd", "gewijzigd"), starts the rest."""
    return word in _STOP or (word.startswith("ge") and word[-1] in "dt" and len(word) > 5)


def find_laws(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, canonical)`` of law names found by pattern in ``text``."""
    found = [m.span() for m in _COMPOUND.finditer(text)]
    found += [m.span() for m in _EU.finditer(text)]
    for m in _WET.finditer(text):
        end, words = m.end(), list[re.Match[str]]()
        while len(words) < 12 and (w := _WORD.match(text, end)) is not None and not _ends_title(w.group(1)):
            words.append(w)
            end = w.end()
        while words and words[-1].group(1) in _TAIL:
            words.pop()
        first = words[0].group(1) if words else ""
        if not words or first in {"en", "of"} or (not m.group("head").endswith(("Wet", "wet")) and first in _NOT_FIRST):
            continue  # "Wet- en regelgeving", "Wet en regelgeving", "Besluit van de raad"
        end = words[-1].end()
        year = re.match(_YEAR, text[end:])
        found.append((m.start(), end + (year.end() if year else 0)))
    named = [(start, end, " ".join(text[start:end].split())) for start, end in found]
    for _, end, title in list(named):
        bracket = _SHORT.match(text, end)
        if bracket is not None:
            short = re.escape(bracket.group("short"))
            named += [(*u.span(), title) for u in re.finditer(rf"(?<![\w-]){short}(?![\w-])", text)]
    return named

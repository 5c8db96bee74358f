"""Names as one document uses them: a person or organisation found once is found where it recurs.

After the page-level rules and model, each document gets one more pass: the exact name again (where nothing else
was found), a person's surname alone after the full name ("Jan de Vries ... De Vries"), and a known organisation
inside a hyphenated compound ("PvdA-wethouder").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from docmine.model import Mention, Page, SourceRef

__all__ = ["recurring_names", "surname_of"]

_TUSSEN = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "op", "in", "'t", "’t", "von", "du", "la"})
_NAME_LABELS = frozenset({"PERSON", "ORGANIZATION"})
# "PvdA-wethouder", "CDA-fractie", "GGD-arts": a name before a hyphen and a lower-case word
_COMPOUND = re.compile(r"(?<![\w&-])(?P<name>[A-ZÀ-Þ][\w&]*)-(?=[a-zà-ÿ]{3,})")
_LEGAL_FORM = re.compile(r"^(?:Stichting|Vereniging)\s+|\s+(?:B\.V\.|N\.V\.|BV|NV|V\.O\.F\.|U\.A\.)$")
_MIN_SURNAME = 4  # "Bos", "Kok": short surnames are ordinary words too often to be taken alone


def surname_of(name: str) -> str | None:
    """The surname with its tussenvoegsel ("Jan de Vries" -> "de Vries"); None for one word or initials only."""
    words = name.split()
    if len(words) < 2:
        return None
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _TUSSEN:
        start -= 1
    if start == 0 or words[-1].endswith(".") or len(words[-1]) < _MIN_SURNAME:
        return None
    return " ".join(words[start:])


def _free(taken: list[bytearray], page: int, start: int, end: int) -> bool:
    return not any(taken[page][start:end])


def recurring_names(
    mentions: list[Mention], pages: Sequence[Page], known_org: Callable[[str], Mention | None] | None = None
) -> list[Mention]:
    """``mentions`` plus the recurrences of the PERSON and ORGANIZATION names among them in ``pages``.

    A recurrence is added only where no mention covers the text yet; ``known_org(name)`` gives a template mention
    for a name before a hyphen that the tables know (value and canonical are copied from it)."""
    index = {page.number: i for i, page in enumerate(pages)}
    taken = [bytearray(len(page.text)) for page in pages]
    for m in mentions:
        # a model's LOCATION inside a name the document uses ("Zorgbureau Noordwest") gives way to the name
        if m.ref.page in index and m.label != "LOCATION":
            taken[index[m.ref.page]][m.ref.start : m.ref.end] = b"\x01" * (m.ref.end - m.ref.start)
    templates: dict[str, Mention] = {}
    for m in mentions:
        if m.label in _NAME_LABELS and len(m.text) >= 3 and m.text[:1].isupper():
            templates.setdefault(" ".join(m.text.split()), m)
            short = _LEGAL_FORM.sub("", " ".join(m.text.split())) if m.label == "ORGANIZATION" else ""
            if " " in short:  # "Zorgbureau Noordwest B.V." is later "Zorgbureau Noordwest"
                templates.setdefault(short, m)
            surname = surname_of(m.text) if m.label == "PERSON" else None
            if surname is not None:
                capital = surname[:1].upper() + surname[1:]  # "De Vries" when the first name is left out
                for form in (capital, surname):
                    templates.setdefault(form, m)
    added: list[Mention] = []
    if templates:
        # one pass per page over every form, longest first, so documents with many names stay linear
        forms = sorted(templates, key=len, reverse=True)
        # never before a hyphen or an apostrophe ("GGD-en", "GGD’en": all bodies of a kind)
        alternatives = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
        pattern = re.compile(r"(?<![\w&-])(?:" + alternatives + r")(?![\w&-]|['’]\w)")
        for i, page in enumerate(pages):
            for hit in pattern.finditer(page.text):
                template = templates.get(" ".join(hit.group().split()))
                if template is None or not _free(taken, i, hit.start(), hit.end()):
                    continue
                if not _inside_longer_name(page.text, hit.start()):
                    added.append(_copy(template, page, hit.start(), hit.end()))
                    taken[i][hit.start() : hit.end()] = b"\x01" * (hit.end() - hit.start())
    for i, page in enumerate(pages):
        for hit in _COMPOUND.finditer(page.text):
            start, end = hit.span("name")
            name = " ".join(hit.group("name").split())
            template = templates.get(name)
            if template is None and known_org is not None:
                template = known_org(name)
            if template is not None and template.label == "ORGANIZATION" and _free(taken, i, start, end):
                added.append(_copy(template, page, start, end))
                taken[i][start:end] = b"\x01" * (end - start)
    if not added:
        return mentions
    covered = [(a.ref.page, a.ref.start, a.ref.end) for a in added]
    kept = [
        m for m in mentions
        if m.label != "LOCATION" or not any(p == m.ref.page and s < m.ref.end and m.ref.start < e for p, s, e in covered)
    ]  # fmt: skip
    return sorted([*kept, *added], key=lambda m: (index.get(m.ref.page, 0), m.ref.start))


def _inside_longer_name(text: str, start: int) -> bool:
    """A capitalised word right before ("Anna de Vries" when "Jan de Vries" was named) makes it another name."""
    before = text[max(0, start - 30) : start]
    return bool(re.search(r"[A-ZÀ-Þ][\w'’]+\s+$", before)) and not re.search(r"(?:^|[.!?:;]\s+)\S+\s+$", before)


def _copy(template: Mention, page: Page, start: int, end: int) -> Mention:
    ref = SourceRef(template.ref.doc_id, page.number, start, end)
    return Mention(ref, template.label, page.text[start:end], template.value, template.canonical)

"""Document-level guesses from the first page: title, date, publisher/municipality and document type."""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path, PurePath

from docmine.model import DUTCH_MONTHS, Page

MONTHS = DUTCH_MONTHS
_LONG_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_NUM_DATE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d{2})\b")
_ISO_DATE = re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")
_WEAK = ("rapport", "nieuwsartikel")
_SUBJECT = re.compile(r"^\s*(?:onderwerp|betreft|subject)\s*:\s*(\S.{3,})$", re.IGNORECASE | re.MULTILINE)
# A letterhead line ("Gemeente Groningen") names the sender, not the document.
_LETTERHEAD = re.compile(
    r"^(?:gemeente|rekenkamer|provincie|college van burgemeester en wethouders)(?: van)?\s+[\w' -]{2,40}$|^pagina \d",
    re.IGNORECASE,
)
_BAD_TITLES = re.compile(r"^(microsoft word|untitled|document\d*|naamloos|\s*$)", re.IGNORECASE)

# (doc_type, pattern) in order of strength; matched against title, then the start of the text.
_TYPE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (doc_type, re.compile(pattern, re.IGNORECASE))
    for doc_type, pattern in (
        ("inventarislijst", r"\binventaris(?:lijst|atie)?\b"),
        ("woo-besluit", r"\b(?:woo|wob)[- ]?(?:besluit|verzoek)|besluit op (?:uw|het) (?:woo|wob)"),
        ("besluitenlijst", r"\bbesluitenlijst"),
        ("amendement", r"\bamendement\b"),
        ("motie", r"\bmotie\b"),
        ("raadsvoorstel", r"\braadsvoorstel|\bvoorstel aan de (?:gemeente)?raad|\braadsbesluit\b"),
        (
            "raadsbrief",
            r"\braads(?:informatie)?brief|\bgeachte (?:leden van de )?(?:gemeente)?raad\b|"
            r"\baan de (?:leden van de )?gemeenteraad",
        ),
        ("uitspraak", r"\bECLI:NL:|\buitspraak\b|\bvonnis\b|\barrest\b"),
        (
            "wet",
            r"^\s*(?:wet|besluit|regeling) van (?:\d|de (?:minister|staatssecretaris))|^\s*circulaire\b|"
            r"\bwij willem-alexander|\bwij beatrix\b|\bBWBR\d{7}",
        ),
        ("rapport", r"\brekenkamer|\brapport\b|\bonderzoeksrapport|\bevaluatie\b|\bjaarverslag"),
        ("nieuwsartikel", r"\bnieuws\b|\bredactie\b|\bpersbericht"),
    )
)


DATA_SUFFIXES = (".json", ".jsonl", ".csv", ".tsv")


def _head(pages: list[Page], chars: int) -> str:
    """The start of the document: a cover page with one line is not enough, so read on to ``chars``."""
    out = ""
    for page in pages:
        out += page.text + "\n"
        if len(out) >= chars:
            break
    return out[:chars]


def guess_title(pages: list[Page], hint: str, path: str, trust_hint: bool = True, heading: str = "") -> str:
    """The format's own title when it is plausible, else the first line of text, else the file name.

    PDF metadata titles are often left over from a template, so ``trust_hint=False`` keeps one only when
    its words appear on the first page.
    """
    if PurePath(path).suffix.lower() in DATA_SUFFIXES:
        return " ".join(hint.split())[:300] if hint else PurePath(path).name  # a title field of the data, if any
    if hint and not _BAD_TITLES.match(hint) and len(hint) > 3:
        first = " ".join(pages[0].text.lower().split()) if pages else ""
        if trust_hint or " ".join(hint.lower().split())[:60] in first:
            return " ".join(hint.split())[:300]
    head = _head(pages, 3000)
    subject = _SUBJECT.search(head)
    if subject:
        return " ".join(subject.group(1).split())[:200]
    if heading and not _LETTERHEAD.match(heading):
        return " ".join(heading.split())[:200]
    for line in head.splitlines():
        line = " ".join(line.split())
        if (
            len(line) >= 4
            and re.search(r"[A-Za-zÀ-ÿ]{3}", line)
            and not line.lower().startswith("fictief")
            and not _LETTERHEAD.match(line)
        ):
            return line[:200]
    return PurePath(path).stem


def guess_date(pages: list[Page], hint: str | None, path: str = "") -> str | None:
    if hint:
        return hint
    if PurePath(path).suffix.lower() in DATA_SUFFIXES:
        return None
    head = _head(pages, 3000)
    found: list[tuple[int, str]] = []
    for m in _LONG_DATE.finditer(head):
        found.append((m.start(), _iso(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))))
    for m in _NUM_DATE.finditer(head):
        found.append((m.start(), _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))))
    for m in _ISO_DATE.finditer(head):
        found.append((m.start(), _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
    valid = sorted((pos, iso) for pos, iso in found if iso)
    return valid[0][1] if valid else None


def _iso(year: int, month: int, day: int) -> str:
    import datetime as dt

    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def guess_type(pages: list[Page], title: str, path: str, fmt: str, hint: str | None) -> str:
    """Specific types from the title, the file name or the opening lines; a letter's salutation; then the
    weak topical words (rekenkamer, rapport, nieuws) that also occur in letters about reports."""
    if hint:
        return hint
    if fmt == "eml":
        return "e-mail"
    name = PurePath(path).stem.replace("_", " ").replace("-", " ")
    opening = _head(pages, 400)
    strong = [rule for rule in _TYPE_RULES if rule[0] not in _WEAK]
    for text in (title, name, opening):
        for doc_type, pattern in strong:
            if pattern.search(text):
                return doc_type
    head = _head(pages, 1500)
    for doc_type, pattern in strong:
        if doc_type in ("raadsbrief", "woo-besluit", "uitspraak", "wet") and pattern.search(head):
            return doc_type
    for text in (title, name, head):
        for doc_type, pattern in _TYPE_RULES:
            if doc_type in _WEAK and pattern.search(text):
                return doc_type
    return "overig"


@functools.cache
def _municipalities(reference_dir: str) -> dict[str, tuple[str, str]]:
    """Lower-cased name or alias -> (GM code, official name)."""
    table: dict[str, tuple[str, str]] = {}
    path = Path(reference_dir) / "municipalities.csv"
    if not path.is_file():
        return table
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = [row["name"], *[a for a in (row.get("aliases") or "").split("|") if a]]
            for name in names:
                table.setdefault(name.strip().lower(), (row["gm_code"], row["name"]))
    return table


_GEMEENTE = re.compile(
    r"\b(?:gemeente(?:raad)?(?: van)?|college van burgemeester en wethouders van|raad van de gemeente|rekenkamer(?:commissie)?)"
    r"\s+((?:'s-|de |den |het )?[A-Z][\w'-]+(?:[ -](?:aan|op|en|de|den|het|[A-Z])[\w'-]*){0,3})",
)


def guess_municipality(pages: list[Page], reference_dir: Path) -> tuple[str, str] | None:
    """(GM code, name) of the municipality the document comes from, when its first page says so."""
    table = _municipalities(str(reference_dir))
    if not table:
        return None
    head = _head(pages, 4000)
    counts: dict[tuple[str, str], int] = {}
    for match in _GEMEENTE.finditer(head):
        words = match.group(1).split()
        for n in range(len(words), 0, -1):
            hit = table.get(" ".join(words[:n]).strip(",.;:").lower())
            if hit:
                counts[hit] = counts.get(hit, 0) + 1
                break
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: kv[1])[0]


def municipality_code(name_or_code: str, reference_dir: Path) -> str | None:
    """A GM code from a name, alias or code, or None when it is not a current municipality."""
    text = name_or_code.strip()
    if re.fullmatch(r"(?i)(gm)?\d{4}", text):
        code = "GM" + text[-4:]
        return code if any(c == code for c, _ in _municipalities(str(reference_dir)).values()) else None
    text = re.sub(r"(?i)^gemeente\s+", "", text).lower()
    hit = _municipalities(str(reference_dir)).get(text)
    return hit[0] if hit else None


def municipality_name(code: str, reference_dir: Path) -> str | None:
    """The official name of a current municipality's GM code."""
    return next((name for c, name in _municipalities(str(reference_dir)).values() if c == code), None)

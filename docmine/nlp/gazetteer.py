"""Gazetteer: the tables in ``corpora/reference`` as phrase terms with label, value and canonical name.

Also owns the context rule that decides whether *Groningen*/*Utrecht* is the municipality (default) or the
province (``provincie Groningen``, ``in heel Utrecht``, ``de 23 Groningse gemeenten``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docmine.errors import DocmineError

__all__ = ["Entry", "Term", "Gazetteer", "default_reference_dir", "province_context"]

TABLES = (
    "municipalities.csv",
    "former_municipalities.csv",
    "historic_municipalities.csv",
    "provinces.csv",
    "youth_regions.csv",
    "providers.csv",
    "organizations.csv",
    "laws.csv",
    "woo_grounds.csv",
)
# One-word names that are also ordinary Dutch words: not taken at the start of a sentence or line.
COMMON_WORD_NAMES = frozenset(
    {
        "Best", "Buren", "Putten", "Goes", "Sluis", "Laren", "Duiven", "Huizen", "Houten", "Kampen", "Hoorn",
        "Haren", "Leek", "Grave", "Voorst", "Stein", "Hulst", "Wierden", "Waterland", "Westland", "Beek",
        "Karakter", "Fier", "Timon", "Horizon", "Volt", "Veilig", "Oosterpoort", "Philadelphia", "Lopik",
        "Ede", "Epe", "Bergen", "Beesel", "Echt", "Mill", "Vlist", "Marum", "Velsen", "Lisse", "Texel",
    }
)  # fmt: skip
PROVINCE_ADJECTIVES: dict[str, str] = {
    "groningse": "NL-GR",
    "friese": "NL-FR",
    "drentse": "NL-DR",
    "overijsselse": "NL-OV",
    "flevolandse": "NL-FL",
    "gelderse": "NL-GE",
    "utrechtse": "NL-UT",
    "noord-hollandse": "NL-NH",
    "zuid-hollandse": "NL-ZH",
    "zeeuwse": "NL-ZE",
    "brabantse": "NL-NB",
    "limburgse": "NL-LI",
}
_PROVINCE_BEFORE = re.compile(
    r"(?:provincies?|provinciale\s+staten\s+van|gedeputeerde\s+staten\s+van|gedeputeerden?\s+van|heel|"
    r"geheel|gehele|gemeenten\s+in|gemeentes\s+in|regio's\s+in|provinciehuis\s+van|"
    r"commissaris\s+van\s+de\s+koning\s+(?:in|van))"
    r"\s+(?:de\s+)?$",
    re.IGNORECASE,
)
_OTHER_PROVINCES = (
    r"(?:Drenthe|Flevoland|Friesland|Fryslân|Gelderland|Limburg|Noord-Brabant|Noord-Holland|Overijssel|"
    r"Zeeland|Zuid-Holland)"
)
# "Groningen en Drenthe", "Friesland, Groningen": coordinated with an unambiguous province, it is one too
_PROVINCE_LIST_AFTER = re.compile(rf"\s*(?:,|en|of|&)\s*{_OTHER_PROVINCES}\b")
_PROVINCE_LIST_BEFORE = re.compile(rf"\b{_OTHER_PROVINCES}\s*(?:,|en|of|&)\s*$")
_MUNICIPALITY_BEFORE = re.compile(r"(?:gemeente|stad|binnenstad|centrum\s+van)\s+$", re.IGNORECASE)
_MUNICIPALITY_LIST = re.compile(r"\bgemeenten\b[^.;:]*$", re.IGNORECASE)
_ADJECTIVE_GEMEENTEN = re.compile(
    r"\b(?:\d+|alle|de|twaalf|tien|twintig)\s+(?:" + "|".join(PROVINCE_ADJECTIVES) + r")\s+gemeenten\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Entry:
    """What a phrase means: label, normalised value and canonical name."""

    label: str
    value: str
    canonical: str
    extra: str = ""  # e.g. the province ISO code of a municipality that shares its name


@dataclass(frozen=True, slots=True)
class Term:
    """One surface form to match; ``exact`` terms match case-sensitively on whole tokens."""

    text: str
    entry: Entry
    exact: bool


@dataclass
class Gazetteer:
    """All terms from the reference tables plus lookups by normalised surface form."""

    terms: list[Term] = field(default_factory=list)
    by_key: dict[str, Entry] = field(default_factory=dict)
    provinces: dict[str, str] = field(default_factory=dict)  # lowercased name/alias -> ISO code
    province_names: dict[str, str] = field(default_factory=dict)  # ISO code -> canonical name
    first_names: frozenset[str] = frozenset()

    @classmethod
    def load(cls, directory: Path | str | None = None) -> Gazetteer:
        """Read every table in ``directory`` (default: the repo's ``corpora/reference``)."""
        ref = Path(directory) if directory is not None else default_reference_dir()
        missing = [name for name in TABLES if not (ref / name).is_file()]
        if missing:
            raise DocmineError(
                f"Reference tables missing in {ref}: {', '.join(missing)}",
                "Run `python scripts/build_reference.py` or pass the directory that holds corpora/reference.",
            )
        gaz = cls()
        gaz._load_provinces(ref)
        gaz._load_municipalities(ref)
        gaz._load_simple(ref / "youth_regions.csv", "REGION")
        gaz._load_simple(ref / "providers.csv", "PROVIDER")
        gaz._load_simple(ref / "organizations.csv", "ORGANIZATION")
        gaz._load_simple(ref / "laws.csv", "LAW")
        gaz._load_grounds(ref)
        names = ref / "first_names.csv"
        if names.is_file():
            gaz.first_names = frozenset(row["name"] for row in _rows(names))
        return gaz

    def lookup(self, text: str) -> Entry | None:
        """The entry whose name or alias is ``text`` (case-insensitive), if any."""
        return self.by_key.get(_key(text))

    def _add(self, text: str, entry: Entry, exact: bool | None = None) -> None:
        text = text.strip()
        if not text:
            return
        if exact is None:
            exact = " " not in text and "-" not in text or text.isupper()
        self.terms.append(Term(text, entry, exact))
        if exact and len(text) > 3 and not text.isupper() and text[:1].isupper():
            self.terms.append(Term(text.upper(), entry, True))  # headings and tables: NIDOS, GRONINGEN
        if "'" in text:  # typeset apostrophes: ’s-Gravenhage
            self.terms.append(Term(text.replace("'", "\u2019"), entry, exact))
        self.by_key.setdefault(_key(text), entry)

    def _load_provinces(self, ref: Path) -> None:
        for row in _rows(ref / "provinces.csv"):
            entry = Entry("PROVINCE", row["iso"], row["name"])
            self.province_names[row["iso"]] = row["name"]
            for name in [row["name"], *_split(row["aliases"])]:
                self.provinces[name.lower()] = row["iso"]
                if name.lower() not in {"groningen", "utrecht"}:
                    self._add(name, entry)
            self._add(f"provincie {row['name']}", entry, exact=False)
            self._add(f"Provincie {row['name']}", entry, exact=True)

    def _load_municipalities(self, ref: Path) -> None:
        for row in _rows(ref / "municipalities.csv"):
            iso = self.provinces.get(row["name"].lower(), "")
            entry = Entry("MUNICIPALITY", row["gm_code"], row["name"], iso)
            for name in [row["name"], *_split(row["aliases"])]:
                self._add(name, entry)
                self._add_gemeente(name, entry)
        for row in _rows(ref / "former_municipalities.csv"):
            names = _split(row["successor_names"], ";")
            successors = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"
            year = f", {row['end_date'][:4]}" if row["end_date"] else ""  # no file under ../shared dates some mergers
            canonical = f"{row['name']} (opgegaan in {successors}{year})"
            entry = Entry("MUNICIPALITY", row["gm_code"], canonical)
            if _key(row["name"]) not in self.by_key:
                self._add(row["name"], entry)
                self._add_gemeente(row["name"], entry)
        # ended before 2015: most are villages now, so only "gemeente Boarnsterhim" names the municipality
        for row in _rows(ref / "historic_municipalities.csv"):
            names = _split(row["current_names"], ";")
            successors = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"
            canonical = f"{row['name']} (opgegaan in {successors}, {row['end_date'][:4]})"
            self._add_gemeente(row["name"], Entry("MUNICIPALITY", row["gm_code"], canonical))

    def _add_gemeente(self, name: str, entry: Entry) -> None:
        # case-sensitive on the name: "voor de gemeente best lastig" is no mention of Best
        self._add(f"gemeente {name}", entry, exact=True)
        self._add(f"Gemeente {name}", entry, exact=True)

    def _load_simple(self, path: Path, label: str) -> None:
        for row in _rows(path):
            entry = Entry(label, row["name"], row["name"])
            bare_ok = row.get("bare_name_ok", "yes") != "no"
            names = [row["name"]] if bare_ok else []
            for name in [*names, *_split(row["aliases"])]:
                exact = None
                if label == "LAW" and " " not in name and len(name) >= 8:
                    exact = False  # "jeugdwet", "gemeentewet": lowercase spellings are common and unambiguous
                self._add(name, entry, exact)

    def _load_grounds(self, ref: Path) -> None:
        for row in _rows(ref / "woo_grounds.csv"):
            entry = Entry("WOO_GROUND", row["code"], f"{row['label']} ({row['law']} {row['code']})")
            for name in [row["code"], *_split(row["aliases"])]:
                self.by_key.setdefault(_key(name), entry)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)


def default_reference_dir() -> Path:
    """``corpora/reference`` in the checkout this package sits in."""
    return Path(__file__).resolve().parents[2] / "corpora" / "reference"


def province_context(text: str, start: int, end: int) -> bool:
    """True when the place name at ``text[start:end]`` is used as the province, not the municipality."""
    before = text[max(0, start - 60) : start]
    if _PROVINCE_BEFORE.search(before):
        return True
    if _MUNICIPALITY_BEFORE.search(before):
        return False
    if _PROVINCE_LIST_AFTER.match(text, end) or _PROVINCE_LIST_BEFORE.search(before):
        return not _MUNICIPALITY_LIST.search(before)
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), start - 200)
    right = [pos for pos in (text.find(". ", end), text.find("\n", end)) if pos != -1]
    sentence = text[max(0, left) : min([*right, end + 200])]
    return bool(_ADJECTIVE_GEMEENTEN.search(sentence))


def _key(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").lower().split())


def _split(value: str, sep: str = "|") -> list[str]:
    return [part.strip() for part in (value or "").split(sep) if part.strip()]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))

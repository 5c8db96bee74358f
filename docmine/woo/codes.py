"""Refusal-ground codes (Woo and Wob) and inventory decisions, normalised from how people write them."""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

from docmine.nlp.grounds import find_grounds

DECISIONS = ("openbaar", "deels openbaar", "niet openbaar", "reeds openbaar", "buiten reikwijdte")
# 10.2e / 10.2 e / 10.2.e / 5.1.2e / 5.1.2 e / 5.1.2.e / 11.1 / 5.2: how a grounds column or a box writes a code
_CODE_TOKEN = re.compile(r"(?<![\w.])(\d{1,2}(?:\.\d){1,2})\s?\.?\s?([a-i])?(?![\w])", re.IGNORECASE)


@functools.cache
def ground_codes(reference_dir: str) -> dict[str, str]:
    """Every code and alias of ``woo_grounds.csv`` (lower case, spaces removed) -> its code."""
    table: dict[str, str] = {}
    path = Path(reference_dir) / "woo_grounds.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            for alias in [code, *(row.get("aliases") or "").split("|")]:
                if alias.strip():
                    table[_key(alias)] = code
    return table


@functools.cache
def ground_labels(reference_dir: str) -> dict[str, str]:
    """code -> the label the law gives it."""
    with (Path(reference_dir) / "woo_grounds.csv").open(encoding="utf-8", newline="") as fh:
        return {row["code"].strip(): row["label"].strip() for row in csv.DictReader(fh)}


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def law_of(code: str) -> str:
    """'Wob' for the old act's articles 10 and 11, else 'Woo'."""
    return "Wob" if code.startswith(("10.", "11.")) else "Woo"


def grounds_in(text: str, reference_dir: str, bare: bool = True) -> tuple[str, ...]:
    """The ground codes ``text`` names, in order, each once. ``bare``: also codes written without 'Woo'/'artikel'
    (a grounds column, the inside of a redaction box), where the context already says they are grounds."""
    codes = ground_codes(reference_dir)
    found = [(s, c) for s, _, c in find_grounds(text, frozenset(codes.values()))]
    if bare:
        taken = {s for s, _ in found}
        for m in _CODE_TOKEN.finditer(text):
            code = codes.get(_key(m.group(1) + (m.group(2) or "")))
            if code is None and m.group(2):
                code = codes.get(_key(m.group(1)))  # "5.2 a" is 5.2 followed by some letter
            if code is not None and not any(abs(m.start() - s) < 3 for s in taken):
                found.append((m.start(), code))
    seen: list[str] = []
    for _, code in sorted(found):
        if code not in seen:
            seen.append(code)
    return tuple(seen)


def decision_of(text: str | None) -> str | None:
    """One of DECISIONS from a decision cell ('Deels openbaar', 'gedeeltelijk openbaar', 'Niet-openbaar'...)."""
    t = re.sub(r"[\s\-_]+", " ", (text or "").lower()).strip()
    if not t:
        return None
    if "reikwijdte" in t or "buiten de reikwijdte" in t or "niet relevant" in t:
        return "buiten reikwijdte"
    if "reeds" in t or "al openbaar" in t:
        return "reeds openbaar"
    if "deels" in t or "gedeeltelijk" in t or "partly" in t:
        return "deels openbaar"
    if t.startswith("niet") or "geweigerd" in t or "weiger" in t:
        return "niet openbaar"
    if "openbaar" in t or t in {"ja", "volledig"}:
        return "openbaar"
    return None

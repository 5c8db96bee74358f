"""Woo/Wob refusal grounds as written in decisions and inventories, normalised to ``woo_grounds.csv`` codes.

``5.1.2e``, ``10.2.e``, ``10.2 sub e``, ``artikel 5.1, tweede lid, onder e, Woo``, ``Art. 11 lid 1 Wob``.
"""

from __future__ import annotations

import re

__all__ = ["find_grounds"]

_ORDINAL = {"eerste": "1", "tweede": "2", "derde": "3", "vierde": "4", "vijfde": "5"}
_L = r"(?<![\w.])"
_R = r"(?![\w]|\.\d)"
# 5.1.2e / 5.1.2.e / 5.1.2 e / 5.1.2 sub e / 10.2.e / 10.2e / 10.2 onder e / 10.1.c
_DOTTED = re.compile(
    rf"{_L}(?P<base>5\.1\.[12]|10\.[12])\s?(?:\.|(?:sub|onder)\s)?\s?(?P<letter>[a-i])\)?{_R}", re.IGNORECASE
)
# artikel 5.1, tweede lid, (aanhef en) onder e / artikel 10 lid 2 sub e / art. 11 lid 1
_WORDED = re.compile(
    r"(?<!\w)(?:art(?:ikel|\.)?)\s*(?P<art>5\.1|10|11|5\.2)\s*,?\s*"
    r"(?:(?P<ord>eerste|tweede|derde|vierde|vijfde)\s+lid|lid\s+(?P<lid>\d))"
    r"(?:\s*,?\s*(?:aanhef\s+en\s+)?(?:onder|sub)\s+(?P<letter>[a-i])\b)?",
    re.IGNORECASE,
)
# bare 5.1.5, 5.2, 11.1 only next to "Woo"/"Wob" or after "artikel"
_LAW_AFTER = re.compile(
    r"\s*,?\s*(?:van\s+(?:de\s+)?)?(?:Woo|Wob|Wet\s+open\s+overheid|Wet\s+openbaarheid\s+van\s+bestuur)\b"
)
_ARTICLE_BEFORE = re.compile(r"(?:art(?:ikel|\.)?)\s*$", re.IGNORECASE)
_BARE = re.compile(
    r"(?<![\w.])(?:(?P<art>art(?:ikel|\.)?)\s*)?(?P<code>5\.1\.5|5\.2|5\.4|11\.1)(?![\w]|\.\d)"
    r"(?P<law>\s*(?:,\s*)?(?:van\s+de\s+)?(?:Woo|Wob)\b)?",
    re.IGNORECASE,
)


def find_grounds(text: str, known: frozenset[str] | set[str]) -> list[tuple[int, int, str]]:
    """``(start, end, code)`` for every refusal ground in ``text`` whose code is in ``known``."""
    found: list[tuple[int, int, str]] = []
    for m in _DOTTED.finditer(text):
        if _ARTICLE_BEFORE.search(text[max(0, m.start() - 10) : m.start()]) and not _LAW_AFTER.match(text, m.end()):
            continue  # "Artikel 10.2a" of some other law
        base, letter = m.group("base"), m.group("letter").lower()
        code = f"{base}{letter}" if base.startswith("5.") else f"{base}.{letter}"
        found.append((m.start(), m.end(), code))
    for m in _WORDED.finditer(text):
        if not _LAW_AFTER.match(text, m.end()):
            continue  # "artikel 10, eerste lid, onder a, van de wet" cites another law
        lid = m.group("lid") or _ORDINAL.get((m.group("ord") or "").lower(), "")
        art, letter = m.group("art"), (m.group("letter") or "").lower()
        if art == "5.1":
            code = f"5.1.{lid}{letter}"
        elif art in {"10"}:
            code = f"10.{lid}.{letter}" if letter else f"10.{lid}"
        else:
            code = f"{art}.{lid}" if art == "11" else art
        found.append((m.start(), m.end(), code))
    for m in _BARE.finditer(text):
        if m.group("law"):
            found.append((m.start("code") if not m.group("art") else m.start(), m.end("code"), m.group("code")))
    chosen: list[tuple[int, int, str]] = []
    for span in sorted(found, key=lambda s: (-(s[1] - s[0]), s[0])):
        if span[2] in known and not any(span[0] < c[1] and c[0] < span[1] for c in chosen):
            chosen.append(span)
    chosen.extend(_listed_bare(text, chosen, known))
    return sorted(chosen)


_LIST_NEXT = re.compile(r"\s*(?:,|en|;|/)\s*(?P<code>5\.1\.5|5\.2|11\.1)(?![\w]|\.\d)")


def _listed_bare(
    text: str, chosen: list[tuple[int, int, str]], known: frozenset[str] | set[str]
) -> list[tuple[int, int, str]]:
    """Bare codes (``11.1``, ``5.2``) continuing a list of grounds such as ``10.2.e, 11.1``."""
    extra: list[tuple[int, int, str]] = []
    for _, end, _ in chosen:
        pos = end
        while (m := _LIST_NEXT.match(text, pos)) is not None:
            span = (m.start("code"), m.end("code"), m.group("code"))
            if span[2] in known and not any(span[0] < c[1] and c[0] < span[1] for c in chosen + extra):
                extra.append(span)
            pos = m.end()
    return extra

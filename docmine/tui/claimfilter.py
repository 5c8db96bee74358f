"""The claims view's filters: kind, speaker, label, date and a range of euros, over claims and their documents.

No Textual here. The municipality filter is the service's (``Docmine.claims(municipality=...)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docmine.display import amount_text
from docmine.errors import DocmineError
from docmine.model import Claim, DocInfo

_SCALE = {"": 1.0, "k": 1e3, "duizend": 1e3, "mln": 1e6, "miljoen": 1e6, "mld": 1e9, "miljard": 1e9}
_AMOUNT = re.compile(r"€?\s*([0-9][0-9.,]*)\s*([a-z]*)\.?", re.IGNORECASE)


def parse_euros(text: str) -> float | None:
    """``160 mln``, ``€ 4,2 miljoen``, ``20.000``, ``1500000`` -> euros; "" -> None. Dutch: ``,`` marks decimals."""
    text = text.strip()
    if not text:
        return None
    found = _AMOUNT.fullmatch(text)
    if found is None or found.group(2).lower() not in _SCALE:
        raise DocmineError(f"{text!r} is not an amount", "write it as 160 mln, 4,2 miljoen or 20.000")
    number = found.group(1).replace(".", "").replace(",", ".")
    try:
        return float(number) * _SCALE[found.group(2).lower()]
    except ValueError as exc:
        raise DocmineError(f"{text!r} is not an amount", "write it as 160 mln, 4,2 miljoen or 20.000") from exc


def euros_of(claim: Claim) -> list[float]:
    out = []
    for fact in claim.values:
        label, _, value = fact.partition("=")
        if label == "MONEY":
            try:
                out.append(float(value))
            except ValueError:
                continue
    return out


def labels_of(claim: Claim) -> set[str]:
    return {fact.partition("=")[0] for fact in claim.values}


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    kind: str | None = None
    speaker: str = ""
    label: str | None = None
    since: str = ""  # ISO prefix, compared with the document's date
    until: str = ""
    low: float | None = None  # euros
    high: float | None = None

    def active(self) -> list[str]:
        """The filters in use, in words, for the notice above the table."""
        return [
            f"{name}={amount_text(value) if isinstance(value, float) else value}"
            for name, value in self._fields()
            if value not in (None, "")
        ]

    def _fields(self) -> list[tuple[str, object]]:
        return [
            ("kind", self.kind),
            ("speaker", self.speaker),
            ("label", self.label),
            ("from", self.since),
            ("until", self.until),
            ("min €", self.low),
            ("max €", self.high),
        ]

    def keep(self, claim: Claim, doc: DocInfo | None) -> bool:
        if self.kind and claim.kind != self.kind:
            return False
        if self.speaker and self.speaker.lower() not in (claim.speaker or "").lower():
            return False
        if self.label and self.label not in labels_of(claim):
            return False
        date = doc.date if doc is not None else None
        if (self.since or self.until) and not date:
            return False
        if self.since and date is not None and date[: len(self.since)] < self.since:
            return False
        if self.until and date is not None and date[: len(self.until)] > self.until:
            return False
        if self.low is not None or self.high is not None:
            euros = euros_of(claim)
            low = self.low if self.low is not None else float("-inf")
            high = self.high if self.high is not None else float("inf")
            if not any(low <= e <= high for e in euros):
                return False
        return True

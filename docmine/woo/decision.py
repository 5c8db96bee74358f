"""The decision letter (Woo-/Wob-besluit): request and decision dates, days taken against the legal term, grounds.

The Woo gives four weeks from receipt of the request (art. 4.4), extendable once by two weeks (verdaging).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from docmine.model import DecisionLetter, Page
from docmine.nlp.dates import find_dates
from docmine.woo.codes import grounds_in

TERM_DAYS = 28
EXTENSION_DAYS = 14
_LETTER = re.compile(r"\b(?:woo|wob)[- ]?(?:verzoek|besluit)|besluit op uw verzoek|verzoek om informatie", re.I)
_REQUEST = re.compile(r"verzoek|brief van|e-mail van|ontvangen op|ingediend op", re.I)
_DECISION = re.compile(r"^\s*(?:datum|date)\b|\bdatum\s*:", re.I | re.M)
_EXTENDED = re.compile(r"\b(?:verdaagd|verdaging|verdagen|verlengd|verlenging van de beslistermijn|opgeschort)\b", re.I)


def looks_like_decision(title: str, pages: Sequence[Page]) -> bool:
    head = title + "\n" + (pages[0].text[:3000] if pages else "")
    return bool(_LETTER.search(head)) and "inventaris" not in title.lower()


def read_decision(doc_id: str, pages: Sequence[Page], reference_dir: str) -> DecisionLetter:
    text = "\n".join(p.text for p in pages)
    first = pages[0].text if pages else ""
    decision_date = _decision_date(first)
    request_date = _request_date(text, decision_date)
    extended = bool(_EXTENDED.search(text))
    term = TERM_DAYS + (EXTENSION_DAYS if extended else 0)
    days = None
    if request_date and decision_date and len(request_date) == 10 and len(decision_date) == 10:
        days = (dt.date.fromisoformat(decision_date) - dt.date.fromisoformat(request_date)).days
    return DecisionLetter(
        doc_id,
        request_date,
        decision_date,
        days,
        term,
        extended,
        None if days is None else days > term,
        grounds_in(text, reference_dir, bare=False),
    )


def _decision_date(first_page: str) -> str | None:
    """The letter's own date: after a 'Datum' label, else the first full date on the first page."""
    for m in _DECISION.finditer(first_page):
        dates = [d for d in find_dates(first_page[m.end() : m.end() + 60]) if d[2] and len(d[2]) == 10]
        if dates:
            return dates[0][2]
    full = [d for d in find_dates(first_page[:1500]) if d[2] and len(d[2]) == 10]
    return full[0][2] if full else None


def _request_date(text: str, decision_date: str | None) -> str | None:
    """The first full date in a sentence about the request, before the decision date."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n\n", text):
        if not _REQUEST.search(sentence):
            continue
        for _, _, iso in find_dates(sentence):
            if iso and len(iso) == 10 and (decision_date is None or iso < decision_date):
                return iso
    return None

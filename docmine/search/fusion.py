"""Result order after scoring: exact title and phrase matches on top, then one place per document.

A long law has many passages about the same subject; without aggregation they fill the first places and
push other documents out of sight. A query that is a document's title, or that occurs word for word in
a passage, names what the user wants: meaning similarity must not move it down.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from docmine.model import PassageRow
from docmine.nlp.analyzer import STOP_WORDS, Analyzer, tokens
from docmine.search.query import ParsedQuery
from docmine.search.ranked import Ranked

TITLE = 2  # the query is the document's title (its words, in order, and nothing else)
PHRASE = 1  # the query's words occur in a row in the passage or in its document's title
MAX_PHRASE_TERMS = 12  # a longer question is not a phrase anyone expects word for word


def content_stems(analyzer: Analyzer, text: str) -> list[str]:
    """The stems of a text's content words in order: what ``ParsedQuery.sequence`` holds for a query."""
    return [analyzer.stem(t.norm) for t in tokens(text) if t.norm not in STOP_WORDS]


def exact_tiers(analyzer: Analyzer, query: ParsedQuery | None, rows: Mapping[int, PassageRow]) -> dict[int, int]:
    """TITLE or PHRASE for the passages that earn it (absent: neither)."""
    seq = query.sequence if query is not None else []
    if not seq or len(seq) > MAX_PHRASE_TERMS:
        return {}
    wanted = set(seq)
    titles: dict[str, list[str]] = {}
    tiers: dict[int, int] = {}
    for pid, row in rows.items():
        title = titles.get(row.title)
        if title is None:
            title = titles[row.title] = content_stems(analyzer, row.title)
        if title == seq:
            tiers[pid] = TITLE
        elif len(seq) >= 2 and (
            _has_run(title, seq)
            or (wanted.issubset(row.terms.split()) and _has_run(content_stems(analyzer, row.text), seq))
        ):
            tiers[pid] = PHRASE
    return tiers


def _has_run(terms: Sequence[str], run: Sequence[str]) -> bool:
    n = len(run)
    first = run[0]
    return any(terms[i] == first and list(terms[i : i + n]) == list(run) for i in range(len(terms) - n + 1))


def prioritise(ranked: list[Ranked], tiers: Mapping[int, int]) -> list[Ranked]:
    """Stable re-order: higher tier first, the given order within a tier; a reason added for the tier."""
    label = {TITLE: "title match", PHRASE: "exact phrase"}
    out = [
        Ranked(r.passage_id, r.score, (label[tiers[r.passage_id]], *r.why)) if tiers.get(r.passage_id) else r
        for r in ranked
    ]
    return sorted(out, key=lambda r: -tiers.get(r.passage_id, 0))


def one_place_per_document(ranked: list[Ranked], doc_of: Mapping[int, str]) -> list[Ranked]:
    """Each document's best passage in the given order, then the second-best passages, and so on."""
    rounds: list[list[Ranked]] = []
    seen: dict[str, int] = {}
    for r in ranked:
        doc = doc_of.get(r.passage_id, str(r.passage_id))
        n = seen.get(doc, 0)
        seen[doc] = n + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(r)
    return [r for group in rounds for r in group]

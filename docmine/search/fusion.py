"""Result order after scoring: exact title and phrase matches on top, then the documents text mode is sure of,
then one place per document.

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
# Text mode is "sure" when its best passage holds at least SURE_COVERAGE of the query's words and its
# document's score leads the next document's by SURE_MARGIN; then its first SURE_DEPTH documents that hold
# that share keep their text order above the fused rest. Chosen on the tune halves of both retrieval sets
# (coverage 0.75/1.0, margin 1.0-2.0, depth 1-3 tried): names, numbers and plain word questions stop losing
# their document to passages that are only similar in meaning; long questions (Kamervragen) rarely qualify.
SURE_COVERAGE = 0.75
SURE_MARGIN = 1.3
SURE_DEPTH = 3


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


def sure_documents(
    text: Sequence[Ranked], coverage: Mapping[int, float], doc_of: Mapping[int, str]
) -> list[str]:
    """The documents text mode is sure of, in its order (empty when it is not sure; see SURE_COVERAGE).

    ``text`` is the full-text ranking, ``coverage`` the share of the query's words each of its passages holds."""
    best: list[tuple[str, int, float]] = []  # (document, its best passage, that passage's score), text order
    for r in text:
        doc = doc_of.get(r.passage_id, str(r.passage_id))
        if all(doc != d for d, _, _ in best):
            best.append((doc, r.passage_id, r.score))
            if len(best) > SURE_DEPTH:
                break
    if not best or coverage.get(best[0][1], 0.0) < SURE_COVERAGE:
        return []
    if len(best) > 1 and best[1][2] > 0 and best[0][2] < SURE_MARGIN * best[1][2]:
        return []
    return [doc for doc, pid, _ in best[:SURE_DEPTH] if coverage.get(pid, 0.0) >= SURE_COVERAGE]


def prioritise(
    ranked: list[Ranked],
    tiers: Mapping[int, int],
    sure: Sequence[str] = (),
    doc_of: Mapping[int, str] | None = None,
) -> list[Ranked]:
    """Stable re-order: title matches, then phrase matches, then the passages of the ``sure`` documents (in
    that order), then the rest in the given order; a reason added for each."""
    label = {TITLE: "title match", PHRASE: "exact phrase"}
    place = {doc: i for i, doc in enumerate(sure)}
    docs = doc_of or {}

    def key(r: Ranked) -> tuple[int, int]:
        tier = tiers.get(r.passage_id, 0)
        if tier:
            return (-tier - 1, 0)
        doc = docs.get(r.passage_id)
        return (-1, place[doc]) if doc in place else (0, 0)

    out = []
    for r in ranked:
        if tiers.get(r.passage_id):
            r = Ranked(r.passage_id, r.score, (label[tiers[r.passage_id]], *r.why))
        elif docs.get(r.passage_id) in place:
            r = Ranked(r.passage_id, r.score, ("clear full-text match", *r.why))
        out.append(r)
    return sorted(out, key=key)


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

"""Result order after scoring: a prior against documents of many passages, exact title and phrase matches on
top, then the documents text mode is sure of, then one place per document.

A long law has many passages about the same subject; without aggregation they fill the first places and
push other documents out of sight, and the best of its hundreds of passages is close to any question by
chance alone. A query that is a document's title, or that occurs word for word in a passage, names what the
user wants: meaning similarity must not move it down.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence

from docmine.model import PassageRow
from docmine.nlp.analyzer import STOP_WORDS, Analyzer, tokens
from docmine.search.fulltext import contains_run
from docmine.search.query import ParsedQuery
from docmine.search.ranked import Ranked

TITLE = 3  # the query is the document's title or the short name its title ends with in brackets
TITLE_PHRASE = 2  # the query's words occur in a row in its document's title
PHRASE = 1  # the query's words occur in a row in the passage
LABELS = {TITLE: "title match", TITLE_PHRASE: "exact phrase in the title", PHRASE: "exact phrase"}
MAX_PHRASE_TERMS = 12  # a longer question is not a phrase anyone expects word for word
# Text mode is "sure" when its best passage holds at least SURE_COVERAGE of the query's words and its
# document's score leads the next document's by SURE_MARGIN; then its first SURE_DEPTH documents that hold
# that share keep their text order above the fused rest. Chosen on the tune halves of both retrieval sets
# (coverage 0.75/1.0, margin 1.0-2.0, depth 1-3 tried): names, numbers and plain word questions stop losing
# their document to passages that are only similar in meaning; long questions (Kamervragen) rarely qualify.
SURE_COVERAGE = 0.75
SURE_MARGIN = 1.3
SURE_DEPTH = 3
# Text mode also leads when the best passage of its first document holds most of the query's words and more of
# them than any candidate passage of another document: a name or a rare word only that document has.
LEAD_COVERAGE = 0.5
# A document's best passage is the best of all its passages: the more it has, the higher its best similarity by
# chance. Each passage's fused score (0..1) loses SIZE_PRIOR x ln(passages in its document). Chosen on the tune
# half of the in-domain set (0.01-0.08 tried; 0.04 was best on each of its two folds); one-passage documents
# (Kamervragen) are unaffected.
SIZE_PRIOR = 0.04
_SHORT_TITLE = re.compile(r"\(([^()]+)\)\s*$")


def content_stems(analyzer: Analyzer, text: str) -> list[str]:
    """The stems of a text's content words in order: what ``ParsedQuery.sequence`` holds for a query."""
    return [analyzer.stem(t.norm) for t in tokens(text) if t.norm not in STOP_WORDS]


def short_title(title: str) -> str:
    """The short name a formal title ends with in brackets: "Wet van 1 maart 2014 inzake ... (Jeugdwet)" ->
    "Jeugdwet" (laws and decrees are cited by it); "" when the title has none."""
    found = _SHORT_TITLE.search(title)
    return found.group(1) if found else ""


@functools.lru_cache(maxsize=4096)
def title_stems(analyzer: Analyzer, title: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The content stems of a title and of the short name it ends with (titles recur from query to query)."""
    return tuple(content_stems(analyzer, title)), tuple(content_stems(analyzer, short_title(title)))


def exact_tiers(analyzer: Analyzer, query: ParsedQuery | None, rows: Mapping[int, PassageRow]) -> dict[int, int]:
    """TITLE, TITLE_PHRASE or PHRASE for the passages that earn it (absent: none)."""
    seq = query.sequence if query is not None else []
    if not seq or len(seq) > MAX_PHRASE_TERMS:
        return {}
    wanted, whole = set(seq), tuple(seq)
    tiers: dict[int, int] = {}
    for pid, row in rows.items():
        title, short = title_stems(analyzer, row.title)
        if whole in (title, short):
            tiers[pid] = TITLE
        elif len(seq) >= 2 and contains_run(title, seq):
            tiers[pid] = TITLE_PHRASE
        elif len(seq) >= 2 and wanted.issubset(row.terms) and contains_run(content_stems(analyzer, row.text), seq):
            tiers[pid] = PHRASE
    return tiers


def sure_documents(text: Sequence[Ranked], coverage: Mapping[int, float], doc_of: Mapping[int, str]) -> list[str]:
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


def leading_document(text: Sequence[Ranked], coverage: Mapping[int, float], doc_of: Mapping[int, str]) -> list[str]:
    """Text mode's first document when it holds more of the query's words than any other (see LEAD_COVERAGE).

    ``coverage``: the share of the query's words that each candidate passage (text and vector lists) holds."""
    if not text:
        return []
    first = doc_of.get(text[0].passage_id)
    own = max((coverage.get(r.passage_id, 0.0) for r in text if doc_of.get(r.passage_id) == first), default=0.0)
    other = max((c for pid, c in coverage.items() if doc_of.get(pid) != first), default=0.0)
    return [first] if first is not None and own > LEAD_COVERAGE and own > other else []


def size_prior(ranked: list[Ranked], doc_of: Mapping[int, str], passages: Mapping[str, int]) -> list[Ranked]:
    """Fused scores less SIZE_PRIOR x ln(the document's passage count), re-sorted."""
    out = [
        Ranked(
            r.passage_id, r.score - SIZE_PRIOR * math.log(max(passages.get(doc_of.get(r.passage_id, ""), 1), 1)), r.why
        )
        for r in ranked
    ]
    out.sort(key=lambda r: (-r.score, r.passage_id))
    return out


def prioritise(
    ranked: list[Ranked],
    tiers: Mapping[int, int],
    sure: Sequence[str] = (),
    doc_of: Mapping[int, str] | None = None,
) -> list[Ranked]:
    """Stable re-order: title matches, then phrase matches, then the passages of the ``sure`` documents (in
    that order), then the rest in the given order; a reason added for each."""
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
            r = Ranked(r.passage_id, r.score, (LABELS[tiers[r.passage_id]], *r.why))
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

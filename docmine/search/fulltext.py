"""Ranked full-text search: FTS5 BM25 candidates, re-ranked by how many query terms and phrases they hold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from docmine.model import Filters, Hit, PassageRow
from docmine.nlp.analyzer import Analyzer
from docmine.search.query import Clause, ParsedQuery, parse_query
from docmine.search.ranked import Ranked
from docmine.search.snippet import make_snippet, matched_spans
from docmine.store import Store, codec

CANDIDATES = 50
COMMON = 0.08  # a term in more than 8% of passages selects nothing: it only counts in re-ranking
# Candidates come from the rarest words up to this many postings (at least 3 words). FTS5 computes BM25 for
# every row that matches, about 0.6 us a posting: at 1M passages 150,000 postings gave hybrid p95 of 194-203 ms,
# 100,000 gave 143 ms (benchmarks/bench_hybrid.py) and kept 63% of the top 10 of an unbounded match (150,000:
# 76%). A case file under ~100k passages never reaches the budget.
POSTINGS_BUDGET = 100_000
COVERAGE_WEIGHT = 0.2  # score *= 1 - w + w * share of query terms held
PHRASE_BONUS = 1.1  # score *= this when typed words occur in a row


def coverage(query: ParsedQuery, terms: Sequence[str]) -> float:
    """Share of the query's positive clauses that a passage with these index terms holds."""
    present = set(terms)
    clauses = query.positive
    held = 0
    for clause in clauses:
        if clause.phrase_terms:
            held += contains_run(terms, clause.phrase_terms)
        elif clause.prefixes:
            held += any(t.startswith(clause.prefixes) for t in present)
        else:
            held += bool(clause.terms & present)
    return held / len(clauses) if clauses else 0.0


def in_a_row(query: ParsedQuery, terms: Sequence[str]) -> bool:
    """Whether two typed words of the query follow each other in the passage."""
    seq = query.sequence
    # Adjacent pairs as a set: one pass over the passage instead of one per pair of a long question.
    return len(seq) > 1 and not set(zip(seq, seq[1:], strict=False)).isdisjoint(zip(terms, terms[1:], strict=False))


def contains_run(terms: Sequence[str], run: Sequence[str]) -> bool:
    """Whether ``run`` occurs in ``terms`` as consecutive items."""
    n = len(run)
    if n == 0:
        return False
    run = list(run)
    terms = list(terms)
    start = 0
    while True:  # list.index finds each occurrence of the first word at C speed
        try:
            start = terms.index(run[0], start)
        except ValueError:
            return False
        if terms[start : start + n] == run:
            return True
        start += 1


def _selective(query: ParsedQuery, store: Store) -> ParsedQuery:
    """Leave very common optional words out of the match (they still count when ranking the candidates).

    Like a common-terms query: "wat is het beleid voor jeugdhulp" should not score every passage with
    "beleid" when "jeugdhulp" already selects the relevant ones. Keeps all words when all are common.
    On a large case file the rarest words up to a postings budget select the candidates, which bounds
    latency; on small ones (the budget covers every rare word) nothing is lost.
    """
    if len(query.should) < 2:
        return query
    total = store.passage_count()
    if total < 1000:
        return query
    counts = store.term_document_counts(t for c in query.should for t in c.terms)

    def df(clause: Clause) -> int:
        if clause.prefixes:
            return int(COMMON * total)  # unknown spread: treat as fairly common
        return min((counts.get(t, 0) for t in clause.terms), default=0)

    # Words absent from the index select nothing; leaving them out keeps a typo from hiding the rest.
    rare = [c for c in query.should if c.phrase_terms or 0 < df(c) <= COMMON * total]
    if not rare:
        return query
    rare = sorted(rare, key=df)
    keep: list[Clause] = []
    postings = 0
    for clause in rare:
        postings += df(clause)
        if len(keep) >= 3 and postings > POSTINGS_BUDGET:
            break
        keep.append(clause)
    rare = keep
    if len(rare) == len(query.should):
        return query
    return ParsedQuery(should=rare, must=query.must, must_not=query.must_not, sequence=query.sequence)


def rank_text(store: Store, query: ParsedQuery, filters: Filters, n: int) -> list[Ranked]:
    """The best ``n`` passages for a parsed query, best first: FTS5's candidates by BM25 and the share of query
    terms they hold."""
    candidates = text_candidates(store, query, filters, n)
    rows = store.passages(pid for pid, _ in candidates)
    return order_candidates(query, candidates, {pid: coverage(query, row.terms) for pid, row in rows.items()}, rows, n)


def text_candidates(store: Store, query: ParsedQuery, filters: Filters, n: int) -> list[tuple[int, float]]:
    """FTS5's BM25 candidates for ``rank_text`` (SQLite's work only: hybrid search runs it beside encoding)."""
    return store.fts_candidates(_selective(query, store).match_expression(), filters, max(CANDIDATES, n))


def order_candidates(
    query: ParsedQuery,
    candidates: Sequence[tuple[int, float]],
    held: Mapping[int, float],
    rows: Mapping[int, PassageRow],
    n: int,
) -> list[Ranked]:
    """The best ``n`` of FTS5's candidates: BM25 weighed by ``held`` (each passage's ``coverage``) and a bonus
    when typed words occur in a row. Hybrid search passes the coverage it has counted for its whole pool. A
    candidate without a row (removed since FTS5 listed it) is left out."""
    scored: list[Ranked] = []
    for pid, bm25 in candidates:
        if pid not in rows:
            continue
        share = held[pid]
        phrase = in_a_row(query, rows[pid].terms)
        score = bm25 * (1 - COVERAGE_WEIGHT + COVERAGE_WEIGHT * share) * (PHRASE_BONUS if phrase else 1.0)
        why = (f"{round(share * 100)}% of terms",) + (("words in a row",) if phrase else ())
        scored.append(Ranked(pid, score, why))
    scored.sort(key=lambda s: (-s.score, s.passage_id))
    return scored[:n]


def make_hits(
    store: Store,
    analyzer: Analyzer,
    query: ParsedQuery | None,
    ranked: list[Ranked],
) -> list[Hit]:
    """Hits with snippets around the matched words (or the passage start when no word matched)."""
    rows = store.passages(r.passage_id for r in ranked)
    all_terms = query.all_terms() if query else frozenset()
    prefixes = query.all_prefixes() if query else ()
    hits = []
    for pid, score, why in ranked:
        row = codec.shown(rows[pid])
        spans = matched_spans(row.text, all_terms, prefixes, analyzer) if query else []
        snippet, marks = make_snippet(row.text, spans)
        matched = tuple(dict.fromkeys(row.text[s:e].lower() for s, e, _ in spans))
        hits.append(
            Hit(
                ref=row.ref,
                path=row.path,
                title=row.title,
                doc_type=row.doc_type,
                date=row.date,
                score=float(f"{score:.4g}"),  # significant digits: a word in most passages scores ~1e-6
                snippet=snippet,
                text=row.text,
                marks=marks,
                matched=matched,
                why=("matched: " + ", ".join(matched[:8]), *why) if matched else why,
                passage_id=pid,
            )
        )
    return hits


def search_text(
    store: Store, analyzer: Analyzer, text: str, filters: Filters | None = None, limit: int = 10
) -> list[Hit]:
    query = parse_query(text, analyzer)
    return make_hits(store, analyzer, query, rank_text(store, query, filters or Filters(), limit))

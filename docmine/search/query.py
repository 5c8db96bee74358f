"""User queries to safe FTS5 expressions. People type questions; syntax is opt-in and always escaped.

Default: ranked retrieval over the terms (stop words dropped), as a match query does. ``+word`` or ``AND``
makes a term required, ``"..."`` is an exact phrase, ``prefix*`` a prefix, ``-word`` or ``NOT`` excludes,
``OR`` joins alternatives. Every term reaches FTS5 as a quoted string, so no input can break the syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docmine.errors import QueryError
from docmine.nlp.analyzer import STOP_WORDS, Analyzer, fold, tokens

MAX_QUERY_CHARS = 5000  # a journalist pastes a paragraph or two; a whole document is not a question
MAX_CLAUSES = 100  # distinct content words a query may select on (see ``key_terms`` for longer questions)
KEY_TERMS = 24  # a long question searches on this many of its words: the rarest in the case file

_LEX = re.compile(r'(?P<sign>[+-]?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


@dataclass(frozen=True)
class Clause:
    """One thing to look for: a word, a phrase or a prefix, with its alternative FTS5 expressions."""

    text: str
    expr: str  # FTS5 expression, already escaped
    terms: frozenset[str]  # index terms that count as a match (for coverage and highlighting)
    prefixes: tuple[str, ...] = ()
    phrase_terms: tuple[str, ...] = ()  # for a phrase: its stems in order
    head: str = ""  # for a single word: its stem


@dataclass
class ParsedQuery:
    should: list[Clause] = field(default_factory=list)
    must: list[Clause] = field(default_factory=list)
    must_not: list[Clause] = field(default_factory=list)
    sequence: list[str] = field(default_factory=list)  # content-word stems in typed order (phrase bonus)

    @property
    def positive(self) -> list[Clause]:
        return self.must + self.should

    def match_expression(self) -> str:
        if not self.positive:
            raise QueryError("the query has nothing to search for", "type at least one word that is not excluded")
        should = " OR ".join(c.expr for c in self.should + self.must)
        if self.must:
            expr = " AND ".join(c.expr for c in self.must)
            if self.should:
                # Keeps should-terms optional for matching while letting BM25 count them.
                expr = f"{expr} AND ({should})"
        else:
            expr = should
        if self.must_not:
            expr = f"({expr}) NOT ({' OR '.join(c.expr for c in self.must_not)})"
        return expr

    def all_terms(self) -> frozenset[str]:
        return frozenset(t for c in self.positive for t in c.terms)

    def all_prefixes(self) -> tuple[str, ...]:
        return tuple(p for c in self.positive for p in c.prefixes)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _word_clause(analyzer: Analyzer, raw: str) -> Clause | None:
    toks = [t.norm for t in tokens(raw)]
    if not toks:
        return None
    prefix = raw.endswith("*") and len(toks) == 1
    if prefix:
        norm = toks[0]
        return Clause(raw, f"{_quote(norm)} *", frozenset(), prefixes=(norm,))
    if len(toks) > 1:  # "Woo-verzoek", "5.1.2e": the pieces as a phrase
        stems = [analyzer.stem(t) for t in toks]
        return Clause(raw, _quote(" ".join(stems)), frozenset(stems), phrase_terms=tuple(stems))
    norm = toks[0]
    stem = analyzer.stem(norm)
    parts = [analyzer.stem(p) for p in analyzer.parts(norm)]
    if parts:
        # The compound as one word, or its parts in a row (indexed right after a compound, or written apart).
        expr = f"({_quote(stem)} OR {_quote(' '.join(parts))})"
        return Clause(raw, expr, frozenset([stem, *parts]), head=stem)
    return Clause(raw, _quote(stem), frozenset([stem]), head=stem)


def _phrase_clause(analyzer: Analyzer, raw: str) -> Clause | None:
    stems = [analyzer.stem(t.norm) for t in tokens(raw)]
    if not stems:
        return None
    return Clause(f'"{raw}"', _quote(" ".join(stems)), frozenset(stems), phrase_terms=tuple(stems))


def parse_query(text: str, analyzer: Analyzer, max_clauses: int | None = MAX_CLAUSES) -> ParsedQuery:
    """Parse a typed query. Raises QueryError (with a hint) only when nothing searchable is left, or when it
    is over MAX_QUERY_CHARS or (with ``max_clauses``) holds more distinct terms than that."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text):,} characters long, over the {MAX_QUERY_CHARS:,} a question may have",
            "paste the paragraph that matters, or trace a single statement with docmine trace",
        )
    text = text.replace("\x00", " ")
    query = ParsedQuery()
    items: list[tuple[str, Clause]] = []  # (role, clause)
    pending: str | None = None  # operator waiting for its right-hand side
    for match in _LEX.finditer(text):
        sign, phrase, word = match.group("sign"), match.group("phrase"), match.group("word")
        if word in ("AND", "OR", "NOT", "&&", "||"):
            pending = {"&&": "AND", "||": "OR"}.get(word, word)
            continue
        if word is not None and word in ("+", "-"):
            continue
        clause = _phrase_clause(analyzer, phrase) if phrase is not None else _word_clause(analyzer, word or "")
        if clause is None:
            continue
        role = "should"
        if sign == "+" or pending == "AND":
            role = "must"
            if pending == "AND" and items and items[-1][0] == "should":
                items[-1] = ("must", items[-1][1])
        if sign == "-" or pending == "NOT":
            role = "not"
        if pending == "OR" and items and items[-1][0] in ("should", "must"):
            prev_role, prev = items[-1]
            items[-1] = (
                prev_role,
                Clause(
                    f"{prev.text} OR {clause.text}",
                    f"({prev.expr} OR {clause.expr})",
                    prev.terms | clause.terms,
                    prev.prefixes + clause.prefixes,
                ),
            )
            pending = None
            continue
        pending = None
        items.append((role, clause))
    content = [(r, c) for r, c in items if not (r == "should" and _is_stop(c))]
    if not any(r != "not" for r, _ in content):
        content = items  # only stop words: search them rather than nothing
    unique: dict[tuple[str, str], tuple[str, Clause]] = {}
    for role, clause in content:
        unique.setdefault((role, clause.expr), (role, clause))
    content = list(unique.values())
    if max_clauses is not None and len(content) > max_clauses:
        raise QueryError(f"the query has {len(content)} distinct terms", f"use at most {max_clauses}")
    for role, clause in content:
        {"should": query.should, "must": query.must, "not": query.must_not}[role].append(clause)
        if role != "not":
            query.sequence.extend(clause.phrase_terms or ((clause.head,) if clause.head else ()))
    return query


def _is_stop(clause: Clause) -> bool:
    return not clause.phrase_terms and not clause.prefixes and fold(clause.text) in STOP_WORDS


def key_terms(query: ParsedQuery, document_counts: dict[str, int], total: int, n: int = KEY_TERMS) -> ParsedQuery:
    """A long question's ``n`` most telling optional words (rarest in the case file, ties by first use);
    required and excluded words stay. A short query comes back unchanged.

    The whole question still goes to the meaning side; the word side needs the words that pick out
    documents, not every "gemeente" and "jaar" of a pasted paragraph."""
    if len(query.should) <= n:
        return query

    def rarity(clause: Clause) -> float:
        if clause.prefixes:
            return 0.0
        df = min((document_counts.get(t, 0) for t in clause.terms), default=0)
        return 0.0 if df == 0 else 1.0 - df / (total or 1)  # a word absent from the case file selects nothing

    order = {id(c): i for i, c in enumerate(query.should)}
    kept = sorted(query.should, key=lambda c: (-rarity(c), order[id(c)]))[:n]
    kept.sort(key=lambda c: order[id(c)])
    stems = {t for c in kept + query.must for t in (c.phrase_terms or ((c.head,) if c.head else ()))}
    sequence = [t for t in query.sequence if t in stems]
    return ParsedQuery(should=kept, must=query.must, must_not=query.must_not, sequence=sequence)

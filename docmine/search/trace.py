"""Tracing a statement to its sources: passages that say the same thing, ranked by meaning and by agreement
of values (same amount, date, entities), with a flag where the subject matches but a value differs.
Among equals the earliest dated source comes first: the likely origin of the statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from docmine.model import SUBJECT_LABELS, Labelled, Mention, PassageRow, SourceRef, mention_key
from docmine.nlp.analyzer import Analyzer, tokens
from docmine.nlp.claims import sentences
from docmine.search import numbers
from docmine.store import Store, codec

DEPTH = 60
CONFLICT_LABELS = ("MONEY", "DATE")
VALUE_WEIGHT = 0.08
EQUAL_MARGIN = 0.05
SUBJECT_MARGIN = 0.05


@dataclass(frozen=True)
class Source:
    ref: SourceRef
    path: str
    title: str
    date: str | None
    score: float
    similarity: float
    sentence: str
    shared: tuple[str, ...]
    conflicts: tuple[str, ...]


def mention_values(mentions: Iterable[Labelled]) -> set[str]:
    """``LABEL=key`` of each mention; euros to the cent, so 160000000 and 160000000.0 agree."""
    out = set()
    for m in mentions:
        if m.label == "MONEY" and isinstance(m.value, int | float):
            out.add(f"MONEY={m.value:.2f}")
        else:
            out.add(f"{m.label}={mention_key(m)}")
    return out


def rank_sources(
    store: Store,
    analyzer: Analyzer,
    statement: str,
    statement_mentions: Sequence[Mention],
    candidates: list[int],
    similarity: Callable[[str, list[str]], np.ndarray],
    exclude: SourceRef | None = None,
    limit: int = 10,
) -> list[Source]:
    """Rank the best sentence of each candidate passage as a source of ``statement``."""
    wanted = mention_values(statement_mentions) | numbers.quantities(statement, analyzer)
    statement_terms = _terms(analyzer, statement)
    rows = store.passages(candidates)
    picked: list[tuple[PassageRow, int, int, str, set[str], float]] = []
    for pid in candidates:
        if pid not in rows:
            continue
        row = codec.shown(rows[pid])
        best = None
        for s, e in sentences(row.text):
            start, end = row.ref.start + s, row.ref.start + e
            if (
                exclude
                and row.ref.doc_id == exclude.doc_id
                and row.ref.page == exclude.page
                and not (end <= exclude.start or start >= exclude.end)
            ):
                continue
            text = " ".join(row.text[s:e].split())
            values = mention_values(store.mentions_in(row.ref.doc_id, row.ref.page, start, end))
            values |= numbers.quantities(text, analyzer)
            overlap = len(statement_terms & _terms(analyzer, text)) / (len(statement_terms) or 1)
            key = overlap + VALUE_WEIGHT * len(_agreeing(wanted, values))
            if best is None or key > best[0] + VALUE_WEIGHT * len(_agreeing(wanted, best[4])):
                best = (overlap, start, end, text, values)
        if best is not None:
            picked.append((row, best[1], best[2], best[3], best[4], best[0]))
    if not picked:
        return []
    sims = similarity(statement, [p[3] for p in picked])
    top = float(max(sims))
    sources = []
    for (info, start, end, text, values, overlap), sim in zip(picked, sims, strict=True):
        shared = sorted(_agreeing(wanted, values))
        # Same subject: a shared name, or about as close in meaning as the best source, or half the words.
        subject = (
            any(v.split("=", 1)[0] in SUBJECT_LABELS for v in shared)
            or float(sim) >= top - SUBJECT_MARGIN
            or overlap >= 0.5
        )
        conflicts = []
        for label in CONFLICT_LABELS:
            mine = {v for v in wanted if v.startswith(label + "=")}
            theirs = {v for v in values if v.startswith(label + "=")}
            if subject and mine and theirs and not (mine & theirs):
                conflicts.append(
                    f"{label}: {', '.join(sorted(v.split('=', 1)[1] for v in mine))} vs "
                    f"{', '.join(sorted(v.split('=', 1)[1] for v in theirs))}"
                )
        if subject:
            # counts, percentages and years: the numbers a statement can get wrong besides euros and dates
            conflicts.extend(numbers.conflicts(wanted, values))
        score = float(sim) + VALUE_WEIGHT * len(shared)
        sources.append(
            Source(
                ref=SourceRef(info.ref.doc_id, info.ref.page, start, end),
                path=info.path,
                title=info.title,
                date=info.date,
                score=round(score, 4),
                similarity=round(float(sim), 4),  # type: ignore[arg-type]
                sentence=text,
                shared=tuple(shared),
                conflicts=tuple(conflicts),
            )
        )
    return earliest_among_equals(sources)[:limit]


def _agreeing(wanted: set[str], values: set[str]) -> set[str]:
    """Values both sides state, less bare years: "2021" in an inventory list says nothing about a claim
    (a year that differs is still a conflict)."""
    return {v for v in wanted & values if not v.startswith("YEAR=")}


def earliest_among_equals(sources: list[Source]) -> list[Source]:
    """Best first; sources within EQUAL_MARGIN of a group's best score are ordered by date, earliest first."""
    ranked = sorted(sources, key=lambda s: (-s.score, s.ref.doc_id, s.ref.start))
    out: list[Source] = []
    group: list[Source] = []
    for source in ranked:
        if group and group[0].score - source.score > EQUAL_MARGIN:
            out.extend(sorted(group, key=lambda s: s.date or "9999"))
            group = []
        group.append(source)
    out.extend(sorted(group, key=lambda s: s.date or "9999"))
    return out


def _terms(analyzer: Analyzer, text: str) -> set[str]:
    from docmine.nlp.analyzer import STOP_WORDS

    return {analyzer.stem(t.norm) for t in tokens(text) if t.norm not in STOP_WORDS and not t.norm.isdigit()}


def lexical_similarity(analyzer: Analyzer) -> Callable[[str, list[str]], np.ndarray]:
    """Without embeddings: the Jaccard overlap of stemmed content words."""

    def sim(statement: str, texts: list[str]) -> np.ndarray:
        mine = _terms(analyzer, statement)
        return np.array([len(mine & (t := _terms(analyzer, x))) / (len(mine | t) or 1) for x in texts])

    return sim

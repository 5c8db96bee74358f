"""Searcher: search and trace over one case file. It picks the mode (hybrid, text, semantic), says why when
vectors cannot be used, keeps the vector index in step with the stored embeddings, and ranks trace sources.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from docmine.embed import Embedder
from docmine.errors import DocmineError, ModelCacheUnusable, ModelNotFound, QueryError
from docmine.model import Filters, Hit, Mention
from docmine.nlp.analyzer import Analyzer
from docmine.search.fulltext import make_hits, rank_text
from docmine.search.fusion import content_stems
from docmine.search.numbers import quantities
from docmine.search.query import KEY_TERMS, ParsedQuery, key_terms, parse_query
from docmine.search.ranked import Ranked
from docmine.search.rerank import load_centering
from docmine.search.semantic import embed_pending, fuse, rank_hybrid, rank_semantic, status, sync_index
from docmine.search.trace import DEPTH, Source, lexical_similarity, rank_sources
from docmine.search.vectors import VectorIndex, index_path_for
from docmine.store import Store

SEARCH_MODES = ("hybrid", "text", "semantic")
WEAK_LIMIT = 3
QUESTIONS_KEPT = 256  # vectors of the latest questions: a changed filter or a turned page asks again
NO_CLOSE_MATCH = (
    "no close match: no passage holds a word of the query; the few nearest in meaning are shown, "
    "try other words or a phrase from the documents"
)
EmbedderSource = Embedder | Callable[[], Embedder]


class SearchResults(list[Hit]):
    """Hits, plus the mode that produced them and a notice when it is not the one asked for."""

    def __init__(self, hits: Sequence[Hit], mode: str, notice: str | None = None) -> None:
        super().__init__(hits)
        self.mode = mode
        self.notice = notice


class TraceResults(list[Source]):
    """Sources of one statement, likely origin first, and a notice when only words could be compared."""

    def __init__(self, sources: Sequence[Source], statement: str, notice: str | None = None) -> None:
        super().__init__(sources)
        self.statement = statement
        self.notice = notice


MIN_CONTENT_WORDS = 4


def checkable(statement: str, mentions: Sequence[Mention], analyzer: Analyzer) -> bool:
    """Whether a statement holds something a source can confirm or contradict: a value, a name, or at
    least MIN_CONTENT_WORDS content words ("Dit is een goed idee" holds none of these)."""
    if mentions or quantities(statement, analyzer):
        return True
    return len(set(content_stems(analyzer, statement))) >= MIN_CONTENT_WORDS


def word_query(text: str, analyzer: Analyzer, store: Store) -> ParsedQuery:
    """The word side of a query: a long question searches on its KEY_TERMS rarest words."""
    query = parse_query(text, analyzer, max_clauses=None)
    if len(query.should) > KEY_TERMS:
        counts = store.term_document_counts(t for c in query.should for t in c.terms)
        query = key_terms(query, counts, store.passage_count())
    return query


class Searcher:
    """Search and trace over ``store``.

    ``embedder`` is an Embedder or a callable that makes one: a model is loaded only when vectors are used.
    ``mentions`` extracts the entity mentions of a statement (trace compares their values); without it a
    trace compares meaning and words only. ``vectors_by_default`` makes hybrid the default mode (the
    configured embedding switch); an explicit mode is honoured either way.
    """

    def __init__(
        self,
        store: Store,
        analyzer: Analyzer,
        embedder: EmbedderSource,
        *,
        mentions: Callable[[str], Sequence[Mention]] | None = None,
        vectors_by_default: bool = True,
    ) -> None:
        self.store = store
        self.analyzer = analyzer
        self._embedder: Embedder | None = None
        self._make_embedder: Callable[[], Embedder] | None = None
        if isinstance(embedder, Embedder):
            self._embedder = embedder
        else:
            self._make_embedder = embedder
        self._mentions = mentions or (lambda _text: [])
        self.vectors_by_default = vectors_by_default
        self._index: VectorIndex | None = None
        self._index_lock = threading.Lock()
        self._questions: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._questions_lock = threading.Lock()  # the vector side of hybrid search runs in a thread of its own

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            assert self._make_embedder is not None
            self._embedder = self._make_embedder()
        return self._embedder

    # -- search -------------------------------------------------------------------------------------------

    def search(
        self, query: str, filters: Filters | None = None, limit: int = 10, mode: str | None = None
    ) -> SearchResults:
        """Hybrid when embeddings are complete (the default), else full-text, saying so in ``notice``."""
        if mode is not None and mode not in SEARCH_MODES:
            raise QueryError(f"unknown search mode {mode!r}", f"use one of {', '.join(SEARCH_MODES)}")
        if limit < 1:
            raise QueryError("the number of hits must be at least 1", "ask for 10, say", action="set-limit")
        wanted = mode or ("hybrid" if self.vectors_by_default else "text")
        notice = None
        if wanted != "text":
            notice = self.semantic_unavailable()
            if notice is not None:
                if mode == "semantic":
                    raise QueryError(
                        f"semantic search is not available: {notice}", "embed the passages first", action="embed"
                    )
                wanted = "text"
        try:
            hits = self.hits(query, filters or Filters(), limit, wanted)
        except (ModelNotFound, ModelCacheUnusable) as exc:
            if mode is not None or wanted == "text":
                raise
            # the default mode on a machine where the embedding model cannot be loaded: words still search
            notice, wanted = f"{exc.message} ({exc.hint})", "text"
            hits = self.hits(query, filters or Filters(), limit, wanted)
        if hits and not any(h.matched for h in hits) and wanted != "text":
            # Nearest in meaning is all there is: a long list of near-equal scores would look like answers.
            return SearchResults(hits[:WEAK_LIMIT], wanted, NO_CLOSE_MATCH)
        return SearchResults(hits, wanted, f"text mode: {notice}" if notice else None)

    def hits(self, text: str, filters: Filters, limit: int, mode: str) -> list[Hit]:
        """The best ``limit`` hits in exactly ``mode``, without checking that every passage has a vector
        (``search`` checks; benchmarks with a prepared index call this)."""
        query = self.parse(text)
        query.match_expression()  # a query that only excludes words is an error in every mode
        return make_hits(self.store, self.analyzer, query, self.rank(text, query, filters, limit, mode))

    def parse(self, text: str) -> ParsedQuery:
        return word_query(text, self.analyzer, self.store)

    def rank(self, text: str, query: ParsedQuery, filters: Filters, n: int, mode: str) -> list[Ranked]:
        if mode == "text":
            return rank_text(self.store, query, filters, n)
        if mode == "semantic":
            return rank_semantic(self.store, self.embedder, self.vector_index(), text, filters, n)
        embedder = self.embedder
        centering = load_centering(embedder.name)
        # the question is encoded only when ranking needs the vector: full-text work comes first
        ranked = rank_hybrid(
            self.store, self.analyzer, query, lambda: self.question_vector(text), self.vector_index(),
            filters, centering,
        )  # fmt: skip
        return ranked[:n]

    # -- trace --------------------------------------------------------------------------------------------

    def trace(self, statement: str | None = None, claim_id: int | None = None, limit: int = 10) -> TraceResults:
        """Passages that state the same thing as ``statement`` (or claim ``claim_id``): likely sources first."""
        exclude = None
        if claim_id is not None:
            claim = self.store.claim(claim_id)
            statement, exclude = claim.sentence, claim.ref
        if not statement or not statement.strip():
            raise QueryError(
                "nothing to trace", "give a statement, or the number of a stored claim", action="trace-claim"
            )
        mentions = self._mentions(statement)
        if not checkable(statement, mentions, self.analyzer):
            return TraceResults(
                [],
                statement,
                "nothing checkable: the statement names no number, amount, date, person or organisation and "
                f"has fewer than {MIN_CONTENT_WORDS} content words; state a fact to trace",
            )
        notice = self.semantic_unavailable() if self.vectors_by_default else "embeddings are switched off"
        rankings: list[list[Ranked]] = []
        try:
            query = self.parse(statement)
            rankings.append(rank_text(self.store, query, Filters(), DEPTH))
        except QueryError:
            pass  # a statement of stop words only: meaning and values still find its sources
        similarity: Callable[[str, list[str]], np.ndarray]
        if notice is None:
            index = self.vector_index()
            rankings.append(rank_semantic(self.store, self.embedder, index, statement, Filters(), DEPTH))
            similarity = self._cosine
        else:
            similarity = lexical_similarity(self.analyzer)
        candidates = [r.passage_id for r in fuse(rankings)][:DEPTH]
        sources = rank_sources(self.store, self.analyzer, statement, mentions, candidates, similarity, exclude, limit)
        return TraceResults(sources, statement, f"lexical similarity only: {notice}" if notice else None)

    def _cosine(self, text: str, texts: list[str]) -> np.ndarray:
        q = self.question_vector(text)
        return np.asarray(self.embedder.embed_queries(texts) @ q)

    def question_vector(self, text: str) -> np.ndarray:
        """The vector of a question (read-only); the latest QUESTIONS_KEPT are kept, so asking again with
        another filter, limit or page does not encode it again."""
        key = (self.embedder.name, text)
        with self._questions_lock:
            known = self._questions.get(key)
            if known is not None:
                self._questions.move_to_end(key)
                return known
        vector = self.embedder.embed_queries([text])[0]
        vector.setflags(write=False)
        with self._questions_lock:
            self._questions[key] = vector
            while len(self._questions) > QUESTIONS_KEPT:
                self._questions.popitem(last=False)
        return vector

    # -- embeddings and the vector index ------------------------------------------------------------------

    def embed(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Embed passages that have no vector yet (resumable) and bring the vector index up to date."""
        count = embed_pending(self.store, self.embedder, progress)
        self._index = None
        return count

    def embedding_status(self) -> tuple[int, int]:
        """(passages still without an embedding, all passages) for the configured model."""
        st = status(self.store, self.embedder.name)
        return st.missing, st.total

    def vector_index(self) -> VectorIndex:
        with self._index_lock:  # loaded once when a warm-up thread and a search ask at the same time
            if self._index is None:
                self._index = sync_index(self.store, self.embedder)
            return self._index

    def semantic_unavailable(self) -> str | None:
        """Why vectors cannot be used now, or None when they can."""
        try:
            missing, total = self.embedding_status()
        except DocmineError as exc:
            return f"{exc.message} ({exc.hint})" if exc.hint else exc.message
        if total == 0:
            return "the case file has no passages"
        if not missing and self._index is not None and len(self._index) != total:
            self._index = None  # another process (an ingest, docmine embed) added vectors since it was loaded
        if missing:
            # Passages wait for vectors while an ingest runs (it embeds at its end) or after one was stopped.
            return (
                f"{missing} of {total} passages are not embedded yet; run docmine embed "
                "(an ingest still running embeds them when it ends)"
            )
        if self.store.readonly and not index_path_for(self.store.path).is_dir():
            return "the case file is read-only and its vector index is not beside it"
        return None

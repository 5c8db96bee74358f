"""Per-file work in parallel worker processes: parse, cut into passages, analyse for search.

Each result is handed back to the caller, which stores it in its own transaction, so an interrupted
batch leaves complete documents only and the next run resumes where this one stopped.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from docmine.ingest.limits import Limits
from docmine.ingest.passages import chunk
from docmine.ingest.pipeline import FileRef, parse_file
from docmine.model import Claim, Document, Mention, Page, Passage
from docmine.nlp.analyzer import Analyzer
from docmine.nlp.claims import find_claims
from docmine.nlp.pipeline import Extractor


@dataclass(frozen=True)
class Processed:
    doc: Document
    passages: list[Passage]
    terms: list[str]
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


@dataclass(frozen=True)
class ExtractSpec:
    """Whether and how to extract entities; picklable, so workers build their own pipeline from it."""

    enabled: bool = True
    ner_model: str | None = None  # a trained pipeline's folder or an installed spaCy package, or None
    reference_dir: str | None = None


# Built on first use in each worker process (spaCy pipelines are not shared across processes).
_analyzer: Analyzer | None = None
_extractors: dict[ExtractSpec, Extractor] = {}


def analyzer() -> Analyzer:
    global _analyzer
    if _analyzer is None:
        _analyzer = Analyzer()
    return _analyzer


def extractor(spec: ExtractSpec) -> Extractor:
    if spec not in _extractors:
        _extractors[spec] = Extractor(spec.ner_model, spec.reference_dir)
    return _extractors[spec]


def extract_facts(doc_id: str, pages: Sequence[Page], spec: ExtractSpec) -> tuple[list[Mention], list[Claim]]:
    if not spec.enabled or not pages:
        return [], []
    mentions = extractor(spec).extract(doc_id, pages)
    return mentions, find_claims(doc_id, pages, mentions)


def process_file(ref: FileRef, limits: Limits, reference_dir: Path, spec: ExtractSpec) -> Processed:
    doc = parse_file(ref, limits, reference_dir)
    passages = chunk(doc.doc_id, doc.pages)
    index = analyzer()
    mentions, claims = extract_facts(doc.doc_id, doc.pages, spec)
    return Processed(doc, passages, [index.index_text(p.text) for p in passages], mentions, claims)


def process_many(
    refs: list[FileRef], limits: Limits, reference_dir: Path, workers: int, spec: ExtractSpec
) -> Iterator[Processed]:
    """Yield documents in the order given, so storing the same folder twice gives the same ids (claim numbers
    included). In-process when one worker suffices."""
    if workers <= 1 or len(refs) <= 1:
        for ref in refs:
            yield process_file(ref, limits, reference_dir, spec)
        return
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    pool = ProcessPoolExecutor(max_workers=min(workers, len(refs)), mp_context=multiprocessing.get_context(method))
    in_flight: deque[tuple[Future[Processed], FileRef]] = deque()
    queue = list(reversed(refs))
    try:
        # Keep at most two files per worker in flight so an interrupt loses little work; wait for the oldest.
        while queue or in_flight:
            while queue and len(in_flight) < 2 * workers:
                ref = queue.pop()
                in_flight.append((pool.submit(process_file, ref, limits, reference_dir, spec), ref))
            future, ref = in_flight.popleft()
            yield _result(future, ref)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _result(future: Future[Processed], ref: FileRef) -> Processed:
    try:
        return future.result()
    except Exception as exc:  # the worker died (killed, out of memory): record the file, go on
        doc = Document(
            doc_id=ref.doc_id,
            path=ref.path,
            size=ref.size,
            format="unknown",
            status="failed",
            error=f"parser process died ({type(exc).__name__}) (hint: the file may be hostile; try --jobs 1)",
            title=Path(ref.path).name,
        )
        return Processed(doc, [], [])

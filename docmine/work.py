"""Per-file work in parallel worker processes: parse, cut into passages, analyse for search.

Each result is handed back to the caller, which stores it in its own transaction, so an interrupted
batch leaves complete documents only and the next run resumes where this one stopped.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from docmine.ingest.limits import Limits
from docmine.ingest.passages import chunk
from docmine.ingest.pipeline import FileRef, parse_file
from docmine.model import Document, Passage
from docmine.nlp.analyzer import Analyzer


@dataclass(frozen=True)
class Processed:
    doc: Document
    passages: list[Passage]
    terms: list[str]


_analyzer: Analyzer | None = None  # one per worker process, built on first use


def analyzer() -> Analyzer:
    global _analyzer
    if _analyzer is None:
        _analyzer = Analyzer()
    return _analyzer


def process_file(ref: FileRef, limits: Limits, reference_dir: Path) -> Processed:
    doc = parse_file(ref, limits, reference_dir)
    passages = chunk(doc.doc_id, doc.pages)
    index = analyzer()
    return Processed(doc, passages, [index.index_text(p.text) for p in passages])


def process_many(refs: list[FileRef], limits: Limits, reference_dir: Path, workers: int) -> Iterator[Processed]:
    """Yield documents as they are parsed (in completion order). In-process when one worker suffices."""
    if workers <= 1 or len(refs) <= 1:
        for ref in refs:
            yield process_file(ref, limits, reference_dir)
        return
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    pool = ProcessPoolExecutor(max_workers=min(workers, len(refs)), mp_context=multiprocessing.get_context(method))
    pending: dict[Future[Processed], FileRef] = {}
    queue = list(reversed(refs))
    try:
        # Keep at most two files per worker in flight so an interrupt loses little work.
        while queue or pending:
            while queue and len(pending) < 2 * workers:
                ref = queue.pop()
                pending[pool.submit(process_file, ref, limits, reference_dir)] = ref
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                ref = pending.pop(future)
                yield _result(future, ref)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _result(future: Future[Processed], ref: FileRef) -> Processed:
    try:
        return future.result()
    except Exception as exc:  # the worker died (killed, out of memory): record the file, go on
        return Document(
            doc_id=ref.doc_id,
            path=ref.path,
            size=ref.size,
            format="unknown",
            status="failed",
            error=f"parser process died ({type(exc).__name__}) (hint: the file may be hostile; try --jobs 1)",
            title=Path(ref.path).name,
        )

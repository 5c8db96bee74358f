"""Ingesting many files: hash, skip what is stored, parse the rest in parallel worker processes.

Each parsed document is handed back to the caller, which stores it in its own transaction, so an
interrupted batch leaves complete documents only and the next run resumes where this one stopped.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from docmine.ingest.limits import Limits
from docmine.ingest.pipeline import FileRef, parse_file
from docmine.model import Document


def parse_many(refs: list[FileRef], limits: Limits, reference_dir: Path, workers: int) -> Iterator[Document]:
    """Yield documents as they are parsed (in completion order). In-process when one worker suffices."""
    if workers <= 1 or len(refs) <= 1:
        for ref in refs:
            yield parse_file(ref, limits, reference_dir)
        return
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    pool = ProcessPoolExecutor(max_workers=min(workers, len(refs)), mp_context=multiprocessing.get_context(method))
    pending: dict[Future[Document], FileRef] = {}
    queue = list(reversed(refs))
    try:
        # Keep at most two files per worker in flight so an interrupt loses little work.
        while queue or pending:
            while queue and len(pending) < 2 * workers:
                ref = queue.pop()
                pending[pool.submit(parse_file, ref, limits, reference_dir)] = ref
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                ref = pending.pop(future)
                yield _result(future, ref)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _result(future: Future[Document], ref: FileRef) -> Document:
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

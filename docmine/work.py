"""Per-file work in worker processes: parse (killed past the time limit), cut into passages, analyse.

Each result is handed back to the caller, which stores it in its own transaction, so an interrupted
batch leaves complete documents only and the next run resumes where this one stopped.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from docmine.ingest import lifeline
from docmine.ingest.limits import Limits
from docmine.ingest.passages import chunk
from docmine.ingest.paths import printable
from docmine.ingest.pipeline import FileRef, parse_file
from docmine.model import Claim, Document, Mention, Page, Passage
from docmine.nlp.analyzer import Analyzer
from docmine.nlp.claims import find_claims
from docmine.nlp.pipeline import Extractor

if TYPE_CHECKING:
    from pebble import ProcessPool

    from docmine.config import Settings
    from docmine.embed import Embedder


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


# (path, characters read, all characters) of the file being analysed here; (path, 0, 0), every HEARTBEAT_S, while
# a worker process has the file and how far it is cannot be known. A caller may stop the run from it (the TUI
# does on quitting: otherwise it waited for the worker to finish a long file).
Reading = Callable[[str, int, int], None]
HEARTBEAT_S = 1.0
LONG_TEXT_CHARS = 200_000  # from here on a file's entity pass takes long enough (~7 s) to be followed


def extract_facts(
    doc_id: str,
    pages: Sequence[Page],
    spec: ExtractSpec,
    document_date: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Mention], list[Claim]]:
    if not spec.enabled or not pages:
        return [], []
    mentions = extractor(spec).extract(doc_id, pages, document_date, progress)
    return mentions, find_claims(doc_id, pages, mentions)


def analyse(doc: Document, spec: ExtractSpec, reading: Reading | None = None) -> Processed:
    """Cut a parsed document into passages, index them for search and extract its facts; ``reading`` hears how
    far the entity pass over a long text is (from LONG_TEXT_CHARS: minutes for a text of many megabytes)."""
    passages = chunk(doc.doc_id, doc.pages)
    index = analyzer()
    long = reading is not None and sum(len(p.text or "") for p in doc.pages) >= LONG_TEXT_CHARS
    progress = functools.partial(reading, doc.path) if reading is not None and long else None
    mentions, claims = extract_facts(doc.doc_id, doc.pages, spec, doc.date, progress)
    return Processed(doc, passages, [index.index_text(p.text) for p in passages], mentions, claims)


def kill_after(limits: Limits) -> float:
    """When a parser that has not answered is stopped: past the deadline that parsers check between pages,
    with room for the page in hand, so a cooperative parser can still return what it read."""
    return limits.timeout_s + 2.0 + limits.timeout_s / 10


Facts = tuple[list[Passage], list[str], list[Mention], list[Claim]]


def _facts(doc: Document, spec: ExtractSpec) -> Facts:
    """The analysis without the document, which the caller already holds: its pages cross no pipe again."""
    done = analyse(doc, spec)
    return done.passages, done.terms, done.mentions, done.claims


class Executor(Protocol):
    """Where the per-file work runs: worker processes here (LocalExecutor) or tasks on a cluster.

    ``run`` yields the processed files in the order given; ``embedder`` is the embedder to use for the
    passages this run stored (None: the caller's own). Used as a context manager around one ingest."""

    def run(
        self,
        refs: list[FileRef],
        limits: Limits,
        reference_dir: Path,
        spec: ExtractSpec,
        reading: Reading | None = None,
    ) -> Iterator[Processed]: ...

    def embedder(self, settings: Settings) -> Embedder | None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *_: object) -> None: ...


@dataclass
class LocalExecutor:
    """Worker processes on this machine (process_many): the default."""

    workers: int

    def run(
        self,
        refs: list[FileRef],
        limits: Limits,
        reference_dir: Path,
        spec: ExtractSpec,
        reading: Reading | None = None,
    ) -> Iterator[Processed]:
        return process_many(refs, limits, reference_dir, self.workers, spec, reading)

    def embedder(self, settings: Settings) -> Embedder | None:
        return None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *_: object) -> None:
        return None


@dataclass
class _Job:
    ref: FileRef
    parse: Future[Document]
    doc: Document | None = None
    analysis: Future[Facts] | None = None


def process_many(
    refs: list[FileRef],
    limits: Limits,
    reference_dir: Path,
    workers: int,
    spec: ExtractSpec,
    reading: Reading | None = None,
) -> Iterator[Processed]:
    """Yield documents in the order given, so storing the same folder twice gives the same ids (claim numbers
    included).

    Parsing always runs in a worker process that is killed (and replaced) when it runs past the time limit,
    so a hostile file costs at most that long and the batch goes on. With one worker (--jobs 1, or a single
    file) the analysis runs here and the worker only parses, a file ahead, and ``reading`` hears how far it is;
    with more, the workers do both."""
    if not refs:
        return
    parallel = workers > 1 and len(refs) > 1
    size = min(workers, len(refs)) if parallel else 1
    pool = _pool(size)
    jobs: deque[_Job] = deque()
    queue = list(reversed(refs))
    try:
        # Keep at most two files per worker in flight so an interrupt loses little work; yield the oldest.
        while queue or jobs:
            while queue and len(jobs) < 2 * size:
                ref = queue.pop()
                jobs.append(
                    _Job(ref, pool.schedule(parse_file, (ref, limits, reference_dir), timeout=kill_after(limits)))
                )
            if not parallel:
                job = jobs.popleft()
                while not job.parse.done():
                    _wait([job.parse], job.ref.path, reading)
                yield analyse(_parsed(job, limits), spec, reading)
                continue
            for job in jobs:  # hand each parsed document back to a worker for its analysis
                if job.analysis is None and job.parse.done():
                    job.doc = _parsed(job, limits)
                    job.analysis = _analysis(pool, job.doc, spec)
            head = jobs[0]
            if head.analysis is not None and head.analysis.done():
                jobs.popleft()
                yield _processed(head)
            else:
                pending: list[Future[Any]] = [j.analysis or j.parse for j in jobs]
                _wait([f for f in pending if not f.done()] or pending, head.ref.path, reading)
    finally:
        pool.stop()
        pool.join()


def _pool(size: int) -> ProcessPool:
    from pebble import ProcessPool

    # forkserver: a clean process to fork workers from (forking a process with threads is unsafe on Linux)
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":  # parsers imported once in the server, not in every (replaced) worker
        context.set_forkserver_preload(["docmine.ingest.pipeline"])
    return ProcessPool(
        max_workers=size,
        initializer=lifeline.start,
        initargs=(os.getpid(),),
        context=context,
    )


def _analysis(pool: ProcessPool, doc: Document, spec: ExtractSpec) -> Future[Facts]:
    if doc.status == "failed":  # nothing to analyse: no round trip to a worker
        done: Future[Facts] = Future()
        done.set_result(([], [], [], []))
        return done
    return pool.schedule(_facts, (doc, spec))


def _wait(futures: list[Future[Any]], path: str, reading: Reading | None) -> None:
    """Wait until one of the workers' ``futures`` is done; with ``reading``, at most HEARTBEAT_S, and then say
    (path, 0, 0) if none is."""
    done, _ = wait(futures, timeout=HEARTBEAT_S if reading is not None else None, return_when=FIRST_COMPLETED)
    if not done and reading is not None:
        reading(path, 0, 0)


def _parsed(job: _Job, limits: Limits) -> Document:
    """The parsed document, or a failed one saying why the worker gave none."""
    try:
        return job.parse.result()
    except TimeoutError:
        return failed(
            job.ref,
            f"parsing took longer than the time limit of {limits.timeout_s:g} s and was stopped",
            "raise --file-timeout, or lower --max-pages, for this file",
        )
    except Exception as exc:  # the worker died (killed, out of memory): record the file, go on
        return failed(job.ref, f"parser process died ({type(exc).__name__})", "the file may be hostile")


def _processed(job: _Job) -> Processed:
    assert job.analysis is not None and job.doc is not None
    try:
        return Processed(job.doc, *job.analysis.result())
    except Exception as exc:  # the worker died while analysing: keep the file as failed, go on
        return Processed(failed(job.ref, f"analysis process died ({type(exc).__name__})", "report this file"), [], [])


def failed(ref: FileRef, message: str, hint: str) -> Document:
    return Document(
        doc_id=ref.doc_id,
        path=ref.path,
        size=ref.size,
        format="unknown",
        status="failed",
        error=f"{message} (hint: {hint})",
        title=printable(Path(ref.path).name),
    )

"""RayExecutor: docmine.work's per-file work as Ray tasks, with bounded work in flight, results in file order,
retries for workers that die, and the embedder in a Ray actor (on a GPU where the cluster has one).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from docmine.distributed.cluster import connect, cpus, has_gpu
from docmine.errors import DocmineError
from docmine.ingest.limits import Limits
from docmine.ingest.paths import printable
from docmine.ingest.pipeline import FileRef, parse_file
from docmine.work import ExtractSpec, Processed, Reading, analyse, failed, kill_after

if TYPE_CHECKING:
    from docmine.config import Settings
    from docmine.embed import Embedder

# A file is tried this many times when the worker process running it dies (killed, out of memory, a crash in
# a parser's C code); then it is recorded as failed and the batch goes on.
ATTEMPTS = 3


def process_file(ref: FileRef, limits: Limits, reference_dir: Path, spec: ExtractSpec) -> Processed:
    """One file's work on a Ray worker: the same parse and analysis as a local worker process does."""
    doc = parse_file(ref, limits, reference_dir)
    if doc.status == "failed":
        return Processed(doc, [], [])
    return analyse(doc, spec)


@dataclass
class _Task:
    ref: FileRef
    result: Any  # ray.ObjectRef
    deadline: float
    stopped: bool = False


@dataclass
class RayExecutor:
    """Runs ingest's per-file work on the Ray cluster at ``address`` (None: RAY_ADDRESS, else a local one).

    ``in_flight`` bounds the files submitted and not yet stored (0: twice the cluster's CPUs), so a stopped
    run loses little work and the driver holds few results."""

    address: str | None = None
    in_flight: int = 0
    _ray: ModuleType | None = field(default=None, init=False, repr=False)
    _actor: Any = field(default=None, init=False, repr=False)
    _started: bool = field(default=False, init=False, repr=False)

    def __enter__(self) -> RayExecutor:
        self.ray()
        return self

    def __exit__(self, *_: object) -> None:
        if self._ray is None:
            return
        if self._actor is not None:
            self._ray.kill(self._actor)
            self._actor = None
        if self._started:
            self._ray.shutdown()
        self._ray = None

    def ray(self) -> ModuleType:
        if self._ray is None:
            from docmine.distributed.cluster import ray_module

            self._started = not ray_module(self.address).is_initialized()
            self._ray = connect(self.address)
        return self._ray

    def run(
        self,
        refs: list[FileRef],
        limits: Limits,
        reference_dir: Path,
        spec: ExtractSpec,
        reading: Reading | None = None,
    ) -> Iterator[Processed]:
        """Yield the processed files in the order given, as the local executor does (files are analysed on the
        cluster, so ``reading`` hears nothing)."""
        ray = self.ray()
        task = ray.remote(num_cpus=1, max_retries=ATTEMPTS - 1, retry_exceptions=False)(process_file)
        limit = self.in_flight or 2 * cpus(ray)
        # A submitted file may wait for one ahead of it on its CPU: its limit counts from submission, doubled.
        allowed = 2 * kill_after(limits)
        todo = deque(refs)
        tasks: deque[_Task] = deque()
        try:
            while todo or tasks:
                while todo and len(tasks) < limit:
                    ref = todo.popleft()
                    # named by its file: a worker shows it in its process title (ray::process_file:name.pdf)
                    named = task.options(name=f"process_file:{printable(Path(ref.path).name)[:80]}")
                    tasks.append(_Task(ref, named.remote(ref, limits, reference_dir, spec), time.monotonic() + allowed))
                head = tasks[0]
                ready, _ = ray.wait([head.result], timeout=0.5)
                if ready:
                    tasks.popleft()
                    yield self._result(head, limits)
                    continue
                now = time.monotonic()
                for t in tasks:
                    if not t.stopped and now > t.deadline:  # a parser that hangs: kill its worker
                        ray.cancel(t.result, force=True)
                        t.stopped = True
        finally:
            for t in tasks:  # stopped (Ctrl-C, an error in the writer): take back what was sent
                ray.cancel(t.result, force=True)

    def _result(self, task: _Task, limits: Limits) -> Processed:
        ray = self.ray()
        try:
            done: Processed = ray.get(task.result)
            return done
        except ray.exceptions.TaskCancelledError:
            return Processed(
                failed(
                    task.ref,
                    f"parsing took longer than the time limit of {limits.timeout_s:g} s and was stopped",
                    "raise --file-timeout, or lower --max-pages, for this file",
                ),
                [],
                [],
            )
        except ray.exceptions.RayTaskError as exc:  # our code raised on the worker: a bug, kept with the file
            reason = f"processing raised {type(exc.cause).__name__}: {exc.cause}"
            return Processed(failed(task.ref, reason, "report this file"), [], [])
        except ray.exceptions.RayError as exc:  # the worker died each time it had the file
            reason = f"the worker process died {ATTEMPTS} times on this file ({type(exc).__name__})"
            return Processed(failed(task.ref, reason, "the file may be hostile"), [], [])

    def embedder(self, settings: Settings) -> Embedder | None:
        """The embedding model in a Ray actor, on a GPU when the cluster has one."""
        ray = self.ray()
        if self._actor is None:
            options: dict[str, Any] = {"num_gpus": 1} if has_gpu(ray) else {"num_cpus": 1}
            self._actor = ray.remote(EmbedWorker).options(**options).remote(settings)
        try:
            name, dim = ray.get(self._actor.info.remote())
        except ray.exceptions.RayTaskError as exc:
            if isinstance(exc.cause, DocmineError):
                raise exc.cause from None
            raise
        return RayEmbedder(ray, self._actor, name, dim)


class EmbedWorker:
    """The Ray actor: loads the embedder once and embeds batches of texts."""

    def __init__(self, settings: Settings) -> None:
        from docmine.embed import make_embedder

        self.embedder = make_embedder(settings=settings)

    def info(self) -> tuple[str, int]:
        return self.embedder.name, self.embedder.dim

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.embedder.embed_passages(texts)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.embedder.embed_queries(texts)


@dataclass(frozen=True)
class RayEmbedder:
    """An Embedder whose work runs in an EmbedWorker actor; the vectors are the model's own."""

    ray: ModuleType
    actor: Any
    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out: np.ndarray = self.ray.get(self.actor.embed_passages.remote(list(texts)))
        return out

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        out: np.ndarray = self.ray.get(self.actor.embed_queries.remote(list(texts)))
        return out

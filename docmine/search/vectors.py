"""A persistent, exact vector index: float32 rows keyed by integer passage ids, stored beside the case file.

Layout of ``case.db.vec/``: ``vectors.f32`` (rows, append-only), ``ids.i64`` (one id per row, -1 once
removed, overwritten in place), ``meta.json``. Adds append, removes punch holes, and the files are
compacted when a quarter of the rows are holes. Search is a brute-force inner product over the live rows:
with numpy (BLAS) on small indexes; from FAST_MIN_ROWS rows on, over a float16 copy of the matrix in faiss
(half the memory traffic of float32, which is what a scan at 1M rows waits on), the top candidates then
re-scored exactly in float32 (benchmarks/bench_vectors.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from docmine.errors import DiskFull, QueryError, StoreError, VectorIndexDamaged, is_disk_full
from docmine.store import casefile

FORMAT = "docmine-vectors-1"
_VEC = "vectors.f32"
_IDS = "ids.i64"
_META = "meta.json"
_DEAD = -1
_COMPACT_FRACTION = 0.25
FAST_MIN_ROWS = 50_000  # below this a numpy scan is as fast and needs no second copy
_RESCORE_EXTRA = 32  # candidates beyond k taken from the float16 scan and re-scored in float32


def index_path_for(case_file: Path) -> Path:
    """``case.db`` -> ``case.db.vec`` (a folder next to the case file)."""
    return casefile.beside(case_file, casefile.VECTORS)


class VectorIndex:
    """Float32 vectors keyed by int ids; ``search`` gives the exact top-k by inner product (= cosine).

    Opening an existing folder loads it into memory; every ``add``/``remove`` is written through at once.
    Adding an id that is present replaces its vector. One writer at a time (a lock guards this object).
    """

    def __init__(self, path: Path, dim: int | None = None, *, model: str = "") -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._vbuf: np.ndarray | None = None  # spare capacity behind _vecs / _ids (see _append)
        self._ibuf: np.ndarray | None = None
        self._fast: Any = None  # faiss float16 copy of _vecs, row for row; built on the first large search
        meta_file = self.path / _META
        if meta_file.is_file():
            try:
                meta = json.loads(meta_file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise VectorIndexDamaged(
                    f"Vector index {self.path} is unreadable.", hint="Delete the folder and re-embed."
                ) from exc
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                found = meta.get("format") if isinstance(meta, dict) else None
                raise VectorIndexDamaged(
                    f"{self.path} is not a docmine vector index ({found!r}).",
                    hint="Delete the folder and re-embed.",
                )
            if dim is not None and dim != meta["dim"]:
                raise StoreError(
                    f"Vector index {self.path} holds {meta['dim']}-d vectors, not {dim}-d.",
                    hint="The embedding model changed: delete the folder and re-embed.",
                )
            if model and meta.get("model") and model != meta["model"]:
                raise StoreError(
                    f"Vector index {self.path} was built with {meta['model']!r}, not {model!r}.",
                    hint="Re-embed with the new model, or select the old one.",
                )
            self.dim = int(meta["dim"])
            self.model = str(meta.get("model", ""))
            self._load()
        else:
            if dim is None:
                raise StoreError(f"No vector index at {self.path}.", hint="Give dim= to create one.")
            self.dim = int(dim)
            self.model = model
            self.path.mkdir(parents=True, exist_ok=True)
            for name in (_VEC, _IDS):
                (self.path / name).touch()
            self._write_meta()
            self._vecs = np.zeros((0, self.dim), np.float32)
            self._ids = np.zeros(0, np.int64)
        self._reindex()

    # --- persistence -------------------------------------------------------------------------------

    def _write_meta(self) -> None:
        tmp = self.path / (_META + ".tmp")
        meta = {"format": FORMAT, "dim": self.dim, "dtype": "float32", "metric": "ip", "model": self.model}
        tmp.write_text(json.dumps(meta) + "\n", encoding="utf-8")
        os.replace(tmp, self.path / _META)

    def _load(self) -> None:
        ids = np.fromfile(self.path / _IDS, dtype="<i8")
        vecs = np.fromfile(self.path / _VEC, dtype="<f4")
        rows = min(len(ids), len(vecs) // self.dim)  # a torn append leaves a tail we ignore
        self._ids = ids[:rows].astype(np.int64)
        self._vecs = vecs[: rows * self.dim].reshape(rows, self.dim)
        self._vecs = np.ascontiguousarray(self._vecs, dtype=np.float32)
        if len(ids) != rows or len(vecs) != rows * self.dim:
            self._rewrite()

    def _rewrite(self) -> None:
        """Write only the live rows to new files and swap them in (compaction and repair)."""
        live = self._ids != _DEAD
        self._ids = self._ids[live]
        self._vecs = np.ascontiguousarray(self._vecs[live])
        self._fast = None  # rows moved: rebuilt on the next large search
        for name, arr in ((_VEC, self._vecs), (_IDS, self._ids)):
            tmp = self.path / (name + ".tmp")
            try:
                self._write(tmp, "wb", arr.astype("<f4" if name == _VEC else "<i8"))
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            os.replace(tmp, self.path / name)

    def _write(self, file: Path, mode: str, arr: np.ndarray) -> None:
        """Write ``arr``'s bytes; a full disk is ``DiskFull`` (numpy's ``tofile`` reports a short write without
        saying why). A torn append leaves a tail that ``_load`` ignores."""
        try:
            with file.open(mode) as fh:
                fh.write(arr.tobytes())
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFull(str(self.path)) from exc
            raise

    def _reindex(self) -> None:
        live = np.flatnonzero(self._ids != _DEAD)
        order = np.argsort(self._ids[live], kind="stable")
        self._sorted_slots = live[order]
        self._sorted_ids = self._ids[self._sorted_slots]

    def _slots_of(self, ids: np.ndarray) -> np.ndarray:
        """Row numbers of those ``ids`` that are present (absent ids are skipped)."""
        if len(self._sorted_ids) == 0 or len(ids) == 0:
            return np.zeros(0, np.int64)
        pos = np.searchsorted(self._sorted_ids, ids)
        pos = np.minimum(pos, len(self._sorted_ids) - 1)
        found = self._sorted_ids[pos] == ids
        return self._sorted_slots[pos[found]]

    # --- public API --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._sorted_ids)

    def __contains__(self, item: object) -> bool:
        return isinstance(item, int | np.integer) and len(self._slots_of(np.array([item], np.int64))) == 1

    def ids(self) -> np.ndarray:
        """The live ids, ascending."""
        return self._sorted_ids.copy()

    def get(self, ids: Iterable[int]) -> np.ndarray:
        """Vectors of ``ids`` in the order given; ``KeyError`` for an absent id."""
        arr = np.asarray(list(ids), dtype=np.int64)
        slots = self._slots_of(arr)
        if len(slots) != len(arr):
            missing = sorted(set(arr.tolist()) - set(self._ids[slots].tolist()))
            raise KeyError(missing[0])
        return self._vecs[slots].copy()

    def add(self, ids: Iterable[int], vectors: np.ndarray) -> None:
        """Store ``vectors[i]`` under ``ids[i]``, replacing vectors already stored under those ids."""
        arr = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
        vecs = np.ascontiguousarray(vectors, dtype=np.float32)
        if vecs.ndim != 2 or vecs.shape[1] != self.dim or len(vecs) != len(arr):
            raise QueryError(
                f"Expected {len(arr)} vectors of width {self.dim}, got shape {vecs.shape}.",
                hint="Embed with the model this index was built with.",
            )
        if len(arr) == 0:
            return
        if (arr < 0).any():
            raise QueryError("Vector ids must be non-negative integers.", hint="Use passage row ids.")
        if not np.isfinite(vecs).all():
            raise QueryError("Vectors contain NaN or infinity.", hint="Check the embedder's output.")
        # Within one call the last vector for an id wins.
        _, last = np.unique(arr[::-1], return_index=True)
        keep = np.sort(len(arr) - 1 - last)
        arr, vecs = arr[keep], vecs[keep]
        with self._lock:
            self._punch(self._slots_of(arr))
            rows = len(self._ids)
            try:
                self._write(self.path / _VEC, "ab", vecs.astype("<f4"))
                self._write(self.path / _IDS, "ab", arr.astype("<i8"))  # ids last: a crash leaves an ignored tail
            except BaseException:
                # a failed write (a full disk) leaves the files as they were, so a later add lines up again
                with contextlib.suppress(OSError):
                    os.truncate(self.path / _VEC, rows * self.dim * 4)
                    os.truncate(self.path / _IDS, rows * 8)
                raise
            self._append(arr, vecs)
            self._maybe_compact()
            self._reindex()

    def remove(self, ids: Iterable[int]) -> int:
        """Forget ``ids``; absent ids are ignored. Returns how many were removed."""
        arr = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
        with self._lock:
            slots = self._slots_of(np.unique(arr))
            self._punch(slots)
            self._maybe_compact()
            self._reindex()
        return len(slots)

    def _append(self, ids: np.ndarray, vecs: np.ndarray) -> None:
        """Grow the in-memory rows geometrically, so many small adds do not copy the whole matrix."""
        n, need = len(self._ids), len(self._ids) + len(ids)
        vbuf, ibuf = self._vbuf, self._ibuf
        if (
            vbuf is None
            or ibuf is None
            or self._vecs.base is not vbuf
            or self._ids.base is not ibuf
            or len(vbuf) < need
        ):
            cap = max(need, 2 * n, 1024)
            vbuf = np.empty((cap, self.dim), np.float32)
            ibuf = np.empty(cap, np.int64)
            vbuf[:n] = self._vecs
            ibuf[:n] = self._ids
            self._vbuf, self._ibuf = vbuf, ibuf
        vbuf[n:need] = vecs
        ibuf[n:need] = ids
        self._vecs = vbuf[:need]
        self._ids = ibuf[:need]
        if self._fast is not None:
            self._fast.add(vecs)

    def _punch(self, slots: np.ndarray) -> None:
        if len(slots) == 0:
            return
        self._ids[slots] = _DEAD
        dead = np.array([_DEAD], dtype="<i8").tobytes()
        with (self.path / _IDS).open("r+b") as fh:
            for slot in np.sort(slots).tolist():
                fh.seek(slot * 8)
                fh.write(dead)

    def _maybe_compact(self) -> None:
        holes = int((self._ids == _DEAD).sum())
        if holes and holes >= _COMPACT_FRACTION * len(self._ids):
            self._rewrite()

    def search(
        self, query_vec: np.ndarray, k: int = 10, allowed_ids: Iterable[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top ``k`` (id, inner product) pairs, best first; ties go to the smaller id.

        ``allowed_ids`` restricts the search to those ids (absent ones are ignored).
        """
        q = np.asarray(query_vec, dtype=np.float32).reshape(-1)
        if q.shape[0] != self.dim:
            raise QueryError(
                f"Query vector has width {q.shape[0]}, the index holds {self.dim}-d vectors.",
                hint="Embed the query with the model this index was built with.",
            )
        if k <= 0 or len(self._sorted_ids) == 0:
            return []
        if allowed_ids is not None:
            allowed = np.unique(np.fromiter(allowed_ids, dtype=np.int64))
            slots = self._slots_of(allowed)
        else:
            slots = self._sorted_slots
        if len(slots) == 0:
            return []
        if len(self._ids) >= FAST_MIN_ROWS and len(slots) > len(self._ids) // 4:
            return self._search_fast(q, k, slots)
        if len(slots) == len(self._ids):  # no holes, no filter: scan the matrix as it is
            scores = self._vecs @ q
        else:
            scores = np.full(len(self._ids), -np.inf, dtype=np.float32)
            if len(slots) > len(self._ids) // 4:
                full = self._vecs @ q
                scores[slots] = full[slots]
            else:
                scores[slots] = self._vecs[slots] @ q
        k = min(k, len(slots))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        ids = self._ids[top]
        order = np.lexsort((ids, -scores[top]))
        return [(int(ids[i]), float(scores[top][i])) for i in order]

    def _search_fast(self, q: np.ndarray, k: int, slots: np.ndarray) -> list[tuple[int, float]]:
        """Top ``k`` among ``slots`` by a float16 scan in faiss, re-scored exactly in float32."""
        import faiss

        if self._fast is None:
            fast = faiss.IndexScalarQuantizer(self.dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
            fast.add(self._vecs)
            self._fast = fast
        params = bits = selector = None  # the bitmap and selector must outlive the search call
        if len(slots) != len(self._ids):  # holes or a filter: only the allowed rows take part
            mask = np.zeros(len(self._ids), dtype=bool)
            mask[slots] = True
            bits = np.packbits(mask, bitorder="little")
            selector = faiss.IDSelectorBitmap(len(self._ids), faiss.swig_ptr(bits))
            params = faiss.SearchParameters()
            params.sel = selector
        want = min(k + _RESCORE_EXTRA, len(slots))
        _, found = self._fast.search(q.reshape(1, -1), want, params=params)
        top = found[0][found[0] >= 0]
        scores = self._vecs[top] @ q
        ids = self._ids[top]
        order = np.lexsort((ids, -scores))[:k]
        return [(int(ids[i]), float(scores[i])) for i in order]

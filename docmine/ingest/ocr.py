"""OCR of image-only pages with Tesseract (Debian: tesseract-ocr tesseract-ocr-nld), one thread per process.

Tesseract's own OpenMP threads are slower than one process per core on small machines (11x measured on
2 cores), so every call runs with OMP_THREAD_LIMIT=1 and parallelism comes from the callers.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
from dataclasses import dataclass

from docmine.model import Word

INSTALL_HINT = "install Tesseract with Dutch: apt-get install tesseract-ocr tesseract-ocr-nld"


@dataclass(frozen=True)
class OcrResult:
    text: str
    words: tuple[Word, ...]
    confidence: float


class OcrUnavailable(Exception):
    """Tesseract or its language data is missing."""


@functools.cache
def available_languages() -> frozenset[str]:
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def check_available(lang: str) -> None:
    langs = available_languages()
    if not langs:
        raise OcrUnavailable(f"Tesseract is not installed; {INSTALL_HINT}")
    missing = [code for code in lang.split("+") if code not in langs]
    if missing:
        raise OcrUnavailable(f"Tesseract has no language data for {'+'.join(missing)}; {INSTALL_HINT}")


def ocr_png(png: bytes, lang: str, scale: float, timeout_s: float) -> OcrResult:
    """Run Tesseract on one PNG image; ``scale`` turns pixels into page points."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", lang, "--psm", "3", "-c", "tessedit_do_invert=0", "tsv"],
            input=png,
            capture_output=True,
            timeout=max(timeout_s, 1.0),
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrUnavailable("OCR took longer than the time left for this file") from exc
    if proc.returncode != 0:
        raise OcrUnavailable(f"Tesseract failed: {proc.stderr.decode(errors='replace').strip()[:200]}")
    return _from_tsv(proc.stdout.decode("utf-8", errors="replace"), scale)


def _from_tsv(tsv: str, scale: float) -> OcrResult:
    parts: list[str] = []
    words: list[Word] = []
    confs: list[float] = []
    pos = 0
    last_block: tuple[str, str] | None = None
    last_line: tuple[str, str, str] | None = None
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5":
            continue
        token = (row.get("text") or "").strip()
        if not token:
            continue
        block = (row["block_num"], row["par_num"])
        line = (row["block_num"], row["par_num"], row["line_num"])
        if last_line is not None:
            sep = "\n\n" if block != last_block else ("\n" if line != last_line else " ")
            parts.append(sep)
            pos += len(sep)
        last_block, last_line = block, line
        left, top = float(row["left"]), float(row["top"])
        width, height = float(row["width"]), float(row["height"])
        words.append(
            Word(pos, pos + len(token), left * scale, top * scale, (left + width) * scale, (top + height) * scale)
        )
        parts.append(token)
        pos += len(token)
        conf = float(row.get("conf") or -1)
        if conf >= 0:
            confs.append(conf)
    confidence = round(sum(confs) / len(confs) / 100, 3) if confs else 0.0
    return OcrResult("".join(parts), tuple(words), confidence)

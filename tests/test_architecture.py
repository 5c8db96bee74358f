"""The layering holds: checked by import-linter, and the core imports without Textual or torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from docmine.config import REPO_ROOT


def test_layers_contract() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(exe)], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_imports_without_textual_or_torch() -> None:
    code = (
        "import sys, docmine.service, docmine.cli, docmine.export\n"
        "heavy = [m for m in ('textual', 'torch', 'spacy', 'sentence_transformers', 'pdfplumber') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_ruff_clean() -> None:
    exe = Path(sys.executable).parent / "ruff"
    result = subprocess.run(
        [str(exe), "check", "docmine", "tests", "benchmarks", "scripts"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_ruff_formatted() -> None:
    """``ruff format`` owns the layout (pyproject's lint ignores E501 for it), so every file is as it writes it."""
    exe = Path(sys.executable).parent / "ruff"
    result = subprocess.run(
        [str(exe), "format", "--check", "docmine", "tests", "benchmarks", "scripts"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_mypy_clean() -> None:
    exe = Path(sys.executable).parent / "mypy"
    result = subprocess.run([str(exe), "docmine"], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout

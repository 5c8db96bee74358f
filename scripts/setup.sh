#!/usr/bin/env bash
# Sets up a fresh machine: Tesseract with Dutch and poppler (Debian, when root), a venv with docmine.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  if ! tesseract --list-langs 2>/dev/null | grep -qx nld || ! command -v pdftotext >/dev/null 2>&1; then
    echo "setup: installing tesseract-ocr tesseract-ocr-nld poppler-utils" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-nld poppler-utils >/dev/null
  fi
else
  command -v tesseract >/dev/null 2>&1 || echo "setup: no Tesseract; scanned pages will be marked needs_ocr" >&2
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
# torch first and pinned: its CPU wheel is local; a looser pin would pull CUDA builds.
.venv/bin/pip install -q --disable-pip-version-check torch==2.13.0 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/pip install -q --disable-pip-version-check -e '.[dev,ray]' 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/docmine --help >/dev/null
echo "setup: ready (.venv/bin/docmine)" >&2

"""Every format is cut into pages of bounded size, and --max-pages, --file-timeout and --max-file-mb hold for it."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from docmine.ingest.parsed import LOGICAL_PAGE_CHARS
from docmine.service import Docmine

PARAGRAPH = "De gemeente Utrecht besluit over de inkoop van jeugdzorg voor het komende jaar. " * 8


def _paragraphs(n: int) -> list[str]:
    return [f"Alinea {i}. {PARAGRAPH}" for i in range(n)]


def _docx(path: Path, paras: list[str]) -> None:
    import docx

    document = docx.Document()
    for para in paras:
        document.add_paragraph(para)
    document.save(str(path))


WRITERS: dict[str, Callable[[Path, list[str]], None]] = {
    "txt": lambda p, paras: p.write_text("\n\n".join(paras), encoding="utf-8"),
    "md": lambda p, paras: p.write_text("# Besluit\n\n" + "\n\n".join(paras), encoding="utf-8"),
    "csv": lambda p, paras: p.write_text("\n".join(f'{i};"{t}"' for i, t in enumerate(paras)), encoding="utf-8"),
    "html": lambda p, paras: p.write_text(
        "<!DOCTYPE html><html><body><article>" + "".join(f"<p>{t}</p>" for t in paras) + "</article></body></html>",
        encoding="utf-8",
    ),
    "xml": lambda p, paras: p.write_text(
        '<?xml version="1.0"?><doc>' + "".join(f"<al>{t}</al>" for t in paras) + "</doc>", encoding="utf-8"
    ),
    "eml": lambda p, paras: p.write_text(
        "From: a@example.nl\nTo: b@example.nl\nSubject: Jeugdzorg\nDate: Tue, 2 Mar 2021 10:15:00 +0100\n\n"
        + "\n\n".join(paras),
        encoding="utf-8",
    ),
    "docx": _docx,
    "json": lambda p, paras: p.write_text(
        '{"besluit": {"alineas": [' + ",".join(f'"{t}"' for t in paras) + "]}}", encoding="utf-8"
    ),
}


@pytest.mark.parametrize("ext", sorted(WRITERS))
def test_every_flat_format_stops_at_max_pages_and_says_so(settings, tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"lang.{ext}"
    WRITERS[ext](path, _paragraphs(150))
    with Docmine(settings.with_overrides(max_pages=3)) as dm:
        report = dm.ingest([path])
        assert not report.failed, report.failed
        info = dm.documents()[0]
        pages = [dm.page(info.doc_id, n)[1].text for n in range(1, info.page_count + 1)]
    assert (info.status, info.page_count, report.pages) == ("partial", 3, 3)
    # 3 pages of about 4,000 characters out of some 100,000 (the formats add a little markup)
    assert re.fullmatch(
        r"only the first 3 pages ingested \(--max-pages\); about 8\d% of the text was left out", info.notes[-1]
    )
    assert all(0 < len(text) <= LOGICAL_PAGE_CHARS for text in pages)


def test_a_huge_text_file_without_blank_lines_is_cut_fast(settings, tmp_path: Path) -> None:
    """A log or an exported mailbox: one paragraph of 20 MB becomes pages of bounded size, and the page
    limit stops the work there instead of after the whole file."""
    path = tmp_path / "export.log.txt"
    line = "2024-01-01 12:00:00 INFO verzoek ontvangen over jeugdzorg in de gemeente Utrecht\n"
    path.write_text(line * (20_000_000 // len(line)), encoding="utf-8")
    started = time.perf_counter()
    with Docmine(settings.with_overrides(max_pages=50, file_timeout_s=60)) as dm:
        report = dm.ingest([path])
        info = dm.documents()[0]
        longest = max(len(dm.page(info.doc_id, n)[1].text) for n in (1, 25, 50))
    seconds = time.perf_counter() - started
    assert (info.status, info.page_count) == ("partial", 50)
    # 50 pages of at most 4,000 characters out of 20 million
    assert info.notes == ("only the first 50 pages ingested (--max-pages); about 99% of the text was left out",)
    assert longest <= LOGICAL_PAGE_CHARS and report.pages == 50
    assert seconds < 30, f"took {seconds:.1f} s"


def test_a_single_line_without_spaces_is_cut_at_the_page_size(settings, tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_text("x" * (LOGICAL_PAGE_CHARS * 3 + 10), encoding="utf-8")
    with Docmine(settings) as dm:
        dm.ingest([path])
        info = dm.documents()[0]
        lengths = [len(dm.page(info.doc_id, n)[1].text) for n in range(1, info.page_count + 1)]
    assert lengths == [LOGICAL_PAGE_CHARS] * 3 + [10]


def test_form_feeds_end_pages(settings, tmp_path: Path) -> None:
    path = tmp_path / "pdftotext.txt"
    path.write_text("Besluit van de raad.\fBijlage 1: de begroting.\n\fBijlage 2: het advies.", encoding="utf-8")
    with Docmine(settings) as dm:
        dm.ingest([path])
        info = dm.documents()[0]
        pages = [dm.page(info.doc_id, n)[1].text for n in range(1, info.page_count + 1)]
    assert pages == ["Besluit van de raad.", "Bijlage 1: de begroting.", "Bijlage 2: het advies."]


def _slow_html(path: Path) -> Path:
    """Three million paragraphs: seconds of work in the HTML parser, which checks no deadline while it walks."""
    path.write_text("<html><body><div>" + "<p>a</p>" * 3_000_000 + "</div></body></html>", encoding="utf-8")
    return path


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_parser_past_the_time_limit_is_stopped_and_the_batch_goes_on(settings, tmp_path: Path, jobs: int) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    slow = _slow_html(folder / "a_traag.html")
    (folder / "b_brief.txt").write_text("Brief over de inkoop van jeugdzorg.", encoding="utf-8")
    (folder / "c_brief.txt").write_text("Tweede brief over de inkoop van jeugdzorg.", encoding="utf-8")
    started = time.perf_counter()
    with Docmine(settings.with_overrides(jobs=jobs, file_timeout_s=0.1)) as dm:
        report = dm.ingest([folder])
    seconds = time.perf_counter() - started
    assert report.failed == [
        (
            str(slow),
            "parsing took longer than the time limit of 0.1 s and was stopped "
            "(hint: raise --file-timeout, or lower --max-pages, for this file)",
        )
    ]
    # the worker that was stopped is replaced: the files after it are read
    assert sorted(Path(d.path).name for d in report.ingested) == ["b_brief.txt", "c_brief.txt"]
    assert seconds < 20, f"took {seconds:.1f} s"


def test_max_file_mb_refuses_before_reading(settings, tmp_path: Path) -> None:
    """A file over the limit is neither hashed nor parsed: a sparse file of 3 GB is refused at once."""
    path = tmp_path / "dump.txt"
    with open(path, "wb") as fh:
        fh.truncate(3_000_000_000)
    started = time.perf_counter()
    with Docmine(settings.with_overrides(max_file_mb=1)) as dm:
        report = dm.ingest([path])
    assert time.perf_counter() - started < 2
    assert report.failed == [
        (
            str(path),
            "file is 3000.0 MB, over the 1 MB limit (hint: raise the limit with --max-file-mb if you trust the file)",
        )
    ]

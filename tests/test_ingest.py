"""Ingesting real small files of every format, and every kind of bad file, into a real case file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docfactory import LETTER, make_pdf, make_scanned_pdf

from docmine.ingest.ocr import available_languages
from docmine.service import Docmine

HTML = """<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">
<title>Gemeente Utrecht kiest nieuw inkoopmodel jeugdzorg | Nieuws</title>
<meta property="article:published_time" content="2021-03-04T09:00:00+01:00">
<script>var tracking = "geen inhoud";</script><style>body{color:red}</style></head>
<body><nav><a href="/">Home</a> <a href="/nieuws">Nieuws</a></nav>
<header>Dagblad van het Noorden</header>
<article><h1>Utrecht kiest nieuw inkoopmodel</h1>
<p>De gemeente Utrecht stapt over op een nieuw inkoop model voor de jeugdzorg, zegt wethouder Jan Jansen.</p>
<p>Volgens de wethouder bedragen de uitgaven 160 miljoen euro per jaar.</p></article>
<footer>Copyright 2021 - cookie-instellingen</footer></body></html>"""

EML = (
    "From: Petra de Vries <p.devries@example.nl>\r\nTo: raad@example.nl\r\n"
    "Subject: =?iso-8859-1?q?Co=F6rdinatie_inkoop_jeugdhulp?=\r\nDate: Tue, 2 Mar 2021 10:15:00 +0100\r\n"
    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n"
    "\r\nBeste collega's,\r\n\r\nDe co=F6rdinatie van de inkoop jeugdhulp ligt bij de regio.\r\n"
)

XML = """<?xml version="1.0" encoding="UTF-8"?>
<open-rechtspraak><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:dcterms="http://purl.org/dc/terms/"><rdf:Description>
<dcterms:identifier>ECLI:NL:RBNNE:2021:1234</dcterms:identifier><dcterms:date>2021-05-06</dcterms:date>
<dcterms:creator>Rechtbank Noord-Nederland</dcterms:creator></rdf:Description></rdf:RDF>
<inhoudsindicatie><para>Geschil over de bekostiging van jeugdhulp.</para></inhoudsindicatie>
<uitspraak><para>De rechtbank verklaart het beroep gegrond.</para><para>Het college moet opnieuw beslissen.</para>
</uitspraak></open-rechtspraak>"""


def ingest_one(dm: Docmine, path: Path):
    report = dm.ingest([path])
    docs = [d for d in dm.documents() if d.path == str(path)]
    return report, docs[0] if docs else None


def test_text_pdf_keeps_pages_words_and_metadata(dm: Docmine, tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "brief.pdf", [LETTER, "Tweede pagina over de Jeugdwet.\n\nEinde."])
    report, info = ingest_one(dm, path)
    assert info is not None and info.status == "ok" and info.page_count == 2
    assert info.doc_type == "raadsbrief"
    assert info.date == "2020-12-02"
    assert info.municipality == "GM0014"
    assert report.pages == 2
    _, page = dm.page(info.doc_id, 1)
    assert "jeugdzorgaanbieders" in page.text
    # Every word box points at exactly the characters of that word.
    word = next(w for w in page.words if page.text[w.start : w.end] == "jeugdzorgaanbieders")
    assert 0 < word.x0 < word.x1 <= page.width and 0 < word.top < word.bottom <= page.height
    assert all(page.text[w.start : w.end].strip() == page.text[w.start : w.end] for w in page.words)


def test_html_takes_the_article_not_the_clutter(dm: Docmine, tmp_path: Path) -> None:
    path = tmp_path / "nieuws.html"
    path.write_text(HTML, encoding="utf-8")
    _, info = ingest_one(dm, path)
    assert info.status == "ok" and info.date == "2021-03-04"
    assert info.title == "Gemeente Utrecht kiest nieuw inkoopmodel jeugdzorg | Nieuws"
    text = dm.page(info.doc_id, 1)[1].text
    assert text.startswith("Utrecht kiest nieuw inkoopmodel")
    for clutter in ("tracking", "cookie", "Home", "color:red"):
        assert clutter not in text


def test_email_with_latin1_quoted_printable(dm: Docmine, tmp_path: Path) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(EML.encode("ascii"))
    _, info = ingest_one(dm, path)
    assert (info.status, info.doc_type, info.date) == ("ok", "e-mail", "2021-03-02")
    assert info.title == "Coördinatie inkoop jeugdhulp"
    assert "De coördinatie van de inkoop jeugdhulp ligt bij de regio." in dm.page(info.doc_id, 1)[1].text


def test_rechtspraak_xml(dm: Docmine, tmp_path: Path) -> None:
    path = tmp_path / "uitspraak.xml"
    path.write_text(XML, encoding="utf-8")
    _, info = ingest_one(dm, path)
    assert (info.doc_type, info.date, info.publisher) == ("uitspraak", "2021-05-06", "Rechtbank Noord-Nederland")
    assert info.title.startswith("ECLI:NL:RBNNE:2021:1234")
    assert dm.page(info.doc_id, 1)[1].text == (
        "Geschil over de bekostiging van jeugdhulp.\n\nDe rechtbank verklaart het beroep gegrond.\n\n"
        "Het college moet opnieuw beslissen."
    )


def test_docx(dm: Docmine, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Motie vreemd aan de orde: jeugdzorg", level=1)
    document.add_paragraph("De raad, in vergadering bijeen op 12 mei 2021, verzoekt het college de tekorten te melden.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Fractie"
    table.rows[0].cells[1].text = "GroenLinks"
    path = tmp_path / "motie.docx"
    document.save(str(path))
    _, info = ingest_one(dm, path)
    assert (info.status, info.doc_type, info.date) == ("ok", "motie", "2021-05-12")
    assert "Fractie | GroenLinks" in dm.page(info.doc_id, 1)[1].text


def test_xlsx_sheets_become_pages_and_rows_lines(dm: Docmine, tmp_path: Path) -> None:
    """A Woo inventory as a spreadsheet: its rows are searchable and cited by sheet (page) and offset."""
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Inventaris"
    sheet.append(["Nr", "Datum", "Omschrijving", "Beoordeling", "Weigeringsgrond"])
    sheet.append([12.0, dt.datetime(2022, 3, 4), "Mail over tarieven jeugdhulp Twente", "Deels openbaar", "5.1.2e"])
    sheet.append([None, None, None, None, None])  # an empty row is no line
    book.create_sheet("Toelichting").append(["Gemeente Hengelo, besluit op het Woo-verzoek"])
    path = tmp_path / "inventarislijst.xlsx"
    book.save(path)
    report, info = ingest_one(dm, path)
    assert (info.status, info.format, info.page_count) == ("ok", "xlsx", 2)
    assert dm.page(info.doc_id, 1)[1].text == (
        "Inventaris\nNr | Datum | Omschrijving | Beoordeling | Weigeringsgrond\n"
        "12 | 2022-03-04 | Mail over tarieven jeugdhulp Twente | Deels openbaar | 5.1.2e"
    )
    assert dm.page(info.doc_id, 2)[1].text == "Toelichting\nGemeente Hengelo, besluit op het Woo-verzoek"
    hits = dm.search("tarieven jeugdhulp Twente", mode="text")
    assert (hits[0].ref.doc_id, hits[0].ref.page) == (info.doc_id, 1)


@pytest.mark.parametrize("content", [b"PK\x03\x04 afgebroken", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 versleuteld"])
def test_a_broken_or_encrypted_xlsx_fails_with_a_hint(dm: Docmine, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "inventarislijst.xlsx"
    path.write_bytes(content)  # an encrypted workbook is an OLE container, not a zip
    report = dm.ingest([path])
    assert report.failed == [
        (
            str(path),
            "corrupt, encrypted or not a real .xlsx file (hint: open it in a spreadsheet and save it again as .xlsx)",
        )
    ]


@pytest.mark.parametrize(
    ("name", "content", "encoding", "expected"),
    [
        ("cp1252.txt", "Coördinatie van zorg: € 1,2 miljoen voor café-overleg", "cp1252", "Coördinatie"),
        (
            "latin1.txt",
            "De wethouder sprak over de coördinatie van de jeugdhulp in Súdwest-Fryslân.",
            "latin-1",
            "Súdwest-Fryslân",
        ),
        ("utf16.txt", "Inkoop jeugdhulp in Groningen, één regio.", "utf-16", "één regio"),
        ("bom.md", "\ufeff# Notitie inkoop\n\nDe **nieuwe** inkoop.", "utf-8", "De nieuwe inkoop."),
    ],
)
def test_text_encodings(dm: Docmine, tmp_path: Path, name: str, content: str, encoding: str, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    _, info = ingest_one(dm, path)
    assert info.status == "ok"
    assert expected in dm.page(info.doc_id, 1)[1].text


def test_nul_bytes_in_text_are_dropped(dm: Docmine, tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Inkoop\x00 jeugdhulp in Groningen, met een NUL-byte erin.")
    _, info = ingest_one(dm, path)
    assert dm.page(info.doc_id, 1)[1].text == "Inkoop jeugdhulp in Groningen, met een NUL-byte erin."


def _truncated_pdf(tmp_path: Path) -> Path:
    full = make_pdf(tmp_path / "full.pdf", [LETTER])
    data = full.read_bytes()
    full.unlink()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    return path


BAD_FILES = {
    "empty.pdf": (lambda d: (d / "empty.pdf").write_bytes(b""), "empty file (0 bytes)"),
    "encrypted.pdf": (lambda d: make_pdf(d / "encrypted.pdf", [LETTER], password="geheim"), "encrypted"),
    "truncated.pdf": (_truncated_pdf, None),
    "garbage.pdf": (lambda d: (d / "garbage.pdf").write_bytes(b"\x89\x01\x02" * 500), "corrupt or truncated PDF"),
    "binary.txt": (lambda d: (d / "binary.txt").write_bytes(bytes(range(256)) * 40), "binary content"),
    "image.png": (lambda d: (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50), "unsupported file"),
    "broken.docx": (lambda d: (d / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip"), "corrupt"),
    "broken.xml": (lambda d: (d / "broken.xml").write_text("<?xml version='1.0'?><a><b></a>"), "malformed XML"),
    "blank.txt": (lambda d: (d / "blank.txt").write_text("  \n\n \t \n"), "no text found"),
    # a readable .zip is unpacked (test_archive.py); a damaged one fails (it was "unsupported file type .zip")
    "release.zip": (lambda d: (d / "release.zip").write_bytes(b"PK\x03\x04 afgebroken"), "not a readable zip archive"),
    "release.7z": (lambda d: (d / "release.7z").write_bytes(b"7z\xbc\xaf\x27\x1c"), "e.g. 7z x release.7z -orelease/"),
    "besluit": (lambda d: _zip(d / "besluit"), "unzip besluit -d besluit-unpacked/"),
    "tabel.xlsx": (lambda d: _zip(d / "tabel.xlsx"), "not a real .xlsx file (hint: open it in a spreadsheet"),
}


def _zip(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("besluit.txt", "Het college besluit tot gedeeltelijke openbaarmaking.")


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_fail_with_a_reason_and_the_batch_goes_on(dm: Docmine, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    make, reason = BAD_FILES[name]
    make(folder)
    (folder / "good.txt").write_text("De nieuwe inkoop jeugdhulp gaat in per 1 juli 2022.", encoding="utf-8")
    report = dm.ingest([folder])
    assert [Path(d.path).name for d in report.ingested] == ["good.txt"]
    assert len(report.failed) == 1
    path, error = report.failed[0]
    assert Path(path).name == name
    if reason:
        assert reason in error
    assert "hint:" in error
    listed = {Path(d.path).name: d for d in dm.documents()}
    assert listed[name].status == "failed" and listed[name].error == error


def test_truncated_pdf_never_crashes(dm: Docmine, tmp_path: Path) -> None:
    # pdfminer recovers what it can from a truncated file; either way the outcome is recorded, not raised.
    report = dm.ingest([_truncated_pdf(tmp_path)])
    assert len(report.ingested) + len(report.failed) == 1


def test_mislabelled_pdf_named_txt_is_read_as_pdf(dm: Docmine, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "x.pdf", [LETTER])
    path = tmp_path / "brief.txt"
    shutil.move(pdf, path)
    _, info = ingest_one(dm, path)
    assert info.status == "ok" and info.format == "pdf"
    assert "named .txt but the content is pdf" in info.notes[0]


def test_page_limit_is_reported(settings, tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "lang.pdf", [f"Pagina {i} over jeugdzorg." for i in range(1, 6)])
    with Docmine(settings.with_overrides(max_pages=2)) as dm:
        report = dm.ingest([path])
    assert [d.status for d in report.partial] == ["partial"]
    assert report.partial[0].notes == ("only the first 2 of 5 pages ingested (--max-pages)",)
    assert report.pages == 2


def test_size_limit_is_reported(settings, tmp_path: Path) -> None:
    path = tmp_path / "groot.txt"
    path.write_text("jeugdzorg " * 200_000, encoding="utf-8")
    with Docmine(settings.with_overrides(max_file_mb=1)) as dm:
        report = dm.ingest([path])
    assert report.failed[0][1].startswith("file is 2.0 MB, over the 1 MB limit")


def test_scan_without_ocr_is_marked_needs_ocr(settings, tmp_path: Path) -> None:
    path = make_scanned_pdf(tmp_path / "scan.pdf", ["Besluit op uw Woo-verzoek", "Gemeente Groningen"])
    with Docmine(settings.with_overrides(ocr="never")) as dm:
        report = dm.ingest([path])
        info = dm.documents()[0]
    assert info.status == "needs_ocr"
    assert "tesseract-ocr-nld" in (info.error or "")
    assert [d.path for d in report.needs_ocr] == [str(path)]


@pytest.mark.skipif("nld" not in available_languages(), reason="Tesseract with Dutch (tesseract-ocr-nld) not installed")
def test_scan_is_read_by_ocr(dm: Docmine, tmp_path: Path) -> None:
    lines = [
        "Besluit op uw Woo-verzoek over de inkoop",
        "van jeugdhulp in de gemeente Groningen.",
        "De uitgaven bedragen 160 miljoen euro.",
    ]
    path = make_scanned_pdf(tmp_path / "scan.pdf", lines)
    _, info = ingest_one(dm, path)
    assert info.status == "ok"
    _, page = dm.page(info.doc_id, 1)
    assert page.ocr and page.ocr_confidence is not None and page.ocr_confidence > 0.8
    assert " ".join(page.text.split()) == " ".join(lines)
    first = page.words[0]
    assert page.text[first.start : first.end] == "Besluit" and first.x0 > 0
    assert info.doc_type == "woo-besluit"


def test_reingest_is_a_no_op_and_a_copy_is_a_duplicate(dm: Docmine, tmp_path: Path) -> None:
    a = make_pdf(tmp_path / "a.pdf", [LETTER])
    first = dm.ingest([a])
    again = dm.ingest([a])
    copy = tmp_path / "kopie.pdf"
    shutil.copy(a, copy)
    third = dm.ingest([copy])
    assert (len(first.ingested), len(again.ingested), len(third.ingested)) == (1, 0, 0)
    assert again.duplicates == [(str(a), str(a))]
    assert third.duplicates == [(str(copy), str(a))]
    statuses = sorted((Path(d.path).name, d.status) for d in dm.documents())
    assert statuses == [("a.pdf", "ok"), ("kopie.pdf", "duplicate")]
    assert dm.stats().passages == len(dm.store.passages(range(1, 100)))


def test_the_same_bytes_twice_in_one_run_are_one_document_and_a_duplicate(dm: Docmine, tmp_path: Path) -> None:
    folder = tmp_path / "release"
    folder.mkdir()
    make_pdf(folder / "a.pdf", [LETTER])
    shutil.copy(folder / "a.pdf", folder / "b.pdf")
    report = dm.ingest([folder])
    assert (len(report.ingested), report.failed) == (1, [])
    assert report.duplicates == [(str(folder / "b.pdf"), str(folder / "a.pdf"))]
    statuses = sorted((Path(d.path).name, d.status) for d in dm.documents())
    assert statuses == [("a.pdf", "ok"), ("b.pdf", "duplicate")]


def test_changed_file_is_a_new_document(dm: Docmine, tmp_path: Path) -> None:
    path = tmp_path / "notitie.txt"
    path.write_text("Versie een van de notitie over jeugdhulp.", encoding="utf-8")
    dm.ingest([path])
    path.write_text("Versie twee van de notitie over jeugdhulp.", encoding="utf-8")
    dm.ingest([path])
    assert len({d.doc_id for d in dm.documents()}) == 2


def test_parallel_ingest_matches_serial(settings, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # the first file is the longest, so the workers finish the others first
    for i in range(4):
        page = f"{LETTER}\n\nHet budget voor jeugdhulp bedraagt {i},5 miljoen euro. Volgnummer {i}."
        make_pdf(folder / f"brief{i}.pdf", [page] * (12 if i == 0 else 1))
    runs = []
    for db, jobs in ((tmp_path / "parallel.db", 2), (tmp_path / "serial.db", 1)):
        with Docmine(settings.with_overrides(db=db, jobs=jobs, extract=True)) as dm:
            report = dm.ingest([folder])
            assert len(report.ingested) == 4 and not report.failed
            # stored in file order whatever the workers' order: the same claim numbers on every run
            runs.append([(c.claim_id, c.ref.doc_id, c.ref.page, c.ref.start) for c in dm.claims()])
    assert runs[0] == runs[1] and len({doc for _, doc, _, _ in runs[0]}) == 4


def test_time_limit_is_reported(settings, tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "traag.pdf", [f"Pagina {i} over jeugdzorg." for i in range(1, 6)])
    with Docmine(settings.with_overrides(file_timeout_s=1e-9)) as dm:
        report = dm.ingest([path])
    # Nothing could be read within the limit: recorded as failed, with the limit as the reason.
    assert report.failed == [
        (
            str(path),
            "time limit of 0 s reached after 0 of 5 pages (hint: raise --file-timeout or --max-pages for this file)",
        )
    ]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<doc><p>Inkoop jeugdhulp &lol4; &xxe;</p></doc>"""


def test_hostile_xml_neither_expands_entities_nor_reads_files(dm: Docmine, tmp_path: Path) -> None:
    path = tmp_path / "lolz.xml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    report = dm.ingest([path])
    text = dm.page(dm.documents()[0].doc_id, 1)[1].text if report.ingested else ""
    assert "root:" not in text and text.count("lol") < 100
    assert len(report.ingested) + len(report.failed) == 1


def test_a_long_file_reports_how_far_its_entity_pass_is(settings, tmp_path: Path) -> None:
    """One text of many megabytes held the bar at 0/1 files for minutes; now the entity pass reports the
    characters it has read. A short file is done too soon to be worth a bar."""
    from dataclasses import replace

    from docmine.service import IngestProgress
    from docmine.work import LONG_TEXT_CHARS

    class Heard(IngestProgress):
        def __init__(self) -> None:
            self.calls: list[tuple[str, int, int]] = []

        def reading(self, path: str, done: int, total: int) -> None:
            if total:  # (path, 0, 0) says a worker process has the file (work.HEARTBEAT_S)
                self.calls.append((path, done, total))

    line = "De gemeente Groningen betaalt Jeugdhulp Noord in 2023 EUR 1,2 miljoen voor jeugdhulp.\n"
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "mailbox.txt").write_text(line * (LONG_TEXT_CHARS // len(line) + 200), encoding="utf-8")
    (folder / "brief.txt").write_text(line, encoding="utf-8")
    heard = Heard()
    with Docmine(replace(settings, extract=True)) as dm:
        report = dm.ingest([folder], heard)
    assert len(report.ingested) == 2
    assert {path for path, _, _ in heard.calls} == {str(folder / "mailbox.txt")}
    done = [d for _, d, _ in heard.calls]
    total = heard.calls[0][2]
    assert len(done) > 3 and done == sorted(done) and done[-1] == total >= LONG_TEXT_CHARS

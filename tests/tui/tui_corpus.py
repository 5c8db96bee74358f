"""A small fixed Dutch case file for the TUI tests: seven text/HTML documents and a four-page PDF.

Three of them state the youth care spending of 2020, two as € 160 miljoen and one as € 175 miljoen: a claim to trace.
Entities and claims come from the rules only (``ner_model="none"``), so building the case needs no model.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docmine.config import Settings
from docmine.service import Docmine

FIXED_DATE = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)

LETTER = (
    "Aan de gemeenteraad van Groningen\n\n"
    "Groningen, 2 december 2020\n\n"
    "Geachte leden van de raad,\n\n"
    "Met deze raadsinformatiebrief informeren wij u over de nieuwe inkoop jeugdhulp. De nieuwe inkoop gaat op "
    "zijn vroegst per 1 juli 2022 in. De jeugdzorgaanbieders in de regio zijn hierover geïnformeerd.\n\n"
    "Het Open House inkoopmodel geeft aanbieders ruimte om op elk moment toe te treden.\n"
)

MOTION = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Motie wachtlijsten jeugdzorg</title></head>
<body>
<h1>Motie wachtlijsten jeugdzorg</h1>
<p>De raad van de gemeente Zwolle, in vergadering bijeen op 14 april 2021,</p>
<p>constaterende dat de wachtlijsten in de jeugdzorg oplopen en dat kinderen maanden wachten op hulp;</p>
<p>verzoekt het college de raad elk kwartaal te informeren over de wachtlijsten en de inkoop jeugdhulp,</p>
<p>en gaat over tot de orde van de dag.</p>
</body></html>
"""

WOO = (
    "Besluit op uw Woo-verzoek\n\n"
    "Gemeente Utrecht, 3 maart 2022\n\n"
    "U heeft op grond van de Wet open overheid gevraagd om documenten over de aanbesteding van "
    "specialistische jeugdhulp. Wij maken 12 documenten openbaar. De contractwaarde bedraagt € 4,2 miljoen.\n"
)

LONG_NOTE = (
    "Notitie openbare ruimte\n\n"
    + "".join(
        f"Paragraaf {i}. Het onderhoud van de openbare ruimte in wijk {i} vraagt om planning en overleg.\n\n"
        for i in range(1, 41)
    )
    + "Slot. De zwembadsubsidie wordt verhoogd met € 20.000.\n"
)

REPORT_PAGES = [
    "Rapport evaluatie jeugdhulp regio Noord\n\nDatum: 15 september 2023\n\n"
    "Dit rapport beschrijft de evaluatie van de jeugdhulp in de regio.",
    "Hoofdstuk 1. Inleiding\n\nDe regio kocht jeugdhulp in bij tientallen aanbieders. "
    "Wij spraken met gezinnen, wijkteams en ambtenaren.",
    "Hoofdstuk 2. Aanbesteding\n\nDe aanbestedingsprocedure liep vertraging op. "
    "Het bezwaar van twee aanbieders leidde tot een kort geding bij de rechtbank.",
    "Hoofdstuk 3. Conclusies\n\nDe regio moet de administratieve lasten voor aanbieders verlagen.",
]


ANNUAL = (
    "Jaarverslag sociaal domein 2020\n\n"
    "Gemeente Zwolle, 1 maart 2021\n\n"
    "De uitgaven aan jeugdzorg bedragen in 2020 € 160 miljoen. Dat is meer dan begroot.\n"
)

PROPOSAL = (
    "Raadsvoorstel begroting jeugdzorg\n\n"
    "Gemeente Zwolle, 12 mei 2021\n\n"
    "De wethouder licht de begroting toe.\n\n"
    "De uitgaven aan jeugdzorg bedragen in 2020 € 160 miljoen, aldus de wethouder.\n"
)

PRESS = "Persbericht jeugdzorg\n\nZwolle, 20 juni 2021\n\nDe uitgaven aan jeugdzorg bedragen in 2020 € 175 miljoen.\n"


def make_pdf(path: Path, pages: list[str]) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        for para in text.split("\n\n"):
            pdf.multi_cell(0, 6, para)
            pdf.ln(6)
    pdf.output(str(path))
    return path


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "raadsbrief-inkoop.txt").write_text(LETTER, encoding="utf-8")
    (folder / "motie-wachtlijsten.html").write_text(MOTION, encoding="utf-8")
    (folder / "woo-besluit-aanbesteding.txt").write_text(WOO, encoding="utf-8")
    (folder / "notitie-openbare-ruimte.txt").write_text(LONG_NOTE, encoding="utf-8")
    (folder / "jaarverslag-sociaal-domein.txt").write_text(ANNUAL, encoding="utf-8")
    (folder / "raadsvoorstel-begroting.txt").write_text(PROPOSAL, encoding="utf-8")
    (folder / "persbericht-jeugdzorg.txt").write_text(PRESS, encoding="utf-8")
    make_pdf(folder / "rapport-evaluatie.pdf", REPORT_PAGES)
    return folder


def build_case(root: Path) -> Settings:
    settings = Settings(
        db=root / "case.db", jobs=1, embed=False, extract=True, ner_model="none", cache_dir=root / "cache"
    )
    with Docmine(settings) as dm:
        report = dm.ingest([write_corpus(root / "docs")])
    assert not report.failed, report.failed
    return settings

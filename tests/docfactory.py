"""Real small documents made on the fly: letters as text PDFs, scans as image-only PDFs."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

FIXED_DATE = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)

LETTER = (
    "Aan de gemeenteraad van Groningen\n\n"
    "Groningen, 2 december 2020\n\n"
    "Geachte leden van de raad,\n\n"
    "Met deze raadsinformatiebrief informeren wij u over de nieuwe inkoop jeugdhulp. De nieuwe inkoop gaat op "
    "zijn vroegst per 1-7-2022 in. De jeugdzorgaanbieders in de regio zijn hierover geinformeerd.\n\n"
    "Het Open House inkoopmodel geeft aanbieders ruimte om op elk moment toe te treden."
)


def make_pdf(path: Path, pages: list[str], password: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_font("Helvetica", size=11)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    for text in pages:
        pdf.add_page()
        for para in text.split("\n\n"):
            pdf.multi_cell(0, 6, para.encode("latin-1", "replace").decode("latin-1"))
            pdf.ln(6)
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: Path, lines: list[str], dpi: int = 150) -> Path:
    """An image-only PDF: the text is rendered into a bitmap, there is no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", size=int(dpi * 0.16))
    except OSError:
        font = ImageFont.load_default(size=int(dpi * 0.16))
    y = int(dpi * 0.8)
    for line in lines:
        draw.text((int(dpi * 0.8), y), line, fill=10, font=font)
        y += int(dpi * 0.3)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_page()
    pdf.image(buf, x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return path

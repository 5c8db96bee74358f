"""Generated Woo releases with their truth: a decision letter, an inventory, bundles with stamped numbers and
redaction boxes (the ground printed in them), the same bundles as scans, mixed page sizes, a missing stamp.

Used by the Woo tests (seed 1..) and by scripts/eval_woo.py (held-back seeds 1000..).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path

FIXED_DATE = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
SIZES = {"A4": (595.28, 841.89), "A4L": (841.89, 595.28), "Letter": (612.0, 792.0)}
GROUNDS = ("5.1.2e", "5.1.2e", "5.1.2e", "5.2", "5.1.2i", "5.1.2f", "5.1.1d", "5.1.2a")
COLOURS = ((0, 0, 0), (0, 0, 0), (90, 90, 90), (20, 60, 160), (0, 0, 0))
KINDS = (
    ("Van: {p}@minvws.nl", "E-mail"),
    ("Notitie", "Notitie"),
    ("Verslag overleg", "Verslag"),
    ("Memo", "Memo"),
    ("Nota aan de minister", "Nota"),
)
WORDS = (
    "de gemeente het overleg over de voortgang van het project wordt besproken met de betrokken partijen "
    "en de minister ontvangt een advies over de aanpak in de regio waarbij de planning en de kosten "
    "opnieuw worden bekeken voordat het besluit in de ministerraad komt"
).split()
NAMES = ("Jan de Vries", "Petra Bakker", "Ahmed El Amrani", "Sanne Jansen", "06-12345678", "Karel Visser")
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
DECISION_OF = {"5.1.2e": "Deels openbaar", "5.2": "Deels openbaar"}


@dataclass
class TrueDoc:
    number: str
    file: str
    first_page: int
    last_page: int
    date: str
    description: str
    decision: str
    grounds: list[str]
    stamped: bool = True


@dataclass
class TrueBox:
    file: str
    page: int
    bbox: tuple[float, float, float, float]
    ground: str
    full_page: bool = False


@dataclass
class Release:
    folder: Path
    docs: list[TrueDoc] = field(default_factory=list)
    boxes: list[TrueBox] = field(default_factory=list)
    request_date: str = ""
    decision_date: str = ""
    extended: bool = False
    inventory: str = ""


def _nl(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def make_release(
    folder: Path,
    seed: int,
    scanned: bool = False,
    n_docs: int = 7,
    inventory: str = "pdf",
    marks: dict[int, str] | None = None,
) -> Release:
    """A release in ``folder``: besluit.pdf, inventarislijst.(pdf|xlsx|csv), bundel.pdf (image-only when
    ``scanned``) and one loose document named by its number. ``marks``: a line of text added to the last page of
    bundle document i (0-based), to find it by (the pages are otherwise the same as without it)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rel = Release(folder)
    request = dt.date(2023, 1, 2) + dt.timedelta(days=rng.randrange(300))
    rel.extended = rng.random() < 0.5
    decision = request + dt.timedelta(days=rng.choice([20, 27, 35, 41, 50, 63]))
    rel.request_date, rel.decision_date = request.isoformat(), decision.isoformat()
    _decision_letter(folder / "besluit.pdf", request, decision, rel.extended)
    start = rng.randrange(1, 400)
    numbers = [str(start + i) for i in range(n_docs)]
    missing = rng.randrange(1, n_docs - 1)  # never the first: a bundle starts with a stamp
    page = 1
    bundle_docs = numbers[:-1]
    pages: list[tuple[str, list[list[tuple[str, str | None]]], str | None, bool]] = []
    for i, number in enumerate(bundle_docs):
        n_pages = rng.choice([1, 1, 2, 3])
        size = rng.choice(["A4", "A4", "A4L", "Letter"])
        head, kind = rng.choice(KINDS)
        day = request - dt.timedelta(days=rng.randrange(10, 400))
        stamped = i != missing
        grounds: list[str] = []
        for p in range(n_pages):
            lines = _body(rng, grounds, head.format(p=rng.choice(["j.devries", "p.bakker"])) if p == 0 else None, day)
            if marks and i in marks and p == n_pages - 1:
                lines.append([(marks[i], None)])
            full = p > 0 and rng.random() < 0.1
            pages.append((size, lines, number if (stamped and (p == 0 or rng.random() < 0.5)) else None, full))
            if full:
                grounds.append("5.1.2e")
        desc = f"{kind} {' '.join(rng.sample(WORDS, 4))}"
        decision_word = "Deels openbaar" if grounds else "Openbaar"
        rel.docs.append(
            TrueDoc(
                number,
                "bundel.pdf",
                page,
                page + n_pages - 1,
                day.isoformat(),
                desc,
                decision_word.lower(),
                sorted(set(grounds)),
                stamped,
            )
        )
        page += n_pages
    _bundle(folder / "bundel.pdf", pages, rel, scanned)
    loose = numbers[-1]
    day = request - dt.timedelta(days=rng.randrange(10, 400))
    grounds = []
    lines = _body(rng, grounds, "Notitie", day)
    _bundle(folder / f"{loose}-notitie.pdf", [("A4", lines, None, False)], rel, False)
    rel.docs.append(
        TrueDoc(
            loose,
            f"{loose}-notitie.pdf",
            1,
            1,
            day.isoformat(),
            "Notitie over de planning",
            "deels openbaar" if grounds else "openbaar",
            sorted(set(grounds)),
            False,
        )
    )
    rel.inventory = _inventory(folder, rel.docs, inventory)
    return rel


def _body(rng: random.Random, grounds: list[str], head: str | None, day: dt.date) -> list[list[tuple[str, str | None]]]:
    """Lines of (text, ground): a segment with a ground is removed and boxed."""
    lines: list[list[tuple[str, str | None]]] = []
    if head:
        lines.append([(head, None)])
        lines.append([(f"Datum: {_nl(day)}", None)])
        lines.append([(f"Onderwerp: {' '.join(rng.sample(WORDS, 5))}", None)])
    for _ in range(rng.randrange(8, 16)):
        segs: list[tuple[str, str | None]] = [(" ".join(rng.choices(WORDS, k=rng.randrange(3, 7))), None)]
        if rng.random() < 0.35:
            ground = rng.choice(GROUNDS)
            grounds.append(ground)
            segs.append((rng.choice(NAMES), ground))
            segs.append((" ".join(rng.choices(WORDS, k=rng.randrange(1, 4))), None))
        lines.append(segs)
    return lines


def _bundle(path: Path, pages: list, rel: Release, scanned: bool) -> None:
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_auto_page_break(False)
    for index, (size, lines, stamp, full) in enumerate(pages, start=1):
        w, h = SIZES[size]
        pdf.add_page(format=(w, h))
        pdf.set_text_color(0, 0, 0)
        if stamp:
            pdf.set_font("Helvetica", "B", 11)
            pdf.text(w - 140, 40, f"Document {stamp}")
        pdf.set_font("Helvetica", size=11)
        y = 80.0
        if full:
            box = (56.0, 70.0, w - 56.0, h - 60.0)
            pdf.set_fill_color(0, 0, 0)
            pdf.rect(box[0], box[1], box[2] - box[0], box[3] - box[1], style="F")
            pdf.set_text_color(255, 255, 255)
            pdf.text((box[0] + box[2]) / 2 - 20, (box[1] + box[3]) / 2, "5.1.2e")
            rel.boxes.append(TrueBox(path.name, index, box, "5.1.2e", True))
            continue
        for segs in lines:
            x = 56.0
            for text, ground in segs:
                pdf.set_font("Helvetica", size=11)
                width = pdf.get_string_width(text)
                if ground is None:
                    pdf.set_text_color(0, 0, 0)
                    pdf.text(x, y, text)
                else:
                    box = (x, y - 10.0, x + max(width, 42.0), y + 3.0)
                    colour = COLOURS[zlib.crc32(f"{path.name}{index}{x:.0f}{y:.0f}".encode()) % len(COLOURS)]
                    outlined = colour == (20, 60, 160) and ground.startswith("5.1.2")
                    if outlined:  # an outlined box: the ground printed in it, the text gone
                        pdf.set_draw_color(0, 0, 0)
                        pdf.rect(box[0], box[1], box[2] - box[0], box[3] - box[1], style="D")
                        pdf.set_text_color(0, 0, 0)
                    else:
                        pdf.set_fill_color(*colour)
                        pdf.rect(box[0], box[1], box[2] - box[0], box[3] - box[1], style="F")
                        pdf.set_text_color(255, 255, 255)
                    pdf.set_font("Helvetica", size=8)
                    pdf.text(box[0] + 3, y - 0.5, ground)
                    rel.boxes.append(TrueBox(path.name, index, box, ground))
                    width = box[2] - box[0]
                x += width + 4
            y += 16
            if y > h - 60:
                break
    if not scanned:
        pdf.output(str(path))
        return
    _rasterise(bytes(pdf.output()), path)


def _rasterise(data: bytes, path: Path, dpi: int = 150) -> None:
    """The same pages as image-only PDF pages of the same sizes, as a scanner would deliver them."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    src = pdfium.PdfDocument(data)
    out = FPDF(unit="pt")
    out.set_creation_date(FIXED_DATE)
    for page in src:
        w, h = page.get_size()
        image = page.render(scale=dpi / 72).to_pil().convert("L")
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        out.add_page(format=(w, h))
        out.image(buf, x=0, y=0, w=w, h=h)
    src.close()
    out.output(str(path))


def _decision_letter(path: Path, request: dt.date, decision: dt.date, extended: bool) -> None:
    from fpdf import FPDF

    body = [
        "Ministerie van Volksgezondheid, Welzijn en Sport",
        f"Datum: {_nl(decision)}",
        "Betreft: Besluit op uw Woo-verzoek",
        "",
        "Geachte heer Jansen,",
        f"Bij e-mail van {_nl(request)} heeft u een verzoek ingediend op grond van de Wet open overheid (Woo).",
        "U vraagt om alle documenten over de voortgang van het project.",
    ]
    if extended:
        body.append("Bij brief van later datum is de beslistermijn met twee weken verdaagd.")
    body += [
        "Ik maak de documenten deels openbaar. Persoonsgegevens zijn weggelakt op grond van",
        "artikel 5.1, tweede lid, onder e, van de Woo. Persoonlijke beleidsopvattingen zijn niet",
        "openbaar gemaakt op grond van artikel 5.2 van de Woo.",
        "Hoogachtend,",
        "de minister van Volksgezondheid, Welzijn en Sport",
    ]
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    y = 70.0
    for line in body:
        pdf.text(56, y, line)
        y += 18
    pdf.output(str(path))


def _inventory(folder: Path, docs: list[TrueDoc], kind: str) -> str:
    header = ["Nr.", "Datum", "Omschrijving", "Beoordeling", "Weigeringsgrond"]
    rows = [
        [
            d.number,
            d.date[8:10] + "-" + d.date[5:7] + "-" + d.date[:4],
            d.description,
            d.decision.capitalize(),
            "; ".join(d.grounds),
        ]
        for d in docs
    ]
    if kind == "csv":
        import csv

        path = folder / "inventarislijst.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, delimiter=";").writerows([header, *rows])
        return path.name
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Inventarislijst"])
        sheet.append(header)
        for r in rows:
            sheet.append(r)
        path = folder / "inventarislijst.xlsx"
        book.save(path)
        return path.name
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4", orientation="L")
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.text(40, 40, "Inventarislijst Woo-besluit")
    pdf.set_font("Helvetica", size=9)
    pdf.set_y(60)
    widths = (50, 70, 360, 110, 150)
    with pdf.table(col_widths=widths, width=sum(widths), text_align="LEFT", first_row_as_headings=True) as table:
        for r in [header, *rows]:
            row = table.row()
            for cell in r:
                row.cell(cell)
    path = folder / "inventarislijst.pdf"
    pdf.output(str(path))
    return path.name

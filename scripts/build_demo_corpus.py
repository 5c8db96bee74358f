"""Render the demo corpus sources (corpora/demo/src/*.md) into PDFs and one .docx under corpora/demo/docs/.

Output is byte-for-byte deterministic: fixed metadata dates, seeded scan noise, normalised zip timestamps.
Run: .venv/bin/python scripts/build_demo_corpus.py [--check]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import re
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF, FontFace
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
SRC_DIR = ROOT / "corpora" / "demo" / "src"
OUT_DIR = ROOT / "corpora" / "demo" / "docs"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DISCLAIMER = "Fictief voorbeeld – gemaakt voor de docmine-demo; personen en gebeurtenissen zijn verzonnen."
SCAN_DPI = 150
A4_MM = (210.0, 297.0)


@dataclass(frozen=True)
class Block:
    """One structural piece of a source body: a heading, paragraph, list item, table, meta block, ..."""

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    level: int = 0


@dataclass(frozen=True)
class Source:
    """A parsed source file: front matter plus body blocks."""

    path: Path
    meta: dict[str, str]
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def output(self) -> Path:
        return OUT_DIR / self.meta["output"]

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.meta["created"]).replace(hour=10, tzinfo=UTC)


def parse_source(path: Path) -> Source:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, flags=re.S)
    if match is None:
        raise SystemExit(f"{path}: missing front matter")
    meta = {}
    for line in match.group(1).splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    return Source(path, meta, tuple(parse_body(text[match.end() :])))


def parse_body(body: str) -> Iterator[Block]:
    """Turn the small Markdown dialect of the sources into blocks."""
    lines = body.splitlines()
    i = 0
    para: list[str] = []

    def flush() -> Iterator[Block]:
        if para:
            yield Block("para", " ".join(para))
            para.clear()

    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            yield from flush()
        elif line.startswith("::: "):
            yield from flush()
            kind = line[4:].strip()
            rows: list[tuple[str, ...]] = []
            i += 1
            while lines[i].strip() != ":::":
                key, sep, value = lines[i].partition(": ")
                rows.append((key.strip(), value.strip()) if sep else (lines[i].strip(),))
                i += 1
            yield Block(kind, rows=tuple(rows))
        elif line.startswith("|"):
            yield from flush()
            table_rows: list[tuple[str, ...]] = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = tuple(c.strip() for c in lines[i].strip().strip("|").split("|"))
                if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                    table_rows.append(cells)
                i += 1
            yield Block("table", rows=tuple(table_rows))
            continue
        elif line.startswith("#"):
            yield from flush()
            level = len(line) - len(line.lstrip("#"))
            yield Block("heading", line[level:].strip(), level=level)
        elif line.strip() == "\\pagebreak":
            yield from flush()
            yield Block("pagebreak")
        elif re.match(r"^(- |\d+[.)] |[a-z]\. )", line):
            yield from flush()
            item = [line]
            while i + 1 < len(lines) and lines[i + 1].startswith("  ") and lines[i + 1].strip():
                i += 1
                item.append(lines[i].strip())
            yield Block("item", " ".join(item))
        elif line.startswith("> "):
            yield from flush()
            yield Block("quote", line[2:])
        else:
            para.append(line.strip())
        i += 1
    yield from flush()


class LetterPDF(FPDF):
    """A4 document with a municipal letterhead on page 1, a running head and 'pagina X van Y'."""

    def __init__(self, src: Source) -> None:
        super().__init__(orientation=src.meta.get("orientation", "P"), unit="mm", format="A4")
        self.src = src
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font("DejaVu", "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.add_font("DejaVu", "BI", str(FONT_DIR / "DejaVuSans-BoldOblique.ttf"))
        self.set_margins(22, 20, 22)
        self.set_auto_page_break(True, margin=22)
        self.set_creation_date(src.created)
        self.set_title(src.meta.get("title", src.path.stem))
        self.set_author(src.meta.get("author", src.meta.get("org", "")))
        self.set_subject(DISCLAIMER)
        self.set_creator("docmine scripts/build_demo_corpus.py")
        self.set_lang("nl-NL")

    def header(self) -> None:
        org = self.src.meta.get("org", "")
        if self.page_no() == 1:
            self.set_font("DejaVu", "B", 15)
            self.set_text_color(20, 60, 110)
            self.cell(0, 8, org, new_x="LMARGIN", new_y="NEXT")
            self.set_font("DejaVu", "", 9)
            self.set_text_color(90, 90, 90)
            for key in ("unit", "address"):
                if self.src.meta.get(key):
                    self.cell(0, 4.5, self.src.meta[key], new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(20, 60, 110)
            self.set_line_width(0.6)
            self.line(self.l_margin, self.get_y() + 2, self.w - self.r_margin, self.get_y() + 2)
            self.ln(4)
            self.set_font("DejaVu", "I", 8)
            self.set_text_color(150, 30, 30)
            self.cell(0, 5, DISCLAIMER, new_x="LMARGIN", new_y="NEXT")
            self.ln(4)
        else:
            self.set_font("DejaVu", "", 8)
            self.set_text_color(110, 110, 110)
            running = f"{org} – {self.src.meta.get('title', '')}"
            self.cell(0, 5, running, new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(180, 180, 180)
            self.set_line_width(0.2)
            self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
            self.ln(6)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, f"pagina {self.page_no()} van {{nb}}", align="R")


def render_blocks(pdf: LetterPDF, blocks: tuple[Block, ...], widths: list[float] | None) -> None:
    body = pdf.epw
    for block in blocks:
        if block.kind == "heading":
            size = {1: 15, 2: 12, 3: 10.5}.get(block.level, 10)
            pdf.ln(2 if block.level > 1 else 0)
            pdf.set_font("DejaVu", "B", size)
            pdf.multi_cell(body, size * 0.5, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        elif block.kind == "para":
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(body, 5, block.text, align="L", markdown=True, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)
        elif block.kind == "item":
            marker, _, rest = block.text.partition(" ")
            pdf.set_font("DejaVu", "", 10)
            pdf.set_x(pdf.l_margin + 4)
            pdf.cell(7, 5, "•" if marker == "-" else marker)
            pdf.multi_cell(body - 11, 5, rest, align="L", markdown=True, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif block.kind == "quote":
            pdf.set_font("DejaVu", "I", 10)
            pdf.set_x(pdf.l_margin + 8)
            pdf.multi_cell(body - 16, 5, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block.kind == "meta":
            pdf.set_font("DejaVu", "B", 9.5)
            label = max(38.0, max(pdf.get_string_width(row[0] + ":") for row in block.rows) + 3)
            for row in block.rows:
                pdf.set_font("DejaVu", "B", 9.5)
                pdf.cell(label, 5, row[0] + ":")
                pdf.set_font("DejaVu", "", 9.5)
                pdf.multi_cell(body - label, 5, row[-1], align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        elif block.kind == "signature":
            pdf.ln(4)
            pdf.set_font("DejaVu", "", 10)
            for row in block.rows:
                pdf.multi_cell(body, 5, ": ".join(row), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif block.kind == "table":
            render_table(pdf, block.rows, widths)
        elif block.kind == "pagebreak":
            pdf.add_page()


def render_table(pdf: LetterPDF, rows: tuple[tuple[str, ...], ...], widths: list[float] | None) -> None:
    ncols = len(rows[0])
    col_widths = tuple(widths) if widths and len(widths) == ncols else None
    pdf.set_font("DejaVu", "", 8.5 if ncols > 4 else 9.5)
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.2)
    heading = FontFace(emphasis="BOLD", fill_color=(225, 232, 242))
    with pdf.table(
        col_widths=col_widths,
        text_align="LEFT",
        line_height=4.6,
        headings_style=heading,
        padding=1.2,
        repeat_headings=1,
    ) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(4)


def build_pdf(src: Source) -> bytes:
    pdf = LetterPDF(src)
    pdf.add_page()
    widths = [float(w) for w in src.meta["colwidths"].split(",")] if src.meta.get("colwidths") else None
    render_blocks(pdf, src.blocks, widths)
    return bytes(pdf.output())


def scan_lines(src: Source) -> Iterator[tuple[str, str]]:
    """Flatten the blocks of a scan source into (style, text) lines, one page separator as ('page', '')."""
    yield "org", src.meta.get("org", "")
    for key in ("unit", "address"):
        if src.meta.get(key):
            yield "small", src.meta[key]
    yield "small", DISCLAIMER
    yield "gap", ""
    for block in src.blocks:
        if block.kind == "heading":
            yield "bold", block.text
        elif block.kind in ("para", "quote"):
            yield "text", block.text.replace("**", "")
        elif block.kind == "item":
            yield "item", block.text
        elif block.kind == "meta":
            for row in block.rows:
                yield "text", f"{row[0]}: {row[-1]}"
        elif block.kind == "signature":
            yield "sign", ""
            for row in block.rows:
                yield "text", ": ".join(row)
        elif block.kind == "pagebreak":
            yield "page", ""
        yield "gap", ""


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if font.getlength(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    return [*lines, current] if current else lines


def scan_pages(src: Source, rng: random.Random) -> list[Image.Image]:
    """Typeset the letter onto 150 dpi page images, as a photocopier would see it."""
    px = lambda mm: round(mm / 25.4 * SCAN_DPI)  # noqa: E731
    size = (px(A4_MM[0]), px(A4_MM[1]))
    pt = lambda points: round(points / 72 * SCAN_DPI)  # noqa: E731
    fonts = {
        "org": ImageFont.truetype(str(FONT_DIR / "DejaVuSerif-Bold.ttf"), pt(16)),
        "bold": ImageFont.truetype(str(FONT_DIR / "DejaVuSerif-Bold.ttf"), pt(11)),
        "text": ImageFont.truetype(str(FONT_DIR / "DejaVuSerif.ttf"), pt(10.5)),
        "small": ImageFont.truetype(str(FONT_DIR / "DejaVuSerif.ttf"), pt(8)),
    }
    left, top, width, bottom = px(24), px(22), size[0] - px(48), size[1] - px(25)
    pages: list[Image.Image] = []

    def new_page() -> tuple[Image.Image, ImageDraw.ImageDraw]:
        img = Image.new("L", size, 255)
        return img, ImageDraw.Draw(img)

    page, draw = new_page()
    y = top
    for style, text in scan_lines(src):
        if style == "page" or y > bottom - pt(40):
            pages.append(page)
            page, draw = new_page()
            y = top
            if style == "page":
                continue
        if style == "gap":
            y += pt(6)
            continue
        if style == "sign":
            draw_signature(draw, left + px(5), y + px(2), rng)
            y += px(20)
            continue
        font = fonts.get(style, fonts["text"])
        indent = px(6) if style == "item" else 0
        for line in wrap(text, font, width - indent):
            draw.text((left + indent, y), line, fill=rng.randint(10, 40), font=font)
            y += round(font.size * 1.42)
    pages.append(page)
    return [age_scan(p, rng, n) for n, p in enumerate(pages)]


def draw_signature(draw: ImageDraw.ImageDraw, x: int, y: int, rng: random.Random) -> None:
    points = [(x + i * 9, y + 40 + rng.randint(-22, 22)) for i in range(22)]
    draw.line(points, fill=35, width=3, joint="curve")
    draw.line([(x - 5, y + 66), (x + 200, y + 58)], fill=50, width=2)


def age_scan(page: Image.Image, rng: random.Random, n: int) -> Image.Image:
    """Off-white paper, toner speckles, a slight skew and blur."""
    w, h = page.size
    noise = Image.effect_noise((w, h), 9 + n).point(lambda v: 236 + v // 24)
    paper = Image.new("L", (w, h), 243)
    paper = Image.blend(paper, noise, 0.5)
    ink = page.point(lambda v: 255 if v > 200 else v)
    mask = ink.point(lambda v: 255 - v)
    paper.paste(ink, (0, 0), mask)
    speck = ImageDraw.Draw(paper)
    for _ in range(140):
        sx, sy = rng.randrange(w), rng.randrange(h)
        speck.point((sx, sy), fill=rng.randint(60, 150))
    skew = rng.uniform(-0.6, 0.6)
    paper = paper.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=228)
    return paper.filter(ImageFilter.GaussianBlur(0.45))


def build_scan(src: Source) -> bytes:
    # random.Random seeded from the file name: same noise every run, different per document
    rng = random.Random(int(hashlib.sha256(src.path.name.encode()).hexdigest()[:8], 16))
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_creation_date(src.created)
    pdf.set_creator("Canon iR-ADV C5535 (docmine demo scan)")
    pdf.set_title(src.meta.get("title", src.path.stem))
    pdf.set_margins(0, 0, 0)
    pdf.set_auto_page_break(False)
    for image in scan_pages(src, rng):
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=int(src.meta.get("jpeg_quality", "45")), optimize=True)
        pdf.add_page()
        pdf.image(io.BytesIO(buf.getvalue()), x=0, y=0, w=A4_MM[0], h=A4_MM[1])
    return bytes(pdf.output())


def build_docx(src: Source) -> bytes:
    import docx  # late: only this one output needs python-docx

    document = docx.Document()
    props = document.core_properties
    props.author = src.meta.get("author", src.meta.get("org", ""))
    props.title = src.meta.get("title", "")
    props.created = props.modified = src.created.replace(tzinfo=None)
    props.last_modified_by = props.author
    props.revision = 1
    document.add_paragraph(src.meta.get("org", "")).runs[0].bold = True
    document.add_paragraph(DISCLAIMER).runs[0].italic = True
    for block in src.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=min(block.level, 3))
        elif block.kind in ("para", "quote"):
            document.add_paragraph(block.text.replace("**", ""))
        elif block.kind == "item":
            marker, _, rest = block.text.partition(" ")
            style = "List Bullet" if marker == "-" else None
            document.add_paragraph(rest if style else block.text, style=style)
        elif block.kind in ("meta", "signature"):
            for row in block.rows:
                document.add_paragraph(": ".join(row))
        elif block.kind == "table":
            table = document.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for cells in block.rows:
                for cell, text in zip(table.add_row().cells, cells, strict=True):
                    cell.text = text
    raw = io.BytesIO()
    document.save(raw)
    return normalise_zip(raw.getvalue(), src.created)


def normalise_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite a zip with fixed member timestamps so the .docx bytes do not depend on the clock."""
    out = io.BytesIO()
    stamp = (when.year, when.month, when.day, when.hour, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            zout.writestr(member, zin.read(info.filename))
    return out.getvalue()


BUILDERS = {"letter": build_pdf, "scan": build_scan, "docx": build_docx}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify the outputs are up to date")
    args = parser.parse_args(argv)
    stale = []
    for path in sorted(SRC_DIR.glob("*.md")):
        src = parse_source(path)
        data = BUILDERS[src.meta.get("layout", "letter")](src)
        target = src.output
        if args.check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"{target.relative_to(ROOT)}  {len(data):>8,} B")
    if stale:
        print("out of date:", *(str(p.relative_to(ROOT)) for p in stale), sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The hand-annotated gold sets in ``corpora/gold``: text extraction from ``../shared/data`` and the loader.

The gold files hold references and offsets only. ``document_text`` is the one documented, deterministic way
a shared file becomes text; a gold line points into that text and carries the sha1 of its sentence so any
drift (new pdfplumber, edited source) fails loudly instead of shifting spans silently.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "GOLD_DIR",
    "SHARED_DATA",
    "GoldSentence",
    "GoldDriftError",
    "document_text",
    "iter_documents",
    "gold_hashes",
    "iter_gold",
    "load_gold",
    "segment",
    "sha1",
]

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "corpora" / "gold"
SHARED_DATA = ROOT.parent / "shared" / "data"
LABELS = (
    "MUNICIPALITY", "PROVINCE", "REGION", "PROVIDER", "ORGANIZATION", "PERSON", "MONEY", "DATE", "WOO_GROUND",
    "LAW",
)  # fmt: skip

_WS_NEWLINE = re.compile(r"[ \t\r\f\v\xa0]*\n\s*")
_WS = re.compile(r"[ \t\r\f\v\xa0]+")
# sentence ends: . ! ? followed by space and an upper-case letter/digit/quote, or a blank line, or a line
# that ends without punctuation before a line starting upper-case (headings, table rows)
_SENT_END = re.compile(r"(?<=[.!?;:])\s+(?=[\"'‘“(A-ZÀ-Þ0-9•-])|\n\s*\n|\n(?=\s*[-•*#|]|\s*\d+[.)]\s)")
_ABBREV = re.compile(
    r"(?:\b(?:o\.a|i\.v\.m|m\.b\.t|t\.a\.v|n\.a\.v|d\.d|e\.d|jl|art|nr|nrs|blz|mr|drs|dr|ir|ing|prof|dhr|mw|"
    r"mevr|Art|Nr|Bijl|St|Stb|Stcrt|bijv|resp|ca|incl|excl|vs|cf|zgn|z\.g\.a\.v|i\.c|c\.q|m\.n|a\.s|t\.b\.v|e\.a|"
    r"[A-Z])\.)$"
)


class GoldDriftError(RuntimeError):
    """A gold sentence no longer matches the shared text it points to."""


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """One gold sentence: its text, its ``(start, end, label)`` spans and where it came from."""

    text: str
    spans: list[tuple[int, int, str]]
    source: str
    locator: dict[str, object]
    start: int
    end: int
    sha1: str


def sha1(text: str) -> str:
    """Hex sha1 of the UTF-8 bytes of ``text``."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _normalise_ws(text: str) -> str:
    """Whitespace runs holding a newline become one newline, other runs one space; ends stripped."""
    return _WS.sub(" ", _WS_NEWLINE.sub("\n", text)).strip()


def _pdf_page(path: Path, page: int) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return pdf.pages[page - 1].extract_text() or ""


def _html(path: Path) -> str:
    import lxml.html

    root = lxml.html.fromstring(path.read_bytes())
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    return _normalise_ws(root.text_content())


def _ruling(path: Path) -> str:
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    blocks: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = etree.QName(el).localname
        if name not in {"para", "title", "inhoudsindicatie"} or name == "inhoudsindicatie" and len(el):
            continue
        if any(isinstance(a.tag, str) and etree.QName(a).localname in {"para", "title"} for a in el.iterancestors()):
            continue
        text = " ".join("".join(el.itertext()).split())
        if text:
            blocks.append(text)
    return "\n".join(blocks)


def document_text(source: str, locator: dict[str, object], data_dir: Path = SHARED_DATA) -> str:
    """The text a gold line points into.

    * ``*.jsonl`` (BEIR corpus): the ``text`` of the record whose ``_id`` is ``locator["_id"]``, as is.
    * ``*.pdf``: pdfplumber ``extract_text()`` of page ``locator["page"]`` (1-based), as is.
    * ``*.html``: lxml ``text_content()`` without script/style, whitespace normalised (``_normalise_ws``).
    * ``*.xml`` (Rechtspraak): each outermost ``para``/``title`` element (and a childless
      ``inhoudsindicatie``), its text with whitespace collapsed, joined by newlines.
    * ``*.md`` and other text files: the UTF-8 file content, as is.
    """
    path = data_dir / source
    if source.endswith(".jsonl"):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record["_id"] == locator["_id"]:
                    return str(record["text"])
        raise GoldDriftError(f"{source}: no record {locator['_id']}")
    if source.endswith(".pdf"):
        return _pdf_page(path, int(str(locator["page"])))
    if source.endswith(".html"):
        return _html(path)
    if source.endswith(".xml"):
        return _ruling(path)
    return path.read_text(encoding="utf-8")


def segment(text: str) -> list[tuple[int, int]]:
    """Deterministic sentence offsets: cut after . ! ? ; : before a capital, at blank lines and list items."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if _ABBREV.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in bounds:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def iter_documents(data_dir: Path = SHARED_DATA) -> Iterator[tuple[str, dict[str, object], str]]:
    """``(source, locator, text)`` for every modern government text in the shared data used here.

    Laws dated before 2000 in their title/BWB header are skipped; rulings only when they mention
    ``gemeente`` or ``jeugd``.
    """
    council = data_dir / "docs" / "council-denhelder"
    for path in sorted(council.glob("*.html")):
        yield str(path.relative_to(data_dir)), {}, document_text(str(path.relative_to(data_dir)), {}, data_dir)
    for path in sorted([*council.glob("*.pdf"), *(data_dir / "docs" / "wob-inventories").glob("*.pdf")]):
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        for page in range(1, pages + 1):
            rel = str(path.relative_to(data_dir))
            yield rel, {"page": page}, document_text(rel, {"page": page}, data_dir)
    for path in sorted((data_dir / "docs" / "laws").glob("*.md")):
        if path.name in OLD_LAWS:
            continue
        yield str(path.relative_to(data_dir)), {}, path.read_text(encoding="utf-8")
    for path in sorted((data_dir / "docs" / "rulings").glob("*.xml")):
        rel = str(path.relative_to(data_dir))
        text = document_text(rel, {}, data_dir)
        if re.search(r"gemeente|jeugd", text, re.IGNORECASE):
            yield rel, {}, text
    corpus = data_dir / "retrieval" / "kamervragen" / "corpus.jsonl"
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            yield str(corpus.relative_to(data_dir)), {"_id": record["_id"]}, str(record["text"])


# laws whose text dates from before 2000 (Gemeentewet 1992, Wob 1991, Awb 1992, Wgr 1984, Fvw 1996, old
# Wob regulations): older drafting style, kept out of "modern" text
OLD_LAWS = frozenset(
    {
        "wet_gemeentewet_BWBR0005416.md",
        "wet_wet_openbaarheid_van_bestuur_BWBR0005252.md",
        "wet_algemene_wet_bestuursrecht_BWBR0005537.md",
        "wet_wet_gemeenschappelijke_regelingen_BWBR0003740.md",
        "wet_financiele-verhoudingswet_BWBR0008290.md",
        "AMvB_besluit_tarieven_openbaarheid_van_bestuur_BWBR0005869.md",
        "ministeriele-regeling_regeling_ter_uitvoering_van_de_wet_openbaarheid_van_bestuur__binnenlandse_etc_BWBR0003524.md",
        "ministeriele-regeling_regeling_aanvullende_uitkering_gemeentefonds_BWBR0008324.md",
    }
)


def load_gold(path: Path | str, data_dir: Path = SHARED_DATA) -> Iterator[GoldSentence]:
    """Each gold line as a ``GoldSentence``; raises ``GoldDriftError`` when a sentence's sha1 changed."""
    cache: dict[tuple[str, str], str] = {}
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            key = (row["source"], json.dumps(row["locator"], sort_keys=True))
            if key not in cache:
                cache[key] = document_text(row["source"], row["locator"], data_dir)
            text = cache[key][row["start"] : row["end"]]
            if sha1(text) != row["sha1"]:
                raise GoldDriftError(f"{path}:{number}: sha1 mismatch for {row['source']} {row['locator']}")
            spans = [(int(s), int(e), str(label)) for s, e, label in row["spans"]]
            for s, e, label in spans:
                if not (0 <= s < e <= len(text)) or label not in LABELS:
                    raise GoldDriftError(f"{path}:{number}: bad span {s}-{e} {label}")
            yield GoldSentence(text, spans, row["source"], row["locator"], row["start"], row["end"], row["sha1"])


def iter_gold(path: Path | str, data_dir: Path = SHARED_DATA) -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
    """``(text, spans)`` for each sentence of a gold file, sha1-checked (see ``load_gold``)."""
    for sentence in load_gold(path, data_dir):
        yield sentence.text, sentence.spans


def gold_half(source: str, locator: dict[str, object]) -> str:
    """``"train"`` or ``"tune"``: a fixed hash of the sentence's document, so a document's sentences share a half.

    Splits ``tune.jsonl`` for the NER model: it may train on the ``train`` half; choices are made on the ``tune``
    half. ``dev.jsonl`` is not split: it is only scored.
    """
    key = f"{source}#{locator.get('_id', '')}"
    return "train" if int(sha1(key)[:8], 16) % 2 == 0 else "tune"


def gold_hashes(*paths: Path) -> set[str]:
    """sha1s of every sentence in the given gold files (read without touching the shared data)."""
    hashes: set[str] = set()
    for path in paths:
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                hashes.update(json.loads(line)["sha1"] for line in handle if line.strip())
    return hashes

"""Word documents (.docx): paragraphs and tables in body order."""

from __future__ import annotations

import io

from docmine.errors import IngestError
from docmine.ingest.limits import Deadline, Limits
from docmine.ingest.parsed import Parsed


def parse_docx(path: str, data: bytes, limits: Limits | None = None, deadline: Deadline | None = None) -> Parsed:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(path, "corrupt or not a real .docx file", "open and re-save it in a word processor") from exc
    blocks: list[str] = []
    title = ""
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text.strip():
                blocks.append(text)
                style = child.xpath("string(./w:pPr/w:pStyle/@w:val)")
                if not title and (style.lower().startswith(("heading", "kop", "title", "titel"))):
                    title = text.strip()
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = [
                        "".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")).strip()
                        for cell in row
                        if cell.tag.endswith("}tc")
                    ]
                    if any(cells):
                        blocks.append(" | ".join(cells))
    core_title = (document.core_properties.title or "").strip()
    return Parsed(pages=[], title=core_title or title).paginate("\n\n".join(blocks), limits, deadline)

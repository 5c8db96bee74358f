"""XML as text; Rechtspraak rulings (open-rechtspraak) get their ECLI, date, court and type."""

from __future__ import annotations

from typing import Any

from docmine.errors import IngestError
from docmine.ingest.limits import Deadline, Limits
from docmine.ingest.parsed import Parsed

_PARA = {"para", "p", "title", "paragroup", "alinea", "li", "al", "kop", "titel"}


def parse_xml(path: str, data: bytes, limits: Limits | None = None, deadline: Deadline | None = None) -> Parsed:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(path, f"malformed XML ({exc.msg})", "check that the file is complete") from exc
    if root is None:
        raise IngestError(path, "empty XML document", "check that the file is complete")
    parsed = Parsed(pages=[])
    body = root
    if _local(root.tag) == "open-rechtspraak":
        parsed.doc_type = "uitspraak"
        ident = _first(root, "identifier")
        parsed.date = _first(root, "date") or None
        parsed.publisher = _first(root, "creator") or None
        title = _first(root, "title")
        parsed.title = " ".join(x for x in (ident, title) if x) or ident
        for name in ("uitspraak", "conclusie"):
            found = [el for el in root.iter() if isinstance(el.tag, str) and _local(el.tag) == name]
            if found:
                body = found[0]
                break
        summary = [el for el in root.iter() if isinstance(el.tag, str) and _local(el.tag) == "inhoudsindicatie"]
        blocks = [_text(summary[0])] if summary else []
        blocks += _blocks(body)
    else:
        blocks = _blocks(body)
    return parsed.paginate("\n\n".join(b for b in blocks if b.strip()), limits, deadline)


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _first(root: Any, name: str) -> str:
    for el in root.iter():
        if isinstance(el.tag, str) and _local(el.tag) == name and (el.text or "").strip():
            return str(el.text).strip()
    return ""


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _blocks(root: Any) -> list[str]:
    """One block per paragraph-like element; text outside them becomes its own block."""
    blocks: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if _local(el.tag) in _PARA and not any(
            isinstance(a.tag, str) and _local(a.tag) in _PARA for a in el.iterancestors()
        ):
            text = _text(el)
            if text:
                blocks.append(text)
    if not blocks:
        text = "\n".join(t.strip() for t in root.itertext() if t.strip())
        blocks = [text] if text else []
    return blocks

"""Saved web pages and council pages: the main content (article/main), block elements as paragraphs."""

from __future__ import annotations

import re
from typing import Any

from docmine.errors import IngestError
from docmine.ingest.limits import Deadline, Limits
from docmine.ingest.parsed import Parsed
from docmine.ingest.text import decode

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_SKIP = {
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "svg",
    "iframe",
    "template",
    "button",
    "select",
    "head",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "address",
    "hr",
    "br",
    "td",
    "th",
}
_DATE_META = (
    "article:published_time",
    "date",
    "dcterms.date",
    "dcterms.created",
    "dc.date",
    "pubdate",
    "publication_date",
    "og:published_time",
    "dcterms.issued",
)


def decode_html(data: bytes, path: str) -> str:
    match = _CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), errors="strict").replace("\x00", "")
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, path)


def parse_html(path: str, data: bytes, limits: Limits | None = None, deadline: Deadline | None = None) -> Parsed:
    import lxml.html
    from lxml import etree

    text = decode_html(data, path)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        raise IngestError(path, "empty HTML page", "check that the page was saved completely")
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(path, f"unreadable HTML ({exc})", "check that the page was saved completely") from exc
    title = _title(root)
    date = _meta_date(root)
    publisher = _meta(root, ("og:site_name", "author", "dcterms.publisher", "dcterms.creator"))
    content = _main(root)
    chunks: list[str] = []
    headings = root.xpath("//h1")
    if headings and headings[0] not in content.iter():  # the page title sits outside the text block
        _walk(headings[0], chunks)
    _walk(content, chunks)
    body = re.sub(r"[ \t\u00a0]+", " ", "".join(chunks))
    body = re.sub(r" *\n *", "\n", body)
    news = _is_news(root)
    parsed = Parsed(pages=[], title=title, date=date, publisher=publisher, doc_type="nieuwsartikel" if news else None)
    return parsed.paginate(body, limits, deadline)


def _title(root: Any) -> str:
    for xpath in ("//meta[@property='og:title']/@content", "//title/text()", "//h1//text()"):
        values = [v.strip() for v in root.xpath(xpath) if v.strip()]
        if values:
            return " ".join(values[:1] if xpath != "//h1//text()" else values)[:300]
    return ""


def _meta(root: Any, names: tuple[str, ...]) -> str | None:
    for name in names:
        for attr in ("name", "property"):
            values = root.xpath(
                f"//meta[translate(@{attr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                f"'abcdefghijklmnopqrstuvwxyz')='{name}']/@content"
            )
            values = [v.strip() for v in values if v.strip()]
            if values:
                return str(values[0])
    return None


def _meta_date(root: Any) -> str | None:
    value = _meta(root, _DATE_META)
    if not value:
        times = root.xpath("//time/@datetime")
        value = times[0] if times else None
    if value and re.match(r"\d{4}-\d{2}-\d{2}", value):
        return str(value[:10])
    return None


def _is_news(root: Any) -> bool:
    """A saved news page: og:type article, NewsArticle data, or a dated page with an article block."""
    if (_meta(root, ("og:type",)) or "").lower() == "article":
        return True
    if any("NewsArticle" in (script.text or "") for script in root.xpath("//script[@type='application/ld+json']")):
        return True
    dated = _meta_date(root) is not None
    has_article = bool(root.xpath("//article | //*[contains(@class, 'article-body')]"))
    return dated and has_article


def _main(root: Any) -> Any:
    """The main content: <article>, <main> or role=main; else the block that holds most of the page's text."""
    for xpath in ("//article", "//main", "//*[@role='main']"):
        found = root.xpath(xpath)
        if found:
            return max(found, key=lambda n: len(n.text_content()))
    body = root.xpath("//body")
    node = body[0] if body else root
    sizes: dict[Any, int] = {}
    _text_size(node, sizes)
    # Go down while one child holds most of the text: site menus, legends and address footers are side blocks,
    # while an agenda or article is the one child that carries the page (council pages use no <article>).
    while True:
        children = [c for c in node if c in sizes]
        if not children:
            return node
        best = max(children, key=lambda c: sizes[c])
        if sizes[best] < _DOMINANT * sizes[node]:
            return node
        node = best


_DOMINANT = 0.75  # the share of its parent's text a block needs to count as the page's content


def _text_size(node: Any, sizes: dict[Any, int]) -> int:
    """Characters of visible text under ``node`` (outside skipped elements), recorded for every element."""
    total = len("".join((node.text or "").split()))
    for child in node:
        if isinstance(child.tag, str) and child.tag not in _SKIP:
            total += _text_size(child, sizes)
        total += len("".join((child.tail or "").split()))
    sizes[node] = total
    return total


def _walk(node: Any, out: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in _SKIP or not isinstance(node.tag, str):
        return
    block = tag in _BLOCK
    if block:
        out.append("\n\n" if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote") else "\n")
    if node.text:
        out.append(node.text)
    for child in node:
        _walk(child, out)
        if child.tail:
            out.append(child.tail)
    if tag in ("td", "th"):
        out.append(" \t")
    elif block:
        out.append("\n")

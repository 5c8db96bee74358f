"""Snippets: the window of a passage with the most query matches, and the spans to highlight in it."""

from __future__ import annotations

from docmine.nlp.analyzer import Analyzer, tokens

WINDOW = 240


def matched_spans(
    text: str, terms: frozenset[str], prefixes: tuple[str, ...], analyzer: Analyzer
) -> list[tuple[int, int, str]]:
    """(start, end, term) for every token of ``text`` whose index terms meet the query."""
    spans = []
    for tok in tokens(text):
        hit = next((t for t in analyzer.terms(tok.norm) if t in terms), None)
        if hit is None and prefixes:
            hit = next((p for p in prefixes if tok.norm.startswith(p)), None)
        if hit is not None:
            spans.append((tok.start, tok.end, hit))
    return spans


def make_snippet(
    text: str, spans: list[tuple[int, int, str]], width: int = WINDOW
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Cut the ``width`` characters around the densest run of matches; marks are offsets into the snippet."""
    if len(text) <= width:
        start, end = 0, len(text)
    else:
        best, best_count = 0, -1
        for i, (s, _, _) in enumerate(spans):
            count = len({t for (ss, _, t) in spans[i:] if ss < s + width})
            if count > best_count:
                best, best_count = s, count
        start = max(0, best - width // 4)
        end = min(len(text), start + width)
        start = max(0, end - width)
        while start > 0 and not text[start - 1].isspace() and best - start < width // 3:
            start -= 1
        while end < len(text) and not text[end].isspace() and end - start < width + 30:
            end += 1
    raw = text[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    body = " ".join(raw.split())
    # Whitespace collapsing shifts offsets: map marks through the collapsed text.
    marks: list[tuple[int, int]] = []
    mapping = _collapse_map(raw)
    for s, e, _ in spans:
        if s >= start and e <= end:
            ms, me = mapping[s - start], mapping[e - start - 1] + 1
            marks.append((ms + len(prefix), me + len(prefix)))
    return prefix + body + suffix, tuple(marks)


def _collapse_map(raw: str) -> list[int]:
    """Offset in ``raw`` -> offset in ``" ".join(raw.split())``."""
    out: list[int] = []
    pos = -1
    in_space = True
    for ch in raw:
        if ch.isspace():
            if not in_space:
                pos += 1
                in_space = True
            out.append(max(pos, 0))
        else:
            pos += 1
            in_space = False
            out.append(pos)
    return out


def render_marked(
    snippet: str, marks: tuple[tuple[int, int], ...], open_: str = "<mark>", close: str = "</mark>"
) -> str:
    out = []
    last = 0
    for s, e in sorted(marks):
        if s < last:
            continue
        out.append(snippet[last:s])
        out.append(open_ + snippet[s:e] + close)
        last = e
    out.append(snippet[last:])
    return "".join(out)

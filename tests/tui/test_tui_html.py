"""A council page without <article>: ingest keeps the agenda, not the site menu, and the TUI opens on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static
from tui_pilot import settle

from docmine.config import Settings
from docmine.service import Docmine
from docmine.tui.app import DocmineApp
from docmine.tui.screens.document import DocumentScreen
from docmine.tui.widgets.page_view import PageView

pytestmark = pytest.mark.anyio

MENU = "".join(f'<li><a href="/m{i}">Menu-item {i} raadsinformatie</a></li>' for i in range(10))
LEGEND = "".join(f'<li><a href="/s{i}">Documentsoort {i}</a></li>' for i in range(25))
AGENDA = "".join(
    f'<li class="agendaRow"><div class="first"><a href="/a{i}">{i}</a></div><div class="title"><h3>'
    f'<a href="/a{i}">Agendapunt {i}: voorstel over de begroting van het zwembad en de jeugdzorg.</a></h3>'
    f"<em>Het college stelt de raad voor het krediet van {i} ton beschikbaar te stellen voor onderhoud.</em>"
    "</div></li>"
    for i in range(1, 13)
)
# Laid out as the Den Helder council site is: the menu, a legend and an address footer beside an agenda list,
# no <nav>, <main> or <article>, and the only <p> elements in the footer.
PAGE = f"""<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Gemeenteraad 31 augustus</title>
<script>jwplayer.key="abc";</script></head>
<body><div id="page"><div class="container"><div id="content">
<div id="pageHead"><div class="actions"><h2>Legenda</h2><ul>{LEGEND}</ul></div></div>
<div id="agendapunten"><h2>Agenda</h2><ul class="vergadering">{AGENDA}</ul></div>
</div></div><div id="header"><div class="menuHolder"><ul>{MENU}</ul></div></div></div>
<div id="footer"><div class="container"><p>Raadsgriffie gemeente Den Helder, Drs. F. Bijlweg 20, Postbus 36,
1780 AA Den Helder. Telefoon 14 0223, fax (0223) 67 12 01, e-mail griffie@denhelder.nl.</p>
<p>Bezoekadres: stadhuis, Drs. F. Bijlweg 20. Open van maandag tot en met vrijdag.</p></div></div>
</body></html>"""


@pytest.fixture
def council(tmp_path: Path) -> Iterator[tuple[Docmine, str]]:
    settings = Settings(
        db=tmp_path / "case.db", jobs=1, embed=False, extract=False, ner_model="none", cache_dir=tmp_path / "cache"
    )
    path = tmp_path / "vergadering.html"
    path.write_text(PAGE, encoding="utf-8")
    with Docmine(settings) as dm:
        report = dm.ingest([path])
        assert not report.failed, report.failed
        (info,) = dm.documents()
        yield dm, info.doc_id


def test_ingest_keeps_the_agenda_and_drops_menu_legend_and_footer(council: tuple[Docmine, str]) -> None:
    dm, doc_id = council
    text = "\n".join(dm.page(doc_id, n)[1].text for n in range(1, dm.page(doc_id, 1)[0].page_count + 1))
    for i in range(1, 13):
        assert f"Agendapunt {i}: voorstel" in text
        assert f"krediet van {i} ton" in text
    for clutter in ("Menu-item", "Documentsoort", "Bijlweg", "jwplayer"):
        assert clutter not in text
    assert "Agendapunt 1: voorstel" in dm.page(doc_id, 1)[1].text[:40]


async def test_the_document_screen_opens_with_the_agenda_in_view(council: tuple[Docmine, str]) -> None:
    dm, doc_id = council
    app = DocmineApp(dm)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(DocumentScreen(doc_id))
        await settle(pilot)
        view = app.screen.query_one(PageView)
        shown = [p for p in view.query(Static) if view.scrollable_content_region.overlaps(p.region)]
        words = " ".join(str(p.render()) for p in shown)
        assert "Agendapunt 1: voorstel" in words
        assert "Menu-item" not in words and "Documentsoort" not in words

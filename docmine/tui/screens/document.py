"""The document screen: one page with the hit marked, page navigation, metadata, entities, and claims to trace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from docmine.display import Namer, place_text
from docmine.errors import DocmineError
from docmine.model import DocInfo, Page, Word, short_id
from docmine.tui.facts import Span, mention_spans
from docmine.tui.messages import Failed, ImageReady, PageData, PageLoaded
from docmine.tui.screens.base import DocmineScreen
from docmine.tui.screens.dialogs import PromptDialog
from docmine.tui.widgets.page_image import PageImage, half_blocks, renderer_name, shades
from docmine.tui.widgets.page_view import PageView, label_style, word_spans

NOT_YET = "not available yet"


class DocumentScreen(DocmineScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="back to the results, as you left them"),
        Binding("n,right", "next_page", "Next", tooltip="next page"),
        Binding("p,left", "prev_page", "Prev", tooltip="previous page"),
        Binding("g", "goto_page", "Go to", tooltip="go to page"),
        Binding("i", "toggle_image", "Image", tooltip="the page image with the hit boxed, or back to the text"),
        Binding("o", "open_original", "Open", tooltip="open the original file at this page (a PDF: marked)"),
        Binding("c", "focus_claims", "Claims", tooltip="to the claims on this page"),
        Binding("t", "trace_claim", "Trace", tooltip="trace the highlighted claim to its sources"),
    ]

    def __init__(
        self,
        doc_id: str,
        page: int = 1,
        hit: tuple[int, int] | None = None,
        words: tuple[str, ...] = (),
        exact: bool = False,
        image: bool = False,
    ) -> None:
        super().__init__()
        self.exact = exact
        self.start_image = image  # open on the page image (a redaction chosen in the release view)
        self.page_claims: list[Any] = []  # the claims listed, on the page shown
        self.doc_id = doc_id
        self.number = page
        self.hit_page = page if hit else None
        self.hit = hit
        self.words = words
        self.info: DocInfo | None = None
        self.facts: tuple[list[Span] | None, list[Any] | None] | None = None  # the document's, fetched once
        self.page: Page | None = None
        self.image = False  # i: the rendered page with the boxes, instead of its text
        self.image_width = 60

    def compose(self) -> ComposeResult:
        with Horizontal(id="doc-head"):
            yield Label("", id="doc-title", markup=False)
            yield Label("", id="page-label")
        with Horizontal(id="doc-body"):
            yield PageView(id="page")
            yield PageImage(id="page-image")
            with VerticalScroll(id="side"):
                yield Static("", id="meta", markup=False)
                yield Label("Entities", classes="panel-title")
                yield Static("", id="entities")
                yield Label("Claims", classes="panel-title")
                yield Static("", id="claims")
                yield ClaimList(id="claim-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PageImage).display = False
        self.load(self.number)

    # -- loading ------------------------------------------------------------------------------------

    def load(self, number: int) -> None:
        self.query_one("#page-label", Label).update(f"pagina {number} …")
        self.load_page(number)

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def load_page(self, number: int) -> None:
        dm = self.app.dm
        try:
            info, page = dm.page(self.doc_id, number)
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        mentions, claims = self.facts if self.facts is not None else (None, None)
        try:  # entities and claims are extras: without them the page still shows
            if self.facts is None and hasattr(dm, "mentions"):
                mentions = mention_spans(dm.mentions(doc_id=info.doc_id))
            if self.facts is None and hasattr(dm, "claims"):
                claims = dm.claims(doc_id=info.doc_id)
        except DocmineError as exc:
            self.app.call_from_thread(self.notify, exc.message, title="entities", severity="warning")
        self.post_message(PageLoaded(PageData(info, page, mentions, claims)))

    async def on_page_loaded(self, message: PageLoaded) -> None:
        data = message.data
        self.info, self.number, self.page = data.info, data.page.number, data.page
        self.facts = (data.mentions, data.claims)
        title = data.info.title or Path(data.info.path).name
        self.query_one("#doc-title", Label).update(title)
        self.query_one("#page-label", Label).update(f"pagina {self.number} van {data.info.page_count}")
        on_page = [m for m in data.mentions or () if m.page == self.number]
        hit = self.hit if self.number == self.hit_page else None
        reflow = data.info.format == "pdf"  # PDF lines end where the page's column did, not where sentences do
        target = await self.query_one(PageView).show(
            data.page, hit, self.words, on_page, exact=self.exact, reflow=reflow
        )
        if self.start_image and data.info.format == "pdf":
            self.start_image = False
            self.action_toggle_image()
        elif self.image:
            self.render_image(self.number, self.image_width)
        view = self.query_one(PageView)
        if target is not None:
            # Paragraph heights are known only after the wrapped text is laid out: scroll after that refresh.
            self.call_after_refresh(self.call_after_refresh, view.scroll_to_widget, target, animate=False, top=True)
        else:
            view.scroll_home(animate=False)
        self.query_one("#meta", Static).update(meta_text(data.info, data.page, self.app.dm.municipality_name))
        self.query_one("#entities", Static).update(entities_text(on_page if data.mentions is not None else None))
        self.show_claims(data.claims)

    def on_failed(self, message: Failed) -> None:
        # Textual also runs DocmineScreen.on_failed (handlers run along the MRO): calling it here showed the modal twice
        if self.info is not None:
            self.query_one("#page-label", Label).update(f"pagina {self.number} van {self.info.page_count}")

    def show_claims(self, claims: list[Any] | None) -> None:
        """Claims on this page as a list to trace from; a line of text when there are none."""
        self.page_claims = [c for c in claims or () if c.ref.page == self.number]
        self.query_one("#claims", Static).update(claims_text(claims, self.number))
        listing = self.query_one(ClaimList)
        listing.set_options(Option(claim_prompt(c), id=str(i)) for i, c in enumerate(self.page_claims))
        listing.display = bool(self.page_claims)
        if self.page_claims:
            listing.highlighted = 0

    # -- actions ------------------------------------------------------------------------------------

    def action_focus_claims(self) -> None:
        if self.page_claims:
            self.query_one(ClaimList).focus()
        else:
            self.app.bell()

    def action_trace_claim(self) -> None:
        """Trace the highlighted claim (the first on the page when the list has no highlight)."""
        if not self.page_claims:
            self.app.show_error(DocmineError("there is no claim on this page to trace", "go to a page with claims"))
            return
        index = self.query_one(ClaimList).highlighted or 0
        self.trace(self.page_claims[index])

    @on(OptionList.OptionSelected, "#claim-list")
    def _claim_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.trace(self.page_claims[event.option_index])

    def trace(self, claim: Any) -> None:
        if claim.claim_id is None:
            self.app.open_trace(statement=claim.sentence)
        else:
            self.app.open_trace(claim_id=claim.claim_id)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_next_page(self) -> None:
        if self.info is not None and self.number < self.info.page_count:
            self.load(self.number + 1)
        else:
            self.app.bell()

    def action_prev_page(self) -> None:
        if self.number > 1:
            self.load(self.number - 1)
        else:
            self.app.bell()

    def action_goto_page(self) -> None:
        total = self.info.page_count if self.info else "?"
        self.app.push_screen(PromptDialog(f"Go to page (1-{total})", str(self.number)), self._goto)

    def _goto(self, value: str | None) -> None:
        if value is None:
            return
        if not value.isdigit():
            self.app.show_error(DocmineError(f"{value!r} is not a page number", "type a number such as 3"))
            return
        self.load(int(value))

    def marked(self) -> list[tuple[int, int]]:
        """The spans marked on the page shown: the words of the hit, or the whole span when ``exact``."""
        if self.hit is None or self.page is None or self.number != self.hit_page:
            return []
        if self.exact or not self.words:
            return [self.hit]
        return word_spans(self.page.text, self.hit, self.words) or [self.hit]

    def boxes(self) -> list[Word]:
        from docmine.viewer import span_boxes

        assert self.page is not None
        return [w for s, e in self.marked() for w in span_boxes(self.page, s, e)]

    def action_toggle_image(self) -> None:
        if self.info is None or self.page is None:
            return
        if self.info.format != "pdf":
            self.app.show_error(
                DocmineError(f"a {self.info.format} file has no page image", "only PDF pages are drawn; o opens it")
            )
            return
        self.image = not self.image
        # the text's width, read while it is shown: the image takes its place (a hidden widget has no size)
        self.image_width = self.query_one(PageView).size.width or self.image_width
        self.query_one(PageView).display = not self.image
        self.query_one(PageImage).display = self.image
        if self.image:
            self.query_one("#page-label", Label).update(f"pagina {self.number} van {self.info.page_count} · drawing…")
            self.render_image(self.number, self.image_width)

    @work(thread=True, exclusive=True, group="image", exit_on_error=False)
    def render_image(self, number: int, width: int) -> None:
        from docmine.viewer import pixel_box, redaction_box, render_page

        assert self.info is not None
        boxes = self.boxes() if number == self.hit_page else []
        try:
            # a Woo document's redaction boxes on this page are drawn too, in their own style
            redactions = [r.bbox for r in self.app.dm.woo_redactions(doc_id=self.info.doc_id, page=number)]
            image = render_page(Path(self.info.fs_path), number, boxes, redactions=redactions)
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        tops = [pixel_box(w)[1] for w in boxes] or [redaction_box(b)[1] for b in redactions]
        first = min(tops, default=None)
        if self.app.graphics is not None:
            self.post_message(ImageReady(number, image, None, None if first is None else first / image.height))
            return
        cells = max(20, width - 2)  # room for the scrollbar: a wider row would wrap
        picture = shades(image, cells) if self.app.no_color else half_blocks(image, cells)
        row = None if first is None else int(first * cells / image.width / 2)
        self.post_message(ImageReady(number, picture, row, None if first is None else first / image.height))

    async def on_image_ready(self, message: ImageReady) -> None:
        if message.number != self.number or self.info is None:
            return
        page_image = self.query_one(PageImage)
        page_image.renderer = renderer_name(self.app.graphics, self.app.no_color)
        if self.app.graphics is not None:
            await page_image.show_graphic(self.app.graphics, message.picture, message.first)
        else:
            page_image.show(message.picture, message.row)
        boxed = " · the hit boxed" if self.marked() else ""
        if not boxed and message.first is not None:
            boxed = " · redactions boxed"
        self.query_one("#page-label", Label).update(f"pagina {self.number} van {self.info.page_count}{boxed}")

    def action_open_original(self) -> None:
        if self.info is None or self.page is None:
            return
        self.open_worker(self.info, self.page.number, self.boxes() if self.info.format == "pdf" else [])

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_worker(self, info: DocInfo, number: int, boxes: list[Word]) -> None:
        """A PDF with a hit opens as a marked copy; a viewer that fails at once is reported, not called opened."""
        from docmine.viewer import highlighted_copy, open_at_page

        path = Path(info.fs_path)
        try:
            if boxes:
                path = highlighted_copy(path, number, boxes)
            cmd = open_at_page(path, number, info.format == "pdf")
        except DocmineError as exc:
            self.post_message(Failed(exc))
            return
        marked = "a marked copy" if boxes else "the original"
        self.app.call_from_thread(
            self.notify, f"opened {marked} with {Path(cmd[0]).name} at page {number}", title="open"
        )


def meta_text(info: DocInfo, page: Any, namer: Namer | None = None) -> Text:
    rows = [
        ("type", info.doc_type),
        ("date", info.date or "undated"),
        ("place", place_text(info.municipality, namer) if info.municipality else "-"),
        ("publisher", info.publisher or "-"),
        ("format", info.format),
        ("pages", str(info.page_count)),
        ("status", info.status),
        ("file", Path(info.path).name),
        ("id", short_id(info.doc_id)),
    ]
    if getattr(page, "ocr", False):
        rows.append(("OCR", f"{page.ocr_confidence or 0:.0%}"))
    text = Text()
    for key, value in rows:
        text.append(f"{key:<10}", style="bold")
        text.append(f"{value}\n")
    return text


def entities_text(mentions: list[Span] | None) -> Text:
    """The page's entities grouped by label, each name once; the label in the style it has on the page."""
    if mentions is None:
        return Text(f"entities {NOT_YET}", style="dim")
    if not mentions:
        return Text("none on this page", style="dim")
    by_label: dict[str, dict[str, None]] = {}
    for m in mentions:
        by_label.setdefault(m.label, {})[" ".join(m.text.split())] = None
    text = Text()
    for label, names in by_label.items():
        text.append(f"{label}\n", style=label_style(label))
        for name in names:
            text.append(f"  {name}\n")
    return text


class ClaimList(OptionList):
    """The page's claims; Enter (or t) traces the highlighted one."""


def claim_prompt(claim: Any) -> Text:
    text = Text(f"[{claim.kind}] ", style="bold")
    text.append(claim.sentence)
    return text


def claims_text(claims: list[Any] | None, number: int) -> Text:
    """Shown instead of the list when the page has no claims (or the service has none yet)."""
    if claims is None:
        return Text(f"claims {NOT_YET}", style="dim")
    here = [c for c in claims if c.ref.page == number]
    if not here:
        return Text(f"none on this page ({len(claims)} in the document)", style="dim")
    return Text(f"{len(here)} on this page; t traces", style="dim")

"""One deck per tour: a PDF and a PowerPoint file to take to the classroom.

A title slide (the tour's title and description), then one slide per step at
16:9: the step's event title (wrapped, smaller if long, never cut), its date
and who wrote to whom; on the left the map and under it the timeline strip
(the same figures the Present page draws, rendered by the export engine); on
the right the source's words, the teacher's caption, the step's question and
the source line. A passage longer than the room is trimmed at a word with "…"
(the PowerPoint slide keeps the whole passage in its notes).

Sizes are in points on a 960 x 540 pt page (13.33 x 7.5 in, PowerPoint's
widescreen): shown on a 1280-px-wide projector, 1 pt is 1.33 px, so the quote
(21 pt) is 28 px, the text (16.5 pt) 22 px and the source (13.5 pt) 18 px, as
on the Present page. The layout is measured with reportlab's own font
metrics; the PowerPoint file uses the same boxes and sizes.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Pt
from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from exchanges.charts.style import PROJECTOR_STYLE
from exchanges.export.engine import ExportEngine, shared_engine
from exchanges.export.layout import decorate_for_export, document_citation
from exchanges.export.options import ImageOptions
from exchanges.export.print_fonts import paragraph_markup, print_fonts
from exchanges.export.slide_text import trim_text
from exchanges.export.slides import build_figure
from exchanges.export.view import ExportView
from exchanges.tours import Tour, TourStep, step_state
from exchanges.wording import date_label, date_note, event_type_label, exchange_label

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.gazetteer import Gazetteer
    from exchanges.models import Event

PAGE_WIDTH, PAGE_HEIGHT = 960.0, 540.0  # points, 16:9
MARGIN = 28.0
GUTTER = 20.0
LEFT_WIDTH = 440.0
RIGHT_X = MARGIN + LEFT_WIDTH + GUTTER
RIGHT_WIDTH = PAGE_WIDTH - RIGHT_X - MARGIN
#: Type sizes (pt) on a step slide; see the module docstring for the pixels they make.
TITLE_SIZE, MIN_TITLE_SIZE = 24.0, 18.0
TEXT_SIZE = 16.5
QUOTE_SIZE = 21.0
SOURCE_SIZE = 13.5
HEADER_SIZE = 13.5
LEADING = 1.25
#: Chart images, in layout px (their type is laid out for this size) and
#: rendered at IMAGE_SCALE: the map and the timeline strip under it. At 500 pt
#: wide on the slide, the charts' 22-px type is about 14 pt.
MAP_IMAGE = (960, 600)
TIMELINE_IMAGE = (960, 300)
IMAGE_SCALE = 2.0
PPTX_FONTS = {"sans": "Calibri", "serif": "Georgia"}
BLACK = HexColor("#000000")
DARK = HexColor("#1a1a1a")
ACCENT = HexColor("#0072B2")


@dataclass(frozen=True)
class StepSlide:
    """What one step's slide says, and its two chart images (PNG bytes)."""

    number: int
    total: int
    event_id: str
    title: str
    when: str
    passage: str
    caption: str | None
    question: str | None
    source: str
    map_png: bytes = b""
    timeline_png: bytes = b""


@dataclass(frozen=True)
class Deck:
    """A tour as slides: the title slide's text and a :class:`StepSlide` per step."""

    title: str
    description: str | None
    file_stem: str
    slides: tuple[StepSlide, ...]

    def __len__(self) -> int:
        return len(self.slides) + 1  # the title slide


# --------------------------------------------------------------------------- content


def source_text(event: Event, catalog: Catalog) -> str:
    """'Source: <document citation> · <how well the date is known>' (plain text)."""
    return f"Source: {document_citation(event.source.document, catalog)} · {date_note(event)}"


def when_text(event: Event, catalog: Catalog) -> str:
    """'10 August 1962 · Statement' and, on a second line, who to whom."""
    when = f"{date_label(event)} · {event_type_label(event.event_type)}"
    exchange = exchange_label(event, catalog)
    return f"{when}\n{exchange}" if exchange else when


def step_slide(tour: Tour, number: int, catalog: Catalog) -> StepSlide:
    """The text of step ``number`` (1-based), without images."""
    step: TourStep = tour.steps[number - 1]
    event = catalog.event(step.event)
    return StepSlide(
        number=number,
        total=len(tour.steps),
        event_id=event.id,
        title=event.title,
        when=when_text(event, catalog),
        passage=" ".join(event.source.passage.split()),
        caption=step.caption,
        question=step.question,
        source=source_text(event, catalog),
    )


def _chart_images(
    tour: Tour, number: int, catalog: Catalog, gazetteer: Gazetteer, engine: ExportEngine
) -> tuple[bytes, bytes]:
    """The step's map and timeline strip as PNG, as the Present page shows them (no title)."""
    state = step_state(tour, number, catalog, gazetteer)
    view = ExportView.of(state.shown, highlight=state.event.id, muted=state.muted, view=state.view,
                         title="", style=PROJECTOR_STYLE)
    images = []
    for chart, (width, height) in (("map", MAP_IMAGE), ("timeline", TIMELINE_IMAGE)):
        figure = build_figure(view, chart, catalog, gazetteer, titled=False, legend=False)
        if chart == "timeline":
            # The timeline has a height of its own (its lanes): drawn at it, never squeezed.
            height = max(height, int(figure.layout.height or height))
        options = ImageOptions(format="png", width=width, height=height, scale=IMAGE_SCALE)
        images.append(engine.render(decorate_for_export(figure, options), options))
    return images[0], images[1]


def png_aspect(png: bytes, default: float) -> float:
    """Width / height of a PNG (from its header), ``default`` if it is not one."""
    if len(png) < 24 or not png.startswith(b"\x89PNG"):
        return default
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return width / height if height else default


def build_deck(
    tour: Tour,
    catalog: Catalog,
    gazetteer: Gazetteer | None,
    *,
    steps: Sequence[int] | None = None,
    engine: ExportEngine | None = None,
    images: bool = True,
) -> Deck:
    """The deck of ``tour`` (only the 1-based ``steps`` given, else all), its charts rendered.

    ``images=False`` leaves the charts out (a text-only deck, e.g. without Chromium).
    """
    numbers = list(steps) if steps is not None else list(range(1, len(tour.steps) + 1))
    slides = []
    if images and gazetteer is not None:
        engine = engine or shared_engine()
    for number in numbers:
        slide = step_slide(tour, number, catalog)
        if images and gazetteer is not None and engine is not None:
            map_png, timeline_png = _chart_images(tour, number, catalog, gazetteer, engine)
            slide = dataclasses.replace(slide, map_png=map_png, timeline_png=timeline_png)
        slides.append(slide)
    return Deck(tour.title, tour.description, tour.id, tuple(slides))


# --------------------------------------------------------------------------- layout (measured)


def _style(name: str, font: str, size: float, colour=BLACK, **extra) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * LEADING, textColor=colour, **extra)


def _height(text: str, style: ParagraphStyle, width: float) -> float:
    return Paragraph(paragraph_markup(text), style).wrap(width, 10_000)[1]


@dataclass(frozen=True)
class SlideLayout:
    """Where everything of a step slide goes (pt, origin top-left) and the quote as it fits."""

    title_size: float
    title_height: float
    body_top: float
    quote: str
    quote_trimmed: bool
    map_box: tuple[float, float, float, float]  # x, top, width, height
    timeline_box: tuple[float, float, float, float]


def _styles(title_size: float = TITLE_SIZE) -> dict[str, ParagraphStyle]:
    fonts = print_fonts()
    return {
        "header": _style("header", fonts.sans, HEADER_SIZE, DARK),
        "title": _style("title", fonts.bold, title_size),
        "when": _style("when", fonts.sans, TEXT_SIZE),
        "quote": _style("quote", fonts.serif, QUOTE_SIZE),
        "caption": _style("caption", fonts.sans, TEXT_SIZE),
        "question": _style("question", fonts.bold, TEXT_SIZE),
        "source": _style("source", fonts.sans, SOURCE_SIZE, DARK),
        "big": _style("big", fonts.bold, 40),
        "lead": _style("lead", fonts.sans, 20),
    }


def _fit_title(title: str) -> tuple[float, float]:
    """The title's size (smaller while it takes more than two lines) and height: never cut."""
    size = TITLE_SIZE
    while True:
        height = _height(title, _styles(size)["title"], PAGE_WIDTH - 2 * MARGIN)
        if height <= 2 * size * LEADING + 1 or size <= MIN_TITLE_SIZE:
            return size, height
        size -= 1


def _right_blocks(slide: StepSlide) -> list[tuple[str, str]]:
    blocks = [("when", slide.when)]
    blocks.append(("quote", "QUOTE"))
    if slide.caption:
        blocks.append(("caption", slide.caption))
    if slide.question:
        blocks.append(("question", f"Question: {slide.question}"))
    return blocks


BLOCK_GAP = 10.0


def layout_slide(slide: StepSlide) -> SlideLayout:
    """Measure the slide: the title, then the right column; the quote gets what is left."""
    title_size, title_height = _fit_title(slide.title)
    styles = _styles(title_size)
    body_top = MARGIN + HEADER_SIZE * LEADING + 6 + title_height + 12
    bottom = PAGE_HEIGHT - MARGIN
    source_height = _height(slide.source, styles["source"], RIGHT_WIDTH)
    room = bottom - body_top - source_height - BLOCK_GAP
    for kind, text in _right_blocks(slide):
        if kind != "quote":
            room -= _height(text, styles[kind], RIGHT_WIDTH) + BLOCK_GAP
    room -= BLOCK_GAP
    quote, trimmed = _fit_quote(slide.passage, styles["quote"], room)
    body_height = bottom - body_top
    map_aspect = png_aspect(slide.map_png, MAP_IMAGE[0] / MAP_IMAGE[1])
    timeline_aspect = png_aspect(slide.timeline_png, TIMELINE_IMAGE[0] / TIMELINE_IMAGE[1])
    map_height = min(LEFT_WIDTH / map_aspect, body_height * 0.64)
    map_width = map_height * map_aspect
    timeline_height = min(LEFT_WIDTH / timeline_aspect, body_height - map_height - 8)
    timeline_width = timeline_height * timeline_aspect
    return SlideLayout(
        title_size=title_size,
        title_height=title_height,
        body_top=body_top,
        quote=quote,
        quote_trimmed=trimmed,
        map_box=(MARGIN, body_top, map_width, map_height),
        timeline_box=(MARGIN, body_top + map_height + 8, timeline_width, timeline_height),
    )


def _fit_quote(passage: str, style: ParagraphStyle, room: float) -> tuple[str, bool]:
    """The longest start of ``passage`` (cut at a word, "…") whose paragraph fits ``room`` pt."""
    quoted = f"“{passage}”"
    if _height(quoted, style, RIGHT_WIDTH) <= room:
        return passage, False
    low, high = 20, len(passage)
    while low < high:
        middle = (low + high + 1) // 2
        text, _ = trim_text(passage, middle)
        if _height(f"“{text}”", style, RIGHT_WIDTH) <= room:
            low = middle
        else:
            high = middle - 1
    return trim_text(passage, low)


# --------------------------------------------------------------------------- PDF


def _draw(canvas: Canvas, text: str, style: ParagraphStyle, x: float, top: float, width: float) -> float:
    """Draw a paragraph with its top at ``top`` (from the page's top); return its bottom."""
    paragraph = Paragraph(paragraph_markup(text), style)
    _, height = paragraph.wrap(width, 10_000)
    paragraph.drawOn(canvas, x, PAGE_HEIGHT - top - height)
    return top + height


def _draw_image(canvas: Canvas, png: bytes, box: tuple[float, float, float, float]) -> None:
    if not png:
        return
    x, top, width, height = box
    canvas.drawImage(ImageReader(io.BytesIO(png)), x, PAGE_HEIGHT - top - height, width, height)


def _pdf_title_page(canvas: Canvas, deck: Deck) -> None:
    styles = _styles()
    bottom = _draw(canvas, deck.title, styles["big"], MARGIN * 2, PAGE_HEIGHT * 0.3, PAGE_WIDTH - 4 * MARGIN)
    if deck.description:
        bottom = _draw(canvas, deck.description, styles["lead"], MARGIN * 2, bottom + 24, PAGE_WIDTH - 4 * MARGIN)
    _draw(canvas, f"{len(deck.slides)} steps", styles["header"], MARGIN * 2, bottom + 24, PAGE_WIDTH - 4 * MARGIN)


def _pdf_step_page(canvas: Canvas, deck: Deck, slide: StepSlide) -> None:
    layout = layout_slide(slide)
    styles = _styles(layout.title_size)
    _draw(canvas, f"{deck.title} · {slide.number} / {slide.total}", styles["header"], MARGIN, MARGIN,
          PAGE_WIDTH - 2 * MARGIN)
    _draw(canvas, slide.title, styles["title"], MARGIN, MARGIN + HEADER_SIZE * LEADING + 6, PAGE_WIDTH - 2 * MARGIN)
    _draw_image(canvas, slide.map_png, layout.map_box)
    _draw_image(canvas, slide.timeline_png, layout.timeline_box)
    top = layout.body_top
    for kind, text in _right_blocks(slide):
        if kind == "quote":
            quote_top = top
            top = _draw(canvas, f"“{layout.quote}”", styles["quote"], RIGHT_X + 10, top, RIGHT_WIDTH - 10)
            canvas.setFillColor(ACCENT)
            canvas.rect(RIGHT_X, PAGE_HEIGHT - top, 4, top - quote_top, stroke=0, fill=1)
        else:
            top = _draw(canvas, text, styles[kind], RIGHT_X, top, RIGHT_WIDTH)
        top += BLOCK_GAP
    source_height = _height(slide.source, styles["source"], RIGHT_WIDTH)
    _draw(canvas, slide.source, styles["source"], RIGHT_X, PAGE_HEIGHT - MARGIN - source_height, RIGHT_WIDTH)


def deck_pdf(deck: Deck) -> bytes:
    """The deck as one PDF, a 16:9 page per slide; its metadata title is the tour's title."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle(deck.title)
    canvas.setSubject("Slides of a tour through Cold-War diplomatic documents")
    canvas.setCreator("exchanges")
    _pdf_title_page(canvas, deck)
    canvas.showPage()
    for slide in deck.slides:
        _pdf_step_page(canvas, deck, slide)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


# --------------------------------------------------------------------------- PowerPoint


def _pptx_text(shapes, text: str, box: tuple[float, float, float, float], size: float, *, bold: bool = False,
               serif: bool = False, colour: str = "000000") -> None:
    x, top, width, height = box
    frame = shapes.add_textbox(Pt(x), Pt(top), Pt(width), Pt(height)).text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    for index, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = PPTX_FONTS["serif" if serif else "sans"]
        run.font.color.rgb = RGBColor.from_string(colour)


def _pptx_picture(shapes, png: bytes, box: tuple[float, float, float, float]) -> None:
    if png:
        x, top, width, height = box
        shapes.add_picture(io.BytesIO(png), Pt(x), Pt(top), Pt(width), Pt(height))


def _pptx_step(presentation, deck: Deck, slide: StepSlide) -> None:
    layout = layout_slide(slide)
    styles = _styles(layout.title_size)
    page = presentation.slides.add_slide(presentation.slide_layouts[6])  # blank
    shapes = page.shapes
    _pptx_text(shapes, f"{deck.title} · {slide.number} / {slide.total}",
               (MARGIN, MARGIN, PAGE_WIDTH - 2 * MARGIN, HEADER_SIZE * LEADING), HEADER_SIZE, colour="1A1A1A")
    _pptx_text(shapes, slide.title, (MARGIN, MARGIN + HEADER_SIZE * LEADING + 6, PAGE_WIDTH - 2 * MARGIN,
               layout.title_height), layout.title_size, bold=True)
    _pptx_picture(shapes, slide.map_png, layout.map_box)
    _pptx_picture(shapes, slide.timeline_png, layout.timeline_box)
    top = layout.body_top
    for kind, text in _right_blocks(slide):
        shown = f"“{layout.quote}”" if kind == "quote" else text
        height = _height(shown, styles[kind], RIGHT_WIDTH)
        _pptx_text(shapes, shown, (RIGHT_X, top, RIGHT_WIDTH, height), styles[kind].fontSize,
                   bold=kind == "question", serif=kind == "quote")
        top += height + BLOCK_GAP
    source_height = _height(slide.source, styles["source"], RIGHT_WIDTH)
    _pptx_text(shapes, slide.source, (RIGHT_X, PAGE_HEIGHT - MARGIN - source_height, RIGHT_WIDTH, source_height),
               SOURCE_SIZE, colour="1A1A1A")
    notes = [f"“{slide.passage}”"] + ([slide.caption] if slide.caption else []) + [slide.source]
    page.notes_slide.notes_text_frame.text = "\n\n".join(notes)


def deck_pptx(deck: Deck) -> bytes:
    """The deck as a PowerPoint file (16:9): a title slide, then a slide per step."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Pt(PAGE_WIDTH), Pt(PAGE_HEIGHT)
    presentation.core_properties.title = deck.title
    title_page = presentation.slides.add_slide(presentation.slide_layouts[6])
    _pptx_text(title_page.shapes, deck.title, (MARGIN * 2, PAGE_HEIGHT * 0.3, PAGE_WIDTH - 4 * MARGIN, 110), 40,
               bold=True)
    if deck.description:
        _pptx_text(title_page.shapes, deck.description,
                   (MARGIN * 2, PAGE_HEIGHT * 0.3 + 120, PAGE_WIDTH - 4 * MARGIN, 160), 20)
    for slide in deck.slides:
        _pptx_step(presentation, deck, slide)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()

"""A printable worksheet from a tour: A4 or US Letter, for students or for the teacher.

Per step: the number and the event's title, its date, the source's words (in
full: paper has room), the source line and the question, then ruled lines to
answer on. The teacher's version adds each step's caption (what to say) under
the question. A step without a question of its own asks the question hidden
in its caption ("Ask: …"), else a plain one about the source
(:data:`DEFAULT_QUESTION`).

Built with reportlab's page layout (platypus): text flows from page to page, a
step (its passage, question and answer space) stays on one page; the PDF's metadata title
names the tour and the version.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from exchanges.export.deck import source_text, when_text
from exchanges.export.print_fonts import paragraph_markup, print_fonts

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.tours import Tour

Paper = Literal["a4", "letter"]
Version = Literal["student", "teacher"]
PAPER_SIZES: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}
VERSIONS: tuple[Version, ...] = ("student", "teacher")
DEFAULT_QUESTION = "What does this source say happened, and who is telling us?"
ANSWER_LINES = 4
_ASK = re.compile(r"\bAsk:\s*(.+)$", re.DOTALL)


@dataclass(frozen=True)
class WorksheetStep:
    number: int
    title: str
    when: str
    passage: str
    source: str
    question: str
    caption: str | None


def step_question(question: str | None, caption: str | None) -> str:
    """The step's question: its own, else the "Ask: …" of its caption, else :data:`DEFAULT_QUESTION`."""
    if question:
        return question
    found = _ASK.search(caption or "")
    return " ".join(found.group(1).split()) if found else DEFAULT_QUESTION


def worksheet_steps(tour: Tour, catalog: Catalog, steps: Sequence[int] | None = None) -> list[WorksheetStep]:
    numbers = list(steps) if steps is not None else list(range(1, len(tour.steps) + 1))
    out = []
    for number in numbers:
        step = tour.steps[number - 1]
        event = catalog.event(step.event)
        out.append(WorksheetStep(
            number=number,
            title=event.title,
            when=when_text(event, catalog),
            passage=" ".join(event.source.passage.split()),
            source=source_text(event, catalog),
            question=step_question(step.question, step.caption),
            caption=step.caption,
        ))
    return out


def _styles() -> dict[str, ParagraphStyle]:
    fonts = print_fonts()
    dark = HexColor("#1a1a1a")
    return {
        "title": ParagraphStyle("title", fontName=fonts.bold, fontSize=18, leading=22, spaceAfter=4),
        "intro": ParagraphStyle("intro", fontName=fonts.sans, fontSize=10, leading=13, textColor=dark,
                                spaceAfter=4),
        "name": ParagraphStyle("name", fontName=fonts.sans, fontSize=11, leading=14, spaceAfter=10),
        "step": ParagraphStyle("step", fontName=fonts.bold, fontSize=12.5, leading=16, spaceBefore=6),
        "when": ParagraphStyle("when", fontName=fonts.sans, fontSize=10, leading=13, textColor=dark),
        "quote": ParagraphStyle("quote", fontName=fonts.serif, fontSize=11, leading=15, leftIndent=10,
                                borderPadding=(0, 0, 0, 6), spaceBefore=4, spaceAfter=4),
        "source": ParagraphStyle("source", fontName=fonts.sans, fontSize=8.5, leading=11, textColor=dark),
        "question": ParagraphStyle("question", fontName=fonts.bold, fontSize=11, leading=14, spaceBefore=6),
        "caption": ParagraphStyle("caption", fontName=fonts.italic, fontSize=10, leading=13,
                                  textColor=HexColor("#003d66"), spaceBefore=3),
    }


def _step_flowables(step: WorksheetStep, styles: dict[str, ParagraphStyle], version: Version, width: float) -> list:
    reading = [
        Paragraph(paragraph_markup(f"{step.number}. {step.title}"), styles["step"]),
        Paragraph(paragraph_markup(step.when), styles["when"]),
        Paragraph(paragraph_markup(f"“{step.passage}”"), styles["quote"]),
        Paragraph(paragraph_markup(step.source), styles["source"]),
    ]
    answer = [Paragraph(paragraph_markup(f"Question: {step.question}"), styles["question"])]
    if version == "teacher" and step.caption:
        answer.append(Paragraph(paragraph_markup(f"For the teacher: {step.caption}"), styles["caption"]))
    for _ in range(ANSWER_LINES):
        answer += [Spacer(width, 7 * mm), HRFlowable(width="100%", thickness=0.5, color=HexColor("#777777"))]
    # A step stays on one page: its passage, its question and the room to answer.
    return [KeepTogether([*reading, *answer]), Spacer(width, 4 * mm)]


def worksheet_pdf(
    tour: Tour,
    catalog: Catalog,
    *,
    paper: Paper = "a4",
    version: Version = "student",
    steps: Sequence[int] | None = None,
) -> bytes:
    """The worksheet of ``tour`` as PDF bytes (``paper`` "a4" or "letter")."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"paper: {paper!r} is not one of {', '.join(PAPER_SIZES)}")
    if version not in VERSIONS:
        raise ValueError(f"version: {version!r} is not one of {', '.join(VERSIONS)}")
    styles = _styles()
    out = io.BytesIO()
    label = "Worksheet" if version == "student" else "Worksheet, teacher's version"
    document = SimpleDocTemplate(
        out, pagesize=PAPER_SIZES[paper], leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
        bottomMargin=16 * mm, title=f"{tour.title} — {label}", author="exchanges", subject=label,
    )
    story: list = [Paragraph(paragraph_markup(tour.title), styles["title"])]
    story.append(Paragraph(paragraph_markup(label), styles["intro"]))
    if tour.description:
        story.append(Paragraph(paragraph_markup(tour.description), styles["intro"]))
    story.append(Paragraph("Name: ______________________________   Date: ______________", styles["name"]))
    for step in worksheet_steps(tour, catalog, steps):
        story += _step_flowables(step, styles, version, document.width)
    document.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return out.getvalue()


def _page_number(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(print_fonts().sans, 8.5)
    canvas.drawRightString(document.pagesize[0] - 18 * mm, 9 * mm, f"page {document.page}")
    canvas.restoreState()

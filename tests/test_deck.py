"""A tour's deck (PDF and PowerPoint) and its worksheet, read back with pypdf and python-pptx."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pypdf import PdfReader

from exchanges.cli import main
from exchanges.export.deck import PAGE_HEIGHT, PAGE_WIDTH, build_deck, deck_pdf, deck_pptx, layout_slide, step_slide
from exchanges.export.engine import export_status
from exchanges.export.slide_text import trim_text
from exchanges.export.worksheet import DEFAULT_QUESTION, step_question, worksheet_pdf

needs_chromium = pytest.mark.skipif(not export_status()[0], reason="no Chromium to render with")
pytestmark = pytest.mark.usefixtures("user_data")


@pytest.fixture(scope="module")
def tours(shipped_catalog, shipped_gazetteer):
    from exchanges.tours import load_tours_strict

    return load_tours_strict(shipped_catalog, shipped_gazetteer)


def flat(text: str) -> str:
    """Text as extracted from a PDF or a slide: one space between words, no hyphen breaks."""
    return " ".join(text.split())


def pdf_pages(data: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def slide_texts(data: bytes) -> list[str]:
    presentation = Presentation(io.BytesIO(data))
    return [flat(" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame))
            for slide in presentation.slides]


# --------------------------------------------------------------------------- trimming


def test_trim_text_cuts_at_a_word_and_says_so() -> None:
    text = "The border between brotherly socialist nations should not stay closed for long."
    assert trim_text(text, 200) == (text, False)
    cut, trimmed = trim_text(text, 30)
    assert trimmed and cut.endswith("…") and len(cut) <= 30
    assert text.startswith(cut[:-1]) and text[len(cut) - 1] == " "  # ends at a word


def test_the_quote_gives_way_on_a_slide_with_a_long_caption(shipped_catalog, tours) -> None:
    tour = tours["xinjiang-1962"]
    slide = step_slide(tour, 12, shipped_catalog)  # the long statement passage
    layout = layout_slide(slide)
    assert layout.quote_trimmed and layout.quote.endswith("…")
    assert slide.passage.startswith(layout.quote[:-1].rstrip())
    slides = [step_slide(tour, n, shipped_catalog) for n in range(1, len(tour.steps) + 1)]
    whole = [s.number for s in slides if layout_slide(s).quote == s.passage]
    assert whole  # a short passage is whole


# --------------------------------------------------------------------------- the deck, text only (fast)


@pytest.mark.parametrize("tour_id", ["xinjiang-1962", "repatriation-1952", "across-the-border-1947-1962"])
def test_pdf_deck_has_a_title_page_and_a_page_per_step(shipped_catalog, tours, tour_id) -> None:
    tour = tours[tour_id]
    deck = build_deck(tour, shipped_catalog, None, images=False)
    data = deck_pdf(deck)
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == tour.title
    assert len(reader.pages) == len(tour.steps) + 1
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width / height == pytest.approx(16 / 9, rel=1e-3)
    pages = pdf_pages(data)
    assert flat(tour.title) in pages[0]
    for slide, text in zip(deck.slides, pages[1:], strict=True):
        quote = layout_slide(slide).quote
        assert flat(quote) in text, (slide.number, quote)
        assert flat(slide.source) in text
        assert flat(slide.title) in text  # never clipped
        assert f"{slide.number} / {slide.total}" in text
        if slide.caption:
            assert flat(slide.caption) in text


@pytest.mark.parametrize("tour_id", ["xinjiang-1962", "repatriation-1952"])
def test_pptx_deck_is_16_9_with_quote_source_and_whole_passage_in_the_notes(shipped_catalog, tours,
                                                                             tour_id) -> None:
    tour = tours[tour_id]
    deck = build_deck(tour, shipped_catalog, None, images=False)
    data = deck_pptx(deck)
    presentation = Presentation(io.BytesIO(data))
    assert presentation.slide_width / presentation.slide_height == pytest.approx(16 / 9, rel=1e-3)
    assert presentation.core_properties.title == tour.title
    texts = slide_texts(data)
    assert len(texts) == len(tour.steps) + 1
    assert flat(tour.title) in texts[0]
    for slide, text, page in zip(deck.slides, texts[1:], list(presentation.slides)[1:], strict=True):
        assert flat(layout_slide(slide).quote) in text
        assert flat(slide.source) in text
        assert flat(slide.passage) in flat(page.notes_slide.notes_text_frame.text)


def test_a_step_question_is_on_its_slide(shipped_catalog, tours) -> None:
    from exchanges.tours import Tour

    data = tours["repatriation-1952"].model_dump(exclude_none=True)
    data["steps"][0]["question"] = "Why would Gromyko write to Stalin about this?"
    tour = Tour.model_validate(data)
    text = pdf_pages(deck_pdf(build_deck(tour, shipped_catalog, None, images=False)))[1]
    assert "Question: Why would Gromyko write to Stalin about this?" in text


@needs_chromium
def test_the_deck_carries_the_map_and_the_timeline_of_each_step(shipped_catalog, shipped_gazetteer, tours) -> None:
    tour = tours["across-the-border-1947-1962"]
    deck = build_deck(tour, shipped_catalog, shipped_gazetteer, steps=[1, 2])
    assert all(s.map_png.startswith(b"\x89PNG") and s.timeline_png.startswith(b"\x89PNG") for s in deck.slides)
    reader = PdfReader(io.BytesIO(deck_pdf(deck)))
    assert len(reader.pages) == 3
    assert [len(page.images) for page in reader.pages[1:]] == [2, 2]
    presentation = Presentation(io.BytesIO(deck_pptx(deck)))
    pictures = [sum(shape.shape_type == 13 for shape in slide.shapes) for slide in presentation.slides]
    assert pictures == [0, 2, 2]


# --------------------------------------------------------------------------- worksheet


def test_step_question_comes_from_the_step_then_the_caption() -> None:
    assert step_question("Who decided?", "Ask: why?") == "Who decided?"
    assert step_question(None, "China said no. Ask: why might each side have wanted the other to act?") == (
        "why might each side have wanted the other to act?")
    assert step_question(None, "No question here.") == DEFAULT_QUESTION


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.3, 841.9)), ("letter", (612, 792))])
def test_worksheet_pages_and_content(shipped_catalog, tours, paper, size) -> None:
    tour = tours["xinjiang-1962"]
    student = worksheet_pdf(tour, shipped_catalog, paper=paper, version="student")
    teacher = worksheet_pdf(tour, shipped_catalog, paper=paper, version="teacher")
    for data in (student, teacher):
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size, abs=0.5)
        assert tour.title in reader.metadata.title
    student_text, teacher_text = flat(" ".join(pdf_pages(student))), flat(" ".join(pdf_pages(teacher)))
    for step in tour.steps:
        event = shipped_catalog.event(step.event)
        assert flat(event.source.passage)[:120] in student_text  # the whole passage, on paper
        assert flat(step_question(step.question, step.caption)) in student_text
    captions = [flat(step.caption) for step in tour.steps if step.caption]
    assert all(caption not in student_text for caption in captions)
    assert all(caption in teacher_text for caption in captions)
    assert "teacher" in PdfReader(io.BytesIO(teacher)).metadata.title


# --------------------------------------------------------------------------- command line


def test_cli_writes_a_worksheet_for_each_version(tmp_path) -> None:
    out = tmp_path / "handouts"
    assert main(["export", "--tour", "repatriation-1952", "--worksheet", "both", "--paper", "letter",
                 "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "repatriation-1952_worksheet_student_letter.pdf", "repatriation-1952_worksheet_teacher_letter.pdf"]


@pytest.mark.parametrize(("argv", "message"), [
    (["--format", "pptx"], "needs --tour"),
    (["--worksheet", "student"], "needs --tour"),
    (["--tour", "xinjiang-1962", "--worksheet", "student", "--format", "svg"], "a worksheet is a PDF"),
    (["--tour", "xinjiang-1962", "--images", "--format", "png"], "only with --format pdf"),
])
def test_cli_lesson_options_that_make_no_sense(tmp_path, capsys, argv, message) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", *argv, "--out", str(tmp_path / "out")])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@needs_chromium
@pytest.mark.parametrize("fmt", ["pdf", "pptx"])
def test_cli_writes_one_deck_for_a_filtered_tour(tmp_path, shipped_catalog, tours, fmt) -> None:
    tour = tours["across-the-border-1947-1962"]
    # The filter keeps the steps of 1962 only: fewer slides, in the tour's order.
    out = tmp_path / "slides"
    assert main(["export", "--tour", tour.id, "--from", "1962", "--format", fmt, "--out", str(out)]) == 0
    [written] = list(out.iterdir())
    assert written.name == f"{tour.id}_slides.{fmt}"
    kept = [s for s in tour.steps if shipped_catalog.event(s.event).date.year >= 1962
            or (shipped_catalog.event(s.event).end_date or shipped_catalog.event(s.event).date).year >= 1962]
    data = written.read_bytes()
    count = len(PdfReader(io.BytesIO(data)).pages) if fmt == "pdf" else len(Presentation(io.BytesIO(data)).slides)
    assert count == len(kept) + 1


def test_deck_page_is_widescreen() -> None:
    assert pytest.approx(16 / 9, rel=1e-3) == PAGE_WIDTH / PAGE_HEIGHT

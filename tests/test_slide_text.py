"""How much text fits a projector slide's card, measured with the fonts' own metrics."""

from __future__ import annotations

from exchanges.export.slide_text import REM_PX, CardLayout, line_count, trim_to_lines
from exchanges.text_metrics import text_width, wrap_to_width

LAYOUT = CardLayout(width=37.0, height=33.5)
LONG = ("The Soviet Government considers it necessary to state that the mass crossing of the border by "
        "residents of the Xinjiang Uygur Autonomous Region, which took place in April and May of this "
        "year, was caused by the difficult conditions of life in the region. ") * 6


def test_wide_letters_take_more_lines_than_narrow_ones() -> None:
    wide, narrow = ("WMW " * 60).strip(), ("ilj " * 60).strip()
    assert line_count(wide, 20, 1.5) > 2 * line_count(narrow, 20, 1.5)


def test_the_serif_quote_is_measured_in_serif() -> None:
    sample = "the passage of the document that states the event"
    assert text_width(sample, 28, serif=True) != text_width(sample, 28)


def test_a_short_passage_is_shown_whole() -> None:
    quote, trimmed = LAYOUT.fit_quote("We agree.", "A title", "7 January 1952", None, "A source line")
    assert (quote, trimmed) == ("We agree.", False)


def test_a_long_passage_is_trimmed_to_the_lines_left_and_fits_them() -> None:
    lines = LAYOUT.quote_lines("A title", "7 January 1952", "A caption for the class.", "A source line")
    quote, trimmed = LAYOUT.fit_quote(LONG, "A title", "7 January 1952", "A caption for the class.", "A source line")
    assert trimmed and quote.endswith("…") and LONG.startswith(quote[:-1].rstrip())
    wrapped = wrap_to_width(quote, LAYOUT.quote_size * REM_PX, LAYOUT.width * REM_PX, serif=True)
    assert len(wrapped) <= lines


def test_more_caption_leaves_fewer_lines_for_the_quote() -> None:
    short = LAYOUT.quote_lines("A title", "1962", "One line.", "Source")
    long = LAYOUT.quote_lines("A title", "1962", LONG[:600], "Source")
    assert long < short


def test_trim_to_lines_cuts_at_a_word() -> None:
    text, cut = trim_to_lines(LONG, 20, 1.375, 2)
    assert cut and text.endswith("…") and not text[:-1].endswith(" ")
    assert LONG.split()[:3] == text.split()[:3]
    assert trim_to_lines("Few words.", 20, 1.375, 2) == ("Few words.", False)

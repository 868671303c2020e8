"""User text never becomes markup, a link or a live spreadsheet formula (issue 13, items 4 and 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.events_table import events_frame as table_frame
from components.filters_sidebar import _months_between
from exchanges.export.data import FORMULA_TRIGGERS, neutralise_formula
from exchanges.markdown import WORD_JOINER, escape_line, escape_markdown, heading

ADDRESSES = ["https://evil.example/x", "HTTP://EVIL.EXAMPLE", "www.evil.example", "WWW.evil.example",
             "someone@evil.example", "ftp://evil.example"]


@pytest.mark.parametrize("address", ADDRESSES)
def test_web_addresses_are_broken_up_for_the_autolinker(address: str) -> None:
    escaped = escape_markdown(f"see {address} now")
    assert WORD_JOINER in escaped
    shown = escaped.replace("\\", "").replace(WORD_JOINER, "")
    assert address in shown  # reads the same once rendered
    for pattern in ("://", "www.", "WWW.", "@e"):
        assert pattern not in escaped.replace("\\", "")


def test_a_heading_is_one_escaped_line() -> None:
    text = heading("Title\n===\n# not a heading\n<script>", level=2)
    assert text.startswith("## ") and "\n" not in text
    assert "<" not in text and "\\#" in text and "\\=\\=\\=" in text
    assert heading("x", level=99).startswith("###### ")
    assert escape_line("a\n\n b") == "a b"


def test_escaped_text_keeps_its_words() -> None:
    assert escape_markdown("Plain words, 1962") == "Plain words, 1962"


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.text(max_size=60))
def test_no_cell_a_spreadsheet_would_run_survives(text: str) -> None:
    cell = neutralise_formula(text)
    visible = cell.lstrip()
    while visible and not visible[0].isprintable():
        visible = visible[1:].lstrip()
    assert not visible.startswith(FORMULA_TRIGGERS) or cell.startswith("'")
    if cell != text:
        assert cell == "'" + text


def test_the_events_tables_own_download_is_formula_safe(mini_catalog, mini_gazetteer) -> None:
    evil = mini_catalog.events[0].model_copy(update={"title": "=HYPERLINK(\"http://x\")", "date_label": " @SUM(1)"})
    frame = table_frame([evil], mini_catalog, mini_gazetteer)
    assert frame.iloc[0]["Event"] == "'=HYPERLINK(\"http://x\")"
    assert frame.iloc[0]["Dated in the source"].startswith("'")
    assert list(frame.index) == [evil.id]  # the selection still maps rows to events


def test_the_month_options_never_overflow() -> None:
    assert _months_between(dt.date(9999, 11, 1), dt.date(9999, 12, 31)) == [dt.date(9999, 11, 1),
                                                                             dt.date(9999, 12, 1)]
    assert len(_months_between(dt.date(1962, 1, 1), dt.date(1962, 12, 31))) == 12

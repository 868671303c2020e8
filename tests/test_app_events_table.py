"""The explore page's events table: every column but "Event" has a measured width, wide enough
for its texts (the Date always; the others up to ``MAX_COLUMN_PX``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.events_table import COLUMNS, MAX_COLUMN_PX, TABLE_FONT_PX, events_frame
from exchanges.text_metrics import text_width
from exchanges.wording import short_date

EXPLORE = str(Path(__file__).resolve().parent.parent / "views" / "explore.py")

pytestmark = pytest.mark.usefixtures("user_data")


def test_the_date_column_fits_the_longest_date(shipped_catalog):
    at = AppTest.from_file(EXPLORE, default_timeout=60)
    at.run()
    assert not at.exception
    columns = json.loads(at.dataframe[0].proto.columns)
    width = columns["Date"]["width"]
    assert isinstance(width, int)  # a fixed width, not "small" (~75 px, which cut "by 7 Jan 19…")
    widest = max(text_width(short_date(e), TABLE_FONT_PX) for e in shipped_catalog.events)
    assert width >= widest + 16  # the text, measured with the font's metrics, and the cell's padding


def test_every_column_but_the_titles_has_a_measured_width(shipped_catalog, shipped_gazetteer):
    """A column without a width is sized by the browser, which measures its cells on every redraw."""
    at = AppTest.from_file(EXPLORE, default_timeout=60)
    at.run()
    assert not at.exception
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["Event"]["width"] == "large"
    frame = events_frame(shipped_catalog.events, shipped_catalog, shipped_gazetteer)
    for name in COLUMNS:
        if name in ("Date", "Event"):
            continue
        width = columns[name]["width"]
        assert isinstance(width, int), name
        widest = max(text_width(text, TABLE_FONT_PX) for text in {*frame[name], name})
        assert min(widest + 16, MAX_COLUMN_PX) <= width <= MAX_COLUMN_PX, (name, width, widest)

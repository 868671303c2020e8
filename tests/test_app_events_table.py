"""The explore page's events table: the Date column is wide enough for its dates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.events_table import TABLE_FONT_PX
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

"""The timeline on the explore page (``AppTest``): zoom state, its caption and the way back; the click callbacks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sent_charts import sent_spec
from streamlit.testing.v1 import AppTest

from components.filters_sidebar import KEY_SELECTED

EXPLORE = str(Path(__file__).resolve().parent.parent / "views" / "explore.py")


@pytest.fixture(autouse=True)
def _no_user_files(user_data: Path) -> None:
    """Nothing the developer saved in user_data/ leaks into these tests."""


def timeline_spec(at: AppTest) -> dict:
    return next(s for s in (sent_spec(c) for c in at.get("plotly_chart")) if "geo" not in s["layout"])


def test_a_zoomed_timeline_says_so_and_zooms_out(shipped_catalog):
    at = AppTest.from_file(EXPLORE, default_timeout=60)
    at.session_state["timeline_zoom"] = (dt.date(1962, 6, 1), dt.date(1962, 6, 30))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption)
    june = [e for e in shipped_catalog.events if e.date <= dt.date(1962, 6, 30) and e.last_date >= dt.date(1962, 6, 1)]
    assert f"Timeline zoomed to **June 1962**: {len(june)} of {len(shipped_catalog.events)} events" in captions
    spec = timeline_spec(at)
    assert spec["layout"]["meta"]["exchanges_timeline"]["eras"] == [["1962-06-01", "1962-06-30"]]
    assert spec["layout"]["meta"]["exchanges_timeline"]["named"] == len(june)
    assert len(at.dataframe[0].value) == len(shipped_catalog.events)  # the zoom is the timeline's only
    at.button(key="timeline_chart_unzoom").click().run()
    assert "timeline_zoom" not in at.session_state
    assert len(timeline_spec(at)["layout"]["meta"]["exchanges_timeline"]["eras"]) >= 2


def _callback_app(points: list) -> AppTest:
    def script(points):
        import streamlit as st

        from components.timeline_view import timeline_callback

        st.session_state["chart"] = {"selection": {"points": points}}
        timeline_callback("chart")()

    return AppTest.from_function(script, args=(points,), default_timeout=30).run()


def test_a_click_on_an_event_selects_it_and_on_a_column_zooms():
    at = _callback_app([{"customdata": "xinjiang-exodus-1962"}])
    assert at.session_state[KEY_SELECTED] == "xinjiang-exodus-1962"
    assert "timeline_zoom" not in at.session_state
    at = _callback_app([{"customdata": "zoom:1962-04-01:1962-04-30"}])
    assert at.session_state["timeline_zoom"] == (dt.date(1962, 4, 1), dt.date(1962, 4, 30))
    assert KEY_SELECTED not in at.session_state

"""Sessions that show the same filter state share one cached map and timeline (issue 12).

Each ``AppTest`` is a session of its own, as a browser tab is; the figures are
cached per filter state (``components.data``, ``st.cache_data``), so the second
and third sessions on the same filter build nothing, and a filter change builds
each figure once for every session that makes it. ``bench/bench_sessions.py``
measures what that buys under load.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import components.data as data
from exchanges.paths import PROJECT_ROOT

APP = PROJECT_ROOT / "app.py"


@pytest.fixture
def builds(user_data: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times each figure is built (the cached builders' own calls), from an empty cache."""
    counts = {"map": 0, "timeline": 0}

    def counting(name: str, build):  # type: ignore[no-untyped-def]
        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            counts[name] += 1
            return build(*args, **kwargs)
        return counted

    monkeypatch.setattr(data, "build_map_figure", counting("map", data.build_map_figure))
    monkeypatch.setattr(data, "build_timeline_figure", counting("timeline", data.build_timeline_figure))
    st.cache_data.clear()
    return counts


def session() -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    assert not app.exception, app.exception
    return app


def test_sessions_on_the_same_filter_share_the_figures(builds: dict[str, int]) -> None:
    first = session()
    assert builds == {"map": 1, "timeline": 1}
    session(), session()
    assert builds == {"map": 1, "timeline": 1}  # two more sessions: nothing built

    first.select_slider(key="flt_dates").set_range(dt.date(1962, 1, 1), dt.date(1962, 8, 1)).run()
    assert builds == {"map": 2, "timeline": 2}  # a new filter state: built once
    second = session()
    second.select_slider(key="flt_dates").set_range(dt.date(1962, 1, 1), dt.date(1962, 8, 1)).run()
    assert not second.exception, second.exception
    assert builds == {"map": 2, "timeline": 2}  # another session on that state: shared

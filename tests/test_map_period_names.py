"""The "Names of the time" switch in the detail card: the period's name, today's beside it (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.state import KEY_MAP_PERIOD_NAMES
from exchanges.markdown import escape_markdown

EXPLORE = str(Path(__file__).resolve().parent.parent / "views" / "explore.py")


def _card_places(at: AppTest) -> str:
    """The detail card's "Places" line."""
    lines = [line for m in at.markdown for line in m.value.split("\n") if line.startswith("**Places:**")]
    assert lines, "no detail card"
    return lines[0]


def test_the_card_names_places_as_in_the_events_year(shipped_catalog, shipped_gazetteer, user_data: Path):
    del user_data  # nothing the developer saved leaks in
    event = next(e for e in shipped_catalog.events if "tianjin" in e.places)
    old = shipped_gazetteer.period_name("tianjin", event.date.year)
    if not old:
        pytest.skip("the gazetteer records no name of the time for Tianjin then")
    at = AppTest.from_file(EXPLORE, default_timeout=60)
    at.query_params["event"] = event.id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Tianjin" in _card_places(at) and old not in _card_places(at)  # the switch is off by default

    at.toggle(key=KEY_MAP_PERIOD_NAMES).set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert escape_markdown(f"{old} (Tianjin)") in _card_places(at)

    at.toggle(key=KEY_MAP_PERIOD_NAMES).set_value(False).run()
    assert old not in _card_places(at)

"""Exports say what they show: the highlighted event in the title, the filter in the subtitle."""

from __future__ import annotations

import datetime as dt

import pytest

from exchanges.export.view import ExportView
from exchanges.filters import FilterState
from exchanges.wording import short_title

pytestmark = pytest.mark.usefixtures("user_data")


def test_a_highlighted_event_is_the_title_and_the_filter_the_subtitle(shipped_catalog, shipped_gazetteer) -> None:
    event = shipped_catalog.event("soviet-statement-1962-06-08")
    state = FilterState(date_from=dt.date(1962, 4, 1), selected=event.id)
    view = ExportView.from_filters(state, shipped_catalog, shipped_gazetteer)
    assert view.title.startswith(short_title(event))
    assert "8 June 1962" in view.title
    assert view.subtitle.startswith("Events, from 1 April 1962")


def test_without_a_highlight_the_filter_is_the_title(shipped_catalog, shipped_gazetteer) -> None:
    state = FilterState(date_from=dt.date(1962, 4, 1), actors=("gromyko",))
    view = ExportView.from_filters(state, shipped_catalog, shipped_gazetteer)
    assert view.title == "Events, from 1 April 1962"
    assert view.subtitle.startswith("Actors: ")

"""One selected event, whichever way the reader picked it.

A click on the map or the timeline, a row of the events table and the
selectbox beside the detail card all set the selected event
(``components.state.select_event``) through callbacks, which run before the
page script; so on every run the selection is already current when the charts
are drawn, and the last interaction wins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from components.memo import DataMemo
from components.plotly_config import for_browser, plotly_config
from components.state import get, select_event
from exchanges.catalog import Catalog
from exchanges.wording import short_date, shorten

#: The "Selected event" chooser lists the filtered events when there are at most this many. A
#: list of thousands is sent to the browser and drawn again on every rerun (274 KB at 3,000
#: events) and is read by no one: past this the map, the timeline, the table and the search
#: find an event, and the chooser holds only the selected one.
CHOOSER_LIMIT = 500


def event_ids_from_selection(state: Mapping[str, Any] | None) -> list[str]:
    """Event ids (``customdata``) of the points in a Plotly chart's selection state.

    Other customdata (a summarised timeline's ``zoom:…`` columns) is left out:
    an event id never holds a ":".
    """
    if not state:
        return []
    try:
        points = state["selection"]["points"]
    except (KeyError, TypeError):
        return []
    ids: list[str] = []
    for point in points or []:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, (list, tuple)):
            data = data[0] if data else None
        if isinstance(data, str) and data and ":" not in data and data not in ids:
            ids.append(data)
    return ids


def show_selectable_chart(
    figure: go.Figure, *, key: str, image_name: str, on_select: Callable[[], None] | None = None
) -> None:
    """Show a chart whose event glyphs (``customdata`` = event id) select their event on a click.

    ``image_name`` names the PNG the chart's camera button saves; ``on_select``
    replaces the usual callback (:func:`chart_selection_callback`).
    """
    st.plotly_chart(
        for_browser(figure, selectable=True),
        key=key,
        on_select=on_select or chart_selection_callback(key),
        selection_mode="points",
        config=plotly_config(filename=image_name),
        theme=None,
        width="stretch",
    )


def chart_selection_callback(chart_key: str) -> Callable[[], None]:
    """``on_select`` callback: the clicked event becomes the selected one."""

    def _on_select() -> None:
        ids = event_ids_from_selection(get(chart_key))
        if ids:
            select_event(ids[0])

    return _on_select


def table_selection_callback(table_key: str, row_ids: Sequence[str]) -> Callable[[], None]:
    """``on_select`` callback of the events table: the chosen row's event is selected."""
    row_ids = list(row_ids)

    def _on_select() -> None:
        state = get(table_key)
        try:
            rows = state["selection"]["rows"]
        except (KeyError, TypeError):
            return
        if rows and 0 <= rows[0] < len(row_ids):
            select_event(row_ids[rows[0]])

    return _on_select


_OPTION_LABELS: DataMemo[dict[str, str]] = DataMemo(size=4)


def event_option_labels(catalog: Catalog) -> dict[str, str]:
    """Every event's label in a "Selected event" chooser ("12 Jul 1962 — title…"), made once per catalog."""
    return _OPTION_LABELS.get(id(catalog), (catalog,), lambda: {
        event.id: f"{short_date(event)} — {shorten(event.title, 80)}" for event in catalog.events
    })

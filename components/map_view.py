"""The map on a page: the figure, click-to-select, and what it cannot show."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import streamlit as st

from components.markdown import escape_markdown
from components.selection import show_selectable_chart
from exchanges.catalog import Catalog
from exchanges.charts.labels import date_label
from exchanges.charts.map_figure import build_map_figure, locate_events
from exchanges.charts.style import DEFAULT_STYLE, ChartStyle, MapView
from exchanges.gazetteer import Gazetteer
from exchanges.models import Event

MAP_KEY = "map_chart"


def render_map(
    events: Sequence[Event],
    catalog: Catalog,
    gazetteer: Gazetteer,
    *,
    selected: str | None = None,
    muted: Collection[str] = (),
    view: MapView | None = None,
    style: ChartStyle = DEFAULT_STYLE,
    key: str = MAP_KEY,
    image_name: str = "map",
) -> None:
    """Draw the map; a click on a marker selects its event.

    Events without a place (or with a place the gazetteer lacks) are listed
    under the map, so the reader knows they exist. ``image_name`` names the
    PNG of the chart's camera button.
    """
    figure = build_map_figure(
        events, catalog, gazetteer, highlight=selected, muted=muted, view=view, style=style, missing_note=False
    )
    show_selectable_chart(figure, key=key, image_name=image_name)
    render_missing_places(events, gazetteer)


def render_missing_places(events: Sequence[Event], gazetteer: Gazetteer) -> None:
    locations = locate_events(events, gazetteer)
    missing = locations.missing
    if locations.unknown_places:
        unknown = sorted({place_id for _, place_id in locations.unknown_places})
        st.warning(
            "Not on the map: "
            + ", ".join(f"`{escape_markdown(p)}`" for p in unknown)
            + " — place ids missing from the gazetteer.",
            icon=":material/wrong_location:",
        )
    if not missing:
        return
    count = len(missing)
    with st.expander(
        f"{count} event{'s' if count != 1 else ''} not on the map (the source names no place)",
        icon=":material/location_off:",
    ):
        st.markdown(
            "\n".join(f"- {escape_markdown(date_label(e))} — {escape_markdown(e.title)}" for e in missing)
        )

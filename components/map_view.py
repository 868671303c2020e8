"""The map on a page: its options, the figure (cached per filter state), click-to-select,
the events of a clicked place, and what the map cannot show.

A click on a mark selects its place (``KEY_PLACE``) and an event of it
(``KEY_SELECTED``: the one already selected if it is there, else the
earliest); a place with several events gets a chooser under the map.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from components.data import get_events_frame, get_map_figure
from components.filters_sidebar import KEY_SELECTED
from components.markdown import escape_markdown
from components.plotly_config import plotly_config
from exchanges.catalog import Catalog
from exchanges.charts.labels import date_label, shorten
from exchanges.gazetteer import Gazetteer
from exchanges.mapping import MapView, locate_events
from exchanges.models import Event

MAP_KEY = "map_chart"
KEY_PLACE = "map_place"
KEY_FRAME_EVENTS = "map_frame_events"
KEY_MOVEMENTS = "map_movements"
KEY_PERIOD_NAMES = "map_period_names"
KEY_PLACE_PICK = "map_place_pick"


def map_frame(events: Sequence[Event], whole: MapView) -> MapView:
    """What the map frames: the filtered events (default), or ``whole`` (the whole region)."""
    if st.session_state.get(KEY_FRAME_EVENTS, True) and events:
        return get_events_frame([event.id for event in events])
    return whole


def has_period_names(gazetteer: Gazetteer) -> bool:
    """Whether the gazetteer can name places as they were called in a given year."""
    return callable(getattr(gazetteer, "period_name", None))


def names_year(events: Sequence[Event]) -> int | None:
    """The year whose names the "names of the time" switch shows: the events' median year."""
    if not events or not st.session_state.get(KEY_PERIOD_NAMES, False):
        return None
    return int(statistics.median_low(event.date.year for event in events))


def render_map_options(gazetteer: Gazetteer) -> None:
    """The map's switches, in one row above it."""
    with st.container(horizontal=True, key="map_options"):
        st.toggle("Frame the filtered events", value=True, key=KEY_FRAME_EVENTS,
                  help="Off: the map keeps the whole region whatever the filter.")
        st.toggle("Movements", value=True, key=KEY_MOVEMENTS,
                  help="Arrows from where people left to where they went, where the source names both.")
        st.toggle("Names of the time", value=False, key=KEY_PERIOD_NAMES, disabled=not has_period_names(gazetteer),
                  help="Place names as used in the events' years (Tientsin, Tihwa …), today's beside them.")


def render_map(
    events: Sequence[Event],
    catalog: Catalog,
    gazetteer: Gazetteer,
    *,
    selected: str | None = None,
    view: MapView,
    key: str = MAP_KEY,
    image_name: str = "map",
) -> None:
    """Options, the map (framed at ``view``), the chosen place's events, what is not on the map."""
    render_map_options(gazetteer)
    place = st.session_state.get(KEY_PLACE)
    if place and selected and selected not in {e.id for e in events_at_mark(place, events, gazetteer)}:
        place = st.session_state[KEY_PLACE] = None  # an event elsewhere was selected since
    figure = get_map_figure(
        [event.id for event in events], view=view, highlight=selected, selected_place=place,
        movements=st.session_state.get(KEY_MOVEMENTS, True), names_year=names_year(events),
    )
    st.plotly_chart(
        figure, key=key, on_select=_on_select(key), selection_mode="points",
        # The wheel zooms the map (the modebar's home button resets it).
        config=plotly_config(filename=image_name, scrollZoom="geo"),
        theme=None, width="stretch",
    )
    if place:
        render_place_events(place, events, catalog, gazetteer, selected)
    render_missing_places(events, gazetteer)


def selection_of(state: Mapping[str, Any] | None) -> tuple[str | None, str | None]:
    """(event id, place id) of the first clicked mark in a chart's selection state."""
    try:
        points = state["selection"]["points"] if state else []
    except (KeyError, TypeError):
        return None, None
    for point in points or []:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, str):
            return data, None
        if isinstance(data, (list, tuple)) and data and isinstance(data[0], str):
            place = data[1] if len(data) > 1 and isinstance(data[1], str) and data[1] else None
            return data[0], place
    return None, None


def _on_select(chart_key: str):
    def _callback() -> None:
        event_id, place_id = selection_of(st.session_state.get(chart_key))
        if event_id:
            st.session_state[KEY_SELECTED] = event_id
            st.session_state[KEY_PLACE] = place_id

    return _callback


def _pick(pick_key: str):
    def _callback() -> None:
        if st.session_state.get(pick_key):
            st.session_state[KEY_SELECTED] = st.session_state[pick_key]

    return _callback


def events_at_mark(place_id: str, events: Sequence[Event], gazetteer: Gazetteer) -> list[Event]:
    """The events drawn on the mark of ``place_id``: at that place or at one sharing its spot
    (Beijing and the PRC, whose point is its capital, share a mark)."""
    place = gazetteer.get(place_id)
    if place is None:
        return []
    spot = (round(place.lon, 2), round(place.lat, 2))
    shared = {place_id}

    def at_spot(pid: str) -> bool:
        if pid in shared:
            return True
        other = gazetteer.get(pid)
        if other is not None and (round(other.lon, 2), round(other.lat, 2)) == spot:
            shared.add(pid)
            return True
        return False

    return [event for event in events if any(at_spot(pid) for pid in event.places)]


def render_place_events(
    place_id: str, events: Sequence[Event], catalog: Catalog, gazetteer: Gazetteer, selected: str | None
) -> None:
    """A chooser among the filtered events at the clicked place (if it has more than one)."""
    del catalog
    place = gazetteer.get(place_id)
    here = events_at_mark(place_id, events, gazetteer)
    if place is None or len(here) < 2:
        return
    ids = [event.id for event in here]
    by_id = {event.id: event for event in here}
    if st.session_state.get(KEY_PLACE_PICK) not in ids or st.session_state.get(KEY_PLACE_PICK) != selected:
        st.session_state[KEY_PLACE_PICK] = selected if selected in ids else ids[0]
    st.selectbox(
        f"{len(here):,} events at {place.name}: choose one to read",
        options=ids,
        format_func=lambda i: f"{date_label(by_id[i])} — {shorten(by_id[i].title, 80)}",
        key=KEY_PLACE_PICK,
        on_change=_pick(KEY_PLACE_PICK),
    )


def render_missing_places(events: Sequence[Event], gazetteer: Gazetteer) -> None:
    locations = locate_events(events, gazetteer)
    missing = locations.missing
    if locations.unknown_places:
        unknown = sorted({place_id for _, place_id in locations.unknown_places})
        st.warning(
            "Not on the map: "
            + ", ".join(f"`{escape_markdown(p)}`" for p in unknown[:20])
            + (f" and {len(unknown) - 20} more" if len(unknown) > 20 else "")
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
            "\n".join(f"- {escape_markdown(date_label(e))} — {escape_markdown(e.title)}" for e in missing[:200])
            + (f"\n\n… and {count - 200:,} more (see the events table)" if count > 200 else "")
        )

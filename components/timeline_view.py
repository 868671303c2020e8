"""The timeline on a page: the figure, lane choice, zoom and click-to-select.

**Zoom.** The timeline has a fixed height; a lane with more events than it can
name shows how many there are per period instead (see
``exchanges.charts.timeline_figure``). A Plotly zoom happens in the browser
and cannot bring back events the figure does not hold, so zooming here is a
*narrower timeline*, built anew: a click on a column of counts zooms the
timeline to that column's period (a month, a year…), and "Zoom to" picks a
year. The zoom applies to the timeline only (the map and the table keep the
filters' events); it is said above the chart with a button to show all again.
The sidebar's date range narrows everything in the same way.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Sequence

import streamlit as st

from components.data import get_catalog, get_timeline_figure
from components.selection import show_selectable_chart
from components.state import (
    KEY_LANES,
    KEY_TIMELINE_CHART,
    KEY_ZOOM_YEAR,
    clear_timeline_zoom,
    get,
    select_event,
    timeline_zoom,
    zoom_timeline,
)
from exchanges.catalog import Catalog
from exchanges.charts.style import DEFAULT_STYLE, ChartStyle
from exchanges.charts.timeline_figure import build_timeline_figure, parse_zoom
from exchanges.models import Event
from exchanges.timeline import LaneMode, describe_days, events_between

LANE_LABELS: dict[str, str] = {"side": "Lanes by side", "type": "Lanes by event type"}
GLYPH_KEY = (
    "Marker colour and shape: the event type, as on the map. A filled marker is an exact day; a hatched bar "
    "the window a vague date allows (a month, a season); a solid bar an event lasting from … to …; a band "
    "fading to the left an event known only to be on or before its date; grey-blue columns count the events "
    "of a lane too full to name them (click one to zoom in)."
)
_ALL = "All years"


def lane_choice() -> LaneMode:
    """A small control choosing the timeline's lanes (kept for the session)."""
    return (
        st.segmented_control(
            "Lanes",
            options=list(LANE_LABELS),
            format_func=LANE_LABELS.__getitem__,
            default="side",
            key=KEY_LANES,
            required=True,
            label_visibility="collapsed",
            help="Side: who acted (from the sender's country); arrows run from sender to recipient.",
            persist_state="session",
        )
        or "side"
    )


def timeline_callback(chart_key: str):
    """``on_select`` callback: a clicked event becomes the selected one; a clicked column of
    counts zooms the timeline to its period."""

    def _on_select() -> None:
        state = get(chart_key) or {}
        try:
            points = state["selection"]["points"] or []
        except (KeyError, TypeError):
            return
        for point in points:
            data = point.get("customdata") if isinstance(point, dict) else None
            if isinstance(data, (list, tuple)):
                data = data[0] if data else None
            window = parse_zoom(data)
            if window is not None:
                zoom_timeline(window)
                return
            if isinstance(data, str) and data:
                select_event(data)
                return

    return _on_select


def _zoom_to_year() -> None:
    choice = get(KEY_ZOOM_YEAR)
    if not choice or choice == _ALL:
        zoom_timeline(None)
        return
    year = int(str(choice).split()[0])
    zoom_timeline((dt.date(year, 1, 1), dt.date(year, 12, 31)))


def _zoom_controls(events: Sequence[Event], shown: Sequence[Event], zoom: tuple[dt.date, dt.date] | None,
                   summarised: bool, key: str) -> None:
    """Says what the timeline is zoomed to (and a way back), or offers a year to zoom to."""
    if zoom is not None:
        with st.container(horizontal=True, vertical_alignment="center", key=f"{key}_zoom_note"):
            st.caption(f"Timeline zoomed to **{describe_days(*zoom)}**: {len(shown):,} of {len(events):,} events.")
            st.button("Show all dates", key=f"{key}_unzoom", icon=":material/zoom_out:", on_click=clear_timeline_zoom)
    elif summarised:
        years = Counter(event.date.year for event in events)
        st.selectbox(
            "Zoom the timeline to",
            options=[_ALL, *(f"{year} ({count:,} events)" for year, count in sorted(years.items()))],
            key=KEY_ZOOM_YEAR,
            on_change=_zoom_to_year,
            help="Or click a column of counts to zoom to its period.",
        )


def render_timeline(
    events: Sequence[Event],
    catalog: Catalog,
    *,
    selected: str | None = None,
    muted: Collection[str] = (),
    style: ChartStyle = DEFAULT_STYLE,
    key: str = KEY_TIMELINE_CHART,
    lanes: LaneMode | None = None,
    image_name: str = "timeline",
    show_legend: bool = False,
) -> None:
    """Draw the timeline; a click on an event selects it, a click on a column of counts zooms in.

    Without ``lanes`` the reader chooses them (by side or by event type).
    ``image_name`` names the PNG of the chart's camera button. Without
    ``show_legend`` the page explains the glyphs (``GLYPH_KEY``, in a caption
    under the chart; the map above names the event types): the legend's height
    goes to the lanes.
    """
    if lanes is None:
        lanes = lane_choice()
    zoom = timeline_zoom()
    shown = events_between(events, *zoom) if zoom else list(events)
    if style is DEFAULT_STYLE and not muted and catalog is get_catalog():  # built once per state (components.data)
        figure = get_timeline_figure([event.id for event in shown], highlight=selected, lanes=lanes,
                                     window=zoom, show_legend=show_legend)
    else:
        figure = build_timeline_figure(shown, catalog, highlight=selected, muted=muted, style=style, lanes=lanes,
                                       window=zoom, show_legend=show_legend)
    summarised = bool(((figure.layout.meta or {}).get("exchanges_timeline") or {}).get("summarised"))
    _zoom_controls(events, shown, zoom, summarised, key)
    if zoom is not None and selected is not None and selected not in {event.id for event in shown}:
        st.caption("The selected event is outside these dates.")
    show_selectable_chart(figure, key=key, image_name=image_name, on_select=timeline_callback(key))

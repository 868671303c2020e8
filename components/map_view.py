"""The map on a page: its options, the figure (cached per filter state), click-to-select,
the events of a clicked place, and what the map cannot show.

A click on a mark selects its place (``state.select_map_place``) and an event of it
(``state.select_event``: the one already selected if it is there, else the
earliest); a place with several events gets a chooser under the map.
"""

from __future__ import annotations

import base64
import html
import itertools
import math
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from components.data import get_events_frame, get_map_figure
from components.plotly_config import for_browser, plotly_config
from components.state import (
    KEY_MAP_CHART,
    KEY_MAP_FRAME_EVENTS,
    KEY_MAP_MOVEMENTS,
    KEY_MAP_PERIOD_NAMES,
    KEY_MAP_PLACE_PICK,
    get,
    map_place,
    map_switch,
    put,
    select_event,
    select_map_place,
)
from exchanges.catalog import Catalog
from exchanges.charts.map_figure import META_KEY
from exchanges.gazetteer import Gazetteer
from exchanges.mapping import MapView, locate_events
from exchanges.markdown import escape_markdown
from exchanges.models import Event
from exchanges.wording import date_label, shorten


def map_frame(events: Sequence[Event], whole: MapView) -> MapView:
    """What the map frames: the filtered events (default), or ``whole`` (the whole region)."""
    if map_switch(KEY_MAP_FRAME_EVENTS, True) and events:
        return get_events_frame([event.id for event in events])
    return whole


def has_period_names(gazetteer: Gazetteer) -> bool:
    """Whether the gazetteer can name places as they were called in a given year."""
    return callable(getattr(gazetteer, "period_name", None))


def names_year(events: Sequence[Event]) -> int | None:
    """The year whose names the "names of the time" switch shows: the events' median year."""
    if not events or not map_switch(KEY_MAP_PERIOD_NAMES, False):
        return None
    return int(statistics.median_low(event.date.year for event in events))


def render_map_options(gazetteer: Gazetteer) -> None:
    """The map's switches, in one row above it."""
    with st.container(horizontal=True, key="map_options"):
        st.toggle("Frame the filtered events", value=True, key=KEY_MAP_FRAME_EVENTS,
                  help="Off: the map keeps the whole region whatever the filter.")
        st.toggle("Movements", value=True, key=KEY_MAP_MOVEMENTS,
                  help="Arrows from where people left to where they went, where the source names both.")
        st.toggle("Names of the time", value=False, key=KEY_MAP_PERIOD_NAMES, disabled=not has_period_names(gazetteer),
                  help="Place names as used in the events' years (Tientsin, Tihwa …), today's beside them.")


def render_map(
    events: Sequence[Event],
    catalog: Catalog,
    gazetteer: Gazetteer,
    *,
    selected: str | None = None,
    view: MapView,
    key: str = KEY_MAP_CHART,
    image_name: str = "map",
) -> None:
    """The map (framed at ``view``), the chosen place's events, what is not on the map. Its
    switches (``render_map_options``) are the page's to place: the explore page draws them
    outside its charts fragment."""
    place = map_place()
    if place and selected and selected not in {e.id for e in events_at_mark(place, events, gazetteer)}:
        place = None  # an event elsewhere was selected since
        select_map_place(None)
    # The legend is drawn by the page, once, not by plotly on every rerun (it cost more to
    # redraw than the marks); its entries come from the figure (what is on the map).
    figure = get_map_figure(
        [event.id for event in events], view=view, highlight=selected, selected_place=place,
        movements=map_switch(KEY_MAP_MOVEMENTS, True), names_year=names_year(events), legend=False,
    )
    st.plotly_chart(
        for_browser(figure, selectable=True), key=key, on_select=_on_select(key), selection_mode="points",
        # The wheel zooms the map (the modebar's home button resets it).
        config=plotly_config(filename=image_name, scrollZoom="geo"),
        theme=None, width="stretch",
    )
    entries = (figure.layout.meta or {}).get(META_KEY, {}).get("legend", [])
    if entries:
        st.html(legend_html(entries))
    if place:
        render_place_events(place, events, catalog, gazetteer, selected)
    render_missing_places(events, gazetteer, key=key)


#: A legend symbol's box (px) and the radius of its shape.
_KEY_BOX, _KEY_R = 14, 5.0


def legend_html(entries: Sequence[Mapping[str, str]]) -> str:
    """The map's legend as HTML: each entry's symbol (inline SVG, as plotly draws it) and name.
    Names are escaped: only our markup is live."""
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;gap:0.3rem;white-space:nowrap">'
        f"{_key_svg(entry)}{html.escape(str(entry.get('name', '')))}</span>"
        for entry in entries
    )
    return (f'<div class="map-legend" style="display:flex;flex-wrap:wrap;gap:0.15rem 1rem;'
            f'font-size:0.8rem;line-height:1.3;margin-top:-0.5rem">{items}</div>')


def _key_svg(entry: Mapping[str, str]) -> str:
    colour = html.escape(str(entry.get("colour", "#777777")))
    kind, c = entry.get("kind"), _KEY_BOX / 2
    if kind == "line":
        shape = f'<line x1="1" y1="{c}" x2="{_KEY_BOX - 1}" y2="{c}" stroke="{colour}" stroke-width="3"/>'
    elif kind == "dash":
        shape = (f'<line x1="0" y1="{c}" x2="{_KEY_BOX}" y2="{c}" stroke="{colour}" stroke-width="2.5" '
                 'stroke-dasharray="4 2"/>')
    elif kind == "swatch":
        shape = f'<rect x="1" y="1" width="12" height="12" fill="{colour}" fill-opacity="0.45" stroke="#777777"/>'
    else:
        shape = _marker_svg(str(entry.get("symbol", "circle")), colour)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_KEY_BOX}" height="{_KEY_BOX}" '
           f'viewBox="0 0 {_KEY_BOX} {_KEY_BOX}">{shape}</svg>')
    # As an image: ``st.html`` sanitises inline SVG away, not an image's data URI.
    data = base64.b64encode(svg.encode()).decode()
    return f'<img alt="" width="{_KEY_BOX}" height="{_KEY_BOX}" src="data:image/svg+xml;base64,{data}">'


def _marker_svg(symbol: str, colour: str) -> str:
    """A plotly marker symbol as SVG, centred in the key's box (the shapes the map's marks use)."""
    if symbol.endswith("-open"):
        return f'<circle cx="7" cy="7" r="{_KEY_R}" fill="none" stroke="{colour}" stroke-width="2"/>'
    if symbol == "circle":
        return f'<circle cx="7" cy="7" r="{_KEY_R}" fill="{colour}" stroke="#ffffff" stroke-width="0.8"/>'
    points = _POLYGONS.get(symbol, _POLYGONS["square"])
    path = " ".join(f"{7 + x * _KEY_R * 1.1:.1f},{7 - y * _KEY_R * 1.1:.1f}" for x, y in points)
    return f'<polygon points="{path}" fill="{colour}" stroke="#ffffff" stroke-width="0.8"/>'


def _star(tips: int, inner: float, turn: float = 90.0) -> tuple[tuple[float, float], ...]:
    return tuple((r * math.cos(math.radians(turn + 180 * i / tips)), r * math.sin(math.radians(turn + 180 * i / tips)))
                 for i, r in zip(range(2 * tips), itertools.cycle((1.0, inner)), strict=False))


def _regular(sides: int, turn: float = 90.0) -> tuple[tuple[float, float], ...]:
    return tuple((math.cos(math.radians(turn + 360 * i / sides)), math.sin(math.radians(turn + 360 * i / sides)))
                 for i in range(sides))


#: Unit outlines (y up) of the marker symbols the map uses, after plotly's ``symbol_defs``.
_POLYGONS: dict[str, tuple[tuple[float, float], ...]] = {
    "square": ((-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)),
    "diamond": ((0, -1.2), (1.2, 0), (0, 1.2), (-1.2, 0)),
    "hexagon": _regular(6, 0.0),
    "pentagon": _regular(5),
    "star": _star(5, 0.45),
    "star-diamond": _star(4, 0.35),
    "triangle-up": _regular(3),
    "triangle-down": _regular(3, -90.0),
    "cross": ((-0.35, 1), (0.35, 1), (0.35, 0.35), (1, 0.35), (1, -0.35), (0.35, -0.35), (0.35, -1),
              (-0.35, -1), (-0.35, -0.35), (-1, -0.35), (-1, 0.35), (-0.35, 0.35)),
    "x": tuple((0.7071 * (x - y), 0.7071 * (x + y)) for x, y in (
        (-0.35, 1.2), (0.35, 1.2), (0.35, 0.35), (1.2, 0.35), (1.2, -0.35), (0.35, -0.35), (0.35, -1.2),
        (-0.35, -1.2), (-0.35, -0.35), (-1.2, -0.35), (-1.2, 0.35), (-0.35, 0.35))),
    "hourglass": ((-1, 1), (1, 1), (-1, -1), (1, -1)),
}


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
        event_id, place_id = selection_of(get(chart_key))
        if event_id:
            select_event(event_id)
            select_map_place(place_id)

    return _callback


def _pick(pick_key: str):
    def _callback() -> None:
        if get(pick_key):
            select_event(get(pick_key))

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
    if get(KEY_MAP_PLACE_PICK) not in ids or get(KEY_MAP_PLACE_PICK) != selected:
        put(KEY_MAP_PLACE_PICK, selected if selected in ids else ids[0])
    st.selectbox(
        f"{len(here):,} events at {place.name}: choose one to read",
        options=ids,
        format_func=lambda i: f"{date_label(by_id[i])} — {shorten(by_id[i].title, 80)}",
        key=KEY_MAP_PLACE_PICK,
        on_change=_pick(KEY_MAP_PLACE_PICK),
    )


def render_missing_places(events: Sequence[Event], gazetteer: Gazetteer, *, key: str) -> None:
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
    # The list is made only while the box is open (``on_change`` makes the expander report it):
    # every element of a page is drawn again on each rerun, and a filter change need not redraw it.
    with st.expander(
        f"{count} event{'s' if count != 1 else ''} not on the map (the source names no place)",
        icon=":material/location_off:", key=f"{key}_missing_box", on_change="rerun",
    ) as box:
        if not box.open:
            return
        st.markdown(
            "\n".join(f"- {escape_markdown(date_label(e))} — {escape_markdown(e.title)}" for e in missing[:200])
            + (f"\n\n… and {count - 200:,} more (see the events table)" if count > 200 else "")
        )

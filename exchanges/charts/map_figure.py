"""The map: one mark per place, at the place, over the Soviet–Chinese frontier.

Layers, bottom to top: the base map (land, coasts, rivers from plotly's
topojson, served offline from ``static/topojson/``); the USSR and PRC outlines
and the regions the events name, shaded, and the Soviet–Chinese border as a
line (all simplified for the screen, see ``ChartStyle.outline_tolerance``);
movements of people as arrows (``from_places`` → ``to_places``); place names;
the marks; the selection on top.

Marks never leave their coordinates: all the events at a place are one mark
at the place's own point (``exchanges.mapping.locate_events``), sized by how
many they are, coloured by their type (a neutral colour when a place has
several). Its hover lists the events; its ``customdata`` is ``[event id,
place id]`` (the highlighted event if it is there, else the earliest), so a
click selects the place and an event of it. Names are drawn at their
places: which show is decided by priority (the selected place, then places by
number of events, region names, then neighbour names) with collision tested
over places only (tens, not thousands), using real font metrics. The cost of
a build grows with the number of places, not of events.

Same-styled layers are one trace each: the regions, the border lines, the
arrowheads, and every name (``meta`` lists the trace's places, or each name's
kind); plotly.js pays for every trace on every draw (docs/MAP.md).

Every event given is accounted for: on a mark, or listed in a note on the map
("2 events have no place") and in ``layout.meta["exchanges_map"]``.
"""

from __future__ import annotations

import functools
import itertools
import math
import textwrap
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from exchanges.charts.plotly_text import escape_text
from exchanges.charts.style import DEFAULT_STYLE, ChartStyle, base_layout, paper_note, rgba
from exchanges.mapping import (
    EventLocations,
    MapView,
    Movement,
    PlaceEvents,
    Projector,
    context_labels,
    display_name,
    frame_locations,
    locate_events,
    outlined_places,
    screen_lines,
    view_box,
)
from exchanges.models import Event, EventType
from exchanges.text_metrics import line_height, text_width
from exchanges.wording import date_label, event_type_label, figure_value, largest_figure, shorten

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.gazetteer import Gazetteer, Place

__all__ = ["META_KEY", "SIZE_NOTE", "build_map_figure", "mark_size", "missing_places_note"]

#: ``meta`` key of the figure layout: what is drawn and what could not be placed.
META_KEY = "exchanges_map"
SIZE_NOTE = "Marker size: the number of events at the place (log scale; smaller where places crowd)"
#: Events listed in a mark's hover before "and N more".
HOVER_EVENTS = 6
#: Places whose names compete for room (busiest first); the others are only marks.
MAX_NAMED_PLACES = 80
#: The busiest places (after the selected one) whose names may cross arrows, and a city's a
#: border line, where no position is clear of them: their names are never lost to a line.
MUST_NAME = 16
#: Marks of one kind (places, or regions and borders) whose centres are this close on screen
#: (px) are one blob: one name lists them, at the busiest one's place.
SAME_SPOT_PX = 4.0
#: A name may be this much nearer (px) another place's mark than its own and still read as its own.
AMBIGUOUS_PX = 2.0
#: How far apart (px) the distances tried for a name beside a crowd of marks are.
LABEL_STEP_PX = 3.0
#: Where a name may go around its mark, in order of preference (plotly ``textposition``).
LABEL_POSITIONS = (
    "middle right", "middle left", "top center", "bottom center",
    "top right", "bottom right", "top left", "bottom left",
)
#: Which way (x east, y north, unit length) a name at each of ``LABEL_POSITIONS`` lies from its place.
_POSITION_DIRECTIONS = {
    position: np.array(vector) / np.hypot(*vector) for position, vector in (
        ("middle right", (1, 0)), ("middle left", (-1, 0)), ("top center", (0, 1)), ("bottom center", (0, -1)),
        ("top right", (1, 1)), ("bottom right", (1, -1)), ("top left", (-1, 1)), ("bottom left", (-1, -1)),
    )
}
#: A neighbour's name: centred on its point, else starting or ending there (near a frame edge).
CONTEXT_POSITIONS = ("middle center", "middle right", "middle left", "top center", "bottom center",
                     "top right", "top left", "bottom right", "bottom left")
MOVEMENT_LEGEND = "Movement of people (source gives both ends)"
#: A legend strip under the map (``legend_strip``): its font at most (px), and the space
#: (share of the figure's height) between the map's lower edge and the legend.
STRIP_LEGEND_FONT_SIZE = 15
STRIP_GAP = 0.01
#: How many ids each list of ``layout.meta`` carries at most.
META_LIMIT = 100
#: The map's template: only what plotly.js would not default to and the layout does not set.
#: A named template (``plotly_white``) is deep-copied on every build, sent with every rerun
#: (~10 KB) and applied by plotly.js on every draw, though the layout overrides all of it.
MAP_TEMPLATE = go.layout.Template(layout={"title": {"x": 0.05}, "hovermode": "closest"})


def _geo_trace(**props: object) -> dict:
    """A ``scattergeo`` trace as a dict: plotly.py validates it once, in ``add_traces``
    (a ``go.Scattergeo`` would be validated twice, the second time when copied into the figure)."""
    return {"type": "scattergeo", **props}


def mark_size(count: int, style: ChartStyle = DEFAULT_STYLE) -> float:
    """Diameter (px) of a place's mark: one event the minimum, 1,000 or more the maximum (log scale)."""
    scale = min(math.log10(max(count, 1)) / 3.0, 1.0)
    return round(style.marker_min_size + scale * (style.marker_max_size - style.marker_min_size), 1)


def build_map_figure(
    events: Sequence[Event],
    catalog: Catalog,
    gazetteer: Gazetteer,
    *,
    highlight: str | None = None,
    selected_place: str | None = None,
    muted: Collection[str] = (),
    view: MapView | None = None,
    title: str | None = None,
    style: ChartStyle = DEFAULT_STYLE,
    missing_note: bool = True,
    size_note: bool = True,
    notice: str | None = None,
    movements: bool = True,
    names_year: int | None = None,
    width_px: float | None = None,
    legend_strip: float | None = None,
    legend: bool = True,
) -> go.Figure:
    """The events on a map; see the module docstring for the layers.

    ``highlight`` is the selected event (its places ringed), ``selected_place``
    a place chosen on the map (ringed, named first); ``muted`` event ids are
    drawn faded (a place fades when all its events are muted). ``view`` frames
    the map (by default the events' places). ``missing_note`` writes on the map
    how many events have no place, ``size_note`` what a mark's size means,
    ``notice`` any other line the reader must see on the map (e.g. "this step
    names no place"). ``movements`` draws the arrows; ``names_year`` names
    places as they were called that year (modern name beside). ``width_px`` is
    the width the map is drawn at, for the names' collision test. ``legend_strip``
    (a share of the figure's height) lays the map out for a box of its own: no
    margins, the map above, the legend in a strip of that share under it, off
    the map (the Present page). ``legend=False`` leaves plotly's legend out (its
    entries are still listed in ``layout.meta``, for a page that draws them once
    beside the map: plotly redraws its legend on every rerun, at more cost than
    the marks).
    """
    locations = locate_events(events, gazetteer)
    if view is None:
        view = frame_locations(locations, gazetteer, aspect=style.map_aspect)
    projector = Projector.for_view(view, width_px or style.map_width_hint)
    highlighted = next((set(e.places) for e in events if e.id == highlight), set()) if highlight else set()
    marks = _marks(locations, view, (highlight, highlighted), selected_place, set(muted), style)
    marks = _clickable(marks, projector, style)

    figure = go.Figure(layout={"template": MAP_TEMPLATE})
    figure.add_traces(list(_context_traces(locations, gazetteer, view, style, swatches=legend)))
    if movements and locations.movements:
        figure.add_traces(list(_movement_traces(locations.movements, catalog, style)))
    obstacles = _obstacles(marks, locations.movements if movements else (), gazetteer, projector, style)
    figure.add_traces(list(_label_traces(marks, gazetteer, view, projector, obstacles, names_year, style)))
    if marks:
        if legend:
            figure.add_traces(list(_type_keys(marks, style)))
        figure.add_trace(_mark_trace(marks, gazetteer, catalog, names_year, style))
    ring = _selection_trace(marks, highlight, style)
    if ring is not None:
        figure.add_trace(ring)

    _apply_layout(figure, view, title, style, legend_strip)
    note = missing_places_note(locations)
    _add_notes(figure, note if missing_note else None, bool(marks) and size_note, notice, style)
    # Lists are cut at META_LIMIT (with their full counts): the meta travels with every rerun.
    figure.layout.meta = {
        META_KEY: {
            "places": [group.place.id for mark in marks for group in mark.groups],
            "unplaced": [event.id for event in locations.unplaced[:META_LIMIT]],
            "unplaced_count": len(locations.unplaced),
            "unknown_places": [[event.id, place_id] for event, place_id in locations.unknown_places[:META_LIMIT]],
            "unknown_places_count": len(locations.unknown_places),
            "movements": [[m.event.id, m.origin.id, m.destination.id] for m in locations.movements[:META_LIMIT]],
            "movements_count": len(locations.movements),
            "note": note,
            "legend": _legend_entries(marks, bool(movements and locations.movements), gazetteer, style),
        }
    }
    if not legend:
        figure.layout.showlegend = False
    return figure


def missing_places_note(locations: EventLocations, limit: int = 2) -> str | None:
    """Plain-text note on events the map cannot show, or ``None`` if it shows all.

    Up to ``limit`` events are named; more are counted (a list belongs beside
    the map, not on it).
    """
    parts = []
    if locations.unplaced:
        count = len(locations.unplaced)
        if count <= limit:
            titles = "; ".join(shorten(event.title, 48) for event in locations.unplaced)
            verb = "has" if count == 1 else "have"
            parts.append(f"{count} event{'s' if count != 1 else ''} {verb} no place: {titles}")
        else:
            parts.append(f"{count} events have no place and are not on the map")
    if locations.unknown_places:
        unknown_ids = sorted({place_id for _, place_id in locations.unknown_places})
        count = len({event.id for event, _ in locations.unknown_places})
        shown = ", ".join(unknown_ids[:5]) + (f" and {len(unknown_ids) - 5} more" if len(unknown_ids) > 5 else "")
        parts.append(
            f"{count} event{'s' if count != 1 else ''} name{'s' if count == 1 else ''} "
            f"a place missing from the gazetteer: {shown}"
        )
    return ". ".join(parts) + "." if parts else None


# --------------------------------------------------------------------------- marks


@dataclass(frozen=True)
class Mark:
    """One mark as drawn: the events of one place, or of places at one spot (Beijing and
    the PRC, whose point is its capital), so no mark ever hides another's click."""

    groups: tuple[PlaceEvents, ...]
    size: float
    colour: str
    symbol: str
    opacity: float
    event_id: str
    """The event a click on the mark selects."""
    selected: bool

    @property
    def place(self) -> Place:
        return self.groups[0].place

    @functools.cached_property
    def events(self) -> tuple[Event, ...]:
        if len(self.groups) == 1:
            return self.groups[0].events
        return tuple({e.id: e for group in self.groups for e in group.events}.values())

    @property
    def count(self) -> int:
        return len(self.events)

    @property
    def event_types(self) -> frozenset[str]:
        return frozenset().union(*(group.event_types for group in self.groups))


def _spot(place: Place) -> tuple[float, float]:
    """(lon, lat) rounded to ~1 km: places this close share a mark."""
    return (round(place.lon, 2), round(place.lat, 2))


def _marks(
    locations: EventLocations, view: MapView, highlight: tuple[str | None, set[str]], selected_place: str | None,
    muted: set[str], style: ChartStyle,
) -> list[Mark]:
    """The marks in the view, biggest first (so smaller ones are drawn on top).

    ``highlight`` is the selected event's id and its place ids.
    """
    highlight_id, highlight_places = highlight
    spots: dict[tuple[float, float], list[PlaceEvents]] = {}
    for group in locations.places:  # busiest first: the busiest place names a shared spot
        if view.contains(group.place.lon, group.place.lat):
            spots.setdefault(_spot(group.place), []).append(group)
    marks = []
    for groups in spots.values():
        ids = {group.place.id for group in groups}
        types = frozenset().union(*(group.event_types for group in groups))
        kind = EventType(next(iter(types))) if len(types) == 1 else None
        here = bool(ids & highlight_places)
        # Places sharing a spot may share events (an event at Beijing and the PRC counts once).
        events = groups[0].events if len(groups) == 1 else tuple({e.id: e for g in groups for e in g.events}.values())
        all_muted = bool(muted) and all(event.id in muted for event in events)
        count = len(events)
        marks.append(Mark(
            groups=tuple(groups),
            size=mark_size(count, style),
            colour=style.colour_for(kind) if kind else style.mixed_colour,
            symbol=style.symbol_for(kind) if kind else "circle",
            opacity=style.muted_opacity if all_muted else style.marker_opacity,
            event_id=highlight_id if here and highlight_id else events[0].id,
            selected=selected_place in ids or here,
        ))
    marks.sort(key=lambda m: (-m.size, m.place.id))
    return marks


#: The smallest a crowded mark is drawn (px diameter).
MIN_CROWDED_SIZE = 6.0


def _clickable(marks: list[Mark], projector: Projector, style: ChartStyle) -> list[Mark]:
    """Marks shrunk where places crowd, so a click at any mark's centre selects that mark.

    plotly.js gives a click to the point whose ``distance - radius`` is least,
    floored at ``1 - 3 / radius`` inside a marker, so inside two markers the
    smaller wins. A mark stays the target at its own centre if every smaller
    (or equal) neighbour ends a little short of it: such a neighbour's radius is
    capped at their distance less 1.5 px (at the narrowest width the map is
    drawn). Neighbours are found on a grid: O(marks).
    """
    if len(marks) < 2:
        return marks
    points = [projector.to_px(m.place.lon, m.place.lat) for m in marks]
    cell = max(style.marker_max_size * style.highlight_scale, 1.0)
    grid: dict[tuple[int, int], list[int]] = {}
    for index, (x, y) in enumerate(points):
        grid.setdefault((int(x // cell), int(y // cell)), []).append(index)
    sizes = [m.size for m in marks]
    for index, (x, y) in enumerate(points):  # marks are sorted biggest first
        cx, cy = int(x // cell), int(y // cell)
        for dx, dy in itertools.product((-1, 0, 1), repeat=2):
            for other in grid.get((cx + dx, cy + dy), ()):
                if other >= index:  # only the bigger (earlier) marks constrain this one
                    continue
                gap = math.dist(points[index], points[other]) - 1.5
                if gap > 0:
                    sizes[index] = min(sizes[index], max(2 * gap, MIN_CROWDED_SIZE))
    return [m if size == m.size else replace(m, size=size) for m, size in zip(marks, sizes, strict=True)]


def _mark_trace(
    marks: Sequence[Mark], gazetteer: Gazetteer, catalog: Catalog, year: int | None, style: ChartStyle
) -> dict:
    return _geo_trace(
        lon=[m.place.lon for m in marks],
        lat=[m.place.lat for m in marks],
        mode="markers",
        name="Places with events",
        showlegend=False,
        customdata=[[m.event_id, m.place.id] for m in marks],
        hovertext=[_hover(m, gazetteer, catalog, year) for m in marks],
        hovertemplate="%{hovertext}<extra></extra>",
        marker={
            "size": [m.size for m in marks],
            "color": [m.colour for m in marks],
            "symbol": [m.symbol for m in marks],
            "opacity": [m.opacity for m in marks],
            "line": {"color": style.marker_line_colour, "width": style.marker_line_width},
        },
        # Streamlit's point selection must not grey out the other marks: the
        # selection is drawn by us (``_selection_trace``).
        unselected={"marker": {"opacity": style.marker_opacity}},
        meta={"layer": "events"},
    )


def _selection_trace(marks: Sequence[Mark], highlight: str | None, style: ChartStyle) -> dict | None:
    """A ring around the selected place(s): the same click target as the mark beneath."""
    chosen = [m for m in marks if m.selected]
    if not chosen:
        return None
    return _geo_trace(
        lon=[m.place.lon for m in chosen],
        lat=[m.place.lat for m in chosen],
        mode="markers",
        name="Selected",
        showlegend=False,
        customdata=[[m.event_id, m.place.id] for m in chosen],
        hoverinfo="skip",
        marker={
            "size": [m.size * style.highlight_scale + 4 for m in chosen],
            "color": "rgba(0,0,0,0)",
            "symbol": "circle",
            "line": {"color": style.highlight_colour, "width": style.highlight_line_width},
        },
        unselected={"marker": {"opacity": 1.0}},
        meta={"layer": "highlight", "event": highlight, "places": [m.place.id for m in chosen]},
    )


def _type_keys(marks: Sequence[Mark], style: ChartStyle) -> Iterator[dict]:
    """Legend-only entries: each event type drawn, and "several types" if any place has several."""
    present = {t for m in marks for t in m.event_types}
    for event_type in EventType:  # a stable legend order
        if event_type.value in present:
            yield _key(event_type_label(event_type), style.colour_for(event_type), style.symbol_for(event_type),
                       event_type.value, style)
    if any(len(m.event_types) > 1 for m in marks):
        yield _key("Several types at one place", style.mixed_colour, "circle", "mixed", style)


def _legend_entries(marks: Sequence[Mark], movements: bool, gazetteer: Gazetteer, style: ChartStyle) -> list[dict]:
    """What the legend says, in its order, as data (``layout.meta``): ``kind`` is "line",
    "dash" (the border), "marker" (with its ``symbol``) or "swatch" (a country's fill)."""
    entries = [{"name": MOVEMENT_LEGEND, "kind": "line", "colour": style.movement_colour}] if movements else []
    present = {t for m in marks for t in m.event_types}
    entries += [{"name": event_type_label(t), "kind": "marker", "colour": style.colour_for(t),
                 "symbol": style.symbol_for(t)} for t in EventType if t.value in present]
    if any(len(m.event_types) > 1 for m in marks):
        entries.append({"name": "Several types at one place", "kind": "marker", "colour": style.mixed_colour,
                        "symbol": "circle"})
    for place in outlined_places(gazetteer, "country"):
        colour = style.country_fill_colours.get(place.country or "") or style.country_fill_colours.get(place.id)
        if colour:
            entries.append({"name": place.name, "kind": "swatch", "colour": colour})
    if outlined_places(gazetteer, "border"):
        entries.append({"name": "Sino-Soviet border", "kind": "dash", "colour": style.border_line_colour})
    return entries


def _key(name: str, colour: str, symbol: str, kind: str, style: ChartStyle) -> dict:
    return _geo_trace(
        lon=[None], lat=[None], mode="markers", name=name, legendgroup=kind, hoverinfo="skip",
        marker={"size": style.marker_min_size, "color": colour, "symbol": symbol, "opacity": 1.0,
                "line": {"color": style.marker_line_colour, "width": style.marker_line_width}},
        meta={"layer": "legend-key", "event_type": kind},
    )


def _hover(mark: Mark, gazetteer: Gazetteer, catalog: Catalog, year: int | None) -> str:
    """The place, then its events (the first few, then "and N more")."""
    del catalog  # the place's events say enough; the card has the rest
    names = " · ".join(display_name(gazetteer, group.place, year) for group in mark.groups)
    head = f"<b>{escape_text(names)}</b>"
    count = f"{mark.count:,} event{'s' if mark.count != 1 else ''}"
    lines = [f"{head} · {count}"]
    for event in mark.events[:HOVER_EVENTS]:
        figure = largest_figure(event)
        extra = f" ({figure_value(figure):,})" if figure is not None else ""
        lines.append(escape_text(f"{date_label(event)} — {shorten(event.title, 60)}{extra}"))
    if mark.count > HOVER_EVENTS:
        lines.append(f"<i>and {mark.count - HOVER_EVENTS:,} more</i>")
    lines.append("<i>Click to choose among them</i>" if mark.count > 1 else "<i>Click to read it</i>")
    return "<br>".join(lines)


def _short_name(place: Place, gazetteer: Gazetteer, year: int | None) -> str:
    """A country by its abbreviation (USSR, PRC) if the gazetteer lists one."""
    if place.kind == "country":
        for alias in place.alt_names:
            if 2 <= len(alias) <= 5 and alias.isascii() and alias.isalpha() and alias.isupper():
                return alias
    return display_name(gazetteer, place, year)


# --------------------------------------------------------------------------- context


def _context_traces(
    locations: EventLocations, gazetteer: Gazetteer, view: MapView, style: ChartStyle, *, swatches: bool = True
) -> Iterator[dict]:
    """Country outlines (filled), the regions the events name (shaded) and border lines.

    Only the gazetteer's countries and borders and the events' own regions:
    the cost does not grow with the gazetteer. None of these takes a hover or
    a click (``hoverinfo="skip"``): a click on a mark always reaches the mark.
    """
    used = {group.place.id for group in locations.places}
    for place in _outlined(gazetteer, "country", used, always=True):
        yield from _country_traces(place, gazetteer, view, style, swatch=swatches)
    # Same-styled outlines are one trace each (gaps between them): plotly.js pays for every
    # trace on every draw, whatever its size (docs/MAP.md, "Fewer traces").
    regions = list(_outlined(gazetteer, "region", used, always=False))
    if regions:
        lons, lats = _joined(screen_lines(gazetteer, place.id, style.outline_tolerance, clip=view) for place in regions)
        yield _geo_trace(
            lon=lons, lat=lats, mode="lines", fill="toself", fillcolor=style.region_fill_colour,
            line={"color": style.region_line_colour, "width": 1}, name="Regions the events name",
            hoverinfo="skip", showlegend=False, meta={"layer": "region", "places": [place.id for place in regions]},
        )
    borders = list(_outlined(gazetteer, "border", used, always=True))
    if borders:
        lons, lats = _joined(screen_lines(gazetteer, place.id, style.outline_tolerance / 2, clip=view)
                             for place in borders)
        yield _geo_trace(
            lon=lons, lat=lats, mode="lines",
            line={"color": style.border_line_colour, "width": style.border_line_width,
                  "dash": style.border_line_dash},
            name="Sino-Soviet border", legendgroup="context", legendrank=2000, showlegend=True,
            hoverinfo="skip", meta={"layer": "border", "places": [place.id for place in borders]},
        )


def _outlined(gazetteer: Gazetteer, kind: str, used: set[str], *, always: bool) -> Iterator[Place]:
    """Places of ``kind`` with an outline: every shipped one if ``always``, else those the events use."""
    for place in outlined_places(gazetteer, kind):
        if always or place.id in used:
            yield place


#: Decimals of a degree kept in outline coordinates (1e-4 degrees: about 10 m).
OUTLINE_DECIMALS = 4


def _arrays(lons: np.ndarray, lats: np.ndarray) -> tuple[list, list]:
    """Outline coordinates as lists rounded to ``OUTLINE_DECIMALS``, gaps as ``None``.

    Lists, not numpy arrays: plotly.py would send arrays as typed arrays, which
    ``Plotly.react`` can never tell unchanged (``exchanges.charts.browser``); rounded,
    they are as short in JSON as base64 float32 was."""
    return _coordinates(lons), _coordinates(lats)


def _joined(lines: Iterable[tuple[np.ndarray, np.ndarray]]) -> tuple[list, list]:
    """Several outlines as one line with gaps (``None``) between them, as :func:`_arrays` writes them."""
    lons: list = []
    lats: list = []
    for line_lons, line_lats in lines:
        if len(line_lons):
            if lons:
                lons.append(None)
                lats.append(None)
            more_lons, more_lats = _arrays(line_lons, line_lats)
            lons += more_lons
            lats += more_lats
    return lons, lats


def _coordinates(values: np.ndarray) -> list:
    rounded = np.round(np.asarray(values, dtype=float), OUTLINE_DECIMALS)
    return [None if math.isnan(value) else value for value in rounded.tolist()]


def _country_traces(
    place: Place, gazetteer: Gazetteer, view: MapView, style: ChartStyle, *, swatch: bool = True
) -> Iterator[dict]:
    colour = style.country_fill_colours.get(place.country or "") or style.country_fill_colours.get(place.id)
    # Countries span a continent: a coarser outline than regions reads the same.
    lons, lats = _arrays(*screen_lines(gazetteer, place.id, style.outline_tolerance * 2, clip=view))
    yield _geo_trace(
        lon=lons, lat=lats, mode="lines", fill="toself",
        fillcolor=rgba(colour, style.country_fill_opacity) if colour else "rgba(0,0,0,0)",
        line={"color": style.country_outline_colour, "width": style.country_outline_width},
        name=escape_text(place.name), legendgroup=f"country-{place.id}", hoverinfo="skip", showlegend=False,
        meta={"layer": "country", "place": place.id},
    )
    if not swatch:
        return
    # The legend shows a line for a filled trace; a square swatch reads better.
    yield _geo_trace(
        lon=[None], lat=[None], mode="markers", name=escape_text(place.name), legendgroup=f"country-{place.id}",
        legendrank=1900, hoverinfo="skip",
        marker={"symbol": "square", "size": 14,
                "color": rgba(colour, min(1.0, style.country_fill_opacity * 3)) if colour else "rgba(0,0,0,0)",
                "line": {"color": style.country_outline_colour, "width": 1}},
        meta={"layer": "legend-key", "place": place.id},
    )


# --------------------------------------------------------------------------- movements


def _movement_traces(movements: Sequence[Movement], catalog: Catalog, style: ChartStyle) -> Iterator[dict]:
    """Arrows from origin to destination: a line trace per line width (a few), then every
    arrowhead in one trace (sized by its line); one legend entry."""
    pairs: dict[tuple[str, str], list[Movement]] = {}
    for movement in movements:
        pairs.setdefault((movement.origin.id, movement.destination.id), []).append(movement)
    by_width: dict[float, list[list[Movement]]] = {}
    for group in pairs.values():
        by_width.setdefault(_movement_width(group, style), []).append(group)
    heads: list[tuple[float, float, float, str, str, float]] = []  # lon, lat, angle, hover, event id, size
    for index, width in enumerate(sorted(by_width)):
        lons: list[float | None] = []
        lats: list[float | None] = []
        for group in by_width[width]:
            line_lons, line_lats = _arc(group[0].start, group[0].end)
            lons += [*line_lons, None]
            lats += [*line_lats, None]
            heads.append((*_head(line_lons, line_lats), _movement_hover(group, catalog), group[0].event.id,
                          7 + 1.4 * width))
        yield _geo_trace(
            lon=lons, lat=lats, mode="lines", line={"color": style.movement_colour, "width": width},
            name=MOVEMENT_LEGEND, legendgroup="movements", showlegend=index == 0, hoverinfo="skip",
            meta={"layer": "movements"},
        )
    if heads:
        yield _geo_trace(
            lon=[h[0] for h in heads], lat=[h[1] for h in heads], mode="markers", legendgroup="movements",
            showlegend=False, name=MOVEMENT_LEGEND,
            marker={"symbol": "triangle-up", "size": [h[5] for h in heads], "angle": [h[2] for h in heads],
                    "color": style.movement_colour, "line": {"width": 0}},
            hovertext=[h[3] for h in heads], hovertemplate="%{hovertext}<extra></extra>",
            customdata=[[h[4], ""] for h in heads],
            unselected={"marker": {"opacity": 1.0}},
            meta={"layer": "movement-heads"},
        )


def _movement_width(group: Sequence[Movement], style: ChartStyle) -> float:
    """Line width from the largest figure the sources give (log scale), in half-pixel steps."""
    values = [figure_value(f) for m in group if (f := largest_figure(m.event)) is not None]
    if not values:
        return style.movement_min_width
    scale = min(math.log10(max(max(values), 1)) / 5.0, 1.0)
    width = style.movement_min_width + scale * (style.movement_max_width - style.movement_min_width)
    return round(width * 2) / 2


def _arc(start: tuple[float, float], end: tuple[float, float], steps: int = 12) -> tuple[list[float], list[float]]:
    """Points along the straight line (lon/lat) from start to end, so the drawn
    line and its arrowhead agree on the map's Mercator projection."""
    lons = [round(start[0] + (end[0] - start[0]) * i / steps, 3) for i in range(steps + 1)]
    lats = [round(start[1] + (end[1] - start[1]) * i / steps, 3) for i in range(steps + 1)]
    return lons, lats


def _head(lons: Sequence[float], lats: Sequence[float]) -> tuple[float, float, float]:
    """(lon, lat, angle) of the arrowhead: three quarters of the way, pointing on
    (clear of the destination's mark; angle clockwise from north, as plotly wants)."""
    index = max(1, round(0.75 * (len(lons) - 1)))
    projector = Projector(1.0)
    x0, y0 = projector.to_px(lons[index - 1], lats[index - 1])
    x1, y1 = projector.to_px(lons[index], lats[index])
    angle = math.degrees(math.atan2(x1 - x0, y1 - y0))
    return lons[index], lats[index], round(angle, 1)


def _movement_hover(group: Sequence[Movement], catalog: Catalog) -> str:
    del catalog
    origin, destination = group[0].origin, group[0].destination
    lines = [f"<b>{escape_text(origin.name)} → {escape_text(destination.name)}</b>"]
    for movement in group[:HOVER_EVENTS]:
        figure = largest_figure(movement.event)
        extra = f" — {figure_value(figure):,} {shorten(figure.what, 40)}" if figure is not None else ""
        lines.append(escape_text(f"{date_label(movement.event)}: {shorten(movement.event.title, 60)}{extra}"))
    if len(group) > HOVER_EVENTS:
        lines.append(f"<i>and {len(group) - HOVER_EVENTS:,} more</i>")
    return "<br>".join(lines)


# --------------------------------------------------------------------------- names


@dataclass(frozen=True)
class _Label:
    lon: float
    lat: float
    text: str
    position: str
    offset_size: float
    layer: str


class _Obstacles:
    """Boxes names must keep off (px, y northwards): marks and names already placed; the
    arrows (which the busiest places' names may cross when nothing else is free); the
    border lines (which a border's own name may touch); and the countries' outlines
    (which the neighbours' names keep off: "Vietnam" is not struck through by the PRC's)."""

    def __init__(self, boxes: np.ndarray, arrows: np.ndarray, lines: np.ndarray,
                 marks: np.ndarray | None = None, outlines: np.ndarray | None = None) -> None:
        """``marks``: each mark's centre and reach (x, y, r), px."""
        self.boxes = boxes.reshape(-1, 4)
        self.arrows = arrows.reshape(-1, 4)
        self.lines = lines.reshape(-1, 4)
        self.outlines = np.empty((0, 4)) if outlines is None else outlines.reshape(-1, 4)
        marks = np.empty((0, 3)) if marks is None else marks.reshape(-1, 3)
        self.centres, self.reach = marks[:, :2], marks[:, 2]

    def free(self, box: tuple[float, float, float, float], *, lines: bool = True, arrows: bool = True,
             outlines: bool = False) -> bool:
        return not (_hits(self.boxes, box) or (arrows and _hits(self.arrows, box))
                    or (lines and _hits(self.lines, box)) or (outlines and _hits(self.outlines, box)))

    def nearest_is_own(self, box: tuple[float, float, float, float], own: np.ndarray) -> bool:
        """Whether no other mark's edge is nearer the name's box (by more than ``AMBIGUOUS_PX``)
        than its own place's mark (or, for a name naming several, one of theirs): a reader
        takes a name for the nearest mark's."""
        if not len(self.centres) or not len(own):
            return True
        distance = np.maximum(_box_distance(box, self.centres) - self.reach, 0.0)
        mine = np.zeros(len(self.centres), dtype=bool)
        mine[own] = True
        others = distance[~mine]
        return not len(others) or float(distance[mine].min()) <= float(others.min()) + AMBIGUOUS_PX

    def add(self, box: tuple[float, float, float, float]) -> None:
        self.boxes = np.vstack([self.boxes, np.asarray(box, dtype=float)[None, :]])


def _box_distance(box: tuple[float, float, float, float], points: np.ndarray) -> np.ndarray:
    """Distance (px) from a box to each point (0 inside it)."""
    dx = np.maximum.reduce([box[0] - points[:, 0], np.zeros(len(points)), points[:, 0] - box[2]])
    dy = np.maximum.reduce([box[1] - points[:, 1], np.zeros(len(points)), points[:, 1] - box[3]])
    return np.hypot(dx, dy)


def _hits(boxes: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    if not len(boxes):
        return False
    hit = (boxes[:, 0] < box[2]) & (box[0] < boxes[:, 2]) & (boxes[:, 1] < box[3]) & (box[1] < boxes[:, 3])
    return bool(hit.any())


def _obstacles(
    marks: Sequence[Mark], movements: Sequence[Movement], gazetteer: Gazetteer, projector: Projector,
    style: ChartStyle,
) -> _Obstacles:
    arrows = []
    # Arrows: names keep off them (points every few px along each line, and its head).
    pairs: dict[tuple, list[Movement]] = {}
    for movement in movements:
        pairs.setdefault((movement.start, movement.end), []).append(movement)
    for (start, end), group in pairs.items():
        half = _movement_width(group, style) / 2 + 1
        line_lons, line_lats = _arc(start, end, steps=48)
        for lon, lat in zip(line_lons, line_lats, strict=True):
            x, y = projector.to_px(lon, lat)
            arrows.append((x - half, y - half, x + half, y + half))
    boxes, circles = [], []
    for mark in marks:
        x, y = projector.to_px(mark.place.lon, mark.place.lat)
        reach = _reach(mark, style) + 1
        boxes.append((x - reach, y - reach, x + reach, y + reach))
        circles.append((x, y, reach))
    lines = [_line_boxes(gazetteer, place.id, projector, style.border_line_width / 2 + 1, style.outline_tolerance * 4)
             for place in outlined_places(gazetteer, "border")]
    # the countries' outlines as drawn (``_country_traces``)
    outlines = [_line_boxes(gazetteer, place.id, projector, style.country_outline_width / 2 + 1,
                            style.outline_tolerance * 2) for place in outlined_places(gazetteer, "country")]
    return _Obstacles(np.asarray(boxes, dtype=float), np.asarray(arrows, dtype=float),
                      np.vstack([np.empty((0, 4)), *lines]), np.asarray(circles, dtype=float),
                      np.vstack([np.empty((0, 4)), *outlines]))


#: Most px between two points of a line that names keep off (a name's box is taller than this).
LINE_STEP_PX = 4.0


def _line_boxes(gazetteer: Gazetteer, place_id: str, projector: Projector, half: float,
                tolerance: float) -> np.ndarray:
    """Boxes of ``half`` px around points every ``LINE_STEP_PX`` at most along a place's outline
    (its first vertex, then each segment's end and points between): a name's box on the line
    holds one of them. Arrays throughout, as ``screen_lines``: no Python runs per vertex."""
    lons, lats = screen_lines(gazetteer, place_id, tolerance)
    x, y = projector.to_px_array(lons, lats)
    vertices = np.column_stack([x, y])
    starts, ends = vertices[:-1], vertices[1:]
    drawn = np.isfinite(starts).all(axis=1) & np.isfinite(ends).all(axis=1)  # not across a gap between rings
    starts, ends = starts[drawn], ends[drawn]
    steps = np.maximum(np.hypot(*(ends - starts).T) // LINE_STEP_PX, 1).astype(int)
    segment = np.repeat(np.arange(len(steps)), steps)
    step = np.arange(len(segment)) - np.repeat(np.cumsum(steps) - steps, steps) + 1  # 1 … steps, per segment
    points = np.vstack([vertices[:1], starts[segment] + (ends - starts)[segment] * (step / steps[segment])[:, None]])
    points = points[np.isfinite(points).all(axis=1)]
    return np.column_stack([points[:, 0] - half, points[:, 1] - half, points[:, 0] + half, points[:, 1] + half])


def _label_traces(
    marks: Sequence[Mark], gazetteer: Gazetteer, view: MapView, projector: Projector, obstacles: _Obstacles,
    year: int | None, style: ChartStyle,
) -> Iterator[dict]:
    """Names at their places, by priority, each where it collides with nothing; else left out."""
    frame = view_box(view, projector)
    place_font = style.font(0.9 * style.label_font_size / style.base_font_size, style.text_colour)
    region_font = {**style.font(1.0, style.region_line_colour), "size": style.label_font_size}
    labels = _place_labels(marks, gazetteer, projector, frame, obstacles, year, style,
                           sizes=(place_font["size"], region_font["size"]))
    context_font = {**style.font(1.0, style.context_label_colour), "size": style.context_label_size}
    years = _years(marks)
    for context in context_labels():
        if context.valid_in(years) and view.contains(context.lon, context.lat):
            # On one line, else on two ("North\nKorea" between the Yalu and the sea).
            for text in dict.fromkeys((context.name, context.name.replace(" ", "\n", 1))):
                label = _fit(context.lon, context.lat, text, 0.0, context_font["size"], False, projector,
                             frame, obstacles, layer="context-labels", positions=CONTEXT_POSITIONS, outlines=True)
                if label is not None:
                    labels.append(label)
                    break
    if labels:
        yield _names_trace(labels, {"place-labels": place_font, "region-labels": region_font,
                                    "context-labels": context_font})


def _place_labels(
    marks: Sequence[Mark], gazetteer: Gazetteer, projector: Projector, frame: tuple[float, float, float, float],
    obstacles: _Obstacles, year: int | None, style: ChartStyle, *, sizes: tuple[float, float],
) -> list[_Label]:
    """The places' names: the selected place first, then by number of events (at most
    ``MAX_NAMED_PLACES``). A name goes at the first position around its place that touches
    nothing; the ``MUST_NAME`` first may then cross an arrow, and a city's name a border line,
    rather than be left out (never a mark or another name). ``sizes``: the font sizes of a
    place's and of a region's name."""
    order = sorted(range(len(marks)), key=lambda i: (not marks[i].selected, -marks[i].count, marks[i].place.id))
    texts, named = _shared_names(marks, order, projector, gazetteer, year, style)
    clear, away = _clearances(marks, projector, style)
    labels: list[_Label] = []
    for rank, index in enumerate(i for i in order if i in texts):  # the others are named with a mark on their spot
        if rank >= MAX_NAMED_PLACES:
            break
        mark = marks[index]
        region = mark.place.kind in ("region", "border")
        size = sizes[1] if region else sizes[0]
        border = mark.place.kind == "border"  # a border's name may touch its own line
        tries = [(True, not border)]
        if rank < MUST_NAME:
            tries += [(False, not border)] + ([] if region else [(False, False)])
        label = None
        for (arrows, lines), (offset, positions), variant in itertools.product(
                tries, _placements(mark, clear[index], away[index], style, must=rank < MUST_NAME),
                (texts[index], _two_lines(texts[index]))):
            if variant is not None and label is None:
                label = _fit(mark.place.lon, mark.place.lat, variant, offset, size, region, projector, frame,
                             obstacles, layer="region-labels" if region else "place-labels", lines=lines,
                             arrows=arrows, positions=positions, own=named[index])
        if label is not None:
            labels.append(label)
    return labels


def _shared_names(
    marks: Sequence[Mark], order: Sequence[int], projector: Projector, gazetteer: Gazetteer, year: int | None,
    style: ChartStyle,
) -> tuple[dict[int, str], dict[int, np.ndarray]]:
    """The name each mark is labelled with, and the marks that name names, by index; a mark
    whose centre is within ``SAME_SPOT_PX`` of a mark of its kind (place or region) named
    before it, or drawn inside that mark, is named in that mark's label instead ("Lüshun ·
    Dalian", "Khorgos · Yining": one blob on screen, one name; at most three names)."""
    x, y = projector.to_px_array(np.array([m.place.lon for m in marks]), np.array([m.place.lat for m in marks]))
    # the mark's own shape (not a selection ring around it)
    reach = np.array([style.marker_reach(m.symbol, m.size, 0.0) for m in marks])
    region = [m.place.kind in ("region", "border") for m in marks]
    texts: dict[int, str] = {}
    named: dict[int, np.ndarray] = {}
    taken: set[int] = set()
    for index in order:
        if index in taken:
            continue
        names = [" · ".join(_short_name(group.place, gazetteer, year) for group in marks[index].groups)]
        members = [index]
        near = np.flatnonzero(np.hypot(x - x[index], y - y[index]) <= max(SAME_SPOT_PX, reach[index]))
        for other in sorted(near.tolist(), key=order.index):
            if other != index and other not in taken and region[other] == region[index] and len(names) < 3:
                taken.add(other)
                members.append(other)
                names += [_short_name(group.place, gazetteer, year) for group in marks[other].groups]
        texts[index] = " · ".join(names)
        named[index] = np.asarray(members, dtype=int)
    return texts, named


def _clearances(marks: Sequence[Mark], projector: Projector, style: ChartStyle) -> tuple[np.ndarray, np.ndarray]:
    """How far (px) each mark's name must keep from its place: past the mark's own shape (a ✕
    or a star reaches further than a circle) and selection ring, and past every mark it
    touches; and which way (x east, y north) its place lies from the marks it touches (zero
    if none). Where places crowd (Lüshun and Dalian, Harbin and Manchuria's point at the
    scale of Asia) the marks are one blob on screen: a name beside its own small mark
    would sit on its neighbour, so it goes beside the blob, on its own place's side, so that
    two names never swap sides (O(marks²): tens of places)."""
    if not marks:
        return np.zeros(0), np.zeros((0, 2))
    x, y = projector.to_px_array(np.array([m.place.lon for m in marks]), np.array([m.place.lat for m in marks]))
    reach = np.array([_reach(m, style) for m in marks])
    dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
    distance = np.hypot(dx, dy)
    touching = distance < reach[:, None] + reach[None, :]
    apart = touching & (distance > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        away = np.column_stack([np.where(apart, dx / distance, 0.0).sum(axis=1),
                                np.where(apart, dy / distance, 0.0).sum(axis=1)])
    return np.where(touching, distance + reach[None, :], 0.0).max(axis=1), away


def _placements(mark: Mark, clearance: float, away: np.ndarray, style: ChartStyle, *, must: bool
                ) -> list[tuple[float, tuple[str, ...]]]:
    """Where a name may go, in order, as (offset marker size, positions). Beside its own mark,
    on the side away from the marks it touches; else a step further out on that side, up to
    beside the whole blob of marks; else beside its own mark on any side; else, for a name
    that ``must`` show, anywhere around the blob. (A place a name would then sit nearer to
    than to its own is refused by :func:`_fit`.)"""
    blob, own = _offset_for(clearance, mark.size), _offset_for(_reach(mark, style), mark.size)
    ordered = _positions_facing(away)
    if blob == own:
        return [(own, ordered)]
    facing = tuple(p for p in ordered if float(_POSITION_DIRECTIONS[p] @ away) >= 0)
    steps = max(1, math.ceil((blob - own) / (LABEL_STEP_PX * 1.6)))
    ladder = [(round(own + (blob - own) * i / steps, 1), facing) for i in range(steps + 1)]
    return ladder + [(own, ordered)] + ([(blob, ordered)] if must else [])


def _positions_facing(direction: np.ndarray) -> tuple[str, ...]:
    """``LABEL_POSITIONS``, those facing ``direction`` most first (as they are, for no direction)."""
    if not np.any(direction):
        return LABEL_POSITIONS
    return tuple(sorted(LABEL_POSITIONS, key=lambda position: -float(_POSITION_DIRECTIONS[position] @ direction)))


def _offset_for(clearance: float, size: float) -> float:
    """Size of the invisible marker that sets a name's distance from its place (at least the
    mark's): plotly.js draws a point's text ``size / 1.6 + 1`` px away (Drawing.textPointStyle)."""
    return round(max(size, (clearance + 1.5) * 1.6), 1)


def _reach(mark: Mark, style: ChartStyle) -> float:
    if mark.selected:
        return (mark.size * style.highlight_scale + 4) / 2 + style.highlight_line_width
    return style.marker_reach(mark.symbol, mark.size, style.marker_line_width)


def _years(marks: Sequence[Mark]) -> tuple[int, int] | None:
    years = [event.date.year for mark in marks for event in (mark.events[0], mark.events[-1])]
    return (min(years), max(years)) if years else None


def _fit(
    lon: float, lat: float, text: str, mark_px: float, size: float, bold: bool, projector: Projector,
    frame: tuple[float, float, float, float], obstacles: _Obstacles, *, layer: str,
    positions: Sequence[str] = LABEL_POSITIONS, lines: bool = True, arrows: bool = True,
    own: np.ndarray | None = None, outlines: bool = False,
) -> _Label | None:
    """The first position around the place where the name is inside the frame and on nothing,
    and (given ``own``, the indices of the marks it names) nearer to one of those marks than
    to any other."""
    x, y = projector.to_px(lon, lat)
    rows = text.split("\n")
    width = max(text_width(row, size, bold=bold) for row in rows)
    height = len(rows) * line_height(size)
    # plotly.js moves a point's text r / 0.8 + 1 px off a marker of radius r (Drawing.textPointStyle)
    offset = mark_px / 2 / 0.8 + 1 if mark_px else 0.0
    for position in positions:
        box = _text_box(x, y, width, height, offset, position)
        inside = frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]
        if inside and obstacles.free(box, lines=lines, arrows=arrows, outlines=outlines) and (
                own is None or obstacles.nearest_is_own(box, own)):
            obstacles.add(box)
            return _Label(lon, lat, text, position, mark_px, layer)
    return None


def _two_lines(text: str) -> str | None:
    """``text`` broken at the space nearest its middle ("Sino-Soviet border\nin Xinjiang"), or ``None``."""
    words = text.split(" ")
    if len(words) < 3:
        return None
    lengths = [len(" ".join(words[:i])) for i in range(1, len(words))]
    cut = min(range(len(lengths)), key=lambda i: abs(lengths[i] - len(text) / 2)) + 1
    return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])


def _text_box(x: float, y: float, width: float, height: float, offset: float, position: str) -> tuple:
    """(x0, y0, x1, y1), y northwards, of a text drawn at ``position`` around (x, y)."""
    vertical, horizontal = position.split()
    x0 = {"center": x - width / 2, "right": x + offset, "left": x - offset - width}[horizontal]
    y0 = {"middle": y - height / 2, "top": y + offset, "bottom": y - offset - height}[vertical]
    return (x0, y0, x0 + width, y0 + height)


def _names_trace(labels: Sequence[_Label], fonts: dict[str, dict]) -> dict:
    """Every name in one trace (plotly.js pays per trace on every draw): places' names plain,
    regions' bold, context names (neighbours) italic, each in its kind's font;
    ``meta["kinds"]`` says which kind each name is."""

    def markup(label: _Label) -> str:
        text = "<br>".join(escape_text(line) for line in label.text.split("\n"))
        return {"region-labels": f"<b>{text}</b>", "context-labels": f"<i>{text}</i>"}.get(label.layer, text)

    has_marks = any(label.offset_size for label in labels)
    return _geo_trace(
        lon=[label.lon for label in labels],
        lat=[label.lat for label in labels],
        # Invisible markers of the mark's size: plotly offsets each name from
        # them exactly as from the mark itself. They take no hover or click.
        mode="markers+text" if has_marks else "text",
        marker={"size": [label.offset_size for label in labels], "color": "rgba(0,0,0,0)", "line": {"width": 0}},
        text=[markup(label) for label in labels],
        textposition=[label.position for label in labels],
        textfont={"family": next(iter(fonts.values()))["family"],
                  "size": [fonts[label.layer]["size"] for label in labels],
                  "color": [fonts[label.layer]["color"] for label in labels]},
        hoverinfo="skip",
        showlegend=False,
        meta={"layer": "names", "kinds": [label.layer for label in labels]},
    )


# --------------------------------------------------------------------------- layout


def _apply_layout(
    figure: go.Figure, view: MapView, title: str | None, style: ChartStyle, legend_strip: float | None
) -> None:
    legend = {
        "orientation": "h", "yanchor": "top", "y": -0.01, "xanchor": "left", "x": 0.0,
        "font": style.font(0.92), "itemsizing": "constant", "bgcolor": "rgba(255,255,255,0.85)",
    }
    margin = {"l": 0, "r": 0, "t": 48 if title else 8, "b": 0}
    if legend_strip is not None:
        legend.update(y=legend_strip - STRIP_GAP, bgcolor="rgba(0,0,0,0)", borderwidth=0,
                      font={**legend["font"], "size": min(STRIP_LEGEND_FONT_SIZE, style.base_font_size)})
        margin["t"] = 48 if title else 0
    figure.update_layout(
        **{**base_layout(style, title), "template": MAP_TEMPLATE},
        height=style.map_height,
        margin=margin,
        legend=legend,
        # Keep the reader's pan and zoom across reruns until the framing changes.
        uirevision=f"{view.lon_range}{view.lat_range}",
        dragmode="pan",
    )
    # Nested dicts, not ``update_geos(projection_type=…)``: plotly.py splits every
    # underscored keyword into a path, which costs more than the rest of the layout.
    figure.layout.geo = {
        "projection": {"type": "mercator"},
        "scope": style.map_scope,
        "resolution": style.map_resolution,
        "lonaxis": {"range": list(view.lon_range)},
        "lataxis": {"range": list(view.lat_range)},
        "showland": True, "landcolor": style.land_colour,
        "showocean": True, "oceancolor": style.ocean_colour,
        "showlakes": True, "lakecolor": style.lake_colour,
        "showrivers": True, "rivercolor": style.lake_colour,
        "showcoastlines": True, "coastlinecolor": style.coastline_colour,
        # Today's borders would be anachronistic; the USSR and PRC outlines
        # come from our own GeoJSON instead.
        "showcountries": False,
        "showframe": True, "framecolor": "#cccccc",
        "bgcolor": style.paper_colour,
        "domain": {"x": [0, 1], "y": [legend_strip or 0, 1]},
    }


def _add_notes(figure: go.Figure, note: str | None, size_note: bool, notice: str | None, style: ChartStyle) -> None:
    if size_note:
        figure.add_annotation(**paper_note(
            SIZE_NOTE, 1.0, 0.0, style.font(0.78, style.muted_text_colour),
            xanchor="right", yanchor="bottom", bgcolor="rgba(255,255,255,0.8)", name="size-note",
        ))
    if note:
        figure.add_annotation(**paper_note(
            "<br>".join(escape_text(line) for line in textwrap.wrap(note, 90)), 0.0, 0.0,
            style.font(0.85, style.text_colour), xanchor="left", yanchor="bottom", align="left",
            bgcolor="rgba(255,255,255,0.9)", bordercolor="#999999", borderwidth=1, borderpad=4,
            name="missing-places-note",
        ))
    if notice:
        figure.add_annotation(**paper_note(
            "<br>".join(escape_text(line) for line in textwrap.wrap(notice, 80)), 0.5, 1.0,
            style.font(1.0, style.text_colour), xanchor="center", yanchor="top", align="center",
            bgcolor="rgba(255,248,225,0.95)", bordercolor="#b07800", borderwidth=1, borderpad=6,
            name="map-notice",
        ))

"""The map: events as markers at their places over the Soviet–Chinese frontier.

Layers, bottom to top: the base map (land, coasts, rivers from plotly's
topojson, served offline from ``static/topojson/``), the USSR and PRC outlines
from our GeoJSON, the regions the documents name (Manchuria, Xinjiang) as
shaded polygons, the Soviet–Chinese border as a line, the events, place
names, and the selected event on top.

Every event given is accounted for: it gets one marker per place, or it is
listed in a note on the map ("2 events have no place") and in
``layout.meta["exchanges_map"]``, never dropped. Markers sharing a place are
spread so none hides another (``exchanges.charts.map_layout``).
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from exchanges.charts.hover import hover_html
from exchanges.charts.labels import figure_value, largest_figure, shorten
from exchanges.charts.map_layout import (
    LabelRequest,
    Projector,
    group_around,
    place_labels,
    place_markers,
    projectors_between,
    text_marker_size,
)
from exchanges.charts.plotly_text import escape_text
from exchanges.charts.style import (
    DEFAULT_STYLE,
    ChartStyle,
    MapView,
    base_layout,
    event_type_label,
    fit_view,
    paper_note,
    rgba,
)
from exchanges.models import Event, EventType

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.gazetteer import Gazetteer, Place

#: ``meta`` key of the figure layout listing what could not be placed.
META_KEY = "exchanges_map"


@dataclass(frozen=True)
class PlacedMarker:
    """One marker: an event at one of its places."""

    event: Event
    place: Place

    @property
    def lon(self) -> float:
        return float(self.place.lon)

    @property
    def lat(self) -> float:
        return float(self.place.lat)


@dataclass(frozen=True)
class EventLocations:
    """Where each event goes on the map, and which events cannot go anywhere."""

    markers: tuple[PlacedMarker, ...]
    unplaced: tuple[Event, ...]
    """Events with no place at all."""
    unknown_places: tuple[tuple[Event, str], ...]
    """(event, place id) pairs the gazetteer does not know."""

    @property
    def missing(self) -> tuple[Event, ...]:
        """Events with no marker at all (no place, or only unknown places)."""
        placed = {marker.event.id for marker in self.markers}
        seen: dict[str, Event] = {}
        for event in self.unplaced:
            seen.setdefault(event.id, event)
        for event, _ in self.unknown_places:
            if event.id not in placed:
                seen.setdefault(event.id, event)
        return tuple(seen.values())


def locate_events(events: Sequence[Event], gazetteer: Gazetteer) -> EventLocations:
    """One marker per (event, known place); the rest reported, not dropped."""
    markers: list[PlacedMarker] = []
    unplaced: list[Event] = []
    unknown: list[tuple[Event, str]] = []
    for event in events:
        if not event.places:
            unplaced.append(event)
            continue
        for place_id in dict.fromkeys(event.places):
            place = gazetteer.get(place_id)
            if place is None or not _finite(place.lat, place.lon):
                unknown.append((event, place_id))
            else:
                markers.append(PlacedMarker(event, place))
    return EventLocations(tuple(markers), tuple(unplaced), tuple(unknown))


def view_points(markers: Iterable[PlacedMarker], gazetteer: Gazetteer) -> list[tuple[float, float]]:
    """Points a view must frame: each marker's place and, for a region or a
    border, the corners of its outline (so Manchuria is not cut in half)."""
    points: list[tuple[float, float]] = []
    seen: set[str] = set()
    for marker in markers:
        place = marker.place
        points.append((marker.lon, marker.lat))
        if place.id in seen or place.kind not in ("region", "border"):
            continue
        seen.add(place.id)
        geometry = gazetteer.geometry(place.id)
        if geometry:
            lons, lats = _rings(geometry)
            xs = [x for x in lons if x is not None]
            ys = [y for y in lats if y is not None]
            if xs and ys:
                points += [(min(xs), min(ys)), (max(xs), max(ys))]
    return points


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
        parts.append(
            f"{count} event{'s' if count != 1 else ''} name{'s' if count == 1 else ''} "
            f"a place missing from the gazetteer: {', '.join(unknown_ids)}"
        )
    return ". ".join(parts) + "." if parts else None


def marker_size(event: Event, style: ChartStyle = DEFAULT_STYLE) -> float:
    """Marker diameter from the event's largest figure, on a log scale.

    Events without a figure get the minimum size; 100,000 people or more get the
    maximum, so the tens of thousands of 1962 stand out from a letter.
    """
    figure = largest_figure(event)
    if figure is None:
        return style.marker_min_size
    value = max(figure_value(figure), 1)
    scale = min(math.log10(value) / 5.0, 1.0)
    return style.marker_min_size + scale * (style.marker_max_size - style.marker_min_size)


def marker_reach(event: Event, style: ChartStyle = DEFAULT_STYLE, *, selected: bool = True) -> float:
    """How far (px) the marker of ``event`` reaches from its centre, its shape
    and outline included; by default as drawn selected (larger, outlined).

    Labels keep clear of the selected size whether or not the event is
    selected, so a selection neither covers a name nor moves one.
    """
    symbol = style.symbol_for(event.event_type)
    if selected:
        size = marker_size(event, style) * style.highlight_scale
        return style.marker_reach(symbol, size, style.highlight_line_width)
    return style.marker_reach(symbol, marker_size(event, style), style.marker_line_width)


def build_map_figure(
    events: Sequence[Event],
    catalog: Catalog,
    gazetteer: Gazetteer,
    *,
    highlight: str | None = None,
    muted: Collection[str] = (),
    view: MapView | None = None,
    title: str | None = None,
    style: ChartStyle = DEFAULT_STYLE,
    missing_note: bool = True,
) -> go.Figure:
    """The events on a map; see the module docstring for the layers.

    ``highlight`` is the id of the event drawn larger with an outline, ``muted``
    ids are drawn faded, ``view`` frames the map (by default it fits the events'
    places). Every event marker carries its event id as ``customdata``, so a
    click or selection in Streamlit gives the event back. ``missing_note``
    writes on the map how many events have no place (turn it off only where
    the page lists them itself); the figure's ``layout.meta`` always lists them.
    """
    locations = locate_events(events, gazetteer)
    if view is None:
        view = fit_view(view_points(locations.markers, gazetteer), aspect=style.map_aspect)
    muted_ids = set(muted)

    figure = go.Figure()
    for trace in _context_traces(gazetteer, style):
        figure.add_trace(trace)
    projector = Projector.for_view(view, style.map_width_range[0])
    positions = _marker_positions(locations.markers, projector, style)
    # Where a crowd pushed markers off their place, a line leads each back to a
    # dot at the place itself; both lie under the markers, which stay clickable.
    leaders = _leader_trace(locations.markers, positions, style)
    if leaders is not None:
        figure.add_trace(leaders)
    if locations.markers:
        figure.add_trace(_anchor_trace(locations.markers, style))
    for trace in _event_traces(locations.markers, positions, catalog, highlight, muted_ids, style):
        figure.add_trace(trace)
    for trace in _label_traces(locations.markers, positions, gazetteer, projector, view, style):
        figure.add_trace(trace)
    highlight_trace = _highlight_trace(locations.markers, positions, catalog, highlight, style)
    if highlight_trace is not None:
        figure.add_trace(highlight_trace)

    _apply_layout(figure, view, title, style)
    note = missing_places_note(locations)
    _add_notes(figure, note if missing_note else None, bool(locations.markers), style)
    figure.layout.meta = {
        META_KEY: {
            "unplaced": [event.id for event in locations.unplaced],
            "unknown_places": [[event.id, place_id] for event, place_id in locations.unknown_places],
            "note": note,
        }
    }
    return figure


# --------------------------------------------------------------------------- layers


def _context_traces(gazetteer: Gazetteer, style: ChartStyle) -> Iterator[go.Scattergeo]:
    """Country outlines, shaded regions and border lines, in that order."""
    for place, lons, lats in _outlines(gazetteer, "country"):
        colour = style.country_fill_colours.get(place.country or "") or style.country_fill_colours.get(place.id)
        fill = rgba(colour, style.country_fill_opacity) if colour else "rgba(0,0,0,0)"
        swatch = rgba(colour, min(1.0, style.country_fill_opacity * 3)) if colour else "rgba(0,0,0,0)"
        yield go.Scattergeo(
            lon=lons,
            lat=lats,
            mode="lines",
            fill="toself",
            fillcolor=fill,
            line={"color": style.country_outline_colour, "width": style.country_outline_width},
            name=escape_text(place.name),
            legendgroup=f"country-{place.id}",
            hoverinfo="skip",
            showlegend=False,
            meta={"layer": "country", "place": place.id},
        )
        # The legend shows a line for a filled trace; a square swatch reads better.
        yield go.Scattergeo(
            lon=[None],
            lat=[None],
            mode="markers",
            marker={
                "symbol": "square",
                "size": 14,
                "color": swatch,
                "line": {"color": style.country_outline_colour, "width": 1},
            },
            name=escape_text(place.name),
            legendgroup=f"country-{place.id}",
            legendrank=1900,
            hoverinfo="skip",
            meta={"layer": "legend-key", "place": place.id},
        )
    for place, lons, lats in _outlines(gazetteer, "region"):
        yield go.Scattergeo(
            lon=lons,
            lat=lats,
            mode="lines",
            fill="toself",
            fillcolor=style.region_fill_colour,
            line={"color": style.region_line_colour, "width": 1},
            name=place.name,
            hoverinfo="skip",
            showlegend=False,
            meta={"layer": "region", "place": place.id},
        )
    # The longest border first: it names the legend entry all borders share.
    borders = sorted(_outlines(gazetteer, "border"), key=lambda item: -len(item[1]))
    first_border = True
    for place, lons, lats in borders:
        yield go.Scattergeo(
            lon=lons,
            lat=lats,
            mode="lines",
            line={
                "color": style.border_line_colour,
                "width": style.border_line_width,
                "dash": style.border_line_dash,
            },
            name=escape_text(place.name),
            legendgroup="context",
            legendrank=2000,
            showlegend=first_border,
            hoverinfo="skip",
            meta={"layer": "border", "place": place.id},
        )
        first_border = False


def _outlines(gazetteer: Gazetteer, kind: str) -> Iterator[tuple[Place, list, list]]:
    """(place, longitudes, latitudes) of every place of ``kind`` that has an outline.

    Only the outer ring of each polygon: a filled trace fills every ring it is
    given, so a hole would be drawn as one more small shape, outlined (the
    USSR's outline has one where Natural Earth cuts out the Baikonur lease:
    a stray ring by the Aral Sea).
    """
    for place in gazetteer:
        geometry = gazetteer.geometry(place.id) if place.kind == kind else None
        if geometry:
            yield (place, *_rings(geometry, holes=False))


def _event_traces(
    markers: Sequence[PlacedMarker],
    positions: dict[int, tuple[float, float]],
    catalog: Catalog,
    highlight: str | None,
    muted: set[str],
    style: ChartStyle,
) -> Iterator[go.Scattergeo]:
    by_type: dict[EventType, list[int]] = defaultdict(list)
    for index, marker in enumerate(markers):
        if marker.event.id != highlight:
            by_type[marker.event.event_type].append(index)
    present = {m.event.event_type for m in markers}
    for event_type in EventType:  # a stable legend order
        if event_type in present:
            # The legend draws a trace's first point as it is, faded if that
            # event is muted; so each type's key is a trace of its own, at full
            # opacity, even when only the selected event has the type.
            yield go.Scattergeo(lon=[None], lat=[None], **_type_key(event_type, style))
        indices = by_type.get(event_type)
        if not indices:
            continue
        # Big markers first, so small ones stay visible on top of them.
        indices.sort(key=lambda i: -marker_size(markers[i].event, style))
        chosen = [markers[i] for i in indices]
        yield go.Scattergeo(
            lon=[positions[i][0] for i in indices],
            lat=[positions[i][1] for i in indices],
            mode="markers",
            name=event_type_label(event_type),
            legendgroup=event_type.value,
            showlegend=False,
            customdata=[m.event.id for m in chosen],
            hovertext=[_hover_text(m, catalog) for m in chosen],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "size": [marker_size(m.event, style) for m in chosen],
                "color": style.colour_for(event_type),
                "symbol": style.symbol_for(event_type),
                "opacity": [
                    style.muted_opacity if m.event.id in muted else style.marker_opacity for m in chosen
                ],
                "line": {"color": style.marker_line_colour, "width": style.marker_line_width},
            },
            # Streamlit's point selection must not grey out the other markers:
            # highlighting is ours (see ``highlight``).
            unselected={"marker": {"opacity": style.marker_opacity}},
            meta={"layer": "events", "event_type": event_type.value},
        )


def _displaced(marker: PlacedMarker, position: tuple[float, float]) -> bool:
    """Whether a marker was moved off its place (by more than rounding)."""
    return abs(position[0] - marker.lon) > 1e-6 or abs(position[1] - marker.lat) > 1e-6


def _leader_trace(
    markers: Sequence[PlacedMarker], positions: dict[int, tuple[float, float]], style: ChartStyle
) -> go.Scattergeo | None:
    """Thin lines from every displaced marker to its place, one trace, or ``None`` if none moved."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for index, marker in enumerate(markers):
        position = positions[index]
        if not _displaced(marker, position):
            continue
        lons += [position[0], marker.lon, None]
        lats += [position[1], marker.lat, None]
    if not lons:
        return None
    return go.Scattergeo(
        lon=lons,
        lat=lats,
        mode="lines",
        line={"color": style.leader_line_colour, "width": style.leader_line_width},
        name="Leaders",
        hoverinfo="skip",
        showlegend=False,
        meta={"layer": "leaders"},
    )


def _anchor_trace(markers: Sequence[PlacedMarker], style: ChartStyle) -> go.Scattergeo:
    """A small dot at the true point of every place that has markers (no ``customdata``:
    it is not an event, and a click on it selects nothing)."""
    places = list({marker.place.id: marker.place for marker in markers}.values())
    return go.Scattergeo(
        lon=[float(place.lon) for place in places],
        lat=[float(place.lat) for place in places],
        mode="markers",
        name="Places",
        hovertext=[escape_text(place.name) for place in places],
        hovertemplate="%{hovertext}<extra></extra>",
        marker={"size": style.anchor_size, "color": style.anchor_colour, "symbol": "circle", "line": {"width": 0}},
        unselected={"marker": {"opacity": 1.0}},
        showlegend=False,
        meta={"layer": "place-anchors", "places": [place.id for place in places]},
    )


def _type_key(event_type: EventType, style: ChartStyle) -> dict:
    """Trace properties of a legend-only entry for an event type (no points)."""
    return {
        "mode": "markers",
        "name": event_type_label(event_type),
        "legendgroup": event_type.value,
        "marker": {
            "size": style.marker_min_size,
            "color": style.colour_for(event_type),
            "symbol": style.symbol_for(event_type),
            "opacity": 1.0,
            "line": {"color": style.marker_line_colour, "width": style.marker_line_width},
        },
        "hoverinfo": "skip",
        "meta": {"layer": "legend-key", "event_type": event_type.value},
    }


def _highlight_trace(
    markers: Sequence[PlacedMarker],
    positions: dict[int, tuple[float, float]],
    catalog: Catalog,
    highlight: str | None,
    style: ChartStyle,
) -> go.Scattergeo | None:
    indices = [i for i, marker in enumerate(markers) if marker.event.id == highlight]
    if not indices:
        return None
    event = markers[indices[0]].event
    return go.Scattergeo(
        lon=[positions[i][0] for i in indices],
        lat=[positions[i][1] for i in indices],
        mode="markers",
        name="Selected",
        showlegend=False,
        customdata=[event.id] * len(indices),
        hovertext=[_hover_text(markers[i], catalog) for i in indices],
        hovertemplate="%{hovertext}<extra></extra>",
        marker={
            "size": marker_size(event, style) * style.highlight_scale,
            "color": style.colour_for(event.event_type),
            # filled even for types drawn hollow, so the outline shows
            "symbol": style.symbol_for(event.event_type).removesuffix("-open"),
            "opacity": 0.9,
            "line": {"color": style.highlight_colour, "width": style.highlight_line_width},
        },
        unselected={"marker": {"opacity": 1.0}},
        meta={"layer": "highlight", "event": event.id},
    )


def _label_traces(
    markers: Sequence[PlacedMarker],
    positions: dict[int, tuple[float, float]],
    gazetteer: Gazetteer,
    projector: Projector,
    view: MapView,
    style: ChartStyle,
) -> Iterator[go.Scattergeo]:
    """Names on the map, so it reads without hovering.

    Every place that carries markers is named next to them, clear of them;
    places at one spot (Beijing, and the PRC whose label point is its
    capital) share one label, countries by their short name. Regions drawn as
    shapes are named even without markers.
    """
    spots: dict[tuple[float, float], list[Place]] = defaultdict(list)
    members: dict[tuple[float, float], list[int]] = defaultdict(list)
    for index, marker in enumerate(markers):
        key = _spot(marker.place)
        if marker.place not in spots[key]:
            spots[key].append(marker.place)
        members[key].append(index)
    for place in gazetteer:
        if place.kind == "region" and gazetteer.geometry(place.id) and place not in spots[_spot(place)]:
            spots[_spot(place)].append(place)

    fonts = {
        "place-labels": style.font(0.9 * style.label_font_size / style.base_font_size, style.text_colour),
        "region-labels": {**style.font(1.0, style.region_line_colour), "size": style.label_font_size},
    }
    rank = {"city": 0, "border": 1, "region": 2, "country": 3}
    requests: list[tuple[str, LabelRequest, int]] = []
    for key, places in spots.items():
        places = sorted(places, key=lambda p: rank.get(p.kind, 0))
        layer = "region-labels" if places[0].kind == "region" else "place-labels"
        # A name goes by its markers: beside the group, which a crowd may have
        # pushed off the place's own point.
        group = [(*projector.to_px(*positions[i]), marker_reach(markers[i].event, style)) for i in members.get(key, [])]
        anchor, clearance = (key[1], key[0]), (0.0, 0.0, 0.0, 0.0)
        if group:
            middle, clearance = group_around(group)
            anchor = projector.to_lonlat(*middle)
        if not _in_view(anchor, view):
            continue  # off the map: nothing to name
        text = " · ".join(_short_name(p) for p in places)
        request = LabelRequest(anchor, text, fonts[layer]["size"], clearance, bold=layer == "region-labels")
        requests.append((layer, request, len(group)))
    # Busy places choose first; region names (which have room to move) last.
    requests.sort(key=lambda r: (r[0] == "region-labels", -r[2]))
    # A group of markers spread around its place grows with the map's width
    # (the spread is in degrees), a name's offset does not (it is in px): the
    # names are placed to stay clear at every width the map may be drawn at.
    discs = [(*positions[i], marker_reach(markers[i].event, style)) for i in range(len(markers))]
    discs += [(m.lon, m.lat, style.anchor_size / 2 + 1) for m in {m.place.id: m for m in markers}.values()]
    placed = place_labels(
        [request for _, request, _ in requests], discs, projectors_between(view, *style.map_width_range), view=view
    )

    for layer in ("place-labels", "region-labels"):
        chosen = [
            (request, label)
            for (kind, request, _), label in zip(requests, placed, strict=True)
            if kind == layer and label is not None
        ]
        if not chosen:
            continue
        yield go.Scattergeo(
            lon=[label.lon for _, label in chosen],
            lat=[label.lat for _, label in chosen],
            # The invisible markers only set how far from its place each name
            # is drawn, in px (see ``map_layout.PlacedLabel``).
            mode="markers+text",
            marker={
                "size": [text_marker_size(label.offset) for _, label in chosen],
                "color": "rgba(0,0,0,0)",
                "line": {"width": 0},
            },
            text=[f"<b>{r.text}</b>" if layer == "region-labels" else r.text for r, _ in chosen],
            textposition=[label.textposition for _, label in chosen],
            textfont=fonts[layer],
            hoverinfo="skip",
            showlegend=False,
            meta={"layer": layer},
        )


def _in_view(point: tuple[float, float], view: MapView) -> bool:
    lon, lat = point
    return view.lon_range[0] <= lon <= view.lon_range[1] and view.lat_range[0] <= lat <= view.lat_range[1]


def _short_name(place: Place) -> str:
    """A country by its abbreviation (USSR, PRC) if the gazetteer lists one; escaped."""
    if place.kind == "country":
        for alias in place.alt_names:
            if 2 <= len(alias) <= 5 and alias.isascii() and alias.isalpha() and alias.isupper():
                return escape_text(alias)
    return escape_text(place.name)


def _spot(place: Place) -> tuple[float, float]:
    """(lat, lon) rounded to ~1 km: places this close share a label."""
    return (round(float(place.lat), 2), round(float(place.lon), 2))


def _hover_text(marker: PlacedMarker, catalog: Catalog) -> str:
    return hover_html(marker.event, catalog, place_name=marker.place.name)


# --------------------------------------------------------------------------- geometry


def _marker_positions(
    markers: Sequence[PlacedMarker], projector: Projector, style: ChartStyle
) -> dict[int, tuple[float, float]]:
    """(lon, lat) of every marker, nudged so that none hides another.

    Busy places are laid out first (so they stay compact), big markers before
    small ones, then by event date and id, so the layout is stable.
    """
    per_spot: dict[tuple[float, float], int] = defaultdict(int)
    for marker in markers:
        per_spot[_spot(marker.place)] += 1
    order = sorted(
        range(len(markers)),
        key=lambda i: (
            -per_spot[_spot(markers[i].place)],
            _spot(markers[i].place),
            -marker_size(markers[i].event, style),
            markers[i].event.date,
            markers[i].event.id,
        ),
    )
    spots = place_markers(
        [(markers[i].lon, markers[i].lat) for i in order],
        [2 * marker_reach(markers[i].event, style, selected=False) for i in order],
        projector,
    )
    return dict(zip(order, spots, strict=True))


def _rings(geometry: dict, *, holes: bool = True) -> tuple[list[float | None], list[float | None]]:
    """Longitudes and latitudes of every ring or line, separated by ``None``
    (without the inner rings of polygons if not ``holes``)."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for line in _lines(geometry, holes=holes):
        if lons:
            lons.append(None)
            lats.append(None)
        for point in line:
            lons.append(float(point[0]))
            lats.append(float(point[1]))
    return lons, lats


def _lines(geojson: dict, *, holes: bool = True) -> Iterator[list]:
    kind = geojson.get("type")
    if kind == "FeatureCollection":
        for feature in geojson.get("features", []):
            yield from _lines(feature, holes=holes)
    elif kind == "Feature":
        if geojson.get("geometry"):
            yield from _lines(geojson["geometry"], holes=holes)
    elif kind == "GeometryCollection":
        for part in geojson.get("geometries", []):
            yield from _lines(part, holes=holes)
    elif kind == "Polygon":
        yield from geojson["coordinates"] if holes else geojson["coordinates"][:1]
    elif kind == "MultiPolygon":
        for polygon in geojson["coordinates"]:
            yield from polygon if holes else polygon[:1]
    elif kind == "LineString":
        yield geojson["coordinates"]
    elif kind == "MultiLineString":
        yield from geojson["coordinates"]


def _finite(*values: float | None) -> bool:
    return all(value is not None and math.isfinite(value) for value in values)


# --------------------------------------------------------------------------- layout


def _apply_layout(figure: go.Figure, view: MapView, title: str | None, style: ChartStyle) -> None:
    figure.update_layout(
        **base_layout(style, title),
        height=style.map_height,
        margin={"l": 0, "r": 0, "t": 48 if title else 8, "b": 0},
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.01,
            "xanchor": "left",
            "x": 0.0,
            "font": style.font(0.92),
            "itemsizing": "constant",
            "bgcolor": "rgba(255,255,255,0.85)",
        },
        # Keep the reader's pan and zoom across Streamlit reruns, until the
        # framing asked for changes.
        uirevision=f"{view.lon_range}{view.lat_range}",
        dragmode="pan",
    )
    figure.update_geos(
        projection_type="mercator",
        scope=style.map_scope,
        resolution=style.map_resolution,
        lonaxis_range=list(view.lon_range),
        lataxis_range=list(view.lat_range),
        showland=True,
        landcolor=style.land_colour,
        showocean=True,
        oceancolor=style.ocean_colour,
        showlakes=True,
        lakecolor=style.lake_colour,
        showrivers=True,
        rivercolor=style.lake_colour,
        showcoastlines=True,
        coastlinecolor=style.coastline_colour,
        # Today's borders would be anachronistic; the USSR and PRC outlines
        # come from our own GeoJSON instead.
        showcountries=False,
        showframe=True,
        framecolor="#cccccc",
        bgcolor=style.paper_colour,
    )


def _add_notes(figure: go.Figure, note: str | None, has_markers: bool, style: ChartStyle) -> None:
    if has_markers:
        figure.add_annotation(
            **paper_note(
                "Marker size: the largest number the source gives (log scale)",
                1.0,
                0.0,
                style.font(0.78, style.muted_text_colour),
                xanchor="right",
                yanchor="bottom",
                bgcolor="rgba(255,255,255,0.8)",
                name="size-note",
            )
        )
    if note:
        figure.add_annotation(
            **paper_note(
                "<br>".join(escape_text(line) for line in textwrap.wrap(note, 90)),
                0.0,
                0.0,
                style.font(0.85, style.text_colour),
                xanchor="left",
                yanchor="bottom",
                align="left",
                bgcolor="rgba(255,255,255,0.9)",
                bordercolor="#999999",
                borderwidth=1,
                borderpad=4,
                name="missing-places-note",
            )
        )

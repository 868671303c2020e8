"""Where events go on the map and what the map frames — the domain side of the map.

Draws nothing (``exchanges.charts.map_figure`` turns these objects into a
figure). Every job here costs O(events) once, then O(places the events name):
never O(gazetteer), which may hold thousands of places.

* :func:`locate_events` groups events by place (one mark per place, at the
  place's own coordinates), collects movements (``from_places`` →
  ``to_places``), and reports events the map cannot show — never drops them.
* :class:`MapView`, :func:`fit_view`, :func:`with_aspect`,
  :func:`frame_locations`: what part of the globe a map shows.
* :func:`screen_lines`: a place's outline as lon/lat lines, simplified with
  shapely to a tolerance (coarse for the screen, fine for export), cached.
* :class:`Projector`: degrees ↔ approximate screen pixels (Mercator), for
  label collision and for tests.
"""

from __future__ import annotations

import csv
import functools
import math
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from shapely.geometry import Point, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from exchanges.models import Event, EventType
from exchanges.paths import GEODATA_DIR

if TYPE_CHECKING:
    from exchanges.gazetteer import Gazetteer, Place

#: Outlined place kinds whose whole outline a view frames (Manchuria is not cut in half).
OUTLINED_KINDS = ("region", "border")


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class MapView:
    """The part of the globe a map shows, in degrees."""

    lon_range: tuple[float, float]
    lat_range: tuple[float, float]

    @property
    def centre(self) -> tuple[float, float]:
        """(lon, lat) of the middle of the view."""
        return (sum(self.lon_range) / 2, sum(self.lat_range) / 2)

    def contains(self, lon: float, lat: float) -> bool:
        return self.lon_range[0] <= lon <= self.lon_range[1] and self.lat_range[0] <= lat <= self.lat_range[1]


#: The Soviet–Chinese frontier from Central Asia to the Pacific: used when
#: there is nothing to fit, and as the "whole region" frame.
FRONTIER_VIEW = MapView(lon_range=(60.0, 140.0), lat_range=(18.0, 58.0))


def fit_view(
    points: Iterable[tuple[float, float]],
    *,
    padding: float = 0.15,
    min_lon_span: float = 24.0,
    min_lat_span: float = 14.0,
    aspect: float | None = None,
    fallback: MapView = FRONTIER_VIEW,
) -> MapView:
    """A view framing every ``(lon, lat)`` point, with a margin.

    ``padding`` is a fraction of the span added on each side; the minimum spans
    keep a single city from filling the screen (the reader still sees where it
    lies). ``aspect`` (width / height of the map on screen, Mercator) widens
    the shorter side so the map fills its box instead of leaving bands. With no
    points, ``fallback``.
    """
    coords = [(lon, lat) for lon, lat in points if math.isfinite(lon) and math.isfinite(lat)]
    if not coords:
        return with_aspect(fallback, aspect) if aspect else fallback
    lons = [lon for lon, _ in coords]
    lats = [lat for _, lat in coords]
    view = MapView(
        lon_range=_padded(min(lons), max(lons), padding, min_lon_span, (-180.0, 180.0)),
        lat_range=_padded(min(lats), max(lats), padding, min_lat_span, (-85.0, 85.0)),
    )
    return with_aspect(view, aspect) if aspect else view


def mercator_y(lat: float) -> float:
    """Mercator northing in degrees, comparable with longitudes (latitude clamped to ±85°)."""
    lat = max(min(lat, 85.0), -85.0)
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def inverse_mercator_y(y: float) -> float:
    """The latitude of a Mercator northing (in degrees)."""
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def with_aspect(view: MapView, aspect: float) -> MapView:
    """``view`` widened (never narrowed) so its Mercator width / height is ``aspect``."""
    lon_span = view.lon_range[1] - view.lon_range[0]
    y0, y1 = mercator_y(view.lat_range[0]), mercator_y(view.lat_range[1])
    if lon_span / (y1 - y0) > aspect:  # too wide: add latitude
        extra = (lon_span / aspect - (y1 - y0)) / 2
        lat_range = (inverse_mercator_y(y0 - extra), inverse_mercator_y(y1 + extra))
        return MapView(view.lon_range, (round(max(lat_range[0], -85.0), 3), round(min(lat_range[1], 85.0), 3)))
    extra = ((y1 - y0) * aspect - lon_span) / 2
    lon_range = (max(view.lon_range[0] - extra, -180.0), min(view.lon_range[1] + extra, 180.0))
    return MapView((round(lon_range[0], 3), round(lon_range[1], 3)), view.lat_range)


def _padded(
    low: float, high: float, padding: float, min_span: float, bounds: tuple[float, float]
) -> tuple[float, float]:
    span = max(high - low, 0.0)
    margin = span * padding
    low, high = low - margin, high + margin
    if high - low < min_span:
        middle = (low + high) / 2
        low, high = middle - min_span / 2, middle + min_span / 2
    return (round(max(low, bounds[0]), 3), round(min(high, bounds[1]), 3))


@dataclass(frozen=True)
class Projector:
    """Degrees <-> approximate screen pixels for one view (Mercator; y grows northwards)."""

    pixels_per_degree: float

    @classmethod
    def for_view(cls, view: MapView, width_px: float) -> Projector:
        return cls(width_px / max(view.lon_range[1] - view.lon_range[0], 1.0))

    def to_px(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * self.pixels_per_degree, mercator_y(lat) * self.pixels_per_degree

    def to_px_array(self, lons: np.ndarray, lats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`to_px` of arrays (NaN stays NaN)."""
        lats = np.clip(np.asarray(lats, dtype=float), -85.0, 85.0)
        northing = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lats) / 2)))
        return np.asarray(lons, dtype=float) * self.pixels_per_degree, northing * self.pixels_per_degree

    def to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        return x / self.pixels_per_degree, inverse_mercator_y(y / self.pixels_per_degree)


def view_box(view: MapView, projector: Projector) -> tuple[float, float, float, float]:
    """The view's frame in the projector's pixels (x0, y0, x1, y1; y northwards)."""
    x0, y0 = projector.to_px(view.lon_range[0], view.lat_range[0])
    x1, y1 = projector.to_px(view.lon_range[1], view.lat_range[1])
    return (x0, y0, x1, y1)


# --------------------------------------------------------------------------- events at places


@dataclass(frozen=True)
class PlaceEvents:
    """All the events at one place: one mark on the map."""

    place: Place
    events: tuple[Event, ...]
    """In the order given (the catalog's: by date)."""
    event_types: frozenset[str] = frozenset()
    """The types of its events (``EventType`` values)."""

    @property
    def count(self) -> int:
        return len(self.events)


@dataclass(frozen=True)
class Movement:
    """People moving from one place to another, as an event's source says.

    ``start`` and ``end`` (lon, lat) are where the arrow is drawn: a place's
    point, except that a country reached from outside is entered at the point
    of its outline nearest the other end, a little inside ("into the USSR"
    from Xinjiang is drawn across the border, not to Moscow).
    """

    event: Event
    origin: Place
    destination: Place
    start: tuple[float, float]
    end: tuple[float, float]


@dataclass(frozen=True)
class EventLocations:
    """Where the events go on the map, and which cannot go anywhere."""

    places: tuple[PlaceEvents, ...]
    """One entry per place, busiest first (then by name), each with its events by date."""
    movements: tuple[Movement, ...] = ()
    unplaced: tuple[Event, ...] = ()
    """Events with no place at all."""
    unknown_places: tuple[tuple[Event, str], ...] = ()
    """(event, place id) pairs the gazetteer does not know."""
    _by_id: dict[str, PlaceEvents] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({group.place.id: group for group in self.places})

    def at(self, place_id: str) -> PlaceEvents | None:
        return self._by_id.get(place_id)

    def place_of(self, event_id: str) -> PlaceEvents | None:
        """The first place group holding ``event_id``, if any (O(events at places))."""
        for group in self.places:
            if any(event.id == event_id for event in group.events):
                return group
        return None

    @property
    def missing(self) -> tuple[Event, ...]:
        """Events with no mark at all (no place, or only unknown places)."""
        placed = {event.id for group in self.places for event in group.events}
        seen: dict[str, Event] = {}
        for event in self.unplaced:
            seen.setdefault(event.id, event)
        for event, _ in self.unknown_places:
            if event.id not in placed:
                seen.setdefault(event.id, event)
        return tuple(seen.values())


def locate_events(events: Sequence[Event], gazetteer: Gazetteer) -> EventLocations:
    """Events grouped by known place (each group in the order given), movements, and the
    rest reported: one pass over the events, then work per place."""
    grouped: dict[str, list[Event]] = {}
    kinds: dict[str, set[EventType]] = {}
    unplaced: list[Event] = []
    moving: list[Event] = []
    for event in events:
        place_ids = event.places
        if not place_ids:
            unplaced.append(event)
        elif len(place_ids) > 1:
            place_ids = dict.fromkeys(place_ids)  # a place named twice counts once
        kind = event.event_type
        for place_id in place_ids:
            bucket = grouped.get(place_id)
            if bucket is None:
                bucket = grouped[place_id] = []
                kinds[place_id] = set()
            bucket.append(event)
            kinds[place_id].add(kind)
        if event.from_places and event.to_places:
            moving.append(event)
    groups = []
    unknown_ids = set()
    for place_id, bucket in grouped.items():
        place = _known(gazetteer, place_id)
        if place is None:
            unknown_ids.add(place_id)
        else:
            groups.append(PlaceEvents(place, tuple(bucket), frozenset(kind.value for kind in kinds[place_id])))
    groups.sort(key=lambda g: (-g.count, g.place.name))
    # Unknown places are rare: a second pass over their events only, in the order given.
    unknown_events = {id(event): event for place_id in unknown_ids for event in grouped[place_id]}
    unknown = [(event, place_id) for event in events if id(event) in unknown_events
               for place_id in dict.fromkeys(event.places) if place_id in unknown_ids] if unknown_ids else []
    movements = [m for event in moving for m in _movements(event, gazetteer)]
    return EventLocations(tuple(groups), tuple(movements), tuple(unplaced), tuple(unknown))


def _known(gazetteer: Gazetteer, place_id: str) -> Place | None:
    place = gazetteer.get(place_id)
    if place is None or not (math.isfinite(place.lat) and math.isfinite(place.lon)):
        return None
    return place


def _movements(event: Event, gazetteer: Gazetteer) -> Iterator[Movement]:
    """One movement per (from, to) pair the event names, both places known."""
    origins = [p for pid in event.from_places if (p := _known(gazetteer, pid))]
    destinations = [p for pid in event.to_places if (p := _known(gazetteer, pid))]
    for origin in origins:
        for destination in destinations:
            if origin.id != destination.id:
                start = (origin.lon, origin.lat)
                yield Movement(event, origin, destination, start, _entry(gazetteer, destination, start))


#: How far inside a country an arrow that enters it ends, in degrees.
ENTRY_DEPTH = 1.5


def _entry(gazetteer: Gazetteer, place: Place, start: tuple[float, float]) -> tuple[float, float]:
    """Where an arrow from ``start`` reaches ``place``: its point, or for a country with an
    outline not containing ``start``, just inside the outline's nearest point."""
    point = (place.lon, place.lat)
    outline = place_shape(gazetteer, place.id, 0.05) if place.kind == "country" and place.geometry else None
    origin = Point(start)
    if outline is None or outline.is_empty or outline.contains(origin):
        return point
    _, nearest = nearest_points(origin, outline)
    dx, dy = nearest.x - start[0], nearest.y - start[1]
    length = math.hypot(dx, dy) or 1.0
    return (round(nearest.x + ENTRY_DEPTH * dx / length, 3), round(nearest.y + ENTRY_DEPTH * dy / length, 3))


# --------------------------------------------------------------------------- outlines and framing

_SHAPES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SHAPES_LOCK = threading.Lock()


def place_shape(gazetteer: Gazetteer, place_id: str, tolerance: float = 0.0) -> BaseGeometry | None:
    """A place's outline as a shapely geometry, simplified to ``tolerance`` degrees
    (0: as stored); ``None`` if it has none. Cached per gazetteer and tolerance."""
    with _SHAPES_LOCK:
        cache = _SHAPES.setdefault(gazetteer, {})
        key = (place_id, tolerance)
        if key in cache:
            return cache[key]
    geometry = gazetteer.geometry(place_id)
    result = None
    if geometry:
        try:
            result = shape(geometry)
        except (ValueError, TypeError, AttributeError, KeyError):
            result = None
        if result is not None and tolerance > 0:
            result = result.simplify(tolerance, preserve_topology=True)
    with _SHAPES_LOCK:
        _SHAPES.setdefault(gazetteer, {})[(place_id, tolerance)] = result
    return result


_OUTLINED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def outlined_places(gazetteer: Gazetteer, kind: str) -> tuple[Place, ...]:
    """The places of ``kind`` that have an outline (one pass over the gazetteer, then cached)."""
    with _SHAPES_LOCK:
        cached = _OUTLINED.get(gazetteer)
    if cached is None:
        cached = {}
        for place in gazetteer:
            if place.geometry:
                cached.setdefault(place.kind, []).append(place)
        cached = {key: tuple(value) for key, value in cached.items()}
        with _SHAPES_LOCK:
            _OUTLINED[gazetteer] = cached
    return cached.get(kind, ())


def screen_lines(
    gazetteer: Gazetteer, place_id: str, tolerance: float, *, holes: bool = False, precision: int = 2,
    clip: MapView | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of a place's outline (rings or lines, separated by
    NaN), simplified to ``tolerance`` degrees and rounded to ``precision``
    decimals (0.01° ≈ 1 km: finer than a screen pixel at the region's scale).

    Only outer rings unless ``holes``: a filled trace fills every ring it is
    given, so a hole would be drawn as one more small shape. Islands smaller
    than a few tolerances across are left out. With ``clip``, only the part
    within that view grown by half its span on every side (room to pan and zoom
    out) is kept: the USSR's Arctic and European coasts are not sent to a map
    of Xinjiang. Arrays (numpy), so no Python runs per vertex.
    """
    geometry = place_shape(gazetteer, place_id, tolerance)
    if geometry is None:
        return np.empty(0), np.empty(0)
    if clip is not None:
        geometry = geometry.intersection(_clip_box(clip))
    gap = np.full((1, 2), np.nan)
    parts: list[np.ndarray] = []
    for line in _lines(geometry, holes=holes, min_area=4 * tolerance * tolerance):
        parts += [gap, np.asarray(line, dtype=float)[:, :2]]
    if not parts:
        return np.empty(0), np.empty(0)
    points = np.round(np.vstack(parts[1:]), precision)
    return points[:, 0], points[:, 1]


def _clip_box(view: MapView) -> BaseGeometry:
    lon_margin = (view.lon_range[1] - view.lon_range[0]) / 2
    lat_margin = (view.lat_range[1] - view.lat_range[0]) / 2
    return box(max(view.lon_range[0] - lon_margin, -180.0), max(view.lat_range[0] - lat_margin, -90.0),
               min(view.lon_range[1] + lon_margin, 180.0), min(view.lat_range[1] + lat_margin, 90.0))


def _lines(geometry: BaseGeometry, *, holes: bool, min_area: float = 0.0) -> Iterator[Sequence]:
    kind = geometry.geom_type
    if kind == "Polygon":
        if geometry.is_empty or geometry.area < min_area:
            return
        yield geometry.exterior.coords
        if holes:
            for ring in geometry.interiors:
                yield ring.coords
    elif kind == "LineString":
        yield geometry.coords
    elif kind in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
        for part in geometry.geoms:
            yield from _lines(part, holes=holes, min_area=min_area)


def place_bounds(gazetteer: Gazetteer, place: Place) -> tuple[float, float, float, float]:
    """(west, south, east, north) a view must frame for ``place``: its point, or for a
    region or a border its whole outline (if it does not wrap the antimeridian)."""
    if place.kind in OUTLINED_KINDS and place.geometry:
        outline = place_shape(gazetteer, place.id)
        if outline is not None and not outline.is_empty:
            west, south, east, north = outline.bounds
            if east - west <= 180:
                return (west, south, east, north)
    return (place.lon, place.lat, place.lon, place.lat)


def frame_places(
    places: Iterable[Place], gazetteer: Gazetteer, *, padding: float = 0.15, aspect: float | None = None,
    fallback: MapView = FRONTIER_VIEW,
) -> MapView:
    """A view framing every place (a region's or border's whole outline)."""
    corners: list[tuple[float, float]] = []
    for place in places:
        west, south, east, north = place_bounds(gazetteer, place)
        corners += [(west, south), (east, north)]
    return fit_view(corners, padding=padding, aspect=aspect, fallback=fallback)


def frame_locations(
    locations: EventLocations, gazetteer: Gazetteer, *, padding: float = 0.15, aspect: float | None = None,
    fallback: MapView = FRONTIER_VIEW,
) -> MapView:
    """A view framing the places of the events and both ends of their movements."""
    places = [group.place for group in locations.places]
    corners: list[tuple[float, float]] = []
    for place in places:
        west, south, east, north = place_bounds(gazetteer, place)
        corners += [(west, south), (east, north)]
    corners += [point for m in locations.movements for point in (m.start, m.end)]
    return fit_view(corners, padding=padding, aspect=aspect, fallback=fallback)


# --------------------------------------------------------------------------- neighbour names

CONTEXT_LABELS_PATH = GEODATA_DIR / "map_context_labels.csv"


@dataclass(frozen=True)
class ContextLabel:
    """A neighbour's name drawn for orientation (Mongolia, Kazakh SSR …), with the years it applies."""

    name: str
    lat: float
    lon: float
    valid_from: int | None
    valid_to: int | None
    source: str

    def valid_in(self, years: tuple[int, int] | None) -> bool:
        """Whether the name was in use at some time in ``years`` (always, for ``None``)."""
        if years is None:
            return self.valid_to is None
        start, end = years
        return (self.valid_from is None or self.valid_from <= end) and (self.valid_to is None or self.valid_to >= start)


class ContextLabelError(ValueError):
    """A bad row of the context labels file; the message names file, row and field."""


@functools.lru_cache(maxsize=4)
def context_labels(path: Path = CONTEXT_LABELS_PATH) -> tuple[ContextLabel, ...]:
    """The curated neighbour names (``geodata/map_context_labels.csv``, see geodata/README.md)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(_context_label(row, path.name, line) for line, row in enumerate(rows, start=2))


def _context_label(row: dict[str, str], file: str, line: int) -> ContextLabel:
    def number(column: str, kind: type, *, required: bool) -> float | int | None:
        text = (row.get(column) or "").strip()
        if not text and not required:
            return None
        try:
            return kind(text)
        except ValueError:
            raise ContextLabelError(f"{file}, row {line}, field {column!r}: not a number: {text!r}") from None

    name = (row.get("name") or "").strip()
    if not name:
        raise ContextLabelError(f"{file}, row {line}, field 'name': empty")
    lat, lon = number("lat", float, required=True), number("lon", float, required=True)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ContextLabelError(f"{file}, row {line}, field 'lat'/'lon': outside the globe")
    return ContextLabel(name, lat, lon, number("valid_from", int, required=False),
                        number("valid_to", int, required=False), (row.get("source") or "").strip())


def period_name(gazetteer: Gazetteer, place: Place, year: int | None) -> str | None:
    """The place's name in ``year`` if the gazetteer records one different from today's
    (``Gazetteer.period_name``); ``None`` without a year or where the gazetteer cannot say."""
    lookup = getattr(gazetteer, "period_name", None)
    if year is None or not callable(lookup):
        return None
    try:
        name = lookup(place.id, year)
    except (KeyError, ValueError, TypeError):
        return None
    return name if isinstance(name, str) and name and name != place.name else None


def display_name(gazetteer: Gazetteer, place: Place, year: int | None) -> str:
    """The place's name; with ``year``, the name of the time with today's beside it
    ("Tientsin (Tianjin)") where the gazetteer records one."""
    old = period_name(gazetteer, place, year)
    return f"{old} ({place.name})" if old else place.name

"""Where markers and labels go on the map, so that none hides another.

Many events share a place (a letter names five cities; a dozen 1962 events
happen "in Xinjiang"), and some places nearly coincide at the scale of a
country (Beijing and Tianjin). Markers are therefore placed greedily: each at
its true position if free, else at the nearest free spot on a spiral around
it. Labels then take the first free position below, above, right or left of
their markers.

Work is done in approximate screen pixels: Mercator coordinates scaled so the
view is ``width_px`` wide. The layout depends only on the events and the view
(not on which event is highlighted), so selecting an event never moves
markers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from exchanges.charts.style import MapView

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def mercator_y(lat: float) -> float:
    """Mercator northing in degrees, comparable with longitudes."""
    lat = max(min(lat, 85.0), -85.0)
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def inverse_mercator_y(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


@dataclass(frozen=True)
class Projector:
    """Degrees <-> approximate screen pixels for one view (y grows northwards)."""

    pixels_per_degree: float

    @classmethod
    def for_view(cls, view: MapView, width_px: float) -> Projector:
        return cls(width_px / max(view.lon_range[1] - view.lon_range[0], 1.0))

    def to_px(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * self.pixels_per_degree, mercator_y(lat) * self.pixels_per_degree

    def to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        return x / self.pixels_per_degree, inverse_mercator_y(y / self.pixels_per_degree)


def place_markers(
    anchors: Sequence[tuple[float, float]],
    sizes: Sequence[float],
    projector: Projector,
    *,
    gap: float = 1.5,
    max_rings: int = 40,
) -> list[tuple[float, float]]:
    """Positions (lon, lat) for markers wanting to sit at ``anchors``.

    Markers are placed in the order given (put the ones that should stay
    closest to their true place first). Each goes at its anchor if nothing
    is there, else at the nearest free point of a spiral around the anchor.
    """
    placed: list[tuple[float, float, float]] = []  # x, y, radius
    result: list[tuple[float, float]] = []
    for (lon, lat), size in zip(anchors, sizes, strict=True):
        x0, y0 = projector.to_px(lon, lat)
        radius = size / 2
        step = max(min(sizes) * 0.5, 3.0)
        spot = (x0, y0)
        for candidate in _spiral(x0, y0, step, max_rings):
            if all(math.hypot(candidate[0] - x, candidate[1] - y) >= radius + r + gap for x, y, r in placed):
                spot = candidate
                break
        placed.append((spot[0], spot[1], radius))
        result.append(projector.to_lonlat(*spot))
    return result


def _spiral(x: float, y: float, step: float, rings: int):
    yield (x, y)
    for ring in range(1, rings + 1):
        radius = ring * step
        count = max(6, int(2 * math.pi * radius / step))
        # Start at the bottom-right and go round, so the first free spots are
        # beside the true place rather than always above it.
        for k in range(count):
            angle = -math.pi / 4 + 2 * math.pi * k / count
            yield (x + radius * math.cos(angle), y + radius * math.sin(angle))


@dataclass(frozen=True)
class LabelRequest:
    """A label wanting to sit next to ``anchor`` (lon, lat), clear of ``clearance`` px."""

    anchor: tuple[float, float]
    text: str
    font_size: float
    clearance: float


@dataclass(frozen=True)
class PlacedLabel:
    lon: float
    lat: float
    textposition: str


def place_labels(
    requests: Sequence[LabelRequest],
    obstacles: Sequence[Box],
    projector: Projector,
) -> list[PlacedLabel]:
    """Positions for labels, avoiding each other and the ``obstacles`` (markers).

    Tries below, above, right and left of the anchor at its clearance, then
    further out; if nothing is free, below.
    """
    taken: list[Box] = list(obstacles)
    placed: list[PlacedLabel] = []
    for request in requests:
        x, y = projector.to_px(*request.anchor)
        width = len(request.text) * request.font_size * 0.55
        height = request.font_size * 1.25
        options = []
        for factor in (1.0, 1.6, 2.4):
            c = request.clearance * factor + 2
            options += [
                ((x - width / 2, y - c - height, x + width / 2, y - c), "bottom center", (0.0, -c)),
                ((x - width / 2, y + c, x + width / 2, y + c + height), "top center", (0.0, c)),
                ((x + c, y - height / 2, x + c + width, y + height / 2), "middle right", (c, 0.0)),
                ((x - c - width, y - height / 2, x - c, y + height / 2), "middle left", (-c, 0.0)),
            ]
        if request.clearance <= 0:
            options.insert(0, ((x - width / 2, y - height / 2, x + width / 2, y + height / 2), "middle center", (0.0, 0.0)))
        box, position, (dx, dy) = next(
            (option for option in options if not any(overlaps(option[0], other) for other in taken)),
            options[0],
        )
        taken.append(box)
        lon, lat = projector.to_lonlat(x + dx, y + dy)
        placed.append(PlacedLabel(lon, lat, position))
    return placed


def marker_box(lon: float, lat: float, size: float, projector: Projector) -> Box:
    x, y = projector.to_px(lon, lat)
    r = size / 2
    return (x - r, y - r, x + r, y + r)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

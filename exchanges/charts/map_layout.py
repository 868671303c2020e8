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

from exchanges.charts.style import MapView, inverse_mercator_y, mercator_y

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


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


#: Average character width, as a share of the font size (sans-serif, a little generous).
CHAR_WIDTH = 0.56
BOLD_CHAR_WIDTH = 0.62


@dataclass(frozen=True)
class LabelRequest:
    """A label wanting to sit next to ``anchor`` (lon, lat), clear of ``clearance`` px."""

    anchor: tuple[float, float]
    text: str
    font_size: float
    clearance: float
    bold: bool = False

    def size(self) -> tuple[float, float]:
        """Estimated (width, height) in px."""
        width = len(self.text) * self.font_size * (BOLD_CHAR_WIDTH if self.bold else CHAR_WIDTH)
        return width, self.font_size * 1.25


@dataclass(frozen=True)
class PlacedLabel:
    lon: float
    lat: float
    textposition: str


def place_labels(
    requests: Sequence[LabelRequest],
    obstacles: Sequence[Box],
    projector: Projector,
    *,
    bounds: Box | None = None,
) -> list[PlacedLabel]:
    """Positions for labels, avoiding each other and the ``obstacles`` (markers).

    Tries below, above, right and left of the anchor at its clearance, then
    further out; if nothing is free, the position overlapping least (markers
    count double: a name may touch a name, it should not hide an event). A
    position reaching out of ``bounds`` (the map's frame, in px) counts as
    overlapping by the part left outside.
    """
    markers: list[Box] = list(obstacles)
    labels: list[Box] = []
    placed: list[PlacedLabel] = []
    for request in requests:
        x, y = projector.to_px(*request.anchor)
        width, height = request.size()
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
        def cost(box: Box) -> float:
            outside = 0.0 if bounds is None else _area(box) - _overlap_area(box, [bounds])
            return 2 * _overlap_area(box, markers) + _overlap_area(box, labels) + 4 * outside

        # The first free option, if there is one: min() keeps the first of equals.
        box, position, (dx, dy) = min(options, key=lambda option: cost(option[0]))
        labels.append(box)
        lon, lat = projector.to_lonlat(x + dx, y + dy)
        placed.append(PlacedLabel(lon, lat, position))
    return placed


def marker_box(lon: float, lat: float, size: float, projector: Projector) -> Box:
    x, y = projector.to_px(lon, lat)
    r = size / 2
    return (x - r, y - r, x + r, y + r)


def view_box(view: MapView, projector: Projector) -> Box:
    """The frame of ``view`` in px."""
    x0, y0 = projector.to_px(view.lon_range[0], view.lat_range[0])
    x1, y1 = projector.to_px(view.lon_range[1], view.lat_range[1])
    return (x0, y0, x1, y1)


def _area(box: Box) -> float:
    return max(box[2] - box[0], 0.0) * max(box[3] - box[1], 0.0)


def _overlap_area(box: Box, others: Sequence[Box]) -> float:
    """Total area ``box`` shares with ``others``."""
    total = 0.0
    for other in others:
        width = min(box[2], other[2]) - max(box[0], other[0])
        height = min(box[3], other[3]) - max(box[1], other[1])
        if width > 0 and height > 0:
            total += width * height
    return total

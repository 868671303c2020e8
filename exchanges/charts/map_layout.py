"""Where markers and labels go on the map, so that none hides another.

Many events share a place (a letter names five cities; a dozen 1962 events
happen "in Xinjiang"), and some places nearly coincide at the scale of a
country (Beijing and Tianjin). Markers are therefore placed greedily: each at
its true position if free, else at the nearest free spot on a spiral around
it. Names then take the first free position below, above, right or left of
their markers, or at a corner, as close as they can.

Work is done in approximate screen pixels: Mercator coordinates scaled so the
view is ``width_px`` wide. Markers can only be placed in degrees, so they are
spread for the narrowest width the map is drawn at; a label is drawn at its
place with an offset in pixels (:class:`PlacedLabel`), so it keeps its
distance from its markers however wide the map is drawn. The layout depends
only on the events and the view (not on which event is highlighted), so
selecting an event never moves markers or names.
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
#: Height of the glyphs above and below the baseline, as a share of the font
#: size (capitals and most accents; descenders).
ASCENT = 0.8
DESCENT = 0.25
#: Air between a name and its markers, px.
LABEL_GAP = 4.0
#: Where a name may go, in the order tried (plotly ``textposition`` values);
#: the first four match the order of :attr:`LabelRequest.clearance`.
POSITIONS = (
    "bottom center", "top center", "middle right", "middle left",
    "bottom right", "top right", "bottom left", "top left",
)


@dataclass(frozen=True)
class LabelRequest:
    """A label wanting to sit next to ``anchor`` (lon, lat).

    ``clearance`` is how far (px) the text must keep from the anchor below,
    above, right and left of it (the reach of the place's markers, see
    :func:`group_around`); all zero for a place without markers, whose name
    may sit on it.
    """

    anchor: tuple[float, float]
    text: str
    font_size: float
    clearance: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    bold: bool = False

    def size(self) -> tuple[float, float]:
        """Estimated (width, height) in px."""
        width = len(self.text) * self.font_size * (BOLD_CHAR_WIDTH if self.bold else CHAR_WIDTH)
        return width, self.font_size * (ASCENT + DESCENT)


@dataclass(frozen=True)
class PlacedLabel:
    """A label drawn at (lon, lat), ``offset`` px away from it on the side ``textposition`` names.

    The offset is in screen pixels, not degrees, so a label keeps the same
    distance from its marker however wide the map is drawn; plotly.js sets a
    text that far from its point when the point has a marker of
    :func:`text_marker_size` (an invisible one).
    """

    lon: float
    lat: float
    textposition: str
    offset: float = 0.0


def group_around(
    discs: Sequence[tuple[float, float, float]],
) -> tuple[tuple[float, float], tuple[float, float, float, float]]:
    """The middle (px) of a group of markers ((x, y, reach) in px, y northwards),
    and how far they reach from it below, above, right and left."""
    x0 = min(x - r for x, _, r in discs)
    x1 = max(x + r for x, _, r in discs)
    y0 = min(y - r for _, y, r in discs)
    y1 = max(y + r for _, y, r in discs)
    x, y = (x0 + x1) / 2, (y0 + y1) / 2
    return (x, y), (y - y0, y1 - y, x1 - x, x - x0)


def text_marker_size(offset: float) -> float:
    """The marker size that makes plotly.js draw a point's text ``offset`` px from it.

    plotly.js (``Drawing.textPointStyle``) moves a text ``r / 0.8 + 1`` px away
    from a marker of radius ``r``, and not at all for no marker.
    """
    return max(0.0, 1.6 * (offset - 1.0))


def text_box(x: float, y: float, position: str, offset: float, width: float, font_size: float) -> Box:
    """The box (px, y northwards) a text of ``width`` takes at ``position`` from the point (x, y).

    As plotly.js places it: the baseline 0.75 em below the point, moved by
    ``offset`` (and for a text above, by one more line height) on the side
    ``position`` names.
    """
    vertical, horizontal = position.split()
    sign = {"top": -1, "middle": 0, "bottom": 1}[vertical]
    baseline = 0.75 * font_size + sign * offset + (sign - 1) * font_size / 2  # screen px, downwards
    left = {"left": -offset - width, "center": -width / 2, "right": offset}[horizontal]
    return (x + left, y - baseline - DESCENT * font_size, x + left + width, y - baseline + ASCENT * font_size)


def place_labels(
    requests: Sequence[LabelRequest],
    markers: Sequence[tuple[float, float, float]],
    projectors: Sequence[Projector],
    *,
    view: MapView | None = None,
) -> list[PlacedLabel | None]:
    """Positions for labels, avoiding each other and the ``markers`` ((lon, lat, reach in px)).

    Tries below, above, right and left of the anchor at its clearance, then
    the corners, then a little further out each time; the first position
    that covers no marker and no other name and stays inside ``view`` (the
    map's frame) wins. A name with no such position near its markers is left
    out (``None``): a name far from its markers, or on another event or name,
    would mislead; the markers' hover text still names the place. Every
    position is judged at each width of ``projectors`` (see
    :func:`projectors_between`): places move apart as the map widens, names
    and markers keep their size.
    """
    obstacles = [[marker_box(lon, lat, reach, projector) for lon, lat, reach in markers] for projector in projectors]
    frames = [view_box(view, projector) if view is not None else None for projector in projectors]
    labels: list[list[Box]] = [[] for _ in projectors]
    placed: list[PlacedLabel | None] = []
    for request in requests:
        anchors = [projector.to_px(*request.anchor) for projector in projectors]
        width, _ = request.size()
        font = request.font_size
        # Next to the markers first, then further out, a little at a time. A
        # name at a corner needs to clear the markers on one of its two sides.
        below, above, right, left = request.clearance
        clearances = (below, above, right, left, min(below, right), min(above, right), min(below, left),
                      min(above, left))
        options = [
            (position, clearance + LABEL_GAP + extra * font)
            for extra in (0.15, 0.6, 1.1, 2.0, 3.0)
            for position, clearance in zip(POSITIONS, clearances, strict=True)
        ]
        if not any(request.clearance):
            options.insert(0, ("middle center", 0.0))

        def boxes(option: tuple[str, float]) -> list[Box]:
            return [text_box(x, y, *option, width, font) for x, y in anchors]

        def free(option: tuple[str, float]) -> bool:
            for box, frame, markers_here, labels_here in zip(boxes(option), frames, obstacles, labels, strict=True):
                if frame is not None and _overlap_area(box, [frame]) < _area(box):
                    return False
                if _overlap_area(box, markers_here) or _overlap_area(box, labels_here):
                    return False
            return True

        best = next((option for option in options if free(option)), None)
        if best is None:
            placed.append(None)
            continue
        for labels_here, box in zip(labels, boxes(best), strict=True):
            labels_here.append(box)
        placed.append(PlacedLabel(*request.anchor, *best))
    return placed


def projectors_between(view: MapView, narrowest: float, widest: float, step: float = 20.0) -> list[Projector]:
    """Projectors for ``view`` drawn from ``narrowest`` to ``widest`` px wide, every
    ``step`` px or less: two names moving apart pass each other in less than that."""
    count = max(math.ceil((widest - narrowest) / step), 0) + 1
    return [Projector.for_view(view, narrowest + (widest - narrowest) * i / max(count - 1, 1)) for i in range(count)]


def marker_box(lon: float, lat: float, reach: float, projector: Projector) -> Box:
    """The square (px) a marker reaching ``reach`` px from its centre covers."""
    x, y = projector.to_px(lon, lat)
    return (x - reach, y - reach, x + reach, y + reach)


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

"""Where plotly.js draws a map's names and markers, for the tests of the map and of exports.

Modelled on plotly.js itself (``Drawing.textPointStyle``, ``symbol_defs.js``),
not on the layout code under test, so a test built on it checks what a reader
sees: a name on a marker, a name out of the frame, two names on each other.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Iterable
from types import SimpleNamespace

import plotly.graph_objects as go

from exchanges.mapping import MapView, Projector, view_box
from exchanges.text_metrics import text_width


def traces(figure: go.Figure, layer: str) -> list:
    return [t for t in figure.data if isinstance(t.meta, dict) and t.meta.get("layer") == layer]


#: The kinds of names on a map (``meta["kinds"]`` of its names trace).
NAME_KINDS = ("place-labels", "region-labels", "context-labels")


def names(figure: go.Figure, *kinds: str) -> list[SimpleNamespace]:
    """The map's names of the given kinds (every kind if none), in drawing order: kind, text (as
    sent, with its markup), lon, lat, textposition, the invisible marker's size, font size."""
    found = []
    for trace in traces(figure, "names"):
        sizes = trace.marker.size if "markers" in trace.mode else [0] * len(trace.lon)
        for index, kind in enumerate(trace.meta["kinds"]):
            if kind in (kinds or NAME_KINDS):
                found.append(SimpleNamespace(
                    kind=kind, text=trace.text[index], lon=trace.lon[index], lat=trace.lat[index],
                    position=trace.textposition[index], size=sizes[index], font=trace.textfont.size[index]))
    return found


#: How far plotly.js draws each symbol from its centre, per half its size
#: (plotly.js src/components/drawing/symbol_defs.js).
PLOTLY_SYMBOL_REACH = {
    "circle": 1.0, "square": 1.0, "diamond": 1.3, "cross": 1.2, "x": 2 * 0.8 / math.sqrt(2),
    "triangle-up": 2 / math.sqrt(3), "triangle-down": 2 / math.sqrt(3), "pentagon": 1.0, "hexagon": 1.0,
    "star": 1.4, "hourglass": 1.0, "star-diamond": 1.4,
}


def drawn_labels(figure: go.Figure, projector: Projector, *kinds: str) -> list[tuple[str, tuple]]:
    """The box (px, y northwards) of every name (of ``kinds``, if given), drawn as plotly.js draws a point's
    text (``Drawing.textPointStyle``): the baseline 0.75 em below the point,
    moved ``r / 0.8 + 1`` px away from it by a marker of radius ``r`` (none
    for no marker) on the side its ``textposition`` names."""
    boxes = []
    for name in names(figure, *kinds):
        text, font = name.text, name.font
        bold = text.startswith("<b>")
        plain = text.removeprefix("<b>").removesuffix("</b>").removeprefix("<i>").removesuffix("</i>")
        offset = name.size / 2 / 0.8 + 1 if name.size else 0.0
        lines = html.unescape(plain).split("<br>")
        width = max(text_width(line, font, bold=bold) for line in lines)
        vertical, horizontal = name.position.split()
        sign = {"top": -1, "middle": 0, "bottom": 1}[vertical]
        baseline = 0.75 * font + sign * offset + (sign - 1) * font / 2  # screen px, downwards
        x, y = projector.to_px(name.lon, name.lat)
        x0 = {"center": x - width / 2, "right": x + offset, "left": x - offset - width}[horizontal]
        # capitals above the baseline, descenders below
        # plotly.js stacks the lines 1.3 em apart: up from a "top" point, centred on a "middle" one
        extra = (len(lines) - 1) * 1.3 * font
        shift = {"top": extra, "middle": extra / 2, "bottom": 0.0}[vertical]
        boxes.append((plain, (x0, y - baseline - 0.2 * font - extra + shift,
                              x0 + width, y - baseline + 0.72 * font + shift)))
    return boxes


def drawn_markers(figure: go.Figure, projector: Projector) -> list[tuple[str, tuple]]:
    """The box (px) every event marker covers, its shape and outline included."""
    boxes = []
    for trace in [*traces(figure, "events"), *traces(figure, "highlight")]:
        count = len(trace.lon)
        sizes = trace.marker.size if isinstance(trace.marker.size, tuple) else [trace.marker.size] * count
        symbols = trace.marker.symbol if isinstance(trace.marker.symbol, tuple) else [trace.marker.symbol] * count
        for lon, lat, size, symbol, event_id in zip(trace.lon, trace.lat, sizes, symbols, trace.customdata,
                                                    strict=True):
            reach = PLOTLY_SYMBOL_REACH[symbol.removesuffix("-open")] * size / 2 + trace.marker.line.width / 2
            x, y = projector.to_px(lon, lat)
            boxes.append((event_id, (x - reach, y - reach, x + reach, y + reach)))
    return boxes


def drawn_marks(figure: go.Figure, projector: Projector) -> list[tuple[float, float, float]]:
    """(x, y, reach) px of every marker, from the box :func:`drawn_markers` gives it."""
    return [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2, (b[2] - b[0]) / 2) for _, b in drawn_markers(figure, projector)]


def shared_spot(marks: Iterable[tuple[float, float, float]], at: tuple[float, float], same_spot_px: float) -> float:
    """How far (px) from a name's place the other places it names may be: ``same_spot_px``, or
    the reach of the marker drawn at that place (a place inside it is named in its label)."""
    return max([same_spot_px] + [r for x, y, r in marks if math.dist((x, y), at) < 1.0])


def overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def names_clear_of_markers(figure: go.Figure, widths: Iterable[float]) -> None:
    """At every width: each name inside the map, on no marker and on no other name."""
    geo = figure.layout.geo
    view = MapView(tuple(geo.lonaxis.range), tuple(geo.lataxis.range))
    for width in widths:
        projector = Projector.for_view(view, width)
        frame = view_box(view, projector)
        labels = drawn_labels(figure, projector)
        markers = drawn_markers(figure, projector)
        for name, box in labels:
            assert frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3], (
                name, width)
            hidden = [event_id for event_id, marker in markers if overlap(box, marker)]
            assert not hidden, f"{name!r} sits on {hidden} at {width:.0f} px"
        for (name, box), (other, other_box) in itertools.combinations(labels, 2):
            assert not overlap(box, other_box), (name, other, width)


#: A name may be this much nearer (px) another mark's edge than its own mark's and still read as its own.
AMBIGUOUS_PX = 2.0


def names_nearest_their_marks(figure: go.Figure, width: float, same_spot_px: float) -> None:
    """Each place's name is nearer the edge of its own mark than of any other (within
    ``AMBIGUOUS_PX``): a reader takes a name for the nearest mark's. A name listing several
    places ("Lüshun · Dalian") owns every mark drawn on the first one's spot (within
    ``same_spot_px`` or inside its shape)."""
    geo = figure.layout.geo
    projector = Projector.for_view(MapView(tuple(geo.lonaxis.range), tuple(geo.lataxis.range)), width)
    marks = drawn_marks(figure, projector)
    anchors = [(name.text, projector.to_px(name.lon, name.lat)) for name in names(figure, "place-labels")]
    boxes = [box for _, box in drawn_labels(figure, projector, "place-labels")]

    def edge_distance(box: tuple, mark: tuple) -> float:
        dx = max(box[0] - mark[0], 0.0, mark[0] - box[2])
        dy = max(box[1] - mark[1], 0.0, mark[1] - box[3])
        return max(math.hypot(dx, dy) - mark[2], 0.0)

    for (text, (x, y)), box in zip(anchors, boxes, strict=True):
        spot = shared_spot(marks, (x, y), same_spot_px) + 0.01 if " · " in text else 1.0
        own = [m for m in marks if math.dist(m[:2], (x, y)) <= spot]
        others = [m for m in marks if math.dist(m[:2], (x, y)) > spot]
        assert own, f"no mark at the place {text!r} names"
        mine = min(edge_distance(box, m) for m in own)
        nearest = min((edge_distance(box, m) for m in others), default=math.inf)
        assert mine <= nearest + AMBIGUOUS_PX, f"{text!r} is {mine:.0f} px from its mark, {nearest:.0f} px from another"

"""Every name on the timeline touches its own event: it starts by the visible
end of the event's bar or marker (or inside the bar, after the marker), at
any width the timeline is drawn; a name that cannot is left out."""

from __future__ import annotations

import dataclasses
import datetime as dt

import plotly.graph_objects as go
import pytest

from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE
from exchanges.charts.timeline_figure import SIDE_MARGIN, _lane_names_width, build_timeline_figure

#: How far (px) a name may start from the edge it belongs to: the gap kept
#: between a glyph and its name, and a little rounding.
REACH = 8.0


def _date(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value).replace(" ", "T")[:19])


class _Panels:
    """Dates to px from the left of the figure's panel, for a figure drawn ``width`` px wide."""

    def __init__(self, figure: go.Figure, width: float, style) -> None:
        lanes = figure.layout.meta["exchanges_timeline"]["lanes"]
        self.plot = width - 2 * SIDE_MARGIN - _lane_names_width(lanes, style)
        self.figure = figure

    def px(self, xref: str, value) -> float:
        axis = self.figure.layout["xaxis" + xref.removeprefix("x")]
        low, high = (_date(v) for v in axis.range)
        panel = self.plot * (axis.domain[1] - axis.domain[0])
        return (_date(value) - low) / (high - low) * panel


def _edges(figure: go.Figure, panels: _Panels) -> dict[str, tuple[str, list[float], list[float]]]:
    """Per event: its axis, the left edges and the right edges (px) of what it draws."""
    edges: dict[str, tuple[str, list[float], list[float]]] = {}

    def add(event_id: str, xref: str, left: float, right: float) -> None:
        _, lefts, rights = edges.setdefault(event_id, (xref, [], []))
        lefts.append(left)
        rights.append(right)

    for trace in figure.data:
        layer = (trace.meta or {}).get("layer") if isinstance(trace.meta, dict) else None
        xref = "x" + (trace.xaxis or "x").removeprefix("x")
        if layer == "bars":
            for event_id, base, length in zip(trace.customdata, trace.base, trace.x, strict=True):
                start = _date(base)
                add(event_id, xref, panels.px(xref, start), panels.px(xref, start + dt.timedelta(milliseconds=length)))
        elif layer in ("events", "highlight"):
            count = len(trace.x)
            sizes = trace.marker.size if isinstance(trace.marker.size, tuple) else [trace.marker.size] * count
            for event_id, x, size in zip(trace.customdata, trace.x, sizes, strict=True):
                centre = panels.px(xref, x)
                add(event_id, xref, centre - size / 2, centre + size / 2)
        elif layer == "bound-fades":
            xs = [panels.px(xref, x) for x in trace.x]
            add(trace.meta["event"], xref, min(xs), max(xs))
    return edges


def _check(figure: go.Figure, style, widths: list[float]) -> int:
    labels = [a for a in figure.layout.annotations if (a.name or "").startswith("event-label:")]
    for width in widths:
        panels = _Panels(figure, width, style)
        edges = _edges(figure, panels)
        for label in labels:
            event_id = label.name.removeprefix("event-label:")
            xref, lefts, rights = edges[event_id]
            assert label.xref == xref, event_id
            at = panels.px(label.xref, label.x) + label.xshift
            if label.xanchor == "right":  # left of the glyph: ends by its left edge
                gap = min(lefts) - at
                assert 0 <= gap <= REACH, (event_id, width, gap)
            else:  # right of the glyph, or inside its bar: starts by a right edge
                gap = min(abs(at - edge) for edge in rights)
                assert gap <= REACH, (event_id, width, label.text, at, rights)
                assert at >= min(rights) - 1, (event_id, width)
    return len(labels)


@pytest.mark.parametrize("style", [DEFAULT_STYLE, PROJECTOR_STYLE], ids=lambda s: s.name)
def test_every_timeline_name_touches_its_event(shipped_catalog, style):
    hint = style.timeline_width_hint
    figure = build_timeline_figure(shipped_catalog.events, shipped_catalog, style=style)
    assert _check(figure, style, [hint, hint * 1.5, hint * 2.5]) >= 5


def test_a_name_after_a_span_entering_from_the_left_is_by_the_bar_or_left_out(shipped_catalog):
    """The export of April–August 1962: a span from 1959 enters the panel from
    the left with a "◂ from" note that reaches past its bar; its name may not
    float after the note, in the middle of the row."""
    start, end = dt.date(1962, 4, 1), dt.date(1962, 8, 31)
    events = [e for e in shipped_catalog.events if e.date <= end and (e.end_date or e.date) >= start]
    style = dataclasses.replace(PROJECTOR_STYLE, timeline_width_hint=1920)
    figure = build_timeline_figure(events, shipped_catalog, style=style)
    clipped = [a.name.removeprefix("clipped:") for a in figure.layout.annotations
               if (a.name or "").startswith("clipped:")]
    assert clipped  # the case this test is about is there
    assert _check(figure, style, [1920.0, 2400.0]) >= 5


def test_a_selected_span_entering_from_the_left_is_still_named_in_its_panel(shipped_catalog):
    start, end = dt.date(1962, 4, 1), dt.date(1962, 8, 31)
    events = [e for e in shipped_catalog.events if e.date <= end and (e.end_date or e.date) >= start]
    style = dataclasses.replace(PROJECTOR_STYLE, timeline_width_hint=1920)
    plain = build_timeline_figure(events, shipped_catalog, style=style)
    (entering,) = [a.name.removeprefix("clipped:") for a in plain.layout.annotations
                   if (a.name or "").startswith("clipped:")][:1]
    figure = build_timeline_figure(events, shipped_catalog, style=style, highlight=entering)
    (label,) = [a for a in figure.layout.annotations if a.name == f"event-label:{entering}"]
    panels = _Panels(figure, 1920, style)
    assert label.xanchor == "left" and panels.px(label.xref, label.x) + label.xshift >= 0

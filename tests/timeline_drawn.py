"""Reading a timeline figure back: its event names and where they are drawn (for the timeline tests)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import plotly.graph_objects as go

from exchanges.charts.timeline_figure import ANNOTATION_INSET, SIDE_MARGIN
from exchanges.text_metrics import text_width


def event_labels(figure: go.Figure) -> dict[str, object]:
    """Each event's name, as an annotation (the ones on a backing) or read back from a text point as one."""
    labels: dict[str, object] = {
        annotation.name.removeprefix("event-label:"): annotation
        for annotation in figure.layout.annotations
        if (annotation.name or "").startswith("event-label:")
    }
    for trace in figure.data:
        if (trace.meta or {}).get("layer") == "event-labels":
            labels.update(_text_points(trace))
    return labels


def _text_points(trace: go.Scatter) -> dict[str, SimpleNamespace]:
    """plotly.js sets a text point's name ``size / 1.6 + 1`` px beside its marker; an annotation
    sets its text 2 px (its border and padding) beyond ``xshift``."""
    points = {}
    for index, event_id in enumerate(trace.customdata):
        right = trace.textposition[index] == "middle right"
        away = trace.marker.size[index] / 1.6 + 1 - ANNOTATION_INSET
        points[event_id] = SimpleNamespace(
            name=f"event-label:{event_id}", text=trace.text[index], x=trace.x[index],
            y=trace.y[index] - trace.meta["drop"],
            xref=trace.xaxis, xshift=away if right else -away, xanchor="left" if right else "right",
            font=SimpleNamespace(size=trace.textfont.size, color=trace.textfont.color[index]))
    return points


def plain(text: str) -> str:
    return text.removeprefix("<b>").removesuffix("</b>").replace("&amp;", "&").replace("&lt;", "<")


def label_boxes(figure: go.Figure, style) -> list[tuple[float, float, float]]:
    """(row, left, right) of each name in px across the plot at the style's width, from the axes."""
    plot = style.timeline_width_hint - 2 * SIDE_MARGIN
    size = style.font(style.timeline_label_scale)["size"]
    boxes = []
    for annotation in event_labels(figure).values():
        axis = figure.layout["xaxis" + annotation.xref.removeprefix("x")]
        low, high = (dt.datetime.fromisoformat(str(v)) for v in axis.range)
        x = annotation.x if isinstance(annotation.x, dt.datetime) else dt.datetime.fromisoformat(str(annotation.x))
        at = plot * axis.domain[0] + (x - low) / (high - low) * plot * (axis.domain[1] - axis.domain[0])
        at += annotation.xshift
        wide = text_width(plain(annotation.text), size, bold=annotation.text.startswith("<b>"))
        left, right = (at, at + wide) if annotation.xanchor == "left" else (at - wide, at)
        boxes.append((annotation.y, left, right))
    return boxes

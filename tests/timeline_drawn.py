"""Reading a timeline figure back: its event names and where they are drawn (for the timeline tests)."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from exchanges.charts.timeline_figure import SIDE_MARGIN
from exchanges.text_metrics import text_width


def event_labels(figure: go.Figure) -> dict[str, object]:
    return {
        annotation.name.removeprefix("event-label:"): annotation
        for annotation in figure.layout.annotations
        if (annotation.name or "").startswith("event-label:")
    }


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

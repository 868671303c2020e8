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
        if event_id is None:  # one of the frame's texts (an era title, an axis break): not a name
            continue
        right = trace.textposition[index] == "middle right"
        away = trace.marker.size[index] / 1.6 + 1 - ANNOTATION_INSET
        points[event_id] = SimpleNamespace(
            name=f"event-label:{event_id}", text=trace.text[index], x=trace.x[index],
            y=trace.y[index] - trace.meta["drop"],
            xref=trace.xaxis or "x", xshift=away if right else -away, xanchor="left" if right else "right",
            font=SimpleNamespace(size=trace.textfont.size[index], color=trace.textfont.color[index]))
    return points


def frame_texts(figure: go.Figure, kind: str) -> list[SimpleNamespace]:
    """The frame's texts of one ``kind`` ("era-title", "axis-break"): text, date, y, font size."""
    found = []
    for trace in figure.data:
        meta = trace.meta or {}
        if meta.get("layer") != "event-labels":
            continue
        first = len(trace.text) - len(meta["frame"])
        for offset, which in enumerate(meta["frame"]):
            if which == kind:
                index = first + offset
                found.append(SimpleNamespace(text=trace.text[index], x=trace.x[index], y=trace.y[index],
                                             xref=trace.xaxis or "x", font=SimpleNamespace(size=trace.textfont.size[index])))
    return found


def panels(figure: go.Figure) -> list[SimpleNamespace]:
    """The figure's panels, from its meta: the dates each shows and where on the x axis."""
    return [SimpleNamespace(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end), left=left, right=right)
            for start, end, left, right in figure.layout.meta["exchanges_timeline"]["panels"]]


def _moment(value: dt.date | dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def x_of(figure: go.Figure, moment: dt.date | dt.datetime) -> float:
    """Where ``moment`` is on the figure's x axis (the panel showing it)."""
    for panel in panels(figure):
        if panel.start <= _moment(moment).date() <= panel.end:
            share = (_moment(moment) - _moment(panel.start)) / (_moment(panel.end) - _moment(panel.start))
            return panel.left + share * (panel.right - panel.left)
    raise ValueError(f"{moment} is in no panel")


def date_at(figure: go.Figure, x: float) -> dt.datetime:
    """The moment at ``x`` on the figure's x axis (in the panel there)."""
    for panel in panels(figure):
        if panel.left - 0.01 <= x <= panel.right + 0.01:
            share = (x - panel.left) / (panel.right - panel.left)
            return _moment(panel.start) + share * (_moment(panel.end) - _moment(panel.start))
    raise ValueError(f"{x} is in no panel")


def plain(text: str) -> str:
    return text.removeprefix("<b>").removesuffix("</b>").replace("&amp;", "&").replace("&lt;", "<")


def label_boxes(figure: go.Figure, style) -> list[tuple[float, float, float]]:
    """(row, left, right) of each name in px across the plot at the style's width, from the axes."""
    plot = style.timeline_width_hint - 2 * SIDE_MARGIN
    assert figure.layout.xaxis.range[1] <= plot + 0.01  # the x axis: px across the plot at the style's width
    size = style.font(style.timeline_label_scale)["size"]
    boxes = []
    for annotation in event_labels(figure).values():
        at = annotation.x + annotation.xshift  # the x axis is px across the plot at the style's width
        wide = text_width(plain(annotation.text), size, bold=annotation.text.startswith("<b>"))
        left, right = (at, at + wide) if annotation.xanchor == "left" else (at - wide, at)
        boxes.append((annotation.y, left, right))
    return boxes

"""Text on the charts: quotes in hover boxes, event names on the timeline, eras that stay readable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import plotly.graph_objects as go

from exchanges.charts.map_figure import build_map_figure
from exchanges.charts.plotly_text import escape_text
from exchanges.charts.style import PROJECTOR_STYLE
from exchanges.charts.timeline_figure import build_timeline_figure, find_eras


def _map_hovers(figure: go.Figure) -> str:
    return " ".join(
        text for trace in figure.data if getattr(trace, "hovertext", None) is not None for text in trace.hovertext
    )


def test_quotes_in_hover_boxes_are_shown_as_quotes(mini_catalog, mini_gazetteer):
    title = 'Talks "largely ceased" & <b>resumed</b>'
    event = mini_catalog.event("urumqi-talks").model_copy(update={"title": title})
    for figure in (
        build_map_figure([event], mini_catalog, mini_gazetteer),
        build_timeline_figure([event], mini_catalog),
    ):
        hover = _map_hovers(figure)
        assert '"largely ceased"' in hover
        assert "&quot;" not in hover and "&#x27;" not in hover
        assert "&amp; &lt;b&gt;resumed&lt;/b&gt;" in hover


def test_escape_text_keeps_quotes_and_escapes_markup():
    assert escape_text("it's \"so\" <i>&") == "it's \"so\" &lt;i&gt;&amp;"


# --------------------------------------------------------------------------- event names on the timeline


def _event_labels(figure: go.Figure) -> dict[str, object]:
    return {
        annotation.name.removeprefix("event-label:"): annotation
        for annotation in figure.layout.annotations
        if (annotation.name or "").startswith("event-label:")
    }


def _label_boxes(figure: go.Figure, width: float, style) -> list[tuple[str, float, float, float]]:
    """(x axis, row, left, right) of each label in px at ``width``, from its axis' range and domain."""
    from exchanges.charts.timeline_figure import SIDE_MARGIN, _lane_names_width, label_width

    lanes = figure.layout.meta["exchanges_timeline"]["lanes"]
    plot = width - 2 * SIDE_MARGIN - _lane_names_width(lanes, style)
    size = style.font(0.8)["size"]
    boxes = []
    for annotation in _event_labels(figure).values():
        axis = figure.layout["xaxis" + annotation.xref.removeprefix("x")]
        low, high = (dt.datetime.fromisoformat(str(v)[:10]) for v in axis.range)
        panel = plot * (axis.domain[1] - axis.domain[0])
        x = annotation.x if isinstance(annotation.x, dt.datetime) else dt.datetime.fromisoformat(str(annotation.x))
        at = (x - low) / (high - low) * panel + annotation.xshift
        text = annotation.text.removeprefix("<b>").removesuffix("</b>")
        wide = label_width(text, size)
        left, right = (at, at + wide) if annotation.xanchor == "left" else (at - wide, at)
        boxes.append((annotation.xref, annotation.y, left, right))
    return boxes


def test_slides_name_most_events_without_overlapping_labels(shipped_catalog):
    width = 1920
    style = dataclasses.replace(PROJECTOR_STYLE, timeline_width_hint=width)
    chosen = "soviet-statement-1962-06-08"
    figure = build_timeline_figure(shipped_catalog.events, shipped_catalog, highlight=chosen, style=style)
    labels = _event_labels(figure)
    assert chosen in labels and "<b>" in labels[chosen].text
    assert len(labels) >= len(shipped_catalog.events) / 2
    for label in labels.values():
        # a label is a shortened title of its own event, never raw markup
        text = label.text.removeprefix("<b>").removesuffix("</b>").removesuffix("…")
        assert shipped_catalog.event(label.name.removeprefix("event-label:")).title.startswith(text)
    boxes = _label_boxes(figure, width, style)
    for (axis_a, row_a, left_a, right_a), (axis_b, row_b, left_b, right_b) in itertools.combinations(boxes, 2):
        if axis_a == axis_b and row_a == row_b:
            assert right_a <= left_b or right_b <= left_a


def test_screen_timeline_always_names_the_highlighted_event(shipped_catalog):
    for event in (shipped_catalog.event("zhang-hanfu-talk-1962-06-11"), shipped_catalog.events[0]):
        figure = build_timeline_figure(shipped_catalog.events, shipped_catalog, highlight=event.id)
        labels = _event_labels(figure)
        assert event.id in labels
        assert labels[event.id].text.removeprefix("<b>")[:6] == event.title[:6]
    # hover stays on every marker
    hovered = {i for t in figure.data if t.hovertext is not None for i in (t.customdata or ())}
    assert hovered == {e.id for e in shipped_catalog.events}


def test_short_title_cuts_at_a_word():
    from exchanges.charts.labels import short_title
    from exchanges.models import Event

    event = Event.model_construct(title="The Soviet Government asks China to send representatives")
    short = short_title(event, 28)
    assert len(short) <= 28 and short.endswith("…")
    assert event.title.startswith(short.removesuffix("…")) and event.title[len(short) - 1] == " "


# --------------------------------------------------------------------------- eras stay readable


def _with_1960(shipped_catalog, day: dt.date = dt.date(1960, 7, 16)):
    model = next(e for e in shipped_catalog.events if e.date_precision.value == "day" and e.end_date is None)
    return [*shipped_catalog.events, model.model_copy(update={"id": "user-1960", "date": day})]


def test_one_earlier_event_does_not_merge_into_a_dense_era(shipped_catalog):
    before = find_eras(shipped_catalog.events)
    crisis = next(era for era in before if era.start.year == era.end.year == 1962)
    eras = find_eras(_with_1960(shipped_catalog))
    labels = [era.label for era in eras]
    assert "1960" in labels and "1962" in labels and "1960–1962" not in labels
    after = next(era for era in eras if era.label == "1962")
    assert (after.start, after.end) == (crisis.start, crisis.end)
    assert next(era for era in eras if era.label == "1960").event_ids == ("user-1960",)


def test_the_1962_panel_keeps_its_own_axis_with_a_1960_event(shipped_catalog):
    events = _with_1960(shipped_catalog)
    catalog = dataclasses.replace(shipped_catalog, events=tuple(sorted(events, key=lambda e: e.date)))
    figure = build_timeline_figure(catalog.events, catalog)
    spans = figure.layout.meta["exchanges_timeline"]["eras"]
    assert any(start[:4] == end[:4] == "1962" for start, end in spans)
    assert not any(start[:4] == "1960" and end[:4] == "1962" for start, end in spans)


def test_a_cluster_with_short_pauses_stays_one_era(shipped_catalog):
    crisis = [e for e in shipped_catalog.events if e.date.year == 1962]
    extra = [crisis[0].model_copy(update={"id": f"extra-{m}", "date": dt.date(1962, m, 1), "end_date": None})
             for m in (1, 10, 12)]
    assert len(find_eras(crisis + extra)) == 1


def test_event_labels_keep_their_own_font(shipped_catalog):
    figure = build_timeline_figure(shipped_catalog.events, shipped_catalog, highlight="zhang-hanfu-talk-1962-06-11")
    labels = _event_labels(figure)
    assert labels
    titles = [a for a in figure.layout.annotations if a.name is None]
    for label in labels.values():
        assert label.font.size < titles[0].font.size  # smaller than the era titles: not restyled with them

"""Text on the charts: quotes in hover boxes, event names on the timeline, eras that stay readable."""

from __future__ import annotations

import dataclasses
import datetime as dt

import plotly.graph_objects as go
from timeline_drawn import event_labels, frame_texts

from exchanges.charts.map_figure import build_map_figure
from exchanges.charts.plotly_text import escape_text
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


# (the names of events on the timeline: tests/test_timeline_names.py)


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
    labels = list(event_labels(figure).values())
    titles = frame_texts(figure, "era-title")
    assert labels and titles
    for label in labels:
        assert label.font.size < titles[0].font.size  # smaller than the era titles: not restyled with them

"""The timeline at 30 events or 3,000: fixed height, traces that do not grow, counts when too dense."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from timeline_drawn import event_labels, frame_texts, label_boxes, panels

from components.selection import event_ids_from_selection
from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE
from exchanges.charts.timeline_figure import SIDE_MARGIN, ZOOM_PREFIX, build_timeline_figure, parse_zoom
from exchanges.models import Event
from exchanges.timeline import describe_days, events_between


def spread(shipped: tuple[Event, ...], n: int, years: tuple[int, int] = (1945, 1970)) -> list[Event]:
    """``n`` events: the shipped ones, then copies of them spread evenly over ``years``."""
    first = dt.date(years[0], 1, 1).toordinal()
    span = dt.date(years[1], 12, 31).toordinal() - first
    extra = []
    for index in range(n - len(shipped)):
        model = shipped[index % len(shipped)]
        day = dt.date.fromordinal(first + (index * 7919) % span)
        end = None if model.end_date is None else day + min(model.end_date - model.date, dt.timedelta(days=20))
        extra.append(model.model_copy(update={"id": f"copy-{index}", "date": day, "end_date": end}))
    return [*shipped, *extra]


def layers(figure) -> list[str]:
    return [(trace.meta or {}).get("layer") for trace in figure.data]


def test_traces_and_annotations_do_not_grow_with_the_events(shipped_catalog):
    sizes = {}
    for n in (300, 3000):
        figure = build_timeline_figure(spread(shipped_catalog.events, n), shipped_catalog)
        sizes[n] = (len(figure.data), len(figure.layout.annotations))
    assert sizes[3000][0] <= sizes[300][0] + 2 and sizes[3000][0] <= 40
    assert sizes[3000][1] <= 20


def test_most_names_are_text_points_not_annotations(shipped_catalog):
    """An annotation costs plotly.js a layout pass of its own: only names on a backing (the selected
    one, one over its own bar) or reaching into the next panel are annotations; the era titles and
    axis breaks are text points too."""
    figure = build_timeline_figure(shipped_catalog.events, shipped_catalog, show_legend=False)
    texts = [t for t in figure.data if (t.meta or {}).get("layer") == "event-labels"]
    as_text = {event_id for trace in texts for event_id in trace.customdata if event_id is not None}
    labels = event_labels(figure)
    assert set(labels) == {e.id for e in shipped_catalog.events}
    assert len(as_text) > len(labels) / 2
    eras = figure.layout.meta["exchanges_timeline"]["eras"]
    assert len(texts) <= len(eras)  # one trace a panel at most
    assert [t.text for t in frame_texts(figure, "era-title")] == ["1947", "1951–1952", "1962"]
    assert len(frame_texts(figure, "axis-break")) == len(eras) - 1
    assert not [a for a in figure.layout.annotations if a.name in ("era-title", "axis-break")]
    for trace in texts:
        assert trace.hoverinfo == "skip" and not trace.cliponaxis  # names neither hover nor get cut at an edge


@pytest.mark.parametrize("n", [32, 300, 3000])
@pytest.mark.parametrize("style", [DEFAULT_STYLE, PROJECTOR_STYLE], ids=lambda s: s.name)
def test_the_height_is_bounded(shipped_catalog, n, style):
    figure = build_timeline_figure(spread(shipped_catalog.events, n), shipped_catalog, style=style)
    assert style.timeline_min_height <= figure.layout.height <= style.timeline_max_height
    assert len(figure.to_json()) < 300_000


def _count_of(hover: str) -> int:
    return int(re.search(r": ([\d,]+) events?<br>", hover).group(1).replace(",", ""))


def test_dense_lanes_show_counts_per_period_and_say_so(shipped_catalog):
    events = spread(shipped_catalog.events, 3000)
    figure = build_timeline_figure(events, shipped_catalog)
    meta = figure.layout.meta["exchanges_timeline"]
    assert meta["summarised"] and meta["named"] < 100
    (note,) = [a for a in figure.layout.annotations if a.name == "density-note"]
    assert "3,000 events" in note.text and "Click a column" in note.text
    for lane in meta["summarised"]:
        (header,) = [t for t in frame_texts(figure, "lane-name") if t.text.startswith(f"<b>{lane}</b>")]
        assert re.search(r"[\d,]+ events", header.text)
    columns = [trace for trace in figure.data if (trace.meta or {}).get("layer") == "density"]
    assert columns
    counted = sum(_count_of(hover) for trace in columns for hover in trace.hovertext)
    assert counted == len(events) - meta["named"]
    # every column zooms to the period it counts
    for trace in columns:
        for data, hover in zip(trace.customdata, trace.hovertext, strict=True):
            first, last = parse_zoom(data)
            assert first <= last and data.startswith(ZOOM_PREFIX)
            assert str(first.year) in hover  # the hover names the period the click zooms to


def test_a_column_counts_the_events_its_zoom_shows(shipped_catalog):
    events = spread(shipped_catalog.events, 3000)
    figure = build_timeline_figure(events, shipped_catalog, lanes="type")
    columns = [trace for trace in figure.data if (trace.meta or {}).get("layer") == "density"]
    totals: dict[str, int] = {}
    for trace in columns:
        for data, hover in zip(trace.customdata, trace.hovertext, strict=True):
            totals[data] = totals.get(data, 0) + _count_of(hover)
    data, count = max(totals.items(), key=lambda item: item[1])
    first, last = parse_zoom(data)
    starting = [e for e in events_between(events, first, last) if first <= max(e.date, first) <= last]
    assert count <= len(starting)


def test_zooming_in_names_every_event_again(shipped_catalog):
    """Above the threshold the lanes are counted; a month of 1962 (the same catalog) is named in full."""
    events = spread(shipped_catalog.events, 3000)
    assert build_timeline_figure(events, shipped_catalog).layout.meta["exchanges_timeline"]["summarised"]
    june = events_between(events, dt.date(1962, 6, 1), dt.date(1962, 6, 30))
    assert 5 <= len(june) < 60
    window = (dt.date(1962, 6, 1), dt.date(1962, 6, 30))
    figure = build_timeline_figure(june, shipped_catalog, window=window)
    (panel,) = panels(figure)  # one panel, showing June
    assert panel.start <= dt.date(1962, 6, 1) and dt.date(1962, 6, 30) <= panel.end <= dt.date(1962, 7, 31)
    meta = figure.layout.meta["exchanges_timeline"]
    assert meta["summarised"] == [] and meta["named"] == len(june)
    assert not [a for a in figure.layout.annotations if a.name == "density-note"]
    named = set(event_labels(figure))
    assert named == {e.id for e in june}
    plot = DEFAULT_STYLE.timeline_width_hint - 2 * SIDE_MARGIN
    for row, left, right in label_boxes(figure, DEFAULT_STYLE):  # every name whole, inside the plot
        assert left >= -1 and right <= plot + SIDE_MARGIN, (row, left, right)


def test_the_selected_event_is_drawn_inside_a_summarised_lane(shipped_catalog):
    events = spread(shipped_catalog.events, 3000)
    chosen = "copy-1234"
    figure = build_timeline_figure(events, shipped_catalog, highlight=chosen)
    assert figure.layout.meta["exchanges_timeline"]["summarised"]
    (highlight,) = [t for t in figure.data if (t.meta or {}).get("layer") == "highlight"]
    assert list(highlight.customdata) == [chosen]
    assert event_labels(figure)[chosen].text.startswith("<b>")


def test_a_click_on_a_column_is_not_an_event():
    state = {"selection": {"points": [{"customdata": f"{ZOOM_PREFIX}1962-04-01:1962-04-30"},
                                      {"customdata": ["xinjiang-exodus-1962"]}]}}
    assert event_ids_from_selection(state) == ["xinjiang-exodus-1962"]
    assert parse_zoom(f"{ZOOM_PREFIX}1962-04-01:1962-04-30") == (dt.date(1962, 4, 1), dt.date(1962, 4, 30))
    assert parse_zoom("xinjiang-exodus-1962") is None and parse_zoom(f"{ZOOM_PREFIX}nonsense") is None


def test_zoom_windows_in_words():
    assert describe_days(dt.date(1962, 1, 1), dt.date(1962, 12, 31)) == "1962"
    assert describe_days(dt.date(1962, 4, 1), dt.date(1962, 4, 30)) == "April 1962"
    assert describe_days(dt.date(1960, 1, 1), dt.date(1969, 12, 31)) == "1960–1969"
    assert describe_days(dt.date(1962, 4, 2), dt.date(1962, 4, 8)) == "2 April 1962 – 8 April 1962"

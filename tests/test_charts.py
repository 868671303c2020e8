"""The chart builders: layers, markers, highlight, muting, broken axis, bars."""

from __future__ import annotations

import datetime as dt
import math

import plotly.graph_objects as go
import pytest

from exchanges.charts.labels import date_label, describe_event, uncertainty_end
from exchanges.charts.map_figure import META_KEY, build_map_figure, locate_events, marker_size
from exchanges.charts.map_layout import Projector, place_markers
from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE, MapView, fit_view, with_aspect
from exchanges.charts.timeline_figure import CHINESE_SIDE, SOVIET_SIDE, build_timeline_figure, find_eras, lane_of
from exchanges.models import Citation, Event

_DAY_MS = 86_400_000


def traces(figure: go.Figure, layer: str) -> list:
    return [t for t in figure.data if isinstance(t.meta, dict) and t.meta.get("layer") == layer]


def marker_ids(figure: go.Figure) -> list[str]:
    """Event ids of every event marker (type traces and the highlight)."""
    ids: list[str] = []
    for trace in [*traces(figure, "events"), *traces(figure, "highlight")]:
        ids += list(trace.customdata)
    return ids


# --------------------------------------------------------------------------- map


def test_map_has_context_layers_and_border_line(mini_catalog, mini_gazetteer):
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer)
    assert {t.meta["place"] for t in traces(figure, "country")} == {"north", "south"}
    assert [t.meta["place"] for t in traces(figure, "region")] == ["east-region"]
    borders = traces(figure, "border")
    assert len(borders) == 1
    border = borders[0]
    assert border.mode == "lines" and border.fill in (None, "none")
    points = [lon for lon in border.lon if lon is not None]
    assert len(points) >= 8  # every vertex of the frontier line
    for trace in traces(figure, "country") + traces(figure, "region"):
        assert trace.fill == "toself"


def test_every_placed_event_has_a_marker_per_place(mini_catalog, mini_gazetteer):
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer)
    ids = marker_ids(figure)
    for event in mini_catalog.events:
        known = [p for p in event.places if p in mini_gazetteer]
        assert ids.count(event.id) == len(known), event.id
    assert ids.count("ministry-letter") == 2  # Harbin and Moscow, same colour
    colours = {t.marker.color for t in traces(figure, "events") if "ministry-letter" in t.customdata}
    assert len(colours) == 1


def test_events_without_places_are_reported_not_dropped(mini_catalog, mini_gazetteer):
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer)
    meta = figure.layout.meta[META_KEY]
    assert meta["unplaced"] == ["unplaced-report"]
    assert meta["unknown_places"] == [["lost-place", "atlantis"]]
    notes = [a.text for a in figure.layout.annotations if a.name == "missing-places-note"]
    assert len(notes) == 1
    assert "1 event has no place" in notes[0] and "atlantis" in notes[0]
    locations = locate_events(mini_catalog.events, mini_gazetteer)
    assert {e.id for e in locations.missing} == {"unplaced-report", "lost-place"}


def test_missing_note_can_be_left_to_the_page(mini_catalog, mini_gazetteer):
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer, missing_note=False)
    assert not [a for a in figure.layout.annotations if a.name == "missing-places-note"]
    assert figure.layout.meta[META_KEY]["unplaced"] == ["unplaced-report"]


def test_highlighted_event_is_larger_with_an_outline(mini_catalog, mini_gazetteer):
    plain = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer)
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer, highlight="crossings")
    (highlight,) = traces(figure, "highlight")
    assert list(highlight.customdata) == ["crossings"]
    assert highlight.marker.line.width > DEFAULT_STYLE.marker_line_width
    assert highlight.marker.line.color == DEFAULT_STYLE.highlight_colour
    ordinary = next(t for t in traces(plain, "events") if "crossings" in t.customdata)
    size = ordinary.marker.size[list(ordinary.customdata).index("crossings")]
    assert highlight.marker.size > size
    # drawn once: not also among the ordinary markers
    assert marker_ids(figure).count("crossings") == 1
    assert figure.data[-1].meta["layer"] == "highlight"  # drawn on top of everything


def test_muted_events_are_faded(mini_catalog, mini_gazetteer):
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer, muted={"urumqi-talks"})
    for trace in traces(figure, "events"):
        for event_id, opacity in zip(trace.customdata, trace.marker.opacity, strict=True):
            expected = DEFAULT_STYLE.muted_opacity if event_id == "urumqi-talks" else DEFAULT_STYLE.marker_opacity
            assert opacity == pytest.approx(expected), event_id


def test_marker_size_grows_with_the_largest_figure(mini_catalog):
    sizes = {e.id: marker_size(e) for e in mini_catalog.events}
    assert sizes["urumqi-talks"] == DEFAULT_STYLE.marker_min_size  # no figure
    assert sizes["ministry-letter"] > sizes["urumqi-talks"]  # 40 families
    assert sizes["crossings"] > sizes["ministry-letter"]  # 5,000 people
    assert sizes["crossings"] <= DEFAULT_STYLE.marker_max_size


def test_hover_text_is_escaped(mini_catalog, mini_gazetteer):
    event = mini_catalog.event("urumqi-talks").model_copy(update={"title": "<script>alert(1)</script>"})
    figure = build_map_figure([event], mini_catalog, mini_gazetteer)
    hover = " ".join(h for t in traces(figure, "events") for h in t.hovertext)
    assert "<script>" not in hover and "&lt;script&gt;" in hover


def test_markers_sharing_a_place_do_not_overlap(mini_catalog, mini_gazetteer):
    base = mini_catalog.event("urumqi-talks")
    crowd = [base.model_copy(update={"id": f"talk-{i}"}) for i in range(6)]
    view = MapView((60.0, 140.0), (20.0, 60.0))
    figure = build_map_figure(crowd, mini_catalog, mini_gazetteer, view=view)
    (trace,) = traces(figure, "events")
    projector = Projector.for_view(view, DEFAULT_STYLE.map_width_hint)
    points = [projector.to_px(lon, lat) for lon, lat in zip(trace.lon, trace.lat, strict=True)]
    size = DEFAULT_STYLE.marker_min_size
    for i, a in enumerate(points):
        for b in points[i + 1 :]:
            assert math.dist(a, b) >= size - 1e-6
    # ...and they stay near Urumqi
    assert all(abs(lon - 87.6) < 5 and abs(lat - 43.8) < 5 for lon, lat in zip(trace.lon, trace.lat, strict=True))


def test_place_markers_keeps_a_lone_marker_in_place():
    projector = Projector.for_view(MapView((0.0, 100.0), (0.0, 50.0)), 800)
    assert place_markers([(10.0, 20.0)], [12.0], projector) == [pytest.approx((10.0, 20.0))]


def test_map_geo_layout_uses_the_view_and_hides_modern_borders(mini_catalog, mini_gazetteer):
    view = MapView((70.0, 130.0), (30.0, 55.0))
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer, view=view, title="T")
    geo = figure.layout.geo
    assert tuple(geo.lonaxis.range) == view.lon_range and tuple(geo.lataxis.range) == view.lat_range
    assert geo.showcountries is False and geo.showland is True
    assert figure.layout.title.text == "T"


def test_projector_style_is_bigger(mini_catalog, mini_gazetteer):
    screen = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer)
    projector = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer, style=PROJECTOR_STYLE)
    assert projector.layout.font.size > screen.layout.font.size
    assert max(traces(projector, "events")[0].marker.size) > max(traces(screen, "events")[0].marker.size)


def test_fit_view_frames_points_and_keeps_a_minimum_span():
    view = fit_view([(80.0, 40.0), (120.0, 45.0)])
    assert view.lon_range[0] < 80 < 120 < view.lon_range[1]
    assert view.lat_range[0] < 40 < 45 < view.lat_range[1]
    single = fit_view([(100.0, 40.0)])
    assert single.lon_range[1] - single.lon_range[0] >= 24
    widened = with_aspect(MapView((0.0, 100.0), (0.0, 10.0)), 2.0)
    assert widened.lon_range == (0.0, 100.0) and widened.lat_range[1] - widened.lat_range[0] > 40


def test_shipped_map_shows_every_placed_event(shipped_catalog, shipped_gazetteer):
    figure = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer)
    ids = set(marker_ids(figure))
    meta = figure.layout.meta[META_KEY]
    for event in shipped_catalog.events:
        assert (event.id in ids) != (event.id in meta["unplaced"]), event.id
    border = traces(figure, "border")
    assert border and sum(lon is not None for lon in border[0].lon) >= 50


# --------------------------------------------------------------------------- timeline


def test_eras_come_from_gaps_in_the_data(mini_catalog, shipped_catalog):
    eras = find_eras(mini_catalog.events)
    assert len(eras) == 2
    assert eras[0].start.year == 1950 and eras[1].start.year == 1960
    assert set(eras[0].event_ids) == {"ministry-letter", "embassy-answer"}
    shipped = find_eras(shipped_catalog.events)
    years = [(era.start.year, era.end.year) for era in shipped]
    assert any(start <= 1952 <= end for start, end in years)
    assert any(start <= 1962 <= end for start, end in years)
    assert not any(start <= 1952 and 1962 <= end for start, end in years)  # never one long axis


def test_one_era_when_there_is_no_gap(mini_catalog):
    events = [e for e in mini_catalog.events if e.date.year == 1960]
    assert len(find_eras(events)) == 1


def test_timeline_breaks_the_axis_into_panels(mini_catalog):
    figure = build_timeline_figure(mini_catalog.events, mini_catalog)
    axes = [name for name in figure.layout if name.startswith("xaxis")]
    assert len(axes) == 2
    ranges = [figure.layout[name].range for name in sorted(axes)]
    first_end = dt.date.fromisoformat(str(ranges[0][1])[:10])
    second_start = dt.date.fromisoformat(str(ranges[1][0])[:10])
    assert first_end.year == 1950 and second_start.year == 1960
    assert any(a.name == "axis-break" for a in figure.layout.annotations)


def test_shipped_timeline_has_a_panel_per_cluster(shipped_catalog):
    figure = build_timeline_figure(shipped_catalog.events, shipped_catalog)
    axes = [name for name in figure.layout if name.startswith("xaxis")]
    assert len(axes) >= 2
    assert len(axes) == len(figure.layout.meta["exchanges_timeline"]["eras"])


def test_span_bars_cover_their_dates(mini_catalog):
    figure = build_timeline_figure(mini_catalog.events, mini_catalog)
    bars = {}
    for trace in traces(figure, "bars"):
        for event_id, base, width in zip(trace.customdata, trace.base, trace.x, strict=True):
            bars[event_id] = (dt.date.fromisoformat(base), width)
    start, width = bars["crossings"]
    assert start == dt.date(1960, 6, 1)
    assert width == ((dt.date(1960, 8, 31) - dt.date(1960, 6, 1)).days + 1) * _DAY_MS
    # a month-precision date is drawn over its month
    start, width = bars["embassy-answer"]
    assert start == dt.date(1950, 4, 1) and width == 30 * _DAY_MS
    # a day-precision event is a marker, not a bar
    assert "urumqi-talks" not in bars


def test_imprecise_dates_are_hatched_and_explained(mini_catalog):
    figure = build_timeline_figure(mini_catalog.events, mini_catalog)
    for trace in traces(figure, "bars"):
        shapes = list(trace.marker.pattern.shape)
        for event_id, shape in zip(trace.customdata, shapes, strict=True):
            precise = mini_catalog.event(event_id).date_precision.value == "day"
            assert (shape == "") == precise, event_id
    legend = [t.name for t in figure.data if t.legendgroup == "precision"]
    assert any("window" in name for name in legend)


def test_every_timeline_event_is_clickable(mini_catalog):
    figure = build_timeline_figure(mini_catalog.events, mini_catalog)
    ids = set()
    for trace in figure.data:
        if isinstance(trace.meta, dict) and trace.meta.get("layer") in ("events", "bars", "highlight"):
            ids |= set(trace.customdata)
    assert ids == {e.id for e in mini_catalog.events}


def test_timeline_highlight_and_arrow(mini_catalog):
    figure = build_timeline_figure(mini_catalog.events, mini_catalog, highlight="urumqi-talks")
    (highlight,) = traces(figure, "highlight")
    assert list(highlight.customdata) == ["urumqi-talks"]
    assert highlight.marker.line.width == DEFAULT_STYLE.highlight_line_width
    arrows = [a for a in figure.layout.annotations if (a.name or "").startswith("exchange:")]
    assert [a.name for a in arrows] == ["exchange:urumqi-talks"]  # Soviet sender, Chinese recipient
    assert arrows[0].ay != arrows[0].y
    assert traces(figure, "exchange-lines")


def test_timeline_muted_opacity(mini_catalog):
    figure = build_timeline_figure(mini_catalog.events, mini_catalog, muted={"urumqi-talks"})
    for trace in traces(figure, "events"):
        for event_id, opacity in zip(trace.customdata, trace.marker.opacity, strict=True):
            assert (opacity == pytest.approx(DEFAULT_STYLE.muted_opacity)) == (event_id == "urumqi-talks")


def test_lanes_by_side_and_by_type(mini_catalog):
    assert lane_of(mini_catalog.event("ministry-letter"), mini_catalog) == SOVIET_SIDE
    assert lane_of(mini_catalog.event("crossings"), mini_catalog) == CHINESE_SIDE  # from the people involved
    by_type = build_timeline_figure(mini_catalog.events, mini_catalog, lanes="type")
    assert "Talk" in by_type.layout.meta["exchanges_timeline"]["lanes"]
    assert not traces(by_type, "exchange-lines")


def test_empty_timeline_says_so(mini_catalog):
    figure = build_timeline_figure([], mini_catalog)
    assert "No events" in figure.layout.annotations[0].text


def test_long_span_counts_by_its_end_and_enters_from_the_left(mini_catalog):
    long = Event(
        id="long-span", title="Three years of crossings", date=dt.date(1957, 1, 1), end_date=dt.date(1960, 7, 1),
        date_precision="month", event_type="border_crossing", summary="s.",
        source=Citation(document="doc-b", passage="crossed the border"),
    )
    events = [*mini_catalog.events, long]
    eras = find_eras(events)
    assert len(eras) == 2 and "long-span" in eras[1].event_ids
    figure = build_timeline_figure(events, mini_catalog)
    assert any(a.name == "clipped:long-span" for a in figure.layout.annotations)


# --------------------------------------------------------------------------- labels


def test_labels_and_uncertainty_windows(mini_catalog, mini_gazetteer):
    answer = mini_catalog.event("embassy-answer")
    assert uncertainty_end(answer) == dt.date(1950, 4, 30)
    assert date_label(answer) == "April 1950"
    details = describe_event(mini_catalog.event("lost-place"), mini_catalog, mini_gazetteer)
    assert details.places == ("atlantis (not in the gazetteer)",)
    letter = describe_event(mini_catalog.event("ministry-letter"), mini_catalog, mini_gazetteer)
    assert letter.exchange == "The Ministry → The Embassy"
    assert "Archive A, file 1" in letter.citation and "A-1" in letter.citation

"""The chart builders: layers, markers, highlight, muting, broken axis, bars."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import replace

import plotly.graph_objects as go
import pytest

from exchanges.charts.labels import bound_phrase, date_label, describe_event, short_date, uncertainty_end
from exchanges.charts.map_figure import META_KEY, build_map_figure, locate_events, marker_size
from exchanges.charts.map_layout import LabelRequest, Projector, place_labels, place_markers, view_box
from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE, MapView, fit_view, with_aspect
from exchanges.charts.timeline_figure import CHINESE_SIDE, SOVIET_SIDE, build_timeline_figure, find_eras, lane_of
from exchanges.models import Citation, Event
from charts_drawn import PLOTLY_SYMBOL_REACH, drawn_labels, names_clear_of_markers

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


# A date label "15 Apr<br>1962": its widest line, at the tick font's size, takes at most this share of it per
# character (digits and letters of sans-serif fonts are narrower).
TICK_CHAR_WIDTH = 0.6


def _panels(figure: go.Figure) -> list:
    return [figure.layout[name] for name in sorted(n for n in figure.layout if n.startswith("xaxis"))]


def _check_date_ticks(figure: go.Figure, width: float, style) -> None:
    """Every panel's tick labels differ, and fit side by side at ``width`` px for the figure."""
    lanes = figure.layout.yaxis.ticktext
    lane_names = max(len(t.replace("<b>", "").replace("</b>", "")) for t in lanes) * style.font(0.95)["size"] * 0.62
    plot = width - 20 - lane_names
    font = style.font(0.9)["size"]
    for axis in _panels(figure):
        assert axis.tickmode == "array"  # a narrow panel may have none: its era's title names it
        labels = list(axis.ticktext or ())
        assert len(set(labels)) == len(labels), labels
        start, end = (dt.date.fromisoformat(str(v)[:10]) for v in axis.range)
        per_day = plot * (axis.domain[1] - axis.domain[0]) / (end - start).days
        days = [dt.date.fromisoformat(v) for v in axis.tickvals or ()]
        lines = [line for label in labels for line in label.split("<br>")]
        widest = max((len(line) for line in lines), default=0) * font * TICK_CHAR_WIDTH
        for a, b in itertools.pairwise(days):
            assert (b - a).days * per_day >= widest, (labels, width)


@pytest.mark.parametrize(
    ("style", "width"),
    [(DEFAULT_STYLE, w) for w in (420, 560, 700, 900, 1400)] + [(PROJECTOR_STYLE, w) for w in (700, 930, 1400, 1920)],
    ids=lambda v: getattr(v, "name", v),
)
@pytest.mark.parametrize("years", [(1947, 1962), (1962, 1962), (1951, 1952)], ids=str)
def test_date_labels_never_repeat_and_fit_the_panel(shipped_catalog, width, years, style):
    """A narrow timeline (the present page's or the explore page's, ~700 px) gets
    fewer ticks, never "Apr 1962, Apr 1962, May 1962" or labels on top of each other."""
    events = [e for e in shipped_catalog.events if years[0] <= e.date.year <= years[1]]
    figure = build_timeline_figure(events, shipped_catalog, style=replace(style, timeline_width_hint=width))
    _check_date_ticks(figure, width, style)
    assert sum(len(axis.tickvals) for axis in _panels(figure)) >= 2


def test_date_ticks_for_a_few_months():
    from exchanges.charts.date_ticks import panel_ticks

    start, end = dt.date(1962, 4, 1), dt.date(1962, 8, 31)
    days, labels = panel_ticks(start, end, 700, 12)
    assert labels[:2] == ["15 Apr<br>1962", "1 May<br>1962"]  # days: more than one a month
    assert len(set(labels)) == len(labels) == len(days) > 5
    months, month_labels = panel_ticks(start, end, 250, 12)
    assert month_labels == ["May<br>1962", "Jun<br>1962", "Jul<br>1962", "Aug<br>1962"]
    assert all(d.day == 1 for d in months)
    # A label is centred on its tick: none sticks out of the panel (1 April is on its left edge).
    assert panel_ticks(start, end, 250, 12, overhang=(20, 0))[1][0] == "Apr<br>1962"
    years, year_labels = panel_ticks(dt.date(1940, 1, 1), dt.date(1970, 1, 1), 300, 12)
    assert year_labels == ["1945", "1950", "1955", "1960", "1965"]


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


# --------------------------------------------------------------------------- "on or before" dates


def _latest_bound(event: Event, **changes) -> Event:
    """``event`` as dated only by a latest date (validated like a data file's row)."""
    return Event.model_validate({**event.model_dump(), "date_bound": "by", "date_label": None, **changes})


def test_a_latest_bound_is_worded_on_or_before(mini_catalog, mini_gazetteer):
    talks = _latest_bound(mini_catalog.event("urumqi-talks"))
    assert date_label(talks) == "On or before 2 May 1960"
    assert bound_phrase(talks) == "on or before 2 May 1960"
    details = describe_event(talks, mini_catalog, mini_gazetteer)
    assert details.bound == "on or before 2 May 1960"
    assert "latest date" in details.precision and "on or before 2 May 1960" in details.precision
    assert "Dated to the day" not in details.precision
    # a span whose start is only bounded
    crossings = _latest_bound(mini_catalog.event("crossings"))
    assert date_label(crossings) == "Began on or before June 1960, lasted to August 1960"
    assert "latest start" in describe_event(crossings, mini_catalog, mini_gazetteer).precision
    # the source's own wording wins, but the card still says it is a bound
    worded = _latest_bound(mini_catalog.event("urumqi-talks"), date_label="By 2 May 1960 (no date given)")
    assert date_label(worded) == "By 2 May 1960 (no date given)"
    assert describe_event(worded, mini_catalog, mini_gazetteer).bound == "on or before 2 May 1960"
    # an ordinary event has no bound
    plain = describe_event(mini_catalog.event("urumqi-talks"), mini_catalog, mini_gazetteer)
    assert plain.bound is None and plain.precision == "Dated to the day"


def test_detail_card_says_on_or_before(mini_catalog, mini_gazetteer):
    from components.detail_card import detail_card_markdown

    talks = _latest_bound(mini_catalog.event("urumqi-talks"), date_label="By 2 May 1960")
    card = detail_card_markdown(describe_event(talks, mini_catalog, mini_gazetteer))
    assert "on or before 2 May 1960" in card


def test_timeline_draws_a_latest_bound_fading_out_to_the_left(mini_catalog):
    bounded = _latest_bound(mini_catalog.event("urumqi-talks"))
    events = [bounded if e.id == bounded.id else e for e in mini_catalog.events]
    figure = build_timeline_figure(events, mini_catalog)
    (fade,) = traces(figure, "bound-fades")
    assert fade.meta["event"] == "urumqi-talks"
    xs = [dt.date.fromisoformat(x) for x in fade.x]
    assert max(xs) == bounded.date and min(xs) < bounded.date  # ends at the bound, reaches back
    colours = [stop[1] for stop in fade.fillgradient.colorscale]
    assert colours[0].endswith(",0)") and not colours[-1].endswith(",0)")  # transparent on the left
    legend = [t.name for t in figure.data if t.legendgroup == "precision"]
    assert any("On or before" in name for name in legend)
    # its marker says so on hover
    hovers = {
        event_id: text
        for trace in traces(figure, "events")
        for event_id, text in zip(trace.customdata, trace.hovertext, strict=True)
    }
    assert "on or before 2 May 1960" in hovers["urumqi-talks"]
    assert "on or before" not in hovers["ministry-letter"]
    # without such events, no fade and no legend entry
    plain = build_timeline_figure(mini_catalog.events, mini_catalog)
    assert not traces(plain, "bound-fades")
    assert not any("On or before" in (t.name or "") for t in plain.data)


def test_fading_band_takes_room_in_its_row(mini_catalog):
    """An "on or before" event's band must not run under a neighbour's marker."""
    letter = mini_catalog.event("ministry-letter")
    late = _latest_bound(letter, id="late-letter", date=letter.date + dt.timedelta(days=12))
    figure = build_timeline_figure([letter, late], mini_catalog)
    rows = {}
    for trace in traces(figure, "events"):
        rows.update(zip(trace.customdata, trace.y, strict=True))
    assert rows["late-letter"] != rows["ministry-letter"]


def test_map_hover_says_on_or_before(mini_catalog, mini_gazetteer):
    bounded = _latest_bound(mini_catalog.event("urumqi-talks"))
    figure = build_map_figure([bounded], mini_catalog, mini_gazetteer)
    (trace,) = traces(figure, "events")
    assert "on or before 2 May 1960" in trace.hovertext[0]
    assert "Urumqi" in trace.hovertext[0]


def test_shipped_latest_bounds_are_drawn(shipped_catalog):
    bounded = {e.id for e in shipped_catalog.events if e.date_bound.value == "by"}
    assert bounded  # the data marks some
    figure = build_timeline_figure(shipped_catalog.events, shipped_catalog)
    assert {t.meta["event"] for t in traces(figure, "bound-fades")} == bounded


# --------------------------------------------------------------------------- legends


def _legend_types(figure: go.Figure) -> set[str]:
    return {
        t.meta["event_type"]
        for t in figure.data
        if isinstance(t.meta, dict) and "event_type" in t.meta and t.showlegend is not False
    }


@pytest.mark.parametrize("chart", ["map", "timeline"])
def test_legend_names_the_type_of_a_highlighted_event_alone_in_its_type(chart, mini_catalog, mini_gazetteer):
    """urumqi-talks is the only talk: selecting it must not drop "Talk" from the legend."""
    def build(highlight):
        if chart == "map":
            return build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer, highlight=highlight)
        return build_timeline_figure(mini_catalog.events, mini_catalog, highlight=highlight)

    assert [e.id for e in mini_catalog.events if e.event_type.value == "talk"] == ["urumqi-talks"]
    plain, selected = build(None), build("urumqi-talks")
    assert "talk" in _legend_types(plain)
    assert _legend_types(selected) == _legend_types(plain)
    (key,) = [t for t in selected.data if (t.meta or {}).get("layer") == "legend-key"
              and (t.meta or {}).get("event_type") == "talk"]
    assert key.name == "Talk" and not [v for v in (key.x if chart == "timeline" else key.lon) if v is not None]


def _legend_entries(figure: go.Figure) -> dict[str, list]:
    """Event type -> the traces drawn in the legend for it."""
    entries: dict[str, list] = {}
    for trace in figure.data:
        meta = trace.meta if isinstance(trace.meta, dict) else {}
        if "event_type" in meta and trace.showlegend is not False:
            entries.setdefault(meta["event_type"], []).append(trace)
    return entries


@pytest.mark.parametrize("chart", ["map", "timeline"])
def test_a_muted_event_does_not_fade_its_types_legend_key(chart, mini_catalog, mini_gazetteer):
    """The legend draws a trace's first point: a faded (earlier, muted) event must not fade its type's key."""
    muted = {e.id for e in mini_catalog.events}  # every event faded: every first point is a muted one
    if chart == "map":
        figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer, muted=muted,
                                  highlight="urumqi-talks")
    else:
        figure = build_timeline_figure(mini_catalog.events, mini_catalog, muted=muted, highlight="urumqi-talks")
    entries = _legend_entries(figure)
    assert set(entries) == {e.event_type.value for e in mini_catalog.events if chart == "timeline" or any(
        p in mini_gazetteer for p in e.places)}
    for event_type, keys in entries.items():
        (key,) = keys  # one entry a type
        assert key.marker.opacity == 1.0, event_type
        assert not [v for v in (key.x if chart == "timeline" else key.lon) if v is not None]  # no point of its own
    faded = [t for t in figure.data if (t.meta or {}).get("layer") == "events"]
    assert faded and all(t.showlegend is False for t in faded)


# --------------------------------------------------------------------------- outlines


def test_a_countrys_hole_is_not_drawn_as_a_ring(mini_catalog, mini_gazetteer, tmp_path):
    """A filled outline gets its outer rings only: a hole (Natural Earth's Baikonur lease in the USSR) would
    be drawn as one more small outlined shape, a stray ring by the Aral Sea."""
    import json

    from exchanges.gazetteer import Gazetteer, Place

    outer = [[60, 40], [70, 40], [70, 50], [60, 50], [60, 40]]
    hole = [[63, 45], [64, 45], [64, 46], [63, 46], [63, 45]]
    island = [[80, 40], [81, 40], [81, 41], [80, 40]]
    geometry = {"type": "MultiPolygon", "coordinates": [[outer, hole], [island]]}
    (tmp_path / "holed.geojson").write_text(json.dumps(geometry), encoding="utf-8")
    holed = Place(id="holed", name="Holed", kind="country", lat=45.0, lon=65.0, country="USSR", source="test",
                  geometry="holed.geojson")
    gazetteer = Gazetteer([holed, *[p for p in mini_gazetteer if p.kind == "city"]], geometry_dir=tmp_path)
    (country,) = traces(build_map_figure([], mini_catalog, gazetteer), "country")
    rings = _rings_of(country)
    assert sorted(len(ring) for ring in rings) == [4, 5]  # the outer ring and the island
    assert all(point not in hole for ring in rings for point in ring)


def _rings_of(trace) -> list[list[list[float]]]:
    rings: list[list[list[float]]] = [[]]
    for lon, lat in zip(trace.lon, trace.lat, strict=True):
        if lon is None:
            rings.append([])
        else:
            rings[-1].append([lon, lat])
    return [ring for ring in rings if ring]


def test_no_stray_ring_by_the_aral_sea(shipped_catalog, shipped_gazetteer):
    """Every map of the shipped data: no closed outline lies wholly by the Aral Sea (58-65 E, 43-47 N)."""
    figure = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer)
    for trace in figure.data:
        if (trace.meta or {}).get("layer") in ("country", "region", "border"):
            for ring in _rings_of(trace):
                lons, lats = [p[0] for p in ring], [p[1] for p in ring]
                assert not (58 <= min(lons) and max(lons) <= 65 and 43 <= min(lats) and max(lats) <= 47), (
                    trace.meta, min(lons), min(lats))
    aral = [t for t in figure.data if (t.meta or {}).get("layer") in ("events", "highlight")
            and any(lon is not None and 58 <= lon <= 65 for lon in t.lon)]
    assert not aral  # nor an event marker there


# --------------------------------------------------------------------------- names on the map

def _widths(style) -> list[float]:
    low, high = style.map_width_range
    return [low + (high - low) * i / 8 for i in range(9)]


#: The explore page's map, from a 1280 px screen to the widest it gets; a slide's map (an export lays it out
#: for its exact width).
EVERY_EVENT_STYLES = [DEFAULT_STYLE, replace(PROJECTOR_STYLE, map_width_hint=1500, map_width_max=1500)]


@pytest.mark.parametrize("style", EVERY_EVENT_STYLES, ids=lambda s: s.name)
@pytest.mark.parametrize("highlight", [None, "soviet-statement-1962-08-10", "gromyko-letter-1952-01-07"])
def test_place_names_stay_clear_of_markers_and_inside_the_map(shipped_catalog, shipped_gazetteer, style, highlight):
    figure = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer, highlight=highlight,
                              style=style)
    names = {name for name, _ in drawn_labels(figure, Projector.for_view(MapView((0, 1), (0, 1)), 100))}
    # Every place with markers is named (Beijing and the PRC share a spot), and the regions drawn.
    assert len(names) == len({_spot_of(p) for e in shipped_catalog.events for p in e.places if p in shipped_gazetteer}
                             | {"xinjiang", "manchuria"})
    names_clear_of_markers(figure, _widths(style))


def _spot_of(place_id: str) -> str:
    return "beijing" if place_id == "prc" else place_id


def test_a_name_with_no_room_near_its_markers_is_left_out():
    """A name is never drawn far from its markers or on another event: a crowd too dense leaves it out."""
    view = MapView((0.0, 100.0), (-20.0, 20.0))
    projector = Projector.for_view(view, 1000)  # 10 px a degree
    request = LabelRequest((50.0, 0.0), "Urumqi", 12, (10.0, 10.0, 10.0, 10.0))
    [alone] = place_labels([request], [(50.0, 0.0, 10.0)], [projector], view=view)
    assert alone is not None and alone.textposition == "bottom center" and 10 < alone.offset < 20
    crowd = [(lon, lat, 10.0) for lon in range(40, 61, 2) for lat in range(-6, 7, 2)]
    assert place_labels([request], crowd, [projector], view=view) == [None]


@pytest.mark.parametrize("step", range(1, 14))
def test_names_clear_the_enlarged_marker_on_a_slide_at_any_width(shipped_catalog, shipped_gazetteer, step):
    """The Xinjiang tour's steps as the present page shows them (a squarer map,
    large type, the step's event enlarged): "Sino-Soviet border in Xinjiang"
    and "Xinjiang" keep off the enlarged ✕ from the narrowest map to the widest."""
    from exchanges.tours import load_tours, step_state

    tours, _ = load_tours(shipped_catalog, shipped_gazetteer)
    state = step_state(tours["xinjiang-1962"], step, shipped_catalog, shipped_gazetteer)
    style = replace(PROJECTOR_STYLE, map_aspect=1.3)
    view = with_aspect(state.view, style.map_aspect) if state.view is not None else None
    figure = build_map_figure(state.shown, shipped_catalog, shipped_gazetteer, highlight=state.event.id,
                              muted=state.muted, view=view, style=style)
    names_clear_of_markers(figure, _widths(style))


def test_a_name_is_offset_in_pixels_not_degrees(mini_catalog, mini_gazetteer):
    """The same layout drawn wider keeps each name as many px from its place."""
    event = mini_catalog.event("urumqi-talks")
    figure = build_map_figure([event], mini_catalog, mini_gazetteer, highlight=event.id)
    (label,) = [t for t in traces(figure, "place-labels") if "Urumqi" in t.text]
    assert "markers" in label.mode and label.marker.color == "rgba(0,0,0,0)"
    (highlight,) = traces(figure, "highlight")
    # drawn at the marker itself, pushed off by its (invisible) marker
    assert (label.lon[0], label.lat[0]) == pytest.approx((highlight.lon[0], highlight.lat[0]), abs=1e-6)
    reach = PLOTLY_SYMBOL_REACH[highlight.marker.symbol] * highlight.marker.size / 2
    assert label.marker.size[0] / 2 / 0.8 + 1 > reach + highlight.marker.line.width / 2


def test_labels_do_not_move_when_an_event_is_selected(shipped_catalog, shipped_gazetteer):
    def label_positions(highlight):
        figure = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer, highlight=highlight)
        return [(tuple(t.lon), tuple(t.textposition)) for t in traces(figure, "place-labels")]

    assert label_positions(None) == label_positions("soviet-statement-1962-08-10")


def test_short_dates_for_lists(mini_catalog):
    assert short_date(mini_catalog.event("urumqi-talks")) == "2 May 1960"
    assert short_date(mini_catalog.event("embassy-answer")) == "Apr 1950"
    assert short_date(mini_catalog.event("crossings")) == "Jun 1960 – Aug 1960"
    assert short_date(_latest_bound(mini_catalog.event("urumqi-talks"))) == "by 2 May 1960"
    late = _latest_bound(mini_catalog.event("urumqi-talks"), date=dt.date(1960, 4, 16), date_precision="half_month")
    assert short_date(late) == "by late Apr 1960"
    season = Event.model_validate(
        {**mini_catalog.event("crossings").model_dump(), "date_precision": "season",
         "date": dt.date(1952, 3, 1), "end_date": dt.date(1952, 8, 31)}
    )
    assert short_date(season) == "Mar 1952 – Aug 1952"
    assert short_date(season.model_copy(update={"end_date": None})) == "from Mar 1952"

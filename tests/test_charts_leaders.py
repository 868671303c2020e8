"""The map's place anchors and leader lines: a marker pushed off its place by a
crowd is joined to a dot at the place's true point."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from exchanges.charts.map_figure import build_map_figure
from exchanges.charts.style import MapView
from components.selection import event_ids_from_selection


def _layer(figure: go.Figure, layer: str) -> list:
    return [t for t in figure.data if isinstance(t.meta, dict) and t.meta.get("layer") == layer]


def _event_points(figure: go.Figure) -> list[tuple[str, float, float]]:
    points = []
    for trace in [*_layer(figure, "events"), *_layer(figure, "highlight")]:
        points += list(zip(trace.customdata, trace.lon, trace.lat, strict=True))
    return points


def _segments(trace) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The leader trace's lines, split at its ``None`` gaps; each is two points."""
    segments, current = [], []
    for lon, lat in zip(trace.lon, trace.lat, strict=True):
        if lon is None:
            segments.append(tuple(current))
            current = []
        else:
            current.append((lon, lat))
    if current:
        segments.append(tuple(current))
    return segments


@pytest.fixture
def crowd(mini_catalog):
    """Six events at Urumqi and one at each place the mini catalogue's first events name."""
    base = mini_catalog.event("urumqi-talks")
    return [base.model_copy(update={"id": f"talk-{i}"}) for i in range(6)] + list(mini_catalog.events)


@pytest.mark.parametrize("highlight", [None, "talk-3"])
def test_every_displaced_marker_leads_to_its_place(crowd, mini_catalog, mini_gazetteer, highlight):
    view = MapView((60.0, 140.0), (20.0, 60.0))
    figure = build_map_figure(crowd, mini_catalog, mini_gazetteer, view=view, highlight=highlight)
    by_id = {event.id: event for event in crowd}
    (anchors,) = _layer(figure, "place-anchors")
    (leaders,) = _layer(figure, "leaders")
    anchor_at = dict(zip(anchors.meta["places"], zip(anchors.lon, anchors.lat, strict=True), strict=True))
    # one anchor per place that has events, at the place's own point
    placed = {p for e in crowd for p in e.places if mini_gazetteer.get(p) is not None}
    assert set(anchor_at) == placed and len(anchors.lon) == len(placed)
    for place_id, (lon, lat) in anchor_at.items():
        place = mini_gazetteer.get(place_id)
        assert (lon, lat) == pytest.approx((float(place.lon), float(place.lat)))
    segments = _segments(leaders)
    assert all(len(segment) == 2 for segment in segments)
    displaced = 0
    for event_id, lon, lat in _event_points(figure):
        places = [anchor_at[p] for p in by_id[event_id].places if p in anchor_at]
        if any((lon, lat) == pytest.approx(point) for point in places):
            continue  # at its place: no leader needed
        displaced += 1
        assert any(
            segment[0] == pytest.approx((lon, lat)) and any(segment[1] == pytest.approx(p) for p in places)
            for segment in segments
        ), event_id
    assert displaced >= 5  # the crowd at Urumqi was spread
    assert len(segments) == displaced  # no stray lines


def test_anchors_and_leaders_are_not_events(crowd, mini_catalog, mini_gazetteer):
    figure = build_map_figure(crowd, mini_catalog, mini_gazetteer)
    (anchors,) = _layer(figure, "place-anchors")
    (leaders,) = _layer(figure, "leaders")
    for trace in (anchors, leaders):
        assert trace.customdata is None and not trace.showlegend
    assert leaders.hoverinfo == "skip" and leaders.mode == "lines"
    assert all(name in {p.name for p in mini_gazetteer} for name in anchors.hovertext)
    # a click on an anchor gives no event back
    state = {"selection": {"points": [{"curve_number": figure.data.index(anchors), "point_index": 0}]}}
    assert event_ids_from_selection(state) == []
    # both lie under the event markers, so those stay on top and clickable
    order = [(t.meta or {}).get("layer") for t in figure.data]
    first_event = order.index("events")
    assert order.index("place-anchors") < first_event and order.index("leaders") < first_event


def test_a_lone_marker_needs_no_leader(mini_catalog, mini_gazetteer):
    event = mini_catalog.event("urumqi-talks")
    figure = build_map_figure([event], mini_catalog, mini_gazetteer)
    assert not _layer(figure, "leaders")
    (anchors,) = _layer(figure, "place-anchors")
    assert len(anchors.lon) == len(event.places)

"""The chart builders: layers, markers, highlight, muting, broken axis, bars."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go

from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE
from exchanges.mapping import MapView, fit_view, with_aspect


def traces(figure: go.Figure, layer: str) -> list:
    return [t for t in figure.data if isinstance(t.meta, dict) and t.meta.get("layer") == layer]


def marker_ids(figure: go.Figure) -> list[str]:
    """Event ids of every event marker (type traces and the highlight)."""
    ids: list[str] = []
    for trace in [*traces(figure, "events"), *traces(figure, "highlight")]:
        ids += list(trace.customdata)
    return ids


# --------------------------------------------------------------------------- map


























def test_fit_view_frames_points_and_keeps_a_minimum_span():
    view = fit_view([(80.0, 40.0), (120.0, 45.0)])
    assert view.lon_range[0] < 80 < 120 < view.lon_range[1]
    assert view.lat_range[0] < 40 < 45 < view.lat_range[1]
    single = fit_view([(100.0, 40.0)])
    assert single.lon_range[1] - single.lon_range[0] >= 24
    widened = with_aspect(MapView((0.0, 100.0), (0.0, 10.0)), 2.0)
    assert widened.lon_range == (0.0, 100.0) and widened.lat_range[1] - widened.lat_range[0] > 40




# --------------------------------------------------------------------------- outlines




def _rings_of(trace) -> list[list[list[float]]]:
    rings: list[list[list[float]]] = [[]]
    for lon, lat in zip(trace.lon, trace.lat, strict=True):
        if lon is None:
            rings.append([])
        else:
            rings[-1].append([lon, lat])
    return [ring for ring in rings if ring]




# --------------------------------------------------------------------------- names on the map

def _widths(style) -> list[float]:
    low, high = style.map_width_range
    return [low + (high - low) * i / 8 for i in range(9)]


#: The explore page's map, from a 1280 px screen to the widest it gets; a slide's map (an export lays it out
#: for its exact width).
EVERY_EVENT_STYLES = [DEFAULT_STYLE, replace(PROJECTOR_STYLE, map_width_hint=1500, map_width_max=1500)]




def _spot_of(place_id: str) -> str:
    return "beijing" if place_id == "prc" else place_id











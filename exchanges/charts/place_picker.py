"""A map to click a place on, offline: a grid of nearly invisible points to select.

A Plotly geo map reports clicks on its points only, not on bare land, so the
map is covered with a grid of points (every :data:`GRID_STEP` degrees around a
centre); a click selects the nearest one and :func:`clicked_point` reads its
latitude and longitude back from Streamlit's selection event. The grid is
(2 * span / step)² points: 9,409 for the default ±12°.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

GRID_STEP = 0.25
GRID_SPAN = 12.0


def click_grid_figure(center: tuple[float, float], *, span: float = GRID_SPAN, step: float = GRID_STEP) -> go.Figure:
    """A geo map around ``center`` (lat, lon) whose every ``step``-degree point can be clicked."""
    lat0, lon0 = center
    lats = np.arange(max(lat0 - span, -85.0), min(lat0 + span, 85.0) + step / 2, step)
    lons = np.arange(max(lon0 - span, -180.0), min(lon0 + span, 180.0) + step / 2, step)
    grid_lon, grid_lat = np.meshgrid(lons, lats)
    figure = go.Figure(go.Scattergeo(
        lat=np.round(grid_lat.ravel(), 4), lon=np.round(grid_lon.ravel(), 4), mode="markers",
        marker={"size": 6, "color": "rgba(0,114,178,0.02)"}, hovertemplate="%{lat:.2f}°N, %{lon:.2f}°E<extra></extra>",
        selected={"marker": {"color": "#D55E00", "size": 14, "opacity": 1}},
        unselected={"marker": {"opacity": 0.02}}, name="click",
    ))
    figure.update_geos(
        projection_type="mercator", showcountries=True, showland=True, landcolor="#f2efe6", showrivers=True,
        showlakes=True, resolution=50, lonaxis_range=[lons[0], lons[-1]], lataxis_range=[lats[0], lats[-1]],
    )
    figure.update_layout(height=420, margin={"l": 0, "r": 0, "t": 0, "b": 0}, clickmode="event+select",
                         showlegend=False, dragmode=False)
    return figure


def clicked_point(event: Any) -> tuple[float, float] | None:
    """(lat, lon) of the point a Streamlit selection event holds, if any."""
    selection = event.get("selection") if isinstance(event, Mapping) else getattr(event, "selection", None)
    points = selection.get("points") if isinstance(selection, Mapping) else getattr(selection, "points", None)
    if not points:
        return None
    point = points[0]
    try:
        return float(point["lat"]), float(point["lon"])
    except (KeyError, TypeError, ValueError):
        return None

"""Plotly figures of the events (pure functions: no Streamlit here).

``build_map_figure`` and ``build_timeline_figure`` take the events to draw, the
catalog (and gazetteer) to describe them, and ``highlight``/``muted``/``style``
so the same builders serve the dashboard, presentation mode and exports.
"""

from exchanges.charts.map_figure import build_map_figure, locate_events
from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE, ChartStyle, MapView, fit_view
from exchanges.charts.timeline_figure import build_timeline_figure, find_eras

__all__ = [
    "DEFAULT_STYLE",
    "PROJECTOR_STYLE",
    "ChartStyle",
    "MapView",
    "build_map_figure",
    "build_timeline_figure",
    "find_eras",
    "fit_view",
    "locate_events",
]

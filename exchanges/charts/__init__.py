"""Plotly figures of the events (pure functions: no Streamlit here).

``build_map_figure`` and ``build_timeline_figure`` take the events to draw, the
catalog (and gazetteer) to describe them, and ``highlight``/``muted``/``style``
so the same builders serve the dashboard, presentation mode and exports. What
they draw comes from the domain, which draws nothing: ``exchanges.mapping``
(places, framing), ``exchanges.timeline`` (lanes, eras), ``exchanges.wording``
(an event in words).
"""

from exchanges.charts.map_figure import build_map_figure
from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE, ChartStyle
from exchanges.charts.timeline_figure import build_timeline_figure

__all__ = [
    "DEFAULT_STYLE",
    "PROJECTOR_STYLE",
    "ChartStyle",
    "build_map_figure",
    "build_timeline_figure",
]

"""The ``config`` every Plotly chart of the app is shown with.

Its main job is the offline basemap: plotly.js fetches the land and coastlines
of a geo map from ``topojsonURL`` (a CDN by default); ``static/topojson/`` is
served by Streamlit at ``<baseUrlPath>/app/static/topojson/``
(``server.enableStaticServing``), see ``exchanges.basemap``.

The toolbar's camera button saves a full-HD slide (1920x1080 PNG), laid out
again at that size rather than scaled up from the chart on screen.

The mouse wheel scrolls the page, as everywhere else, rather than zooming a
chart the pointer happens to be over on the way down (every page: one
config); the toolbar's buttons and dragging still zoom and pan.
"""

from __future__ import annotations

import copy
from types import MappingProxyType

import plotly.graph_objects as go
import streamlit as st

from components.memo import DataMemo
from exchanges.basemap import plotly_config as basemap_config
from exchanges.charts.browser import browser_figure

SLIDE_IMAGE: MappingProxyType = MappingProxyType({"format": "png", "width": 1920, "height": 1080, "scale": 1})
"""What the camera button saves (plotly's ``toImageButtonOptions`` without a file name)."""

DEFAULT_IMAGE_NAME = "chart"


def _build() -> dict:
    return {
        **basemap_config(st.get_option("server.baseUrlPath") or ""),
        "displaylogo": False,
        "scrollZoom": False,
        # Box and lasso selection are not used: a click selects an event.
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
        "toImageButtonOptions": {**SLIDE_IMAGE, "filename": DEFAULT_IMAGE_NAME},
    }


PLOTLY_CONFIG: MappingProxyType = MappingProxyType(_build())
"""The shared config; use :func:`plotly_config` for a copy to pass to ``st.plotly_chart``."""


def plotly_config(*, filename: str | None = None, **overrides) -> dict:
    """A fresh (deep) copy of :data:`PLOTLY_CONFIG` with ``overrides`` applied.

    ``filename`` names the camera button's PNG (without extension).
    """
    config = copy.deepcopy(dict(PLOTLY_CONFIG))
    config.update(overrides)
    if filename is not None:
        config["toImageButtonOptions"] = {**config["toImageButtonOptions"], "filename": filename}
    return config


#: The browser's copy of each figure shown lately (``exchanges.charts.browser``), per figure object:
#: the figures come from the page memos (``components.data``), so a rerun showing the same figure
#: sends the same copy (built again, identical, if it was dropped). It holds the figures it was made
#: from: fewer entries than the page memos together (32 maps, 32 timelines).
_BROWSER_FIGURES: DataMemo[go.Figure] = DataMemo(size=48)


def for_browser(figure: go.Figure, *, selectable: bool = False) -> go.Figure:
    """What ``st.plotly_chart`` should be given for ``figure``: the same chart, written so that
    Streamlit's second draw of a new chart finds nothing to redraw (``exchanges.charts.browser``).
    ``selectable``: the chart is shown with ``on_select`` and ``selection_mode="points"``."""
    return _BROWSER_FIGURES.get((id(figure), selectable), (figure,),
                                lambda: browser_figure(figure, selectable=selectable))

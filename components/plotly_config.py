"""The ``config`` every Plotly chart of the app is shown with.

Its main job is the offline basemap: plotly.js fetches the land and coastlines
of a geo map from ``topojsonURL`` (a CDN by default); ``static/topojson/`` is
served by Streamlit at ``<baseUrlPath>/app/static/topojson/``
(``server.enableStaticServing``), see ``exchanges.basemap``.
"""

from __future__ import annotations

from types import MappingProxyType

import streamlit as st

from exchanges.basemap import plotly_config as basemap_config


def _build() -> dict:
    return {
        **basemap_config(st.get_option("server.baseUrlPath") or ""),
        "displaylogo": False,
        "scrollZoom": True,
        # Box and lasso selection are not used: a click selects an event.
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
        "toImageButtonOptions": {"format": "png", "scale": 2},
    }


PLOTLY_CONFIG: MappingProxyType = MappingProxyType(_build())
"""Pass as ``st.plotly_chart(..., config=dict(PLOTLY_CONFIG))``."""


def plotly_config(**overrides) -> dict:
    """A fresh copy of :data:`PLOTLY_CONFIG` with ``overrides`` applied."""
    return {**PLOTLY_CONFIG, **overrides}

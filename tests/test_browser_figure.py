"""The browser's copy of a figure (``exchanges.charts.browser``): the same chart, written so that
``Plotly.react`` can tell a copy of it unchanged, and drawn to the same pixels."""

from __future__ import annotations

import io
import json

import plotly.graph_objects as go
import pytest
from PIL import Image, ImageChops

from exchanges.charts.browser import SELECT_MODES, browser_figure, with_defaults
from exchanges.charts.map_figure import build_map_figure
from exchanges.charts.style import PROJECTOR_STYLE
from exchanges.charts.timeline_figure import build_timeline_figure
from exchanges.export.options import ImageOptions


@pytest.fixture(scope="module")
def figures(shipped_catalog, shipped_gazetteer) -> dict[str, go.Figure]:
    events = list(shipped_catalog.events)
    chosen = events[3].id
    return {
        "map": build_map_figure(events, shipped_catalog, shipped_gazetteer, legend=False),
        "map, an event chosen": build_map_figure(events, shipped_catalog, shipped_gazetteer, highlight=chosen),
        "map, projector": build_map_figure(events[:9], shipped_catalog, shipped_gazetteer, style=PROJECTOR_STYLE),
        "timeline": build_timeline_figure(events, shipped_catalog, highlight=chosen),
        "timeline by type": build_timeline_figure(events[:12], shipped_catalog, lanes="type", show_legend=True),
        "timeline, no events": build_timeline_figure([], shipped_catalog),
    }


def _walk(value, path=""):
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


@pytest.mark.parametrize("selectable", [False, True])
def test_what_plotly_react_compares_by_identity_is_not_in_the_browser_copy(figures, selectable):
    for name, figure in figures.items():
        spec = browser_figure(figure, selectable=selectable).to_dict()
        assert "template" not in spec["layout"], name
        for container in (spec["layout"], *spec["data"]):
            assert container.get("meta") is None or isinstance(container["meta"], list), (name, container.get("meta"))
        typed = [path for path, value in _walk(spec) if isinstance(value, dict) and "bdata" in value]
        assert not typed, (name, typed[:3])
        assert spec["layout"]["datarevision"], name


def test_the_figure_itself_keeps_its_template_and_its_meta(figures):
    figure = figures["timeline"]
    before = figure.to_json()
    browser_figure(figure, selectable=True)
    assert figure.to_json() == before
    assert figure.layout.template is not None
    assert all(isinstance(trace.meta, dict) for trace in figure.data if trace.meta is not None)


def test_meta_reaches_the_browser_whole_as_a_one_item_list(figures):
    figure = figures["map"]
    spec = browser_figure(figure).to_dict()
    assert [trace["meta"][0] for trace in spec["data"]] == [trace.meta for trace in figure.data]
    assert spec["layout"]["meta"] == [figure.layout.meta]


def test_the_same_figure_gets_the_same_datarevision_and_another_figure_another(figures):
    # The same figure must be sent the same (else Streamlit would remount an unchanged chart).
    first = browser_figure(figures["map"]).layout.datarevision
    assert browser_figure(figures["map"]).layout.datarevision == first
    assert browser_figure(figures["map, an event chosen"]).layout.datarevision != first


def test_a_selectable_chart_states_the_modes_streamlit_would_set_and_keeps_its_own(figures):
    spec = browser_figure(figures["timeline"], selectable=True).to_dict()["layout"]
    assert {name: spec[name] for name in SELECT_MODES} == {**SELECT_MODES, "hovermode": figures["timeline"].layout.hovermode
                                                          or SELECT_MODES["hovermode"]}
    own = go.Figure(layout={"dragmode": "zoom", "clickmode": "event"})
    spec = browser_figure(own, selectable=True).to_dict()["layout"]
    assert (spec["dragmode"], spec["clickmode"]) == ("zoom", "event")
    assert "clickmode" not in browser_figure(go.Figure()).to_dict()["layout"]


def test_template_values_fill_only_what_the_figure_leaves_unset():
    template = go.layout.Template(
        layout={"font": {"color": "#111", "size": 9}, "xaxis": {"gridcolor": "#222", "linecolor": "#333"},
                "annotationdefaults": {"arrowcolor": "#444", "font": {"size": 7}}, "geo": {"bgcolor": "#555"}},
        data={"bar": [{"marker": {"line": {"color": "white", "width": 0.5}}}, {"opacity": 0.5}]},
    )
    figure = go.Figure(
        data=[go.Bar(x=[1], y=[1], marker={"color": "red"}), go.Bar(x=[2], y=[2]), go.Bar(x=[3], y=[3], opacity=1)],
        layout={"template": template, "font": {"size": 13}, "xaxis2": {"gridcolor": "#999"},
                "annotations": [{"text": "a", "font": {"color": "#000"}}]},
    )
    spec = browser_figure(figure).to_dict()
    layout, data = spec["layout"], spec["data"]
    assert layout["font"] == {"color": "#111", "size": 13}
    assert layout["xaxis"]["gridcolor"] == "#222" and layout["xaxis2"]["gridcolor"] == "#999"
    # The template's line colour does not make the axis line show, as in plotly.js.
    assert layout["xaxis"]["linecolor"] == "#333" and layout["xaxis"]["showline"] is False
    assert layout["annotations"][0] == {"text": "a", "font": {"color": "#000", "size": 7}, "arrowcolor": "#444"}
    assert "geo" not in layout  # no map: no geo subplot made for the template's sake
    # Trace templates apply in turn, per trace of the type.
    assert data[0]["marker"] == {"color": "red", "line": {"color": "white", "width": 0.5}}
    assert data[1]["opacity"] == 0.5 and data[2]["marker"]["line"]["width"] == 0.5 and data[2]["opacity"] == 1


def test_with_defaults_merges_dicts_and_keeps_given_values():
    assert with_defaults({"a": 1, "b": {"c": 2}}, {"a": 9, "b": {"d": 3}, "e": [4]}) == {
        "a": 1, "b": {"c": 2, "d": 3}, "e": [4]}
    assert with_defaults(None, {"a": 1}) == {"a": 1}
    assert with_defaults([1], {"a": 1}) == [1]


def test_numeric_arrays_are_sent_as_lists_with_gaps_as_null():
    import numpy as np

    figure = go.Figure(go.Scattergeo(lon=np.array([1.5, np.nan, 3.25], dtype=np.float32), lat=np.array([1.0, 2.0, 3.0])))
    spec = json.loads(browser_figure(figure).to_json())
    assert spec["data"][0]["lon"] == [1.5, None, 3.25]
    assert spec["data"][0]["lat"] == [1.0, 2.0, 3.0]


def test_the_browser_copy_draws_the_same_pixels(engine, figures):
    """Kaleido draws with plotly.js, as the browser does: the copy must look exactly like the figure."""
    for name, figure in figures.items():
        options = ImageOptions(width=900, height=max(240, figure.layout.height or 500))
        drawn = Image.open(io.BytesIO(engine.render(figure, options))).convert("RGB")
        sent = Image.open(io.BytesIO(engine.render(browser_figure(figure, selectable=True), options))).convert("RGB")
        assert ImageChops.difference(drawn, sent).getbbox() is None, f"{name}: the browser copy looks different"
